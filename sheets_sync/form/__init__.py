"""Annex n°1, the registration form: its model, and its answers read out of grids and checked.

    model, labels ──► read (grids → raw answers) ──► normalise ──► check (findings, status)
                  ──► consolidate (identity, duplicates, sessions) ──► Campaign
`findings` holds the issues found (code, cell, field, French message from `messages`);
`live_status` is the template's « Statut » formula. Pure: no file, no network.
"""
