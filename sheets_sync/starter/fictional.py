"""A fictional campaign to try the toolkit: invented collèges, people and ambassadors.

Nothing here is real: names are drawn from common French first and last names, schools from
invented names; the e-mail domain is example.org. The mix is deliberate: complete answers,
answers « Non », incomplete ones and slightly messy values, as principals really type them.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SEED = 2021

SCHOOLS: tuple[tuple[str, str], ...] = (
    ("Collège des Tisserands", "12 rue des Filatures, 59100 Roubaix"),
    ("Collège Jeanne-Verlinde", "48 avenue des Lilas, 59100 Roubaix"),
    ("Collège du Canal", "3 quai de l'Écluse, 59100 Roubaix"),
    ("Collège Marcel-Dufresne", "105 boulevard du Nord, 59100 Roubaix"),
    ("Collège Les Hauts-Champs", "7 rue des Peupliers, 59100 Roubaix"),
    ("Collège Albert-Vandame", "22 rue du Beffroi, 59100 Roubaix"),
    ("Collège de l'Épeule", "61 rue des Mésanges, 59100 Roubaix"),
    ("Collège Simone-Ravel", "9 place des Arts, 59100 Roubaix"),
    ("Collège du Sartel", "140 rue de la Laine, 59100 Roubaix"),
    ("Collège Fontenoy", "31 rue du Pont-Rouge, 59100 Roubaix"),
    ("Collège des Trois-Ponts", "18 allée des Tilleuls, 59100 Roubaix"),
    ("Collège Henri-Lestienne", "76 rue de la Gare, 59100 Roubaix"),
)
WOMEN_NAMES = ("Nadia", "Sophie", "Julie", "Claire", "Inès", "Sarah", "Élodie", "Fatou",
               "Manon", "Léa", "Amina", "Chloé")
MEN_NAMES = ("Thomas", "Karim", "Mehdi", "Antoine", "Louis", "Yanis", "Hugo", "Lucas",
             "Rachid", "Nicolas", "Bruno", "Samir")
FIRST_NAMES = WOMEN_NAMES + MEN_NAMES
LAST_NAMES = ("Martin", "Lefebvre", "Dubois", "Moreau", "Benali", "Lambert", "Caron",
              "Dupont", "Fontaine", "Mercier", "Diallo", "Lemaire", "Garnier", "Roussel",
              "Haddad", "Leroy", "Faure", "Vasseur", "Delattre", "Perrin")
FUNCTIONS = ("principal", "principale adjointe", "professeur principal", "CPE",
             "professeure documentaliste", "psychologue de l'Éducation nationale")
TITLES = ("Des métiers près de chez nous", "Oser tous les métiers", "Roubaix qui réussit",
          "Les métiers de demain", "Filles et garçons : tous les possibles",
          "Du textile au numérique", "Mon avenir, mon choix")
THEMES = ("Le numérique", "Les métiers du soin", "L'industrie d'aujourd'hui",
          "Les métiers de la transition écologique", "Le commerce et la logistique",
          "Les métiers d'art")
OBJECTIVES = ("Faire découvrir des métiers porteurs et lutter contre l'autocensure.",
              "Rencontrer des professionnels du territoire et préparer les stages de 3ème.",
              "Ouvrir les horizons des élèves, en particulier des filles, vers l'industrie.")
DISCIPLINES = ("Technologie", "Français", "Mathématiques", "Histoire-géographie",
               "Sciences de la vie et de la Terre", "Arts plastiques")
ORIENTATIONS = ("lutte contre les déterminismes et les stéréotypes",
                "informations sur les secteurs porteurs",
                "mise en avant de figures emblématiques de la Ville")
CONTENTS = ("ateliers, rencontres", "visites d'entreprises, immersions",
            "web tv animée par les jeunes, témoignages", "rencontres, témoignages")
JOBS = (("Développeuse web", "Numérique", "M1805", "F"), ("Technicien de maintenance", "Industrie",
        "I1304", "H"), ("Infirmière", "Santé", "J1506", "F"), ("Aide-soignant", "Santé", "J1501",
        "H"), ("Logisticienne", "Transport et logistique", "N1301", "F"),
        ("Chaudronnier", "Industrie", "H2902", "H"), ("Ingénieure en énergie", "Énergie",
        "H1206", "F"), ("Éducateur de jeunes enfants", "Social", "K1207", "H"),
        ("Styliste", "Textile et mode", "B1805", "F"), ("Électricien", "Bâtiment", "F1602", "H"),
        ("Data analyste", "Numérique", "M1403", "F"), ("Boulanger", "Artisanat", "D1102", "H"))


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES).upper()


def demo_answers(seed: int = SEED) -> list[dict[str, Any]]:
    """Twelve fictional answers: 7 complete, 2 « Non », 3 incomplete or messy."""
    rng = random.Random(seed)
    answers: list[dict[str, Any]] = []
    for name, address in SCHOOLS:
        first, last = _person(rng)
        answer: dict[str, Any] = {
            "etablissement": name,
            "adresse": address,
            "referent": f"{first} {last}, {rng.choice(FUNCTIONS)}",
            "participation": "Oui",
            "classes_4e": rng.randint(0, 2),
            "classes_3e": rng.randint(1, 2),
            "titre": rng.choice(TITLES),
            "orientation": rng.choice(ORIENTATIONS),
            "objectifs": rng.choice(OBJECTIVES),
            "discipline": rng.choice(DISCIPLINES),
            "theme": rng.choice(THEMES),
            "contenu": rng.choice(CONTENTS),
            "courriel": f"{first.lower()}.{last.lower()}@college-demo.example.org",
            "telephone": f"03 20 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "date_depot": dt.date(2021, 7, 1) + dt.timedelta(days=rng.randint(0, 60)),
        }
        answers.append(answer)
    # Answers « Non »: only identity and referent matter.
    for n in (4, 9):
        answers[n].update({k: None for k in ("classes_4e", "classes_3e", "titre", "orientation",
                                               "objectifs", "discipline", "theme", "contenu")})
        answers[n]["participation"] = "Non"
    # Slightly messy but valid values, as people type them.
    answers[1].update({"participation": " OUI ", "classes_4e": "2 classes", "classes_3e": "deux"})
    answers[7].update({"participation": "oui", "classes_4e": "1", "date_depot": "02/09/2021"})
    # Incomplete or invalid answers.
    answers[2].update({"objectifs": None, "theme": "   "})
    answers[5].update({"titre": "Des métiers\npour toutes et tous", "classes_3e": "2 ou 3"})
    answers[10].update({"adresse": None, "participation": "peut-être", "date_depot": None})
    return answers


def demo_roster(seed: int = SEED, size: int = 40) -> list[dict[str, Any]]:
    """About forty fictional ambassadors across growing and traditional sectors."""
    rng = random.Random(seed + 1)
    roster = []
    for n in range(size):
        job, sector, rome, usual = JOBS[n % len(JOBS)]
        gender = usual if rng.random() < 0.7 else ("H" if usual == "F" else "F")
        first = rng.choice(WOMEN_NAMES if gender == "F" else MEN_NAMES)
        last = rng.choice(LAST_NAMES).upper()
        roster.append({
            "prenom": first,
            "nom": last,
            "genre": gender if rng.random() > 0.05 else "non renseigné",
            "metier": job,
            "code_rome": rome,
            "secteur": sector,
            "entreprise": f"Entreprise fictive {n + 1:02d}",
            "commune": rng.choice(("Roubaix", "Roubaix", "Tourcoing", "Lille", "Wattrelos")),
            "disponibilites": rng.choice(("toute l'année", "premier trimestre", "mercredis")),
            "capacite": rng.choice((1, 1, 2, 3)),
            "interets": rng.choice(THEMES) + ", " + rng.choice(DISCIPLINES),
            "courriel": f"{first.lower()}.{last.lower()}.{n}@ambassadeurs-demo.example.org",
            "telephone": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                         f"{rng.randint(10, 99)}",
            "consentement": rng.choice(("Oui", "Oui", "Non")),
        })
    return roster
