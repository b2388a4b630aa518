"""Annex n°1, the registration form: its model, and its answers read out of grids and checked.

    model, labels ──► read (grids → raw answers) ──► normalise ──► check (findings, status)
                  ──► consolidate (identity, duplicates, sessions) ──► Campaign
`findings` holds the issues found (code, cell, field, French message from `messages`);
`template` and `guide` describe the templates principals fill (`live_status`: their
« Statut » formula), for a backend to write. Pure: no file, no network.
"""
