import sheets_sync


def test_exported_members_are_exactly_the_public_api() -> None:
    assert sheets_sync.__all__ == [
        "CampaignFrames", "CheckResult", "Config", "ConfigError", "Issue", "Report", "School",
        "SheetsSyncError", "SourceChanged", "SourceError", "SyncResult", "WriteRefused",
        "check_source", "load_config", "open_campaign", "sync",
    ]
    for name in sheets_sync.__all__:
        assert getattr(sheets_sync, name) is not None


def test_importing_the_package_loads_no_stage_until_a_name_is_used() -> None:
    """`import sheets_sync` (as `sheets-sync --help` does) stays light: names load lazily."""
    import subprocess
    import sys

    code = ("import sys, sheets_sync; print('sheets_sync.sync' in sys.modules); "
            "sheets_sync.check_source; print('sheets_sync.sync' in sys.modules, "
            "callable(sheets_sync.sync))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == ["False", "True", "True"]
