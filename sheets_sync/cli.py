"""The `sheets-sync` command: parse arguments, call the library, print, exit.

Exit codes (EXIT_CODES, in each --help): `check` 0 every answer complete, 1 problems found in
the data, 2 cannot run; `sync` and `watch` 0 once everything is written whatever the answers
say (1 with --strict when problems remain), 2 cannot run.

Start-up: a command imports what it needs when it runs (the readers, the matching with numpy
and OR-Tools, the Google client, rich), so `sheets-sync --help` and `template` stay fast
(tests/test_startup.py, bench/bench_startup.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .config import Config, load_config
from .errors import SheetsSyncError, SourceError, WriteRefused
from .stream_encoding import make_streams_safe

if TYPE_CHECKING:
    from .console import Output, Screen
    from .form.findings import Issue
    from .sync import CheckResult, SyncResult

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
TEMPLATE_SUFFIXES = (".xlsx",)

CHECK_CODES = """\b
Codes de sortie :
  0  toutes les réponses sont complètes
  1  des réponses sont à compléter ou à corriger
  2  impossible de lancer le contrôle (configuration, source, identifiants)"""

SYNC_CODES = """\b
Codes de sortie :
  0  tout est écrit, quel que soit l'état des réponses
  1  avec --strict seulement : tout est écrit, mais des réponses restent à compléter
  2  rien n'a pu être écrit (configuration, source, classeur ouvert, identifiants)

\b
Planifier (cron, sous Linux ou macOS), chaque matin à 7 h :
  0 7 * * 1-5  cd ~/campagne && sheets-sync sync --quiet >> sync.log 2>&1
Planificateur de tâches Windows :
  schtasks /Create /SC DAILY /ST 07:00 /TN sheets-sync
    /TR "cmd /c cd /d C:\\campagne && sheets-sync sync --quiet >> sync.log 2>&1"
Ou laissez tourner : sheets-sync watch --toutes 10"""

WATCH_CODES = """\b
Codes de sortie :
  0  arrêté par Ctrl+C (ou après --tours), chaque synchronisation terminée est écrite
  2  impossible de lancer (configuration)
Une synchronisation refusée (classeur ouvert dans Excel…) est signalée et retentée au tour
suivant."""


def _config(config_path: str | None, source: str | None) -> Config:
    config = load_config(config_path)
    return config.with_source(source) if source else config


@contextmanager
def _progress(quiet: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on an interactive terminal; nothing in scripts or with --quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    with Bar(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _console() -> Screen:
    """The terminal's width on a terminal; wide enough not to fold lines in scripts. rich
    loads only for what a plain line cannot show (console.Screen)."""
    from .console import Screen

    return Screen() if sys.stdout.isatty() else Screen(width=120)


def _output(details: bool, quiet: bool) -> Output:
    if details and quiet:
        raise click.UsageError("--details et --quiet s'excluent.")
    return "details" if details else "quiet" if quiet else "summary"


def _exit(result: CheckResult) -> None:
    sys.exit(0 if result.all_complete else 1)


def _fail(exc: SheetsSyncError) -> None:
    click.echo(f"Erreur : {exc}", err=True)
    sys.exit(exc.exit_code)


def _french_help(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = "Affiche cette aide et quitte."
    return option


class _Command(click.Command):
    """A command whose --help says so in French."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _french_help(super().get_help_option(ctx))


class _Group(click.Group):
    """Turns the toolkit's own exceptions into one French line and exit 2."""

    command_class = _Command

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _french_help(super().get_help_option(ctx))

    def invoke(self, ctx: click.Context) -> Any:
        make_streams_safe()  # French on a Latin-1 or cp1252 stream: never a traceback
        small_pages_for_numpy()
        try:
            return super().invoke(ctx)
        except SheetsSyncError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            click.echo("Interrompu : rien n'a été écrit.", err=True)
            sys.exit(2)
        except MemoryError:
            _machine_fault("mémoire insuffisante")
        except ImportError as exc:
            _machine_fault(f"installation de Python incomplète : {exc}")
        except LookupError as exc:
            if type(exc) is not LookupError:  # KeyError, IndexError: a bug of ours, shown
                raise
            _machine_fault(f"installation de Python incomplète : {exc}")  # a missing codec


def small_pages_for_numpy() -> None:
    """Before numpy loads: no transparent huge pages for its arrays, unless the user asked.

    numpy asks the kernel for huge pages for every array of 4 MB or more
    (NUMPY_MADVISE_HUGEPAGE, numpy's « global state » documentation); where the kernel is
    set to compact memory for them on the spot (`defrag` = madvise, the default of many
    distributions), a page fault may wait for that: at 650 schools, 0.1 to 0.4 s of system
    time from one run to the next, for arrays a command keeps under a second. A value the
    user set stays."""
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


def _machine_fault(why: str) -> NoReturn:
    """The machine, not a file, stops the tool: one French line, exit 2."""
    click.echo(f"sheets-sync ne peut pas fonctionner sur ce poste ({why}) ; rien n'a été "
               "écrit.", err=True)
    sys.exit(2)


_config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Fichier de configuration de la campagne (par défaut : ./config.toml).",
)
_source_option = click.option(
    "--source", type=click.Path(), default=None,
    help="Classeur ou dossier de fiches à lire (remplace « source.chemin »).",
)
_quiet_option = click.option("--quiet", "-q", is_flag=True,
                             help="N'affiche que les erreurs et la dernière ligne (pour cron).")
_details_option = click.option("--details", is_flag=True,
                               help="Affiche tout : une ligne par établissement, chaque "
                                    "problème, les chiffres.")
_bar_quiet_option = click.option("--quiet", "-q", is_flag=True,
                                 help="Aucune barre de progression.")


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(package_name="sheets-sync", message="sheets-sync %(version)s",
                      help="Affiche la version et quitte.")
def main() -> None:
    """sheets-sync : campagne « classes Proch'Orientation » dans un tableur.

    Relève les réponses des établissements (annexe n°1), contrôle leur complétude, apparie
    ambassadeurs et classes, et écrit les onglets générés : onglets des partenaires et
    « Complétude » dans le classeur partagé, onglets de coordination (Parrainages, Relances,
    Journal) dans le classeur de coordination.

    Chaque commande détaille ses codes de sortie dans son aide (sheets-sync sync --help).
    """


@main.command("check", short_help="Contrôle les réponses, sans rien écrire.",
              epilog=CHECK_CODES)
@_config_option
@_source_option
@click.option("--json", "as_json", is_flag=True, help="Rapport JSON sur la sortie standard.")
@_details_option
@_quiet_option
def check_command(config_path: str | None, source: str | None, as_json: bool, details: bool,
                  quiet: bool) -> None:
    """Contrôle les réponses sans rien écrire : les chiffres, les dix établissements à
    relancer en premier et ce qui leur manque (tout avec --details)."""
    from . import console as render
    from .sync import check_source

    output = _output(details, quiet)
    config = _config(config_path, source)
    with _progress(quiet or as_json, "Lecture des fiches") as progress:
        result = check_source(config, progress, match=False)
    if as_json:
        click.echo(render.check_json(result))
    else:
        render.print_check(_console(), result, output)
    _exit(result)


def _run_sync(config: Config, *, dry_run: bool = False, quiet: bool = True, wait: float = 0,
              reoptimise: bool = False, now: Any = None) -> SyncResult:
    from .sync import sync

    with _progress(quiet, "Lecture des fiches") as progress:
        return sync(config, dry_run=dry_run, progress=progress, wait=wait, now=now,
                    reoptimise=reoptimise,
                    on_wait=lambda message: click.echo(message, err=True))


@main.command("sync", short_help="Contrôle et écrit les onglets générés.", epilog=SYNC_CODES)
@_config_option
@_source_option
@click.option("--dry-run", is_flag=True, help="Montre ce qui serait écrit, sans rien écrire.")
@click.option("--attendre", "wait", type=click.FloatRange(min=0), default=0, metavar="SECONDES",
              help="Si une autre synchronisation du même classeur est en cours, l'attendre "
                   "jusqu'à SECONDES secondes (par défaut : refuser aussitôt).")
@click.option("--reapparier", "reoptimise", is_flag=True,
              help="Refait tout l'appariement (les parrainages confirmés restent) ; avec "
                   "--dry-run, montre d'abord ce qui changerait.")
@click.option("--strict", is_flag=True,
              help="Code 1 si des réponses restent à compléter (par défaut : 0 dès que tout "
                   "est écrit).")
@click.option("--json", "as_json", is_flag=True,
              help="Rapport JSON (celui de check --json, plus « ecrit ») sur la sortie standard.")
@_details_option
@_quiet_option
def sync_command(config_path: str | None, source: str | None, dry_run: bool, wait: float,
                 reoptimise: bool, strict: bool, as_json: bool, details: bool,
                 quiet: bool) -> None:
    """Contrôle les réponses et écrit les onglets générés, tout ou rien : les onglets des
    partenaires (Synthèse, Classes, Mobilisation des ambassadeurs, Égalité filles-garçons) et
    « Complétude » dans le classeur partagé ; Parrainages, Relances, Journal et l'état dans
    le classeur de coordination (dans le classeur partagé s'il n'y en a pas)."""
    from . import console as render

    output = _output(details, quiet)
    config = _config(config_path, source)
    result = _run_sync(config, dry_run=dry_run, quiet=quiet or as_json, wait=wait,
                       reoptimise=reoptimise)
    if as_json:
        click.echo(render.sync_json(result))
    else:
        render.print_sync(_console(), result, output)
    for warning in result.warnings:
        click.echo(f"Attention : {warning}", err=True)
    sys.exit(1 if strict and not result.check.all_complete else 0)


@main.command("watch", short_help="Synchronise dès que les réponses changent.",
              epilog=WATCH_CODES)
@_config_option
@_source_option
@click.option("--toutes", "every", type=click.FloatRange(min=0.05), default=5,
              show_default=True, metavar="MINUTES",
              help="Regarde toutes les MINUTES minutes si la source a changé.")
@click.option("--tours", "rounds", type=click.IntRange(min=1), default=None, metavar="N",
              help="S'arrête après N tours (par défaut : jusqu'à Ctrl+C).")
def watch_command(config_path: str | None, source: str | None, every: float,
                  rounds: int | None) -> None:
    """Reste ouvert et synchronise quand un classeur de la campagne a changé (Excel : date,
    taille et contenu des fichiers ; Google : à chaque tour, la révision n'étant pas lisible
    avec nos autorisations). Ctrl+C pour arrêter."""
    from . import console as render
    from .watch import watch

    config = _config(config_path, source)

    def run(now: Any) -> str:
        result = _run_sync(config, now=now)
        return f"{render.sync_line(result)} {render.final_line(result.check)}"

    click.echo(f"Surveillance de {config.source if config.google is None else 'la source'} "
               f"toutes les {every:g} minute(s) ; Ctrl+C pour arrêter.")
    try:
        for step in watch(config, every * 60, run, rounds=rounds):
            click.echo(f"[{step.at:%d/%m %H:%M}] {step.line}")
    except KeyboardInterrupt:
        click.echo("Surveillance arrêtée. Chaque synchronisation terminée est écrite.")
    sys.exit(0)


@main.command("match", short_help="Propose les parrainages ambassadeurs ↔ classes.")
@_config_option
@_source_option
@click.option("--json", "as_json", is_flag=True, help="Parrainages en JSON sur la sortie standard.")
@_bar_quiet_option
def match_command(config_path: str | None, source: str | None, as_json: bool,
                  quiet: bool) -> None:
    """Apparie ambassadeurs et classes sans rien écrire (code 1 : des classes non pourvues)."""
    from . import console as render
    from .sync import check_source

    config = _config(config_path, source)
    with _progress(quiet or as_json, "Lecture des fiches") as progress:
        result = check_source(config, progress)
    if as_json:
        click.echo(render.match_json(result))
    else:
        render.print_match(_console(), result)
    sys.exit(1 if result.sponsorship.result.unserved else 0)


@main.command("calendrier", short_help="Planifie les temps forts de l'année (.ics).")
@_config_option
@_source_option
@click.option("--ics", "folder", type=click.Path(), required=True, metavar="DOSSIER",
              help="Dossier où écrire un calendrier .ics par classe, par établissement et "
                   "par ambassadeur.")
@click.option("--convocations", "drafts", is_flag=True,
              help="Écrit aussi dans DOSSIER/convocations un brouillon de convocation (.eml, "
                   "jamais envoyé) par établissement et par ambassadeur, avec son calendrier "
                   "joint.")
@_bar_quiet_option
def calendar_command(config_path: str | None, source: str | None, folder: str, drafts: bool,
                     quiet: bool) -> None:
    """Planifie les temps forts de l'année ([annee_scolaire] et [[temps_forts]] de
    config.toml) pour les parrainages actuels, et écrit les calendriers .ics (à importer dans
    un agenda ; une nouvelle exportation met à jour les événements sans les dupliquer).
    Avec --convocations, prépare les messages à envoyer : rien n'est envoyé."""
    from .schoolyear.model import CANCELLED
    from .sync import export_calendars

    config = _config(config_path, source)
    with _progress(quiet, "Lecture des fiches") as progress:
        export = export_calendars(config, Path(folder), progress, convocations=drafts)
    plan = export.plan
    cancelled = sum(1 for e in plan.events if e.status == CANCELLED)
    click.echo(f"Temps forts placés : {len(plan.events) - cancelled} ; non placés : "
               f"{len(plan.unplaced)}" + (f" ; annulés : {cancelled}" if cancelled else "")
               + f" ({export.classes} classes parrainées).")
    for item in plan.unplaced[:10]:
        click.echo(f"  - {item.class_id}, {item.kind} : {item.reason}")
    if len(plan.unplaced) > 10:
        click.echo(f"  … et {len(plan.unplaced) - 10} autres.")
    click.echo(f"Calendriers écrits : {len(export.written)} fichiers .ics dans {folder}.")
    if export.removed_calendars:
        click.echo(f"Calendriers d'un export précédent retirés (classes, établissements ou "
                   f"ambassadeurs qui ne sont plus au plan) : {len(export.removed_calendars)}.")
    if drafts:
        n = len(export.convocations)
        click.echo(f"Convocations : {n} brouillon{'s' if n > 1 else ''} (.eml) dans "
                   f"{Path(folder) / 'convocations'} ; aucun message n'a été envoyé.")
        if export.removed_convocations:
            click.echo(f"Brouillons d'un export précédent retirés (plus de convocation à "
                       f"faire) : {len(export.removed_convocations)}.")


@main.command("suivi", short_help="Prépare l'onglet « Suivi de l'année » (lignes des classes).")
@_config_option
@_source_option
@click.option("--preparer", "prepare", is_flag=True,
              help="Ajoute les lignes des classes nouvelles (jamais une cellule saisie "
                   "modifiée ; une sauvegarde est gardée dans sauvegardes/).")
@click.option("--attendre", "wait", type=click.FloatRange(min=0), default=0, metavar="SECONDES",
              help="Si une synchronisation du même classeur est en cours, l'attendre jusqu'à "
                   "SECONDES secondes (par défaut : refuser aussitôt).")
@_bar_quiet_option
def follow_up_command(config_path: str | None, source: str | None, prepare: bool, wait: float,
                      quiet: bool) -> None:
    """Montre ce que contient l'onglet « Suivi de l'année » (temps forts et productions des
    classes, rempli par la coordination et les établissements) ; avec --preparer, y ajoute
    une ligne par temps fort et par production pour chaque classe nouvelle. C'est la seule
    commande qui ajoute des lignes à un onglet saisi : elle ne modifie jamais une cellule."""
    from .follow_up import prepare_follow_up, read_follow_up_tab

    config = _config(config_path, source)
    if not prepare:
        with _progress(quiet, "Lecture des fiches") as progress:
            reading = read_follow_up_tab(config, progress)
        click.echo(reading.summary)
        _follow_up_issues(reading.tab, reading.issues)
        return
    with _progress(quiet, "Lecture des fiches") as progress:
        done = prepare_follow_up(config, progress, wait=wait,
                                 on_wait=lambda message: click.echo(message, err=True))
    tab = done.tab
    if done.rows:
        created = " (onglet créé)" if done.created else ""
        n = len(done.classes)
        click.echo(f"« {tab} » : {done.rows} lignes ajoutées pour {n} classe"
                   f"{'s' if n > 1 else ''} nouvelle{'s' if n > 1 else ''} dans "
                   f"{done.where}{created}.")
        if done.backup:
            click.echo(f"Sauvegarde de l'état précédent : {done.backup}")
    else:
        click.echo(f"« {tab} » : aucune classe nouvelle ; rien n'a été modifié ({done.where}).")
    _follow_up_issues(tab, done.issues)


def _follow_up_issues(tab: str, issues: Sequence[Issue]) -> None:
    """The tab's problems, errors first, each with its cell."""
    if issues:
        n = len(issues)
        click.echo(f"{n} problème{'s' if n > 1 else ''} dans l'onglet « {tab} » :")
        for issue in sorted(issues, key=lambda i: i.severity != "erreur"):
            click.echo(f"  {issue.cell or '—'} — {issue.message}")


@main.command("report", short_help="Écrit le rapport des partenaires (.xlsx ou .html).")
@_config_option
@_source_option
@click.option("--format", "fmt", type=click.Choice(["xlsx", "html"]), default="html",
              show_default=True, help="xlsx : classeur avec graphiques ; html : page hors ligne.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Fichier à écrire (par défaut : reports/rapport-DATE.EXT).")
@_bar_quiet_option
def report_command(config_path: str | None, source: str | None, fmt: str, output: str | None,
                   quiet: bool) -> None:
    """Écrit les onglets des partenaires dans un rapport autonome, à envoyer par courriel.

    Aucune coordonnée personnelle n'y figure ; un ambassadeur n'y est nommé qu'avec son accord.
    """
    from .sync import write_report

    config = _config(config_path, source)
    with _progress(quiet, "Lecture des fiches") as progress:
        path = write_report(config, fmt, Path(output) if output else None, progress=progress)
    click.echo(f"Rapport écrit : {path}")


EXPORT_CODES = """\b
Codes de sortie :
  0  les tables sont écrites, quel que soit l'état des réponses
  2  rien n'a été exporté (configuration, source, dossier, pandas ou pyarrow absent :
     pip install 'sheets-sync[analyse]')"""


@main.command("export", short_help="Exporte les tables de la campagne (CSV, Parquet, xlsx).",
              epilog=EXPORT_CODES)
@_config_option
@_source_option
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx"]), default="csv",
              show_default=True,
              help="csv : pour Excel (UTF-8, « ; ») ; parquet : pour pandas, R, DuckDB ; xlsx : "
                   "un onglet par table.")
@click.option("-o", "--output", type=click.Path(), required=True,
              metavar="DOSSIER", help="Dossier où écrire les tables (créé au besoin).")
@click.option("--partenaires", "partners", is_flag=True,
              help="Seulement ce que les onglets des partenaires montrent : ni coordonnées, ni "
                   "nom de personne (sauf accord), ni constats.")
def export_command(config_path: str | None, source: str | None, fmt: str, output: str,
                   partners: bool) -> None:
    """Exporte les réponses, les constats, les classes, les ambassadeurs et les parrainages,
    pour les analyser dans un tableur, pandas, R… Ne modifie aucun classeur.

    Sans coordonnées personnelles : ni courriel, ni téléphone, ni nom de référent ou
    d'ambassadeur (un ambassadeur n'est nommé qu'avec son accord) ; les coordonnées tapées
    dans un texte sont masquées. Colonnes et types : docs/analyse.md.

    Un export remplace le précédent : les fichiers d'export déjà présents dans le dossier
    (reponses.csv … campagne.xlsx, tout format) sont retirés, aucun autre ; en cas d'échec,
    le dossier reste tel quel.
    """
    from .analysis.export import export_campaign

    config = _config(config_path, source)
    paths = export_campaign(config, Path(output), fmt, partners=partners)
    for path in paths:
        click.echo(f"Écrit : {path}")
    who = " (partenaires)" if partners else ""
    click.echo(f"{len(paths)} fichier{'s' if len(paths) > 1 else ''} {fmt}{who} dans {output} ; "
               "aucun classeur n'a été modifié.")


@main.command("relances", short_help="Prépare un brouillon de relance par établissement.")
@_config_option
@_source_option
@click.option("--out", "out", type=click.Path(), required=True, metavar="DOSSIER",
              help="Dossier où écrire les brouillons (.eml), un par établissement.")
@_bar_quiet_option
def reminders_command(config_path: str | None, source: str | None, out: str,
                      quiet: bool) -> None:
    """Écrit un brouillon de message (.eml) par établissement à relancer. Rien n'est envoyé."""
    from .outreach.drafts import write_drafts
    from .sync import chase

    config = _config(config_path, source)
    with _progress(quiet, "Lecture des fiches") as progress:
        _, reminders = chase(config, progress)
    for path in write_drafts(reminders, Path(out)):
        click.echo(f"Brouillon : {path}")
    n = len(reminders)
    click.echo(f"{n} établissement{'s' if n > 1 else ''} à relancer ; aucun message n'a été "
               "envoyé.")


@main.command("template",
              short_help="Crée un modèle vierge de l'annexe n°1 (Excel ou Google Sheets).")
@click.option("--layout", type=click.Choice(["tableau", "fiche"]), default="tableau",
              show_default=True,
              help="« tableau » : un classeur partagé ; « fiche » : une fiche par établissement.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Fichier .xlsx à créer (seul format écrit ; LibreOffice l'ouvre).")
@click.option("--google", "spreadsheet", default=None, metavar="ID",
              help="Met en forme un classeur Google Sheets vide (adresse ou identifiant).")
@click.option("--force", is_flag=True, help="Remplace le fichier s'il existe déjà.")
@_config_option
def template_command(layout: str, output: str | None, spreadsheet: str | None, force: bool,
                     config_path: str | None) -> None:
    """Crée un modèle vierge de l'annexe n°1 (Excel .xlsx, ou Google Sheets avec --google)."""
    from .starter.campaign import google_template, write_template

    config = load_config(config_path) if config_path or Path("config.toml").exists() else None
    if (output is None) == (spreadsheet is None):
        raise click.UsageError("Indiquez soit -o FICHIER.xlsx, soit --google ID.")
    if spreadsheet is not None:
        done = google_template(spreadsheet, config)
        click.echo(f"Classeur Google mis en forme : {done}")
        return
    assert output is not None
    if Path(output).suffix.lower() not in TEMPLATE_SUFFIXES:
        raise WriteRefused(f"« {output} » : sheets-sync écrit les modèles au format .xlsx "
                           "seulement (Excel, LibreOffice et Google Sheets l'ouvrent). "
                           f"Choisissez un nom en .xlsx, par exemple « {Path(output).stem}.xlsx ».")
    if Path(output).exists() and not force:
        raise WriteRefused(f"« {output} » existe déjà (peut-être déjà rempli) : choisissez un "
                           "autre nom, ou ajoutez --force pour le remplacer.")
    # The roster (contacts) goes in the principals' table only for a one-file campaign.
    one_file = config is not None and config.coordination is None
    write_template(Path(output), layout, config, with_roster=one_file)
    click.echo(f"Modèle « {layout} » écrit : {output}")


@main.command("emulator", short_help="Lance l'émulateur Google Sheets (tests hors ligne).")
@click.option("--port", type=int, default=8765, show_default=True,
              help="Port d'écoute sur 127.0.0.1.")
@click.option("--load", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Classeur .xlsx dont les onglets remplissent le classeur émulé.")
def emulator_command(port: int, load: str | None) -> None:
    """Lance sur 127.0.0.1 un émulateur de l'API Google Sheets, pour essayer sans compte Google.

    Dans un autre terminal : export SHEETS_EMULATOR_HOST=127.0.0.1:PORT, puis
    sheets-sync sync --source ID (l'identifiant affiché).
    """
    try:
        from .emulator import serve  # a developer's tool: loaded only when asked for

        serve(port, Path(load) if load else None, out=sys.stdout)
    except OSError as exc:
        raise SourceError(f"Impossible d'écouter sur 127.0.0.1:{port} ({exc.strerror or exc})."
                          ) from None


@main.command("init", short_help="Prépare le dossier d'une nouvelle campagne.")
@click.argument("folder", type=click.Path(), metavar="DOSSIER")
def init_command(folder: str) -> None:
    """Crée le dossier d'une nouvelle campagne : config.toml commenté, les deux modèles et le
    classeur de coordination (ambassadeurs, ajustements ; à ne pas partager)."""
    from .starter.campaign import init_campaign

    for path in init_campaign(Path(folder)):
        click.echo(f"Créé : {path}")
    click.echo("Modifiez config.toml (nom, sessions, chemin des réponses), "
               "puis diffusez le modèle.")
    click.echo("Gardez coordination.xlsx pour vous : il contiendra les coordonnées des "
               "ambassadeurs.")


@main.command("demo", short_help="Crée et synchronise la démonstration fictive (./demo/).")
@_config_option
@_details_option
@_quiet_option
def demo_command(config_path: str | None, details: bool, quiet: bool) -> None:
    """Crée la démonstration fictive dans le dossier ./demo/ (sa configuration, le classeur
    partagé et le classeur de coordination) si elle manque, puis la synchronise. Fonctionne
    depuis n'importe quel dossier ; rien n'est écrit hors de ./demo/."""
    from . import console as render
    from .starter.campaign import build_demo
    from .starter.demo import DEMO_FOLDER, demo_config
    from .starter.demo_year import fill_demo_year

    output = _output(details, quiet)
    if config_path is None:
        path, created = demo_config(Path(DEMO_FOLDER))
        if created:
            click.echo(f"Configuration de démonstration créée : {path}")
        config_path = str(path)
    config = load_config(config_path)
    created = build_demo(config)
    if created:
        click.echo(f"Classeur de démonstration créé : {config.source}")
    result = _run_sync(config, quiet=quiet)
    typed = fill_demo_year(config, result.check.year) if created else 0
    if typed:  # the year's tabs read what the collèges typed in « Suivi de l'année »
        first, result = result, _run_sync(config, quiet=True)
        render.print_sync(_console(), first, output)
    else:
        render.print_sync(_console(), result, output)
    if quiet:
        return
    tabs = config.tabs
    if typed:
        click.echo(f"« {tabs.follow_up} » rempli comme à mi-année ({typed} lignes fictives), "
                   "puis synchronisé de nouveau.")
    click.echo(f"Ouvrez {config.source} et regardez les onglets « {tabs.summary} » "
               f"et « {tabs.completeness} ».")
    if result.check.year is not None:
        plan = result.check.year.plan
        click.echo(f"L'année (fictive) : {len(plan.events)} temps forts planifiés. Regardez « "
                   f"{tabs.year_events} » et « {tabs.year_review} », et « {tabs.calendar} » "
                   "pour la coordination.")
    if isinstance(config.coordination, Path):
        click.echo(f"Les ambassadeurs et les onglets de coordination (« "
                   f"{tabs.sponsorships} », « {tabs.calendar} », « {tabs.reminders} ») sont "
                   f"dans {config.coordination}.")
    click.echo(f"Pour recommencer : sheets-sync check --config {config_path}")
