"""The fictional demo, runnable from any folder: it brings its own config.

`sheets-sync demo` (no --config) works in `./demo/`: it writes there the packaged
`resources/demo-config.toml` if absent, then the demo workbooks it names
(`starter.campaign.build_demo`). Nothing outside `./demo/` is touched, so the demo can be
tried in the folder of a real campaign without mixing files.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import WriteRefused

DEMO_FOLDER = "demo"
DEMO_CONFIG = Path(__file__).resolve().parents[1] / "resources" / "demo-config.toml"


def demo_config(folder: Path) -> tuple[Path, bool]:
    """The demo's config.toml in `folder`, written from the package if absent; (path, new)."""
    path = folder / "config.toml"
    if path.exists():
        return path, False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(DEMO_CONFIG.read_text("utf-8"), "utf-8")
    except OSError as exc:
        raise WriteRefused(f"Impossible de créer « {path} » ({exc.strerror or exc}).") from None
    return path, True
