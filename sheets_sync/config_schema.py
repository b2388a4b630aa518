"""The schema of config.toml: every table and key, its type, default, range and French help.

One description serves three readers, so they cannot drift: the checks here (unknown tables
and keys with the closest valid one, types, ranges, each with its file and line), the
commented config.toml `init` writes and docs/configuration.md (starter/config_text.py).
Cross-key rules (sessions in order, a Google source's spreadsheet) stay in config.py.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Limits, ReadLimits, Tabs
from .errors import ConfigError

REQUIRED: Any = object()  # the default of a key that must be given

KINDS = {  # kind → what the French message says it must be
    "text": "un texte",
    "positive": "un nombre entier positif",
    "integer": "un nombre entier",
    "bool": "true ou false",
    "date": "une date (AAAA-MM-JJ)",
    "share": "une part entre 0 et 1",
    "texts": "une liste de textes",
}


@dataclass(frozen=True)
class Setting:
    """One key of config.toml: its type, default (REQUIRED if none), choices and French help.

    `example` is written commented out in the file `init` writes when the key is better left
    unset (a value that only some campaigns need); `written` False leaves it out of that file
    (it stays in docs/configuration.md).
    """

    key: str
    kind: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    example: Any = None
    written: bool = True


@dataclass(frozen=True)
class Table:
    """A table of config.toml. `array`: a [[list]] of tables; `free`: any key, values of that
    kind (ROME codes → shares)."""

    name: str
    help: str
    settings: tuple[Setting, ...] = ()
    required: bool = False
    array: bool = False
    free: str | None = None
    free_help: str = ""
    examples: tuple[tuple[str, Any], ...] = ()
    example_block: bool = False  # written commented out by `init`: a section to switch on
    written: bool = True  # False: only in docs/configuration.md

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)


_TABS, _LIMITS, _READ = Tabs(), Limits(), ReadLimits()


# (key, default as in ambassadors.matching.Weights, written in init's file, help)
WEIGHT_SETTINGS = (
    ("affectation", 5, False, "Points de toute proposition (au-dessus de 0 : remplir une place "
                              "vaut toujours mieux que la laisser vide)."),
    ("mot_commun", 10, True, "Points par mot commun entre le projet et le métier de "
                             "l'ambassadeur."),
    ("mots_communs_max", 3, False, "Nombre maximal de mots communs comptés."),
    ("metier_porteur", 12, True, "Points d'un ambassadeur d'un métier porteur."),
    ("contre_stereotype", 12, True, "Points d'un ambassadeur contre-stéréotype."),
    ("modele_local", 8, True, "Points d'un modèle de réussite local."),
    ("bonus_orientation", 2, False, "Multiplicateur d'un critère quand l'orientation du projet "
                                   "le demande."),
)


def _tab(key: str, default: str, help: str, written: bool = True) -> Setting:
    return Setting(key, "text", default, help, written=written)


SCHEMA: tuple[Table, ...] = (
    Table("campagne", "La campagne : son nom, son année scolaire et ses sessions.", (
        Setting("nom", "text", REQUIRED, "Nom affiché en tête des tableaux de bord."),
        Setting("annee_scolaire", "text", "",
                "Année scolaire concernée (affichée dans la synthèse et les modèles)."),
    ), required=True),
    Table("campagne.sessions",
          "Les sessions de dépôt, dans l'ordre, avec leur date limite (incluse), au format "
          "AAAA-MM-JJ. Elles sont rappelées dans le mode d'emploi des modèles et dans la "
          "synthèse. Une réponse sans « Date de dépôt » n'est jamais « Hors délai ».", (
              Setting("nom", "text", REQUIRED, "Nom de la session."),
              Setting("date_limite", "date", REQUIRED, "Date limite de dépôt (incluse)."),
          ), required=True, array=True),
    Table("source", "Où lire les réponses.", (
        Setting("type", "text", "excel",
                "« excel » : un classeur partagé (une ligne par établissement), ou un dossier "
                "contenant une fiche par établissement. Formats lus : .xlsx, .xlsm, .xls, .xlsb "
                "et .ods ; les onglets générés ne peuvent être écrits que dans un .xlsx ou un "
                ".xlsm (pour les autres, ils vont dans le classeur « tableau_de_bord »). "
                "« google » : un classeur Google (clé « classeur »).",
                choices=("excel", "google")),
        Setting("chemin", "text", "reponses.xlsx",
                "Chemin du classeur ou du dossier, relatif à ce fichier."),
        Setting("classeur", "text", "",
                "Source Google : adresse (ou identifiant) du classeur Google partagé.",
                example="https://docs.google.com/spreadsheets/d/…"),
        Setting("identifiants", "text", "",
                "Source Google : fichier de clé JSON du compte de service, relatif à ce fichier "
                "(sinon GOOGLE_APPLICATION_CREDENTIALS).", example="compte-de-service.json"),
        Setting("attente_max", "positive", 60,
                "Source Google : attente maximale (en secondes) quand Google limite le débit.",
                written=False),
        Setting("onglet_reponses", "text", _TABS.answers, "Onglet des réponses dans le classeur."),
        Setting("onglet_ambassadeurs", "text", _TABS.roster,
                "Onglet des ambassadeurs (dans le classeur de coordination s'il y en a un)."),
        Setting("tableau_de_bord", "text", "tableau-de-bord.xlsx",
                "Classeur des tableaux de bord : pour un dossier de fiches (placé dans ce "
                "dossier), ou pour un classeur partagé quand onglets_dans_la_source = false "
                "(placé à côté du classeur)."),
        Setting("onglets_dans_la_source", "bool", True,
                "Classeur partagé : écrire les onglets générés dans le classeur lui-même (true), "
                "ou dans le classeur « tableau_de_bord » (false), par exemple si le classeur "
                "contient des formules."),
    ), required=True),
    Table("coordination",
          "Classeur réservé aux coordinateurs, jamais partagé avec les établissements : la liste "
          "des ambassadeurs (courriels, téléphones), l'onglet « Ajustements » et les onglets de "
          "coordination (Parrainages, Relances, Journal). Créé à la première synchronisation "
          "s'il manque. Source Google : l'adresse d'un second classeur Google, partagé avec le "
          "compte de service. Sans cette clé, tout reste dans le classeur partagé "
          "(déconseillé).", (
              Setting("classeur", "text", "", "Chemin (relatif à ce fichier) ou adresse Google "
                      "du classeur de coordination.", example="coordination.xlsx"),
          )),
    Table("onglets", "Noms des onglets générés (remplacés entièrement à chaque synchronisation).", (
        _tab("completude", _TABS.completeness, "Ce qui manque ou est à corriger, par réponse."),
        _tab("synthese", _TABS.summary, "Les chiffres de la campagne."),
        _tab("relances", _TABS.reminders,
             "Réservé à la coordination : qui relancer, pour quoi, avec un message prêt."),
        _tab("parrainages", _TABS.sponsorships,
             "Réservé à la coordination : les ambassadeurs proposés à chaque classe.", False),
        _tab("ajustements", _TABS.adjustments,
             "Onglet (saisi par la coordination) qui impose ou écarte un parrainage.", False),
        _tab("classes", _TABS.classes, "Onglet partenaires : les classes et leurs "
             "ambassadeurs.", False),
        _tab("mobilisation", _TABS.mobilisation, "Onglet partenaires : la mobilisation des "
             "ambassadeurs.", False),
        _tab("egalite", _TABS.equality, "Onglet partenaires : l'égalité filles-garçons.", False),
        _tab("journal", _TABS.journal, "Réservé à la coordination : ce qui a changé à chaque "
             "synchronisation.", False),
        _tab("etat", _TABS.state, "Onglet masqué où l'outil retient la date à laquelle chaque "
             "réponse est devenue complète."),
        _tab("calendrier", _TABS.calendar, "Réservé à la coordination : chaque temps fort de "
             "l'année, qui, où, son statut.", False),
        _tab("temps_forts", _TABS.year_events, "Onglet partenaires : les temps forts par "
             "établissement et par mois.", False),
        _tab("suivi", _TABS.follow_up, "Onglet (saisi par la coordination et les "
             "établissements) qui suit les temps forts et les productions des classes.", False),
        _tab("bilan", _TABS.year_review, "Onglet partenaires : le bilan de l'année.", False),
    )),
    Table("etablissements",
          "Liste de référence des établissements attendus (colonnes : Nom de l'établissement, "
          "UAI, Commune). Facultative : elle permet de reconnaître un collège malgré un nom mal "
          "saisi et de lister ceux qui n'ont pas répondu. Un onglet du classeur source, ou un "
          "classeur à part.", (
              Setting("onglet", "text", _TABS.establishments, "Onglet du classeur source."),
              Setting("fichier", "text", "", "Classeur à part, relatif à ce fichier.",
                      example="etablissements.xlsx"),
          )),
    Table("ambassadeurs", "La liste des ambassadeurs, si elle est dans un classeur à part.", (
        Setting("fichier", "text", "", "Classeur des ambassadeurs, relatif à ce fichier.",
                example="ambassadeurs.xlsx"),
    )),
    Table("appariement", "Comment les ambassadeurs sont proposés aux classes.", (
        Setting("ambassadeurs_par_classe", "positive", 2,
                "Nombre d'ambassadeurs qui parrainent chaque classe."),
        Setting("secteurs_porteurs", "texts", [],
                "Secteurs des « métiers porteurs », mis en avant dans l'appariement et les "
                "tableaux de bord (liste vide : celle de l'outil).",
                example=["numérique", "santé", "logistique", "industrie", "bâtiment", "énergie",
                         "transition écologique", "services à la personne"]),
        Setting("communes_locales", "texts", ["Roubaix"],
                "Communes dont les ambassadeurs sont des modèles de réussite locaux."),
        Setting("part_basse", "share", 0.3,
                "Une femme dans un domaine où la part de femmes est sous « part_basse », ou un "
                "homme au-dessus de « part_haute », est un ambassadeur contre-stéréotype."),
        Setting("part_haute", "share", 0.7, "Voir « part_basse »."),
        Setting("source_part_femmes", "text", "", "Source des parts de femmes citée dans les "
                "tableaux de bord.",
                example="DARES, portraits statistiques des métiers, 2023"),
    )),
    Table("appariement.part_femmes",
          "Part de femmes dans l'emploi par domaine professionnel (lettre ou début du code "
          "ROME). Sans cette table, des ordres de grandeur sont utilisés.",
          free="share", free_help="Lettre ou début d'un code ROME → part de femmes.",
          examples=(("F", 0.10), ("M18", 0.20))),
    Table("appariement.poids", "Points de chaque critère de l'appariement (nombres entiers).",
          tuple(Setting(key, "integer", default, help, example=default if shown else None,
                        written=shown)
                for key, default, shown, help in WEIGHT_SETTINGS)),
    Table("partenaires",
          "Onglets destinés aux partenaires (Région, Ville, État) : jamais de courriel ni de "
          "téléphone, et le nom d'un ambassadeur seulement avec son accord.", (
              Setting("onglets", "texts", [], "Onglets partagés avec les partenaires ; vide : "
                      "Synthèse, Classes, Mobilisation et Égalité.",
                      example=["Synthèse", "Classes", "Mobilisation des ambassadeurs",
                               "Égalité filles-garçons"]),
          )),
    Table("relances",
          "Modèles des messages de relance : première ligne « Objet : … », puis le texte. "
          "Variables : $etablissement, $referent, $campagne, $a_completer, $date_limite.", (
              Setting("modele", "text", "templates/relance.txt", "Relance d'une réponse "
                      "incomplète (chemin relatif à ce fichier)."),
              Setting("modele_sans_reponse", "text", "templates/relance-sans-reponse.txt",
                      "Relance d'un établissement de la liste de référence sans réponse."),
          )),
    Table("controles", "Seuils des contrôles.", (
        Setting("titre_longueur_max", "positive", _LIMITS.title_length,
                "Longueur maximale du titre du projet (une seule ligne)."),
        Setting("classes_max", "positive", _LIMITS.max_classes,
                "Au-delà de ce nombre de classes, un avertissement invite à vérifier la saisie."),
        Setting("texte_longueur_max", "positive", _LIMITS.text_length,
                "Au-delà de cette longueur, un texte est signalé comme très long."),
    )),
    Table("annee_scolaire",
          "L'année scolaire après l'inscription : le calendrier des temps forts (commande "
          "« sheets-sync calendrier »). Sans cette table, aucune année n'est planifiée. Les "
          "vacances et jours fériés de l'académie de Lille (zone B) des années livrées avec "
          "l'outil sont connus ; pour une autre année, donnez premier_jour, dernier_jour et "
          "ses [[annee_scolaire.vacances]] d'après le calendrier officiel.", (
              Setting("annee", "text", "", "Année scolaire planifiée (par défaut : "
                      "campagne.annee_scolaire).", example="2026-2027"),
              Setting("demi_journees_fermees", "texts", ["mercredi après-midi"],
                      "Demi-journées où les collèges sont fermés chaque semaine.",
                      example=["mercredi après-midi"]),
              Setting("visites_par_semaine", "positive", 2,
                      "Nombre maximal de visites d'entreprise par entreprise et par semaine.",
                      example=2),
              Setting("productions", "texts", ["fiche métier", "portrait"],
                      "Productions de chaque classe suivies dans « Suivi de l'année » "
                      "(« sheets-sync suivi --preparer » en prépare une ligne par classe) : "
                      "fiche métier, portrait, web TV, exposition, autre (majuscules et "
                      "accents libres).",
                      example=["fiche métier", "portrait"]),
              Setting("premier_jour", "date", "", "Année non livrée : premier jour de classe.",
                      example=dt.date(2026, 9, 1), written=False),
              Setting("dernier_jour", "date", "", "Année non livrée : dernier jour de classe.",
                      example=dt.date(2027, 7, 2), written=False),
              Setting("source", "text", "", "Année non livrée : source officielle des dates.",
                      example="https://www.education.gouv.fr/calendrier-scolaire-100148",
                      written=False),
          ), example_block=True),
    Table("annee_scolaire.vacances",
          "Année non livrée : ses vacances, « debut » le premier jour de vacances, « reprise » "
          "le jour où les cours reprennent.", (
              Setting("nom", "text", REQUIRED, "Nom des vacances.",
                      example="Vacances de la Toussaint"),
              Setting("debut", "date", REQUIRED, "Premier jour des vacances.",
                      example=dt.date(2026, 10, 17)),
              Setting("reprise", "date", REQUIRED, "Jour de reprise des cours.",
                      example=dt.date(2026, 11, 2)),
          ), array=True, example_block=True, written=False),
    Table("annee_scolaire.etablissements",
          "Les demi-journées d'un collège : celles qu'il accepte (« disponibilites », les "
          "autres sont exclues) et celles qu'il préfère (« preferer » : choisies quand c'est "
          "possible), écrites comme la colonne « Disponibilités » des ambassadeurs.", (
              Setting("nom", "text", REQUIRED, "Le collège : son nom ou son UAI, comme dans "
                      "la liste de référence.", example="Collège des Tisserands"),
              Setting("disponibilites", "text", "", "Demi-journées acceptées (par défaut : "
                      "toutes celles où le collège est ouvert) ; un texte qui n'est pas "
                      "compris en entier (« jamais » seul) est refusé.",
                      example="lundi, mardi et jeudi ; pas en juin"),
              Setting("preferer", "text", "", "Demi-journées préférées, parmi les acceptées.",
                      example="mardi matin"),
          ), array=True, example_block=True),
    Table("fermetures",
          "Jours ou demi-journées où les collèges sont fermés en plus des vacances et des "
          "jours fériés (brevet blanc, journée pédagogique…), du « du » au « au » inclus.", (
              Setting("nom", "text", REQUIRED, "Motif de la fermeture.", example="Brevet blanc"),
              Setting("du", "date", REQUIRED, "Premier jour fermé.",
                      example=dt.date(2027, 1, 25)),
              Setting("au", "date", "", "Dernier jour fermé (par défaut : « du »).",
                      example=dt.date(2027, 1, 26)),
              Setting("demi_journee", "text", "journée", "La journée entière, ou seulement "
                      "le matin ou l'après-midi.", choices=("journée", "matin", "après-midi"),
                      example="après-midi"),
          ), array=True, example_block=True),
    Table("temps_forts",
          "Les temps forts que chaque classe parrainée vit une fois dans l'année, chacun dans "
          "sa période (du … au …, inclus).", (
              Setting("nom", "text", REQUIRED, "Nom du temps fort (lancement, immersion, "
                      "restitution…).", example="lancement"),
              Setting("du", "date", REQUIRED, "Début de la période.",
                      example=dt.date(2026, 9, 14)),
              Setting("au", "date", REQUIRED, "Fin de la période (incluse).",
                      example=dt.date(2026, 10, 16)),
              Setting("lieu", "text", "etablissement",
                      "Où : au collège, dans l'entreprise d'un ambassadeur, ou dans un lieu "
                      "(clé « adresse »).", choices=("etablissement", "entreprise", "lieu"),
                      example="etablissement"),
              Setting("adresse", "text", "", "Lieu = « lieu » : le lieu où il se tient.",
                      written=False),
              Setting("presence", "text", "tous",
                      "Qui vient : tous les ambassadeurs de la classe, ou au moins un.",
                      choices=("tous", "au-moins-un"), example="tous"),
              Setting("duree", "positive", 1, "Durée, en demi-journées consécutives.",
                      example=1),
          ), array=True, example_block=True),
    Table("lecture",
          "Limites de ce que l'outil accepte de lire dans un classeur (.xlsx, .xlsm, .xls, "
          ".xlsb, .ods). Au-delà, le classeur est refusé avec un message qui nomme la limite : "
          "elles protègent d'un fichier piégé (« bombe » de décompression) ou d'un onglet d'un "
          "million de lignes qui saturerait la mémoire. Les valeurs par défaut laissent une "
          "large marge à une campagne de 7 000 établissements ; augmentez-les seulement pour un "
          "classeur que vous savez légitime.", (
              Setting("taille_max_mo", "positive", _READ.max_megabytes,
                      "Taille maximale du fichier, et de son contenu une fois décompressé "
                      "(en Mo)."),
              Setting("ratio_compression_max", "positive", _READ.max_ratio,
                      "Rapport maximal entre la taille décompressée et la taille compressée "
                      "d'une partie du classeur (pour les parties de plus de 1 Mo)."),
              Setting("parties_max", "positive", _READ.max_parts,
                      "Nombre maximal de parties (fichiers internes) d'un classeur .xlsx, .xlsb "
                      "ou .ods."),
              Setting("lignes_max", "positive", _READ.max_rows,
                      "Lignes d'un onglet, jusqu'à la dernière cellule remplie."),
              Setting("colonnes_max", "positive", _READ.max_columns,
                      "Colonnes d'un onglet, jusqu'à la dernière cellule remplie."),
              Setting("cellules_max", "positive", _READ.max_cells,
                      "Cellules de tous les onglets ensemble (lignes x colonnes de la zone "
                      "remplie de chaque onglet)."),
          )),
)
TABLES = {t.name: t for t in SCHEMA}


class Lines:
    """Where each table and key is written in the file: « config.toml, ligne 12 »."""

    _HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]")
    _KEY = re.compile(r"""\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
                      r"""(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")

    def __init__(self, file: Path | None, text: str = "") -> None:
        self.file = file
        self.lines: dict[str, int] = {}
        table, counts = "", dict[str, int]()
        for number, line in enumerate(text.splitlines(), start=1):
            if header := self._HEADER.match(line):
                table = _dotted(header[2])
                if header[1] == "[[":
                    counts[table] = counts.get(table, 0) + 1
                    self.lines.setdefault(table, number)
                    table = f"{table}[{counts[table]}]"
                self.lines.setdefault(table, number)
            elif key := self._KEY.match(line):
                self.lines.setdefault(f"{table}.{_dotted(key[1])}".lstrip("."), number)

    def error(self, path: str, message: str) -> ConfigError:
        """A ConfigError naming the file and the line of `path` (or of its nearest table)."""
        where = str(self.file) if self.file else ""
        probe = path
        while probe and probe not in self.lines:
            probe = probe.rpartition(".")[0]
        if probe:
            where += f"{', ' if where else ''}ligne {self.lines[probe]}"
        return ConfigError(f"Configuration{f' ({where})' if where else ''} : {message}")


def _dotted(key: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def _suggest(key: str, valid: Sequence[str]) -> str:
    """The tables a key written in the wrong one belongs to, else « — vouliez-vous dire X ? »
    for the closest valid key, else the list of valid keys."""
    homes = [f"[{t.name}]" for t in SCHEMA if t.setting(key) is not None]
    if homes:
        return f" — cette clé va dans {' ou '.join(homes)}"
    import difflib  # a key mistyped: the suggestion only

    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    if close:
        return f" — vouliez-vous dire {close[0]} ?"
    return f" (possibles : {', '.join(valid)})"


def _check_value(setting: Setting, value: Any, path: str, lines: Lines) -> None:
    kind = setting.kind
    ok = {
        "text": isinstance(value, str),
        "positive": isinstance(value, int) and not isinstance(value, bool) and value > 0,
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "date": isinstance(value, dt.date),  # a TOML date-time is one too
        "share": (isinstance(value, int | float) and not isinstance(value, bool)
                  and 0 <= value <= 1),
        "texts": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }[kind]
    if not ok:
        raise lines.error(path, f"la clé « {path} » doit être {KINDS[kind]} (lu : {value!r}).")
    if setting.choices and value not in setting.choices:
        expected = " ou ".join(f"« {c} »" for c in setting.choices)
        raise lines.error(path, f"« {path} » vaut « {value} » ; attendu {expected}.")


def _check_table(table: Table, content: Any, path: str, lines: Lines) -> None:
    if not isinstance(content, dict):
        raise lines.error(path, f"la clé « {path} » doit être une table (lu : {content!r}).")
    subtables = [t for t in SCHEMA if t.name.rpartition(".")[0] == table.name]
    valid = [s.key for s in table.settings] + [t.name.rpartition(".")[2] for t in subtables]
    for key, value in content.items():
        where = f"{path}.{key}"
        setting = table.setting(key)
        sub = TABLES.get(f"{table.name}.{key}")
        if sub is not None and sub.array:
            _check_array(sub, value, where, lines)
        elif sub is not None:
            _check_table(sub, value, where, lines)
        elif setting is not None:
            _check_value(setting, value, where, lines)
        elif table.free is not None:
            _check_value(Setting(key, table.free, None, ""), value, where, lines)
        else:
            raise lines.error(where, f"{key} : clé inconnue dans [{path}]" + _suggest(key, valid))
    for setting in table.settings:
        if setting.default is REQUIRED and setting.key not in content:
            raise lines.error(path, f"la clé « {path}.{setting.key} » est absente.")
    for sub in subtables:
        if sub.required and sub.name.rpartition(".")[2] not in content:
            raise lines.error(path, f"la clé « {sub.name} » est absente.")


def _check_array(table: Table, content: Any, path: str, lines: Lines) -> None:
    if not isinstance(content, list):
        raise lines.error(path, f"la clé « {path} » doit être une liste (lu : {content!r}).")
    for n, item in enumerate(content, start=1):
        if not isinstance(item, dict):
            raise lines.error(f"{path}[{n}]", f"« {path}[{n}] » doit être une table.")
        _check_table(table, item, f"{path}[{n}]", lines)


def check_schema(data: Mapping[str, Any], lines: Lines | None = None) -> None:
    """Raise ConfigError for the first unknown table or key, wrong type or value out of range.

    With `lines` (the file's text), the message names the file and the line.
    """
    lines = lines or Lines(None)
    tops = [t.name for t in SCHEMA if "." not in t.name]
    for key, value in data.items():
        if key not in TABLES:
            raise lines.error(key, f"[{key}] : table inconnue" + _suggest(key, tops))
        if TABLES[key].array:
            _check_array(TABLES[key], value, key, lines)
        else:
            _check_table(TABLES[key], value, key, lines)
    for name in tops:
        if TABLES[name].required and name not in data:
            raise lines.error("", f"la table « [{name}] » est absente.")


_TOML_ERRORS = (  # tomllib's messages, in French (the start of each is enough)
    ("Cannot declare", "clé ou table déclarée deux fois"),
    ("Cannot mutate", "table déjà définie en ligne, qu'on ne peut plus compléter"),
    ("Cannot overwrite", "valeur déclarée deux fois"),
    ("Cannot redefine", "table déclarée deux fois"),
    ("Duplicate inline table key", "clé déclarée deux fois dans une table en ligne"),
    ("Expected '=' after a key", "« = » attendu après le nom de la clé"),
    ("Expected ']' at the end of a table", "« ] » attendu à la fin du nom de la table"),
    ("Expected ']]' at the end", "« ]] » attendu à la fin du nom de la liste de tables"),
    ("Expected newline", "retour à la ligne attendu après la valeur"),
    ("Expected", "caractère attendu manquant"),
    ("Found invalid character", "caractère invalide"),
    ("Illegal character", "caractère interdit dans un texte"),
    ("Invalid date", "date invalide (format AAAA-MM-JJ)"),
    ("Invalid initial character", "nom de clé invalide (mettez-le entre guillemets)"),
    ("Invalid statement", "ligne invalide (ni « [table] », ni « clé = valeur »)"),
    ("Invalid value", "valeur invalide (un texte se met entre guillemets)"),
    ("Unclosed array", "liste non fermée (« ] » manquant)"),
    ("Unclosed inline table", "table en ligne non fermée (« } » manquant)"),
    ("Unterminated string", "texte non fermé (guillemet manquant)"),
    ("Unescaped", "« \\ » seul dans un texte (écrivez « \\\\ » ou utilisez des apostrophes)"),
)
_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def toml_error(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's error in French, with its line and column."""
    message = str(exc)
    french = next((fr for en, fr in _TOML_ERRORS if message.startswith(en)),
                  "syntaxe TOML invalide")
    place = _TOML_PLACE.search(message)
    if place is None:
        return french
    if place[1] is None:
        return f"{french} (à la fin du fichier)"
    return f"{french} (ligne {place[1]}, colonne {place[2]})"
