from sheets_sync.ambassadors.roster import ambassador_id, gender, read_roster
from sheets_sync.cells.grid import Grid

HEADER = ("Prénom", "NOM", "Genre", "Métier", "Code ROME", "Secteur", "Entreprise ou structure",
          "Commune", "Disponibilités", "Nombre de classes maximum",
          "Thèmes ou disciplines d'intérêt", "Courriel", "Téléphone",
          "Accepte d'apparaître nommément sur les tableaux des partenaires")


def roster(*rows: tuple[object, ...], header: tuple[str, ...] = HEADER) -> Grid:
    return Grid("Ambassadeurs", (header, *rows), sheet="Ambassadeurs")  # type: ignore[arg-type]


NADIA = ("Nadia", "BENALI", "Mme", "Data analyste", "m1403", "Numérique", "Ent. A", "Roubaix",
         "toute l'année", 2, "numérique", "nadia@example.org", "06 00 00 00 01", "Oui")


def test_a_clean_row() -> None:
    (member,), issues = read_roster([roster(NADIA)], "Ambassadeurs")
    assert issues == []
    a = member.ambassador
    assert (a.gender, a.rome_code, a.capacity, a.local, a.available) == ("F", "M1403", 2, True,
                                                                         True)
    assert member.consent and member.public_name() == "Nadia BENALI"
    assert a.id == ambassador_id("Nadia", "BENALI", "nadia@example.org")


def test_problems_by_code_and_cell() -> None:
    bad = ("Karim", "", "peut-être", "Soudeur", "12345", "Industrie", None, "Lille",
           "indisponible", 0, None, "pas-une-adresse", None, "bof")
    (member,), issues = read_roster([roster(bad)], "Ambassadeurs")
    assert [(i.cell, i.code) for i in issues] == [
        ("B2", "champ-obligatoire"), ("L2", "courriel-invalide"), ("C2", "genre-invalide"),
        ("E2", "code-rome-invalide"), ("J2", "nombre-invalide"), ("N2", "oui-non-invalide")]
    a = member.ambassador
    assert (a.gender, a.rome_code, a.capacity, a.available, a.local) == (None, None, 1, False,
                                                                         False)
    assert member.public_name() == "Soudeur (Industrie)"  # no consent: job and sector only


def test_duplicates_by_name_and_email_and_explicit_ids() -> None:
    header = (*HEADER, "Identifiant")
    rows = ((*NADIA, "A-001"), (*NADIA, "A-002"), (*NADIA[:11], "autre@example.org",
                                                   *NADIA[12:], "A-003"))
    members, issues = read_roster([roster(*rows, header=header)], "Ambassadeurs")
    assert [m.ambassador.id for m in members] == ["A-001", "A-003"]
    assert [(i.cell, i.code) for i in issues] == [("B3", "ambassadeur-en-double")]


def test_gender_forms() -> None:
    for typed, expected in (("F", "F"), ("femme", "F"), ("Madame", "F"), ("H", "H"),
                            ("M.", "H"), ("Monsieur", "H"), ("non renseigné", None), (None, None)):
        assert gender(typed) == (expected, True), typed
    assert gender("X") == (None, False)


def test_missing_roster_tab_is_no_ambassador() -> None:
    assert read_roster([], "Ambassadeurs") == ([], [])
