"""The ambassadors: the roster read and checked, classes built, matched to ambassadors.

`roster` (the « Ambassadeurs » tab), `sponsoring` (classes, « Ajustements », the call to
`matching`), `matching/` (the min-cost flow and its reasons). Pure: plain data in and out.
"""
