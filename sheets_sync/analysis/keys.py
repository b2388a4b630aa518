"""The keys the analysis tables join on, safe to hand to an analyst (issue #18 review).

    school key (`cle`)   its UAI or reduced name (form/identity.school_key) — but reduced from
                         the MASKED name when the name holds an e-mail or phone: reducing
                         « prof.x@ac-lille.fr » gives « prof x ac lille fr », which no longer
                         looks like an e-mail, so it must never come from the raw name
    class id (`classe`)  « <slug of that key>-4e1 » (as ambassadors/sponsoring.classes_of);
                         a published class that is gone: « classe-retiree-1 », …
    ambassador           « A001 », « A002 » … numbered per export in the order (sector, job,
                         gender, capacity, roster row): never the state tab's pseudonym
                         (sha256 of an id made from the name, reversible from a guessed name)

Pure; the same maps serve every table, so the tables still join on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..ambassadors.roster import Member
from ..ambassadors.sponsoring import Sponsorship
from ..form.check import School
from ..form.contacts import mask
from ..form.identity import school_key
from ..form.labels import normalise_label

GONE_CLASS = "classe-retiree-{n}"
AMBASSADOR = "A{n:03d}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise_label(text)).strip("-") or "college"


def school_keys(schools: Iterable[School]) -> dict[str, str]:
    """Each school's key → the key shown: unchanged unless it was reduced from a name holding
    a contact; then reduced from the masked name, made unique with « 2 », « 3 »…"""
    schools = list(schools)
    risky = {s.key for s in schools
             if s.key == school_key(s.name or "") and mask(s.name or "") != (s.name or "")}
    out = {s.key: s.key for s in schools if s.key not in risky}
    taken = set(out)
    for s in schools:
        if s.key in out:
            continue
        base = school_key(mask(s.name or ""))
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base} {n}"
        out[s.key] = key
        taken.add(key)
    return out


def class_ids(sponsorship: Sponsorship, keys: dict[str, str],
              published: Sequence[str]) -> dict[str, str]:
    """Each class id (of the classes, then of the `published` pairings) → the id shown."""
    out = {}
    for c in sponsorship.classes:
        key = keys.get(c.school.key, c.school.key)
        tail = c.unit.id.rsplit("-", 1)[-1]
        out[c.unit.id] = c.unit.id if key == c.school.key else f"{_slug(key)}-{tail}"
    for class_id in published:
        if class_id not in out:
            out[class_id] = GONE_CLASS.format(n=sum(v.startswith("classe-retiree-")
                                                    for v in out.values()) + 1)
    return out


def _order(m: Member) -> tuple[str, str, str, int, int]:
    a = m.ambassador
    return (a.sector or "", a.job or "", a.gender or "", a.capacity or 0, m.row or 0)


def ambassador_numbers(members: Sequence[Member], published: Sequence[str]) -> dict[str, str]:
    """Each ambassador id (of the roster, then of the `published` pairings whose ambassador
    left it) → « A001 »…: ordered by what the tables show and the roster row, not by name."""
    ids = [m.ambassador.id for m in sorted(members, key=_order)]
    ids += [i for i in dict.fromkeys(published) if i not in set(ids)]
    return {i: AMBASSADOR.format(n=n) for n, i in enumerate(ids, start=1)}
