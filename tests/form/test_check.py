import string

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells.grid import CellError
from sheets_sync.config import Limits
from sheets_sync.form.check import COMPLETE, INCOMPLETE, NOT_TAKING_PART, check_answers
from sheets_sync.form.findings import Report
from sheets_sync.form.messages import MESSAGES, render
from sheets_sync.form.read import read_table

from ..helpers import COMPLETE_NO, COMPLETE_YES, KEYS, table

# Column letters of the template's order (KEYS): A etablissement … L contenu, M courriel …
COL = {k: chr(65 + i) for i, k in enumerate(KEYS)}


def run(*answers: dict[str, object], limits: Limits | None = None):
    found = read_table(table(answers))
    assert found is not None
    return check_answers(found.answers, limits or Limits())


def flat(schools) -> list[list[object]]:
    report = Report([i for s in schools for i in s.issues])
    return report.flatten(["cell", "code"])


def test_complete_yes_and_no_answers() -> None:
    yes, no = run(COMPLETE_YES, COMPLETE_NO)
    assert (yes.status, no.status) == (COMPLETE, NOT_TAKING_PART)
    assert yes.issues == no.issues == ()
    assert yes.values["classes_4e"] == 1 and yes.participates is True
    assert no.participates is False


def test_yes_requires_every_project_field_with_its_cell() -> None:
    (school,) = run({**COMPLETE_YES, "objectifs": None, "theme": "   "})
    assert school.status == INCOMPLETE
    assert flat([school]) == [[f"{COL['objectifs']}2", "champ-obligatoire"],
                              [f"{COL['theme']}2", "champ-obligatoire"]]
    assert all(i.severity == "erreur" for i in school.issues)


def test_no_requires_only_identity_referent_and_answer() -> None:
    (school,) = run({**COMPLETE_NO, "referent": None})
    assert flat([school]) == [[f"{COL['referent']}2", "champ-obligatoire"]]


def test_missing_answer_is_required() -> None:
    (school,) = run({**COMPLETE_YES, "participation": None})
    assert flat([school]) == [[f"{COL['participation']}2", "champ-obligatoire"]]


def test_invalid_values_by_code_and_cell() -> None:
    (school,) = run({**COMPLETE_YES, "participation": "peut-être"})
    assert flat([school]) == [[f"{COL['participation']}2", "oui-non-invalide"]]
    (school,) = run({**COMPLETE_YES, "classes_3e": "2 ou 3"})
    assert flat([school]) == [[f"{COL['classes_3e']}2", "nombre-invalide"]]
    issue = school.issues[0]
    assert issue.value == "2 ou 3" and issue.field == "classes_3e" and issue.tab == "Réponses"
    assert "classes de 3ème" in issue.message and "2 ou 3" in issue.message


def test_yes_needs_at_least_one_class() -> None:
    (school,) = run({**COMPLETE_YES, "classes_4e": 0, "classes_3e": "0"})
    assert flat([school]) == [[f"{COL['classes_4e']}2", "aucune-classe"]]


def test_title_on_one_line_within_the_limit() -> None:
    (school,) = run({**COMPLETE_YES, "titre": "Des métiers\npour tous"})
    assert flat([school]) == [[f"{COL['titre']}2", "titre-multiligne"]]
    (school,) = run({**COMPLETE_YES, "titre": "x" * 41}, limits=Limits(title_length=40))
    assert flat([school]) == [[f"{COL['titre']}2", "titre-trop-long"]]


def test_implausible_count_is_only_a_warning() -> None:
    (school,) = run({**COMPLETE_YES, "classes_4e": 25})
    assert flat([school]) == [[f"{COL['classes_4e']}2", "nombre-improbable"]]
    assert school.status == COMPLETE


def test_spreadsheet_error_value_is_reported_not_crashed() -> None:
    (school,) = run({**COMPLETE_YES, "adresse": CellError("#N/A")})
    assert flat([school]) == [[f"{COL['adresse']}2", "valeur-erreur"]]
    assert school.issues[0].value == "#N/A"


def test_bad_email_and_date_of_optional_columns() -> None:
    (school,) = run({**COMPLETE_YES, "courriel": "pas-une-adresse", "date_depot": "demain"})
    assert flat([school]) == [[f"{COL['courriel']}2", "courriel-invalide"],
                              [f"{COL['date_depot']}2", "date-invalide"]]
    assert school.status == INCOMPLETE  # a wrong date is an error, a dubious e-mail a warning


def test_every_code_has_a_french_message_that_renders() -> None:
    named = {f for _, t in MESSAGES.values() for _, f, _, _ in string.Formatter().parse(t) if f}
    sample = {f: "quelque chose" for f in named} | {
              "label": "Vos objectifs", "cell": "I7", "tab": "Réponses", "value": "x",
              "limit": 120, "length": 130, "missing": "Fonction du référent",
              "candidate": "Collège Jean-Lebas", "score": 85, "kept": "ligne 3",
              "dropped": "ligne 2", "other": 4, "what": "la classe", "row": 3}
    for code, (severity, _) in MESSAGES.items():
        assert severity in ("erreur", "avertissement"), code
        text = render(code, **sample)
        assert "{" not in text and "}" not in text and len(text) > 20, code


anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3000),
    st.datetimes(), st.dates(), st.times(), st.sampled_from(["=1+1", "#N/A", "@SUM(A1)", "\t"]),
    st.builds(CellError, st.sampled_from(["#N/A", "#DIV/0!", "#REF!", "#VALUE!"])),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({k: anything for k in KEYS}), max_size=4))
def test_any_cell_content_never_crashes_the_checker(answers: list[dict[str, object]]) -> None:
    found = read_table(table(answers))
    assert found is not None
    schools = check_answers(found.answers, Limits())
    for school in schools:
        assert school.status in (COMPLETE, INCOMPLETE, NOT_TAKING_PART)
        for issue in school.issues:
            assert issue.code in MESSAGES and issue.cell is not None


# --- contact details typed in free text (issue #13, item 2) ---------------------------------


def test_contact_typed_in_theme_is_a_warning_on_the_answer_cell() -> None:
    """contact-typed-in-theme: the principal's cell is named, the contact is not echoed."""
    typed = {**COMPLETE_YES, "theme": "Le numérique — contact : m.dupont@exemple.fr / "
                                      "06 12 34 56 78"}
    (school,) = run(typed)
    assert school.status == COMPLETE
    assert flat([school]) == [[f"{COL['theme']}2", "coordonnees-dans-le-texte"]]
    (issue,) = school.issues
    assert issue.severity == "avertissement" and issue.field == "theme"
    assert issue.value == "une adresse électronique et un numéro de téléphone"
    assert "06 12" not in issue.message and "@" not in issue.message


def test_every_free_text_field_is_checked_for_contacts_but_the_referent() -> None:
    phone = "+33 6 12 34 56 78"
    keys = ("etablissement", "adresse", "titre", "orientation", "objectifs", "discipline",
            "theme", "contenu")
    (school,) = run({**COMPLETE_YES, **{k: f"Texte {phone}" for k in keys},
                     "referent": f"Alice MARTIN, principale, {phone}"})
    assert flat([school]) == [[f"{COL[k]}2", "coordonnees-dans-le-texte"] for k in keys]


def test_dates_uai_and_postcodes_in_free_text_are_not_contacts() -> None:
    (school,) = run({**COMPLETE_YES, "objectifs": "Visite le 03/06/2022 à 14h30 (UAI 0590001A)",
                     "adresse": "1 rue de l'Exemple, 59100 Roubaix", "theme": "3 classes, 2022"})
    assert school.issues == ()


def test_a_long_text_is_not_echoed_with_its_contact() -> None:
    long_text = "x" * 50 + " 06 12 34 56 78 " + "y" * 2000
    (school,) = run({**COMPLETE_YES, "objectifs": long_text})
    too_long = next(i for i in school.issues if i.code == "texte-trop-long")
    assert too_long.value is not None and "06 12" not in too_long.value
