"""Partner and coordinator tabs of sponsorships (issue #13): one record per pairing, people
versus sponsorships, idle ambassadors. Sponsorships are built by hand: fictional people,
pairings chosen directly."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sheets_sync.ambassadors.matching import Ambassador, ClassUnit, MatchResult, Pairing
from sheets_sync.ambassadors.matching.model import Gender
from sheets_sync.ambassadors.roster import Member
from sheets_sync.ambassadors.sponsoring import Classroom, Sponsorship
from sheets_sync.config import load_config
from sheets_sync.dashboards.sponsorship_tabs import (
    classes_tab,
    equality_tab,
    mobilisation_tab,
    sponsorships_tab,
)
from sheets_sync.form.check import COMPLETE, School

CONFIG = load_config(Path(__file__).resolve().parents[2] / "config.toml")


def person(ident: str, first: str, last: str, gender: Gender | None, job: str, sector: str,
           *, consent: bool = True, capacity: int = 1, available: bool = True) -> Member:
    a = Ambassador(ident, gender, job, sector, capacity=capacity, available=available)
    return Member(a, first, last, None, None, None, None, consent, 2)


def classroom(school: str, level: str, n: int) -> Classroom:
    s = School(school, "Réponses", 2, "", COMPLETE, {"theme": "Métiers"}, {}, key=school)
    unit = ClassUnit(f"{school.lower().replace(' ', '-')}-{level}{n}", school, level,
                     frozenset(), school)
    return Classroom(unit, s, f"{'3ème' if level == '3e' else '4ème'} n°{n}")


def pair(klass: Classroom, member: Member) -> Pairing:
    return Pairing(klass.unit.id, member.ambassador.id, "libre", 1, ("test",),
                   gender=member.ambassador.gender)


def sponsorship(classes: Sequence[Classroom], members: Sequence[Member],
                pairs: Sequence[tuple[Classroom, Member]]) -> Sponsorship:
    pairings = tuple(sorted((pair(c, m) for c, m in pairs),
                            key=lambda p: (p.class_id, p.ambassador_id)))
    result = MatchResult(pairings, (), 0, {})
    return Sponsorship(tuple(classes), tuple(members), result, ())


# ── the cases of issue #13 ──────────────────────────────────────────────────────────────────

TISSERANDS_3E1 = classroom("Collège des Tisserands", "3e", 1)
CANAL_4E1 = classroom("Collège du Canal", "4e", 1)
CLAIRE = person("a-claire", "Claire", "DUBOIS", "H", "Électricienne", "Bâtiment")
LOGI = person("b-logi", "Inès", "MARTIN", "F", "Logisticienne", "Logistique", consent=False)
NADIA = person("c-nadia", "Nadia", "BENALI", "F", "Data analyste", "Numérique", capacity=3)
KARIM = person("d-karim", "Karim", "ROUSSEL", "H", "Soudeur", "Industrie")
IDLE = person("e-idle", "Yanis", "PETIT", "H", "Cuisinier", "Hôtellerie", capacity=2)
AWAY = person("f-away", "Léa", "GIRARD", "F", "Avocate", "Droit", available=False)


def test_genres_follow_names() -> None:
    """Names and genders were sorted separately: « Logisticienne ; Claire DUBOIS » went with
    « Femme ; Homme » whoever was who. Now the n-th gender and métier are the n-th person's."""
    s = sponsorship([TISSERANDS_3E1], [CLAIRE, LOGI], [(TISSERANDS_3E1, CLAIRE),
                                                       (TISSERANDS_3E1, LOGI)])
    (row,) = classes_tab(CONFIG, s, "b").rows
    names, genders, jobs = (row[i].value for i in (3, 4, 5))
    assert names == "Claire DUBOIS ; Logisticienne (Logistique)"
    assert genders == "Homme ; Femme"
    assert jobs == "Électricienne ; Logisticienne"


def test_equality_counts_people() -> None:
    """An ambassador with three classes is one person and three sponsorships."""
    classes = [classroom("Collège du Canal", "4e", n) for n in (1, 2, 3)]
    s = sponsorship(classes, [NADIA, KARIM], [*((c, NADIA) for c in classes),
                                              (classes[0], KARIM)])
    tab = equality_tab(CONFIG, s, "b")
    assert "personnes" in tab.header[1] and "Parrainages" in tab.header[5]
    by_sector = {r[0].value: [c.value for c in r[1:]] for r in tab.rows[1:3]}
    # women, men, unknown (people), women's share (people), sponsorships, by women, by men
    assert by_sector["Numérique"][:7] == [1, 0, 0, 1.0, 3, 3, 0]
    assert by_sector["Industrie"][:7] == [0, 1, 0, 0.0, 1, 0, 1]
    school = next(r for r in tab.rows if r and r[0].value == "Collège du Canal")
    assert [c.value for c in school[1:8]] == [1, 1, 0, 0.5, 4, 3, 1]
    assert "2 ambassadeurs mobilisés, dont 1 femmes" in tab.notes[0]
    assert "Source des parts" in tab.notes[-1] and "DARES" in tab.notes[-1].upper()


def test_idle_ambassadors_listed() -> None:
    """Coordinators see who has no class and why; partners see how many."""
    s = sponsorship([CANAL_4E1], [NADIA, IDLE, AWAY], [(CANAL_4E1, NADIA)])
    parrainages = sponsorships_tab(CONFIG, s, "b")
    assert parrainages.header[0] == "Classe" and parrainages.header[4] == "Identifiant"
    assert parrainages.header[9] == "Confirmé"
    assert parrainages.rows[0][0].value == CANAL_4E1.unit.id
    assert parrainages.rows[1] == ()
    assert parrainages.rows[2][0].value == ("Ambassadeurs sans classe : 2, dont 1 indisponible "
                                            "cette année")
    idle = [[c.value for c in r] for r in parrainages.rows[3:]]
    assert [(r[0], r[3], r[4], r[6], r[7], r[9]) for r in idle] == [
        (None, "Léa GIRARD", "f-away", "Avocate", "Droit", 1),
        (None, "Yanis PETIT", "e-idle", "Cuisinier", "Hôtellerie", 2)]
    assert idle[0][8] == "indisponible cette année" and "aucune classe restante" in idle[1][8]
    mobilisation = mobilisation_tab(CONFIG, s, "b")
    assert mobilisation.title.endswith("Ambassadeurs sans classe : 1 sur 3")
    flagged = {r[0].value: r[6].value for r in mobilisation.rows if r[0].value}
    assert flagged == {"Yanis PETIT": "Oui", "Léa GIRARD": "Indisponible cette année",
                       "Nadia BENALI": ""}
    assert "Ambassadeurs : 3, dont 1 indisponible cette année" in mobilisation.notes[1]


ZERO = person("g-zero", "Hugo", "LEROY", "H", "Pilote", "Transport", capacity=0)


def test_capacity_zero_shown_as_not_available_this_year() -> None:
    """Issue #14: « Nombre de classes maximum » 0 is « indisponible cette année » in both
    tabs, never « sans classe » nor counted among the available ambassadors."""
    s = sponsorship([CANAL_4E1], [NADIA, IDLE, ZERO], [(CANAL_4E1, NADIA)])
    assert s.figures["unassigned"] == ("e-idle",) and s.figures["away"] == ("g-zero",)
    parrainages = sponsorships_tab(CONFIG, s, "b")
    whys = {r[4].value: r[8].value for r in parrainages.rows[3:]}
    assert whys == {"e-idle": "disponible : aucune classe restante ne lui a été attribuée",
                    "g-zero": "indisponible cette année"}
    mobilisation = mobilisation_tab(CONFIG, s, "b")
    assert mobilisation.title.endswith("Ambassadeurs sans classe : 1 sur 3")
    flagged = {r[0].value: (r[5].value, r[6].value) for r in mobilisation.rows if r[0].value}
    assert flagged["Hugo LEROY"] == (0, "Indisponible cette année")
    assert "Ambassadeurs : 3, dont 1 indisponible cette année" in mobilisation.notes[1]


def test_no_idle_block_when_everyone_has_a_class() -> None:
    s = sponsorship([CANAL_4E1], [NADIA], [(CANAL_4E1, NADIA)])
    assert len(sponsorships_tab(CONFIG, s, "b").rows) == 1
    assert mobilisation_tab(CONFIG, s, "b").title.endswith("Ambassadeurs sans classe : 0 sur 1")


def test_partner_tabs_hold_no_contact_nor_unconsented_name() -> None:
    s = sponsorship([TISSERANDS_3E1], [CLAIRE, LOGI], [(TISSERANDS_3E1, LOGI)])
    for build in (classes_tab, mobilisation_tab, equality_tab):
        text = " ".join(str(c.value) for r in build(CONFIG, s, "b").rows for c in r)
        assert "MARTIN" not in text and "@" not in text


def test_women_share_table_is_published_figures_with_provenance() -> None:
    """Every ROME domain A–N has a share; a sourced one is recomputed from its families'
    published counts, with a year and a source; the rest say they are fallbacks."""
    from sheets_sync.ambassadors.matching import women_share as ws

    assert set("ABCDEFGHIJKLMN") <= set(ws.SHARES)
    for code, d in ws.SHARES.items():
        assert 0.0 <= d.share <= 1.0, code
        if d.sourced:
            assert d.families and d.year in (2006, 2011), code
            women = sum(f.women for f in d.families)
            total = sum(f.total for f in d.families)
            assert d.share == round(women / total, 3)
            assert all(f.source in (ws.DARES_2011, ws.INSEE_2006) for f in d.families)
        else:
            assert not d.families and d.year is None and "non sourcé" in d.note
            assert code in ws.WOMEN_SHARE_SOURCE
    assert ws.SHARES["J"].share == 0.892  # (521 + 476) / (575 + 543), DARES 2011
    assert ws.SHARES["F"].share == 0.096  # 157 / 1632, Insee 2006
    assert ws.DARES_2011_URL in ws.WOMEN_SHARE_SOURCE
    assert ws.INSEE_2006_URL in ws.WOMEN_SHARE_SOURCE
