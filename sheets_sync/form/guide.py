"""The « Mode d'emploi » tab of the Excel templates: how to fill annex n°1, one paragraph a row.

    # Mode d'emploi  A
    # 1              Mode d'emploi — <campaign> (<school year>)
    # 2…             Que remplir ? / À ne pas faire / Dates limites / Une question ?

Column letters (« tableau ») or row numbers (« fiche ») are computed from the model, so the
text follows the form when a question moves.
"""

from __future__ import annotations

from collections.abc import Callable

from ..cells.a1 import column_letters
from ..cells.template_spec import Guide, GuideLine
from ..config import Config, Limits, Tabs
from .model import ANSWER_FIELDS, EXTRA_FIELDS, FIELD, GUIDE_TAB, NO, YES, Field, Need

CONTACT = "votre coordinateur ou coordinatrice de la Cité éducative"


def how_to(layout: str, config: Config | None, fiche_tab: str, *,
           with_roster: bool = True) -> Guide:
    """The how-to of a « tableau » or « fiche » template (`fiche_tab`: the fiche's tab);
    `with_roster`: the table also holds the roster tab (a one-file campaign)."""
    tabs = config.tabs if config else Tabs()
    limits = config.limits if config else Limits()
    fields = ANSWER_FIELDS
    if layout == "tableau":

        def where(chosen: list[Field]) -> str:
            return _spans("colonne", [fields.index(f) + 1 for f in chosen], column_letters)

        place = (
            f"Onglet « {tabs.answers} » : une ligne par établissement, à partir de la "
            "ligne 2. La ligne 1 contient les questions de l'annexe n°1, une par colonne."
        )
    else:

        def where(chosen: list[Field]) -> str:
            return _spans("ligne", [fields.index(f) + 2 for f in chosen], str)

        place = (
            f"Onglet « {fiche_tab} » : répondez dans la colonne B, en face de chaque "
            "question de la colonne A. Un fichier par établissement."
        )
    always = [f for f in fields if f.need is Need.ALWAYS]
    if_yes = [f for f in fields if f.need is Need.IF_YES]
    extras = _and([f"« {f.label} »" for f in EXTRA_FIELDS])
    title = f"{GUIDE_TAB} — {config.name}" if config else GUIDE_TAB
    if config and config.school_year:
        title += f" ({config.school_year})"
    lines: list[GuideLine] = [
        ("title", title),
        (
            "paragraph",
            "Ce classeur recueille les réponses à l'annexe n°1, le formulaire "
            "d'inscription des établissements.",
        ),
        ("heading", "Que remplir ?"),
        ("paragraph", place),
        (
            "paragraph",
            f"{_capital(where([FIELD['participation']]))} : choisissez « {YES} » "
            f"ou « {NO} » dans la liste.",
        ),
        (
            "paragraph",
            f"Avec « {NO} » : seules les {where(always)} sont à remplir "
            "(établissement, adresse, référent et réponse).",
        ),
        (
            "paragraph",
            f"Avec « {YES} » : les {where(if_yes)} sont aussi à remplir, avec au "
            "moins une classe de 4ème ou de 3ème.",
        ),
        (
            "paragraph",
            f"Nombres de classes : nombres entiers de 0 à {limits.max_classes}. "
            f"Titre du projet : une seule ligne, {limits.title_length} caractères "
            "au plus.",
        ),
        (
            "paragraph",
            "Orientation, discipline, contenu : des suggestions s'affichent quand "
            "vous sélectionnez la cellule ; vous pouvez aussi écrire autre chose.",
        ),
        ("paragraph", f"Facultatif mais utile pour les relances : {extras}."),
        (
            "paragraph",
            "Une case obligatoire encore vide se colore en orange. Intitulés en bleu "
            "foncé : toujours obligatoires ; en bleu : obligatoires avec "
            f"« {YES} » ; en bleu clair : facultatifs.",
        ),
        ("heading", "À ne pas faire"),
        (
            "paragraph",
            "Ne renommez pas les onglets ni les intitulés des questions, ne "
            "fusionnez pas de cellules : les réponses sont relevées automatiquement "
            "d'après ces noms.",
        ),
        (
            "paragraph",
            "N'écrivez pas de formule : saisissez les réponses comme du texte, des "
            "nombres ou des dates.",
        ),
        (
            "paragraph",
            "Le titre, le thème, les objectifs et le contenu du projet peuvent être "
            "montrés aux partenaires : n'y écrivez ni le nom ni les coordonnées d'un "
            "élève ou d'une autre personne.",
        ),
    ]
    if layout == "tableau":
        lines.append(
            (
                "paragraph",
                "Une seule ligne par établissement : pour corriger une "
                "réponse, modifiez la ligne existante.",
            )
        )
    if layout == "tableau" and with_roster:
        lines.append(
            (
                "paragraph",
                f"L'onglet « {tabs.roster} » est tenu par les "
                "coordinateurs : une ligne par ambassadeur ou ambassadrice "
                "des métiers.",
            )
        )
    lines.append(("heading", "Dates limites"))
    if config:
        lines.extend(
            ("paragraph", f"{s.name} : au plus tard le {s.deadline:%d/%m/%Y}.")
            for s in config.sessions
        )
    else:
        lines.append(("paragraph", f"Les dates limites vous sont communiquées par {CONTACT}."))
    lines.append(("heading", "Une question ?"))
    lines.append(("paragraph", f"Contactez {CONTACT}."))
    return Guide(GUIDE_TAB, tuple(lines))


def _spans(noun: str, positions: list[int], show: Callable[[int], str]) -> str:
    """("colonne", [1, 2, 3, 4, 7]) -> "colonnes A à D et G"; runs of 3 or more use « à »."""
    runs: list[list[int]] = []
    for p in sorted(positions):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    shown: list[str] = []
    for run in runs:
        if len(run) > 2:
            shown.append(f"{show(run[0])} à {show(run[-1])}")
        else:
            shown.extend(show(p) for p in run)
    return f"{noun}{'s' if len(positions) > 1 else ''} {_and(shown)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(items: list[str]) -> str:
    """["A", "B", "C"] -> "A, B et C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def coordination_how_to(config: Config | None) -> Guide:
    """The how-to of the coordinator workbook: the roster and the « Ajustements » tab.

    This workbook is never shared with the schools: it holds the ambassadors' contacts.
    """
    tabs = config.tabs if config else Tabs()
    title = f"{GUIDE_TAB} (coordination)" + (f" — {config.name}" if config else "")
    lines: list[GuideLine] = [
        ("title", title),
        ("paragraph", "Classeur réservé à la coordination : ne le partagez pas avec les "
                      "établissements ni avec les partenaires (il contient les courriels et "
                      "téléphones des ambassadeurs)."),
        ("heading", "Onglets à remplir"),
        ("paragraph", f"« {tabs.roster} » : une ligne par ambassadeur ou ambassadrice des "
                      "métiers, à partir de la ligne 2."),
        ("paragraph", f"« {tabs.adjustments} » : une ligne par décision — Classe (identifiant "
                      "de l'onglet « " + tabs.sponsorships + " »), Ambassadeur (identifiant), "
                      "Décision (Confirmer ou Exclure)."),
        ("heading", "Onglets générés"),
        ("paragraph", f"« {tabs.sponsorships} », « {tabs.reminders} » et « {tabs.journal} » "
                      "sont remplacés à chaque synchronisation : ne les modifiez pas."),
    ]
    return Guide(GUIDE_TAB, tuple(lines))
