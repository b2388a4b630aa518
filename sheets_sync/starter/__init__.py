"""A campaign's first files: a new campaign folder and the fictional demo.

`campaign` (`init`, `demo`, `template --google`), `demo` (the demo's own config, written
in ./demo/ so that `sheets-sync demo` runs from any folder), `fictional` (invented schools,
people and ambassadors: nothing real).
"""
