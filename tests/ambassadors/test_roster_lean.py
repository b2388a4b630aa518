"""The roster reader, made lean for issue #16 (5,000 ambassadors), reads what it read.

A text cell is trimmed without building a `Parsed`; the name is folded once, for the derived
identifier and to find doubles: the fold of « Prénom NOM » is the fold of the trimmed name.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.ambassadors.roster import _plain, ambassador_id, read_roster
from sheets_sync.cells.grid import CellError, CellValue, Grid
from sheets_sync.form import normalise
from sheets_sync.form.labels import normalise_label

NAMES = st.sampled_from(["", "Nadia", "BENALI", "4 eme", "3ème", "Jean-Marc", "O’Brien",
                         " ", "Zoé", "É", "4"]) | st.text(max_size=12)


@settings(max_examples=400, deadline=None)
@given(NAMES.map(str.strip), NAMES.map(str.strip))
def test_the_name_folds_the_same_trimmed_or_not(first: str, last: str) -> None:
    assert normalise_label(f"{first} {last}") == normalise_label(f"{first} {last}".strip())


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=10), st.none(), st.booleans(), st.integers(),
                 st.floats(allow_nan=False), st.dates(), st.builds(CellError, st.just("#REF!"))))
def test_plain_text_is_as_text(value: CellValue) -> None:
    assert _plain(value) == (normalise.as_text(value).value or "")


def test_cells_of_every_type_read_and_flagged_as_before() -> None:
    # texts, numbers, dates and errors where texts are expected, a double typed with spaces:
    # members, identifiers and issues as the previous reader gave them
    grid = Grid("Ambassadeurs", (
        ("Prénom", "NOM", "Métier", "Secteur", "Courriel", "Genre", "Consentement"),
        (" Nadia ", "BENALI", "Data analyste", "Numérique", "n@ex.org", "F", "Oui"),
        ("Nadia", " BENALI", "Data analyste", 12.0, "N@EX.org", "f", "oui"),
        ("Paul", "MARTIN", CellError("#N/A"), "Industrie", None, "?", 1),
        ("", "DURAND", "Soudeur", dt.date(2021, 1, 1), "d@ex.org", "H", "peut-être"),
        ("Léa", 2.0, "Technicienne", True, "x@ex", "M.", True),
        ("Marc", "PETIT", "Chef", CellError("#VALUE!"), "m@ex.org", "Homme", "non"),
    ), sheet="Ambassadeurs")
    members, issues = read_roster([grid], "Ambassadeurs")
    assert [(m.first_name, m.last_name, m.ambassador.sector, m.ambassador.id)
            for m in members] == [
        ("Nadia", "BENALI", "Numérique", "nadia-benali-eb58eb"),
        ("", "DURAND", "01/01/2021", "durand-db1ada"),
        ("Marc", "PETIT", "", "marc-petit-e2e370")]
    assert members[1].ambassador.id == ambassador_id("", "DURAND", "d@ex.org")
    assert [(i.cell, i.code) for i in issues] == [
        ("A1:G1", "colonne-absente"), ("A1:G1", "colonne-absente"),
        ("B3", "ambassadeur-en-double"), ("A4", "ambassadeur-invalide"),
        ("A5", "champ-obligatoire"), ("A6", "ambassadeur-invalide"),
        ("D7", "valeur-erreur"), ("D7", "champ-obligatoire")]
