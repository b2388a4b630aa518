"""The `sheets-sync` command: parse arguments, call the library, print, exit.

Exit codes: 0 every answer complete, 1 problems found in the data, 2 cannot run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress as Bar

from . import console as render
from .config import Config, load_config
from .errors import SheetsSyncError, SourceError, WriteRefused
from .outreach.drafts import write_drafts
from .starter.campaign import build_demo, google_template, init_campaign, write_template
from .sync import CheckResult, chase, check_source, sync, write_report

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _config(config_path: str | None, source: str | None) -> Config:
    config = load_config(config_path)
    return config.with_source(source) if source else config


@contextmanager
def _progress(quiet: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on an interactive terminal; nothing in scripts or with --quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with Bar(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _console() -> Console:
    """The terminal's width on a terminal; wide enough not to fold lines in scripts."""
    return Console() if sys.stdout.isatty() else Console(width=120)


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
        try:
            return super().invoke(ctx)
        except SheetsSyncError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            click.echo("Interrompu : rien n'a été écrit.", err=True)
            sys.exit(2)


_config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Fichier de configuration de la campagne (par défaut : ./config.toml).",
)
_source_option = click.option(
    "--source", type=click.Path(), default=None,
    help="Classeur ou dossier de fiches à lire (remplace « source.chemin »).",
)
_quiet_option = click.option("--quiet", "-q", is_flag=True, help="Aucune barre de progression.")


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(package_name="sheets-sync", message="sheets-sync %(version)s",
                      help="Affiche la version et quitte.")
def main() -> None:
    """sheets-sync : campagne « classes Proch'Orientation » dans un tableur.

    Relève les réponses des établissements (annexe n°1), contrôle leur complétude et écrit
    des onglets de synthèse dans le classeur.
    """


@main.command("check", short_help="Contrôle les réponses, sans rien écrire.")
@_config_option
@_source_option
@click.option("--json", "as_json", is_flag=True, help="Rapport JSON sur la sortie standard.")
@_quiet_option
def check_command(config_path: str | None, source: str | None, as_json: bool,
                  quiet: bool) -> None:
    """Contrôle les réponses sans rien écrire (code 0 : tout est complet, 1 : à corriger)."""
    config = _config(config_path, source)
    with _progress(quiet or as_json, "Lecture des fiches") as progress:
        result = check_source(config, progress)
    if as_json:
        click.echo(render.check_json(result))
    else:
        render.print_check(_console(), result)
    _exit(result)


@main.command("sync", short_help="Contrôle et écrit les onglets générés.")
@_config_option
@_source_option
@click.option("--dry-run", is_flag=True, help="Montre ce qui serait écrit, sans rien écrire.")
@click.option("--attendre", "wait", type=click.FloatRange(min=0), default=0, metavar="SECONDES",
              help="Si une autre synchronisation du même classeur est en cours, l'attendre "
                   "jusqu'à SECONDES secondes (par défaut : refuser aussitôt).")
@click.option("--reapparier", "reoptimise", is_flag=True,
              help="Refait tout l'appariement (les parrainages confirmés restent) ; avec "
                   "--dry-run, montre d'abord ce qui changerait.")
@_quiet_option
def sync_command(config_path: str | None, source: str | None, dry_run: bool, wait: float,
                 reoptimise: bool,
                 quiet: bool) -> None:
    """Contrôle les réponses et écrit les onglets générés (« Synthèse », « Complétude »)."""
    config = _config(config_path, source)
    with _progress(quiet, "Lecture des fiches") as progress:
        result = sync(config, dry_run=dry_run, progress=progress, wait=wait,
                      reoptimise=reoptimise,
                      on_wait=lambda message: click.echo(message, err=True))
    render.print_sync(_console(), result)
    for warning in result.warnings:
        click.echo(f"Attention : {warning}", err=True)
    _exit(result.check)


@main.command("match", short_help="Propose les parrainages ambassadeurs ↔ classes.")
@_config_option
@_source_option
@click.option("--json", "as_json", is_flag=True, help="Parrainages en JSON sur la sortie standard.")
@_quiet_option
def match_command(config_path: str | None, source: str | None, as_json: bool,
                  quiet: bool) -> None:
    """Apparie ambassadeurs et classes sans rien écrire (code 1 : des classes non pourvues)."""
    config = _config(config_path, source)
    with _progress(quiet or as_json, "Lecture des fiches") as progress:
        result = check_source(config, progress)
    if as_json:
        click.echo(render.match_json(result))
    else:
        render.print_match(_console(), result)
    sys.exit(1 if result.sponsorship.result.unserved else 0)


@main.command("report", short_help="Écrit le rapport des partenaires (.xlsx ou .html).")
@_config_option
@_source_option
@click.option("--format", "fmt", type=click.Choice(["xlsx", "html"]), default="html",
              show_default=True, help="xlsx : classeur avec graphiques ; html : page hors ligne.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Fichier à écrire (par défaut : reports/rapport-DATE.EXT).")
@_quiet_option
def report_command(config_path: str | None, source: str | None, fmt: str, output: str | None,
                   quiet: bool) -> None:
    """Écrit les onglets des partenaires dans un rapport autonome, à envoyer par courriel.

    Aucune coordonnée personnelle n'y figure ; un ambassadeur n'y est nommé qu'avec son accord.
    """
    config = _config(config_path, source)
    with _progress(quiet, "Lecture des fiches") as progress:
        path = write_report(config, fmt, Path(output) if output else None, progress=progress)
    click.echo(f"Rapport écrit : {path}")


@main.command("relances", short_help="Prépare un brouillon de relance par établissement.")
@_config_option
@_source_option
@click.option("--out", "out", type=click.Path(file_okay=False), required=True,
              help="Dossier où écrire les brouillons (.eml), un par établissement.")
@_quiet_option
def reminders_command(config_path: str | None, source: str | None, out: str,
                      quiet: bool) -> None:
    """Écrit un brouillon de message (.eml) par établissement à relancer. Rien n'est envoyé."""
    config = _config(config_path, source)
    with _progress(quiet, "Lecture des fiches") as progress:
        _, reminders = chase(config, progress)
    for path in write_drafts(reminders, Path(out)):
        click.echo(f"Brouillon : {path}")
    click.echo(f"{len(reminders)} établissement(s) à relancer ; aucun message n'a été envoyé.")


@main.command("template", short_help="Crée un modèle Excel vierge de l'annexe n°1.")
@click.option("--layout", type=click.Choice(["tableau", "fiche"]), default="tableau",
              show_default=True,
              help="« tableau » : un classeur partagé ; « fiche » : une fiche par établissement.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Fichier .xlsx à créer.")
@click.option("--google", "spreadsheet", default=None, metavar="ID",
              help="Met en forme un classeur Google Sheets vide (adresse ou identifiant).")
@click.option("--force", is_flag=True, help="Remplace le fichier s'il existe déjà.")
@_config_option
def template_command(layout: str, output: str | None, spreadsheet: str | None, force: bool,
                     config_path: str | None) -> None:
    """Crée un modèle vierge de l'annexe n°1 (Excel, ou Google Sheets avec --google)."""
    config = load_config(config_path) if config_path or Path("config.toml").exists() else None
    if (output is None) == (spreadsheet is None):
        raise click.UsageError("Indiquez soit -o FICHIER.xlsx, soit --google ID.")
    if spreadsheet is not None:
        done = google_template(spreadsheet, config)
        click.echo(f"Classeur Google mis en forme : {done}")
        return
    assert output is not None
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
@click.argument("folder", type=click.Path(file_okay=False))
def init_command(folder: str) -> None:
    """Crée le dossier d'une nouvelle campagne : config.toml commenté, les deux modèles et le
    classeur de coordination (ambassadeurs, ajustements ; à ne pas partager)."""
    for path in init_campaign(Path(folder)):
        click.echo(f"Créé : {path}")
    click.echo("Modifiez config.toml (nom, sessions, chemin des réponses), "
               "puis diffusez le modèle.")
    click.echo("Gardez coordination.xlsx pour vous : il contiendra les coordonnées des "
               "ambassadeurs.")


@main.command("demo", short_help="Crée et synchronise la démonstration fictive.")
@_config_option
@_quiet_option
def demo_command(config_path: str | None, quiet: bool) -> None:
    """Crée le classeur de démonstration (fictif) s'il manque, puis le synchronise."""
    config = load_config(config_path)
    if build_demo(config):
        click.echo(f"Classeur de démonstration créé : {config.source}")
    with _progress(quiet, "Lecture") as progress:
        result = sync(config, progress=progress)
    render.print_sync(_console(), result)
    click.echo(f"Ouvrez {config.source} et regardez les onglets « {config.tabs.summary} » "
               f"et « {config.tabs.completeness} ».")
    if isinstance(config.coordination, Path):
        click.echo(f"Les ambassadeurs et les onglets de coordination (« "
                   f"{config.tabs.sponsorships} », « {config.tabs.reminders} ») sont dans "
                   f"{config.coordination}.")
