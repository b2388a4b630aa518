"""python -m sheets_sync.emulator [--port N] [--load FILE.xlsx]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sheets_sync.emulator",
        description="Émulateur local de l'API Google Sheets v4.",
    )
    parser.add_argument("--port", type=int, default=8765, help="port sur 127.0.0.1")
    parser.add_argument("--load", type=Path, default=None, help="classeur .xlsx à précharger")
    args = parser.parse_args(argv)
    serve(args.port, args.load, out=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
