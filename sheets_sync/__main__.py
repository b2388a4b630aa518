"""`python -m sheets_sync` is the `sheets-sync` command."""

from .cli import main

main()
