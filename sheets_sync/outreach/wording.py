"""French as a principal would write it: greetings, « du collège », and where the deadline is.

    « Rachid ROUSSEL, CPE »       → « Bonjour Rachid Roussel, »  (no name: « Madame, Monsieur, »)
    « Collège Albert-Vandame »    → « du collège Albert-Vandame »
    « Cité scolaire Van-Der-Meersch » → « de la cité scolaire Van-Der-Meersch »
    deadlines 16/07 and 10/09, today 20/07 → « La date limite du 16/07/2021 est passée ; la
    prochaine est le 10/09/2021. »
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..config import Session
from ..form.normalise import split_referent

GREETING_WITHOUT_NAME = "Madame, Monsieur,"
# Civilities typed before the name: kept in the greeting (« Bonjour Madame Roussel, »).
_CIVILITIES = {"m": "Monsieur", "m.": "Monsieur", "mr": "Monsieur", "mr.": "Monsieur",
               "monsieur": "Monsieur", "mme": "Madame", "mme.": "Madame", "madame": "Madame",
               "mlle": "Madame", "mademoiselle": "Madame"}
# Particles written in lower case inside a surname (« Van der Meersch » keeps its first word).
_PARTICLES = {"de", "du", "des", "d", "la", "le", "van", "der", "den", "von", "y", "di", "da"}
# A school's kind at the start of its name, the article it takes, and how it is written.
_KINDS = (
    (("cite scolaire", "cité scolaire"), "de la ", "cité scolaire"),
    (("college", "collège", "clg", "coll."), "du ", "collège"),
    (("lycee", "lycée"), "du ", "lycée"),
    (("ecole", "école"), "de l'", "école"),
    (("etablissement", "établissement"), "de l'", "établissement"),
)
_LEADING_ARTICLE = re.compile(r"^(?:le\s+|la\s+|l['’]\s*)", re.IGNORECASE)


def _word_case(word: str, first: bool) -> str:
    """One word of a surname in capitals, written normally (« D'ALEMBERT » → « D'Alembert »)."""
    if not word.isupper():
        return word  # typed with its own case (« McDonald »): left alone
    if not first and word.lower() in _PARTICLES:
        return word.lower()
    parts = re.split(r"([-'’])", word)
    return "".join(p if p in "-'’" else p[:1].upper() + p[1:].lower() for p in parts)


def person_name(referent: str | None) -> str | None:
    """« Rachid ROUSSEL, CPE » → « Rachid Roussel »; None when no name can be read.

    The function (after the comma) is left out; a name alone without first name or
    civility (« ROUSSEL ») is not enough to greet someone and gives None.
    """
    if not referent or not referent.strip():
        return None
    person = split_referent(" ".join(referent.split()))
    words = (person.first_name or "").split()
    typed = person.civility or (words[0] if words else "")
    civility = _CIVILITIES.get(str(typed).lower())
    if words and _CIVILITIES.get(words[0].lower()):
        words = words[1:]
    first = " ".join(words)
    last_words = (person.last_name or "").split()
    if not last_words or not (first or civility) or "@" in referent:
        return None
    last = " ".join(_word_case(w, i == 0) for i, w in enumerate(last_words))
    first = " ".join(_word_case(w, True) for w in first.split())
    return " ".join(x for x in (civility, first, last) if x)


def greeting(referent: str | None) -> str:
    """« Bonjour Rachid Roussel, », else « Madame, Monsieur, »."""
    name = person_name(referent)
    return f"Bonjour {name}," if name else GREETING_WITHOUT_NAME


def of_school(name: str) -> str:
    """« Collège Albert-Vandame » → « du collège Albert-Vandame »; an unknown kind
    → « de l'établissement … »."""
    text = " ".join(name.split())
    bare = _LEADING_ARTICLE.sub("", text)
    lowered = bare.lower()
    for spellings, article, written in _KINDS:
        for spelling in spellings:
            if lowered == spelling or lowered.startswith(spelling + " "):
                rest = bare[len(spelling):].strip()
                return f"{article}{written}{' ' + rest if rest else ''}"
    return f"de l'établissement {text}" if text else "de l'établissement"


def deadline_sentence(sessions: Sequence[Session], today: dt.date) -> str:
    """Where `today` stands among the deadlines, in one sentence: never a past date cited as
    to come."""
    deadlines = sorted({s.deadline for s in sessions})
    if not deadlines:
        return "Merci de nous répondre dès que possible."
    passed = [d for d in deadlines if d < today]
    upcoming = [d for d in deadlines if d >= today]
    if not upcoming:
        return (f"La dernière date limite, le {passed[-1]:%d/%m/%Y}, est passée : écrivez-nous "
                "dès que possible si votre établissement souhaite encore participer.")
    coming = upcoming[0]
    soon = ("aujourd'hui même, le " if coming == today else "le ") + f"{coming:%d/%m/%Y}"
    if passed:
        return f"La date limite du {passed[-1]:%d/%m/%Y} est passée ; la prochaine est {soon}."
    return f"La prochaine date limite est {soon}."
