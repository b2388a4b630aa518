import pytest

from sheets_sync.form.model import ANSWER_FIELDS, FIELD, PARTICIPATION_LABEL
from sheets_sync.form.read import match_label


@pytest.mark.parametrize("field", ANSWER_FIELDS, ids=lambda f: f.key)
def test_every_verbatim_label_matches_its_field(field) -> None:
    assert match_label(field.label) == field.key


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("NOM DE L'ETABLISSEMENT PARTICIPANT", "etablissement"),
        ("nom de l’établissement participant", "etablissement"),
        ("  Nom  de l'établissement\nparticipant ", "etablissement"),
        ("Adresse de l'Établissement :", "adresse"),
        ("Prénom, NOM, fonction du référent de l’action", "referent"),
        ("Quel thème principal choisiriez-vous pour votre ou vos \"classes Proch'orientation\" ?",
         "theme"),
        ("Quel thème principal choisiriez-vous pour votre ou vos « classes Proch’Orientation » ?",
         "theme"),
        ("Classes de 4eme", "classes_4e"),
        ("classes de 3 ème", "classes_3e"),
        ("Nombre de classes de 4ème", "classes_4e"),
        (PARTICIPATION_LABEL.upper(), "participation"),
        # a long label cut short by its author still matches
        ("Je souhaite que mon établissement prenne part à l'expérimentation", "participation"),
        ("Courriel", "courriel"),
        ("Prénom", "referent_prenom"),
        ("Fonction du référent", "referent_fonction"),
        ("Date de dépôt", "date_depot"),
    ],
)
def test_label_variants(typed: str, key: str) -> None:
    assert match_label(typed) == key


@pytest.mark.parametrize(
    "typed", ["", None, "Statut", "Établissement", "Adresse", "Commentaire libre"]
)
def test_unrelated_headers_do_not_match(typed: object) -> None:
    assert match_label(typed) is None


def test_labels_are_written_once() -> None:
    labels = [f.label for f in FIELD.values()]
    assert len(labels) == len(set(labels))
