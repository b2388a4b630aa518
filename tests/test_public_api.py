import sheets_sync


def test_exported_members_are_exactly_the_public_api() -> None:
    assert sheets_sync.__all__ == [
        "CheckResult", "Config", "ConfigError", "Issue", "Report", "School", "SheetsSyncError",
        "SourceChanged", "SourceError", "SyncResult", "WriteRefused", "check_source",
        "load_config", "sync",
    ]
    for name in sheets_sync.__all__:
        assert getattr(sheets_sync, name) is not None
