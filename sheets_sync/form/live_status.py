"""The « Statut » column of the templates: live feedback computed by the spreadsheet itself.

As a principal types, the formula says « Complet » or « À compléter : titre, objectifs ».
The toolkit never reads it back; the sync stays the authority (it also accepts « OUI »,
« x », « deux classes »…). The same formula works in Excel, LibreOffice and Google Sheets.
"""

from __future__ import annotations

from ..cells.a1 import column_letters, to_a1
from .model import SHORT_NAMES, Field, Need

STATUS_LABEL = "Statut"
COMPLETE_TEXT = "Complet"


def status_formula(fields: tuple[Field, ...], row: int, yes_column: str) -> str:
    """« Complet », « À compléter : titre, objectifs », or empty for an unstarted row.

    Live feedback only: the sync, not this formula, decides (it also reads « OUI », « x »…).
    """
    missing = []
    for col, f in enumerate(fields, start=1):
        cell = to_a1(row, col)
        empty = f"LEN(TRIM({cell}))=0"
        if f.need is Need.IF_YES:
            empty = f'AND(LOWER(TRIM(${yes_column}{row}))<>"non",{empty})'
        elif f.need is not Need.ALWAYS:
            continue
        missing.append(f'IF({empty},", {SHORT_NAMES[f.key]}","")')
    listed = "&".join(missing)
    span = f"$A{row}:${column_letters(len(fields))}{row}"
    return (f'=IF(COUNTA({span})=0,"",IF({listed}="","{COMPLETE_TEXT}",'
            f'"À compléter : "&MID({listed},3,500)))')
