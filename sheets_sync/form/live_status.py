"""The « Statut » column of the templates: live feedback computed by the spreadsheet itself.

As a principal types, the formula says one of (first that applies):

    ""                                           the row is not started
    « À compléter : titre, objectifs »           a required cell is surely empty
    « À corriger : classes de 4ème »             a value the sync surely refuses
    « À confirmer à la prochaine synchronisation : Oui/Non »
                                                 the sync may accept it (« OUI », « x »,
                                                 « deux », « 3 juin » as text…): only it knows
    « Complet »                                  every rule the sync applies holds

« Complet » is only said when the sync will say complete too (a property test runs the formula
in LibreOffice against `check.check_answer`). The formula never claims an error the sync would
not raise: where the sync is more lenient than a formula can be (it folds accents, reads
« deux classes », « Oui. », dates typed as text), the row is « à confirmer », never « à corriger ».
The same formula works in Excel, LibreOffice and Google Sheets (en_US syntax; the Google
backend rewrites it for the spreadsheet's locale).
"""

from __future__ import annotations

from ..cells.a1 import column_letters, to_a1
from .model import SHORT_NAMES, Field, Kind, Need
from .normalise import COUNT_MAX

STATUS_LABEL = "Statut"
COMPLETE_TEXT = "Complet"
TO_FILL_TEXT = "À compléter : "
TO_FIX_TEXT = "À corriger : "
TO_CONFIRM_TEXT = "À confirmer à la prochaine synchronisation : "
NO_CLASS_NAME = "au moins une classe"

_DATE_SERIAL_END = 2958466  # normalise.date: Excel serials 1 .. 9999-12-31


def _empty(cell: str) -> str:
    """Surely empty for the sync too (spaces only)."""
    return f"LEN(TRIM({cell}))=0"


def _filled(cell: str) -> str:
    """Surely non-empty for the sync: something left once spaces, controls, NBSP and NEL go.

    Python's strip() also removes the rarer Unicode spaces (U+2000…): not mirrored, a gap.
    The characters are written literally: LibreOffice's CHAR(160) is not U+00A0, and
    UNICHAR needs an « _xlfn. » prefix in an xlsx file (#NAME? without it).
    """
    spaced = f'SUBSTITUTE(SUBSTITUTE({cell},"\u00a0"," "),"\u0085"," ")'
    return f"LEN(TRIM(CLEAN({spaced})))>0"


def _number(cell: str) -> str:
    return f"AND(ISNUMBER({cell}),NOT(ISLOGICAL({cell})))"


def _whole(cell: str) -> str:
    """A whole number the sync reads as a class count (0 .. COUNT_MAX)."""
    # IF, not AND: AND evaluates every argument, and INT(« deux ») is #VALUE!.
    return f"IF({_number(cell)},AND({cell}=INT({cell}),{cell}>=0,{cell}<={COUNT_MAX}),FALSE)"


def _item(condition: str, name: str) -> str:
    return f'IF({condition},", {name}","")'


def _checks(f: Field, cell: str, title_length: int) -> tuple[str | None, str | None]:
    """(surely wrong, not provably right) conditions for a filled cell of this kind."""
    if f.kind is Kind.COUNT:
        return (f"AND({_number(cell)},NOT({_whole(cell)}))", f"NOT({_whole(cell)})")
    if f.kind is Kind.DATE:
        in_range = f"IF({_number(cell)},AND({cell}>=1,{cell}<{_DATE_SERIAL_END}),FALSE)"
        return (f"AND({_number(cell)},NOT({in_range}))", f"NOT({in_range})")
    if f.kind is Kind.YES_NO:
        return (None, f'AND(LOWER(TRIM({cell}))<>"oui",LOWER(TRIM({cell}))<>"non")')
    if f.kind is Kind.LINE:
        one_line = (f"AND(ISERROR(FIND(CHAR(10),{cell})),ISERROR(FIND(CHAR(13),{cell})),"
                    f"LEN({cell})<={title_length})")
        return (None, f"NOT({one_line})")
    return (None, None)


def status_formula(
    fields: tuple[Field, ...], row: int, yes_column: str, *, title_length: int = 120
) -> str:
    """The « Statut » formula of one row (en_US syntax), see the module docstring.

    `title_length` is the configured limit (`Limits.title_length`) the sync applies.
    """
    yes = f"${yes_column}{row}"
    surely_yes = f'LOWER(TRIM({yes}))="oui"'
    missing, wrong, doubt = [], [], []
    counts = []
    for col, f in enumerate(fields, start=1):
        cell = to_a1(row, col)
        name = SHORT_NAMES.get(f.key, f.label.lower())
        if f.need is Need.ALWAYS:
            missing.append(_item(_empty(cell), name))
        elif f.need is Need.IF_YES:
            missing.append(_item(f"AND({surely_yes},{_empty(cell)})", name))
        if f.kind is Kind.COUNT:
            counts.append(cell)
        sure, unsure = _checks(f, cell, title_length)
        if sure:
            wrong.append(_item(f"AND(NOT({_empty(cell)}),{sure})", name))
        if unsure:
            doubt.append(_item(f"AND(NOT({_empty(cell)}),{unsure})", name))
        if f.need is not Need.OPTIONAL:
            # Filled-looking but maybe only exotic spaces: the sync would call it empty.
            doubt.append(_item(f"AND(NOT({_empty(cell)}),NOT({_filled(cell)}))", name))
    if len(counts) == 2:
        both = f"AND({_whole(counts[0])},{_whole(counts[1])})"
        zero = f"IF({both},{counts[0]}+{counts[1]}=0,FALSE)"
        wrong.append(_item(f"AND({surely_yes},{zero})", NO_CLASS_NAME))
    span = f"$A{row}:${column_letters(len(fields))}{row}"
    listed = {"m": "&".join(missing), "w": "&".join(wrong) or '""',
              "d": "&".join(doubt) or '""'}
    return (
        f'=IF(COUNTA({span})=0,"",'
        f'IF({listed["m"]}<>"","{TO_FILL_TEXT}"&MID({listed["m"]},3,500),'
        f'IF({listed["w"]}<>"","{TO_FIX_TEXT}"&MID({listed["w"]},3,500),'
        f'IF({listed["d"]}<>"","{TO_CONFIRM_TEXT}"&MID({listed["d"]},3,500),'
        f'"{COMPLETE_TEXT}"))))'
    )
