"""A campaign's first files: a new campaign folder and the fictional demo.

`campaign` (`init`, `demo`, `template --google`), `fictional` (invented schools, people and
ambassadors: nothing real).
"""
