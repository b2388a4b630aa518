"""The generated tabs, as plain data (`GeneratedTab`), ready for any backend to write.

`overview` (« Synthèse », « Complétude », the state tab, and `build_tabs` for them all),
`sponsorship_tabs` (« Parrainages » and the partner tabs), `journal` (« Journal »).
"""
