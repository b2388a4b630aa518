"""The campaign's figures, counted once: « Synthèse », the terminal, `--json` and the HTML
report all render `figure_lines`, so they cannot disagree.

Definitions (duplicates are never counted):
  received   = complete + incomplete + declined   (the three statuses of a kept answer)
  complete   = « Oui », no error: a complete participation
  declined   = « Non », no error: an answer, not a participation
  incomplete = at least one error to fix (Oui/Non missing included)
  taking_part / not_taking_part / undecided split `received` by the Oui/Non answer, whatever
  the errors; classes count for schools taking part, even incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import CampaignView
from ..form.check import COMPLETE, DUPLICATE, INCOMPLETE, NOT_TAKING_PART
from ..form.consolidate import Campaign
from ..form.sessions import LATE
from .marks import session_label


@dataclass(frozen=True)
class Figures:
    """The campaign at a glance (duplicates left out, counted apart)."""

    received: int
    complete: int
    incomplete: int
    declined: int
    duplicates: int
    taking_part: int
    not_taking_part: int
    undecided: int
    classes_4e: int
    classes_3e: int
    expected: int | None
    unanswered: int
    per_session: tuple[tuple[str, int], ...]

    @property
    def classes(self) -> int:
        return self.classes_4e + self.classes_3e

    @property
    def complete_share(self) -> float:
        """Complete participations among the answers received (0 without any)."""
        return self.complete / self.received if self.received else 0.0


def figures(config: CampaignView, campaign: Campaign) -> Figures:
    """Count answers and classes; classes count only for schools taking part."""
    schools = campaign.kept
    taking = [s for s in schools if s.participates is True]

    def total(key: str) -> int:
        return sum(v for s in taking if isinstance(v := s.values.get(key), int))

    def status(name: str) -> int:
        return sum(1 for s in schools if s.status == name)

    sessions = [s.name for s in config.sessions] + [LATE]
    per_session = tuple((session_label(name), sum(1 for s in schools if s.session == name))
                        for name in sessions)
    expected = len({s.key for s in schools} | {e.key for e in campaign.unanswered})
    return Figures(
        received=len(schools),
        complete=status(COMPLETE),
        incomplete=status(INCOMPLETE),
        declined=status(NOT_TAKING_PART),
        duplicates=sum(1 for s in campaign.schools if s.status == DUPLICATE),
        taking_part=len(taking),
        not_taking_part=sum(1 for s in schools if s.participates is False),
        undecided=sum(1 for s in schools if s.participates is None),
        classes_4e=total("classes_4e"),
        classes_3e=total("classes_3e"),
        expected=expected if campaign.unanswered or any(s.reference for s in schools) else None,
        unanswered=len(campaign.unanswered),
        per_session=per_session,
    )


@dataclass(frozen=True)
class FigureLine:
    """One figure as every renderer shows it: a JSON key, a French label, a value, a style."""

    key: str
    label: str
    value: int | float
    style: str = "integer"  # or "percent" (a share between 0 and 1)


def figure_lines(f: Figures) -> list[FigureLine]:
    """The campaign's figures in the order « Synthèse » shows them."""
    lines = [FigureLine("reponses_recues", "Réponses reçues (hors doublons)", f.received)]
    if f.expected is not None:
        lines += [FigureLine("etablissements_attendus",
                             "Établissements attendus (liste de référence)", f.expected),
                  FigureLine("sans_reponse", "Établissements sans réponse", f.unanswered)]
    lines += [
        FigureLine("reponses_completes", "Réponses complètes (participation, Oui sans erreur)",
                   f.complete),
        FigureLine("refus", "Réponses « Non » (ne participe pas, sans erreur)", f.declined),
        FigureLine("reponses_incompletes", "Réponses incomplètes (à corriger)", f.incomplete),
        FigureLine("part_completes", "Part des réponses complètes (participation)",
                   f.complete_share, "percent"),
        FigureLine("doublons", "Doublons (non comptés)", f.duplicates),
        FigureLine("oui", "Répondent Oui (même incomplet)", f.taking_part),
        FigureLine("non", "Répondent Non (même incomplet)", f.not_taking_part),
        FigureLine("oui_non_manquant", "Réponse Oui/Non manquante ou illisible", f.undecided),
        FigureLine("classes_4e", "Classes de 4ème volontaires", f.classes_4e),
        FigureLine("classes_3e", "Classes de 3ème volontaires", f.classes_3e),
        FigureLine("classes", "Classes volontaires (total)", f.classes),
    ]
    return lines


def figures_json(f: Figures) -> dict[str, int | float]:
    """The figures for `--json`, keyed as figure_lines names them."""
    return {line.key: line.value for line in figure_lines(f)}
