"""The cyclic collector is paused for a block and restored as it was, even on error."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from sheets_sync.collector import collector_paused


def test_paused_then_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block leaves it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_error() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_sync_runs_with_the_collector_paused(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Paused while the demo syncs (checked from inside a stage), on again after."""
    import importlib

    from sheets_sync import load_config, sync

    sync_module = importlib.import_module("sheets_sync.sync")
    from sheets_sync.starter.campaign import build_demo
    from sheets_sync.starter.demo import demo_config

    seen: list[bool] = []
    consolidate = sync_module.consolidate
    build = sync_module.build_tabs

    def spy_consolidate(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return consolidate(*args, **kwargs)  # type: ignore[arg-type]

    def spy_build(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_module, "consolidate", spy_consolidate)
    monkeypatch.setattr(sync_module, "build_tabs", spy_build)
    config = load_config(demo_config(tmp_path / "demo")[0])
    build_demo(config)
    sync(config)
    assert seen == [False, False]
    assert gc.isenabled()
