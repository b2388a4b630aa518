"""Every issue code and its French message, in one place.

A message template may use: {label} (the field's label), {cell}, {tab}, {value}, and any
extra keyword the check passes (e.g. {limit}).
"""

from __future__ import annotations

from typing import Final

ERROR: Final = "erreur"
WARNING: Final = "avertissement"

# code -> (severity, template)
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "champ-obligatoire": (ERROR, "La question « {label} » est sans réponse."),
    "oui-non-invalide": (
        ERROR, "« {label} » attend Oui ou Non, la cellule contient « {value} »."
    ),
    "nombre-invalide": (
        ERROR,
        "« {label} » attend un nombre entier positif ou nul, la cellule contient « {value} ».",
    ),
    "nombre-improbable": (
        WARNING, "« {label} » : {value} paraît beaucoup (plus de {limit}) ; à vérifier."
    ),
    "aucune-classe": (
        ERROR,
        "L'établissement participe mais n'indique aucune classe (4ème + 3ème = 0).",
    ),
    "titre-multiligne": (ERROR, "« {label} » doit tenir sur une seule ligne."),
    "titre-trop-long": (
        ERROR, "« {label} » compte {length} caractères, pour {limit} au plus."
    ),
    "valeur-erreur": (ERROR, "« {label} » contient une erreur de tableur ({value})."),
    "date-invalide": (
        ERROR, "« {label} » attend une date (jj/mm/aaaa), la cellule contient « {value} »."
    ),
    "courriel-invalide": (
        WARNING, "« {label} » ne ressemble pas à une adresse électronique : « {value} »."
    ),
    "texte-trop-long": (
        WARNING, "« {label} » est très long ({length} caractères) ; à vérifier."
    ),
    "colonne-inconnue": (
        WARNING,
        "La colonne « {value} » ({cell}) ne correspond à aucune question ; elle est ignorée.",
    ),
    "colonne-en-double": (
        WARNING,
        "La question « {label} » apparaît deux fois ({cell}) ; seule la première colonne est lue.",
    ),
    "colonne-absente": (
        WARNING, "La colonne « {label} » est absente de l'onglet « {tab} »."
    ),
    "fichier-illisible": (ERROR, "Le fichier « {tab} » n'a pas pu être lu : {value}"),
    "fichier-sans-annexe": (
        WARNING, "Le fichier « {tab} » ne contient pas l'annexe n°1 ; il est ignoré."
    ),
    "etablissement-inconnu": (
        WARNING,
        "« {value} » ne figure pas dans la liste des établissements ; vérifiez le nom.",
    ),
    "etablissement-incertain": (
        WARNING,
        "« {value} » ressemble à « {candidate} » (score {score} sur 100) sans certitude : "
        "les réponses ne sont pas fusionnées, vérifiez le nom.",
    ),
    "doublon": (
        WARNING,
        "Doublon : supprimez {dropped} (réponse retenue pour « {value} » : {kept}).",
    ),
    "uai-invalide": (
        WARNING,
        "Le code UAI « {value} » est invalide (attendu : sept chiffres et une lettre de "
        "contrôle).",
    ),
    "genre-invalide": (
        WARNING, "« {label} » attend F, H ou « non renseigné », la cellule contient « {value} »."
    ),
    "code-rome-invalide": (
        WARNING,
        "« {label} » attend une lettre et quatre chiffres (par exemple M1805), la cellule "
        "contient « {value} ».",
    ),
    "ambassadeur-en-double": (
        WARNING, "« {value} » figure déjà dans la liste (ligne {other}) ; cette ligne est ignorée."
    ),
    "ajustement-inconnu": (
        WARNING,
        "Ajustement ignoré : {what} « {value} » ne figure pas dans la liste.",
    ),
    "ajustement-invalide": (
        WARNING, "« {label} » attend « Confirmer » ou « Exclure », la cellule contient « {value} »."
    ),
    "referent-sans-fonction": (
        WARNING,
        "« {label} » : la fonction du référent manque (attendu : « Prénom NOM, fonction »).",
    ),
    "referent-incomplet": (
        WARNING, "Le référent est incomplet ; à compléter : {missing}."
    ),
    "coordonnees-dans-le-texte": (
        WARNING,
        "« {label} » contient des coordonnées personnelles ({value}) : elles sont masquées "
        "dans les onglets des partenaires ; retirez-les de la réponse.",
    ),
    "ambassadeur-invalide": (
        ERROR,
        "Onglet « {tab} », cellule {cell} : cette ligne n'est pas un ambassadeur "
        "({reason}) ; elle n'est ni appariée ni comptée.",
    ),
    # the roster's « Disponibilités » (schoolyear.availability reads it; never drops anyone)
    "disponibilite-illisible": (
        WARNING,
        "« {label} » : « {value} » n'a pas pu être lu. Aucune contrainte n'est retenue : "
        "l'ambassadeur reste disponible toutes les demi-journées. Écrivez par exemple "
        "« mardi après-midi », « lundi et jeudi matin » ou « pas en juin ».",
    ),
    "disponibilite-partielle": (
        WARNING,
        "« {label} » : dans « {value} », « {part} » n'a pas été compris et est ignoré ; "
        "le reste est pris en compte.",
    ),
    "disponibilite-ambigue": (
        WARNING,
        "« {label} » : dans « {value} », « {part} » peut vouloir dire matin (anglais) ou "
        "après-midi ; les deux demi-journées sont retenues. Écrivez « matin » ou « après-midi ».",
    ),
    "disponibilite-aucune-demi-journee": (
        WARNING,
        "« {label} » : « {value} » ne laisse aucune demi-journée d'ouverture d'un collège "
        "(du lundi au vendredi) ; l'ambassadeur ne pourra être convié à aucun temps fort.",
    ),
    "onglet-ambassadeurs-absent": (
        WARNING,
        "L'onglet des ambassadeurs « {tab} » est introuvable : aucun parrainage n'est proposé.",
    ),
    "onglet-reponses-absent": (
        WARNING,
        "L'onglet des réponses « {tab} » est introuvable ; les réponses sont lues dans "
        "l'onglet « {found} ». Renommez-le « {tab} » ou vérifiez config.toml.",
    ),
    "onglet-non-lu": (
        WARNING,
        "L'onglet « {tab} » ressemble à des réponses (intitulés de l'annexe en ligne {line}) "
        "mais n'est pas lu : seul l'onglet « {expected} » compte. Recopiez-y ces réponses.",
    ),
    "saisie-hors-reponses": (
        WARNING,
        "Du texte a été saisi dans l'onglet « {tab} » ({cell}) : il n'est pas lu. Les "
        "réponses vont dans l'onglet « {expected} ».",
    ),
    "classeur-partage-expose": (
        WARNING,
        "Le classeur partagé avec les établissements contient {what} : chaque établissement "
        "peut les lire. {fix}",
    ),
    "intitule-ressemblant-lu": (
        WARNING,
        "{what} « {value} » ({cell}) ressemble à « {label} » : elle est lue comme telle ; "
        "renommez-la ainsi.",
    ),
    "intitule-ressemblant": (
        WARNING,
        "{what} « {value} » ({cell}) ressemble à « {label} » : renommez-la ainsi. D'ici là, "
        "elle est ignorée.",
    ),
    # « Suivi de l'année » (schoolyear.tracking reads it; typed by coordinators, principals)
    "config-etablissement-inconnu": (
        WARNING,
        "config.toml, [[annee_scolaire.etablissements]] n°{number} : « {value} » ne désigne aucun "
        "collège de la campagne (ni son nom, ni son UAI, ni son nom dans la liste de "
        "référence) ; ses demi-journées ne s'appliquent à aucune classe.{hint}"),
    "suivi-entete-absent": (
        ERROR,
        "L'onglet « {tab} » n'a pas de ligne d'en-tête reconnue : rien n'y est lu. Remettez "
        "en première ligne les intitulés {columns}.",
    ),
    "suivi-colonne-absente": (
        ERROR,
        "L'onglet « {tab} » n'a pas de colonne « {label} » : ses lignes ne peuvent pas être "
        "lues.",
    ),
    "suivi-identifiant-inconnu": (
        ERROR,
        "Ligne {line} : l'identifiant « {value} » ne correspond à aucune classe de la "
        "campagne ; la ligne est ignorée. Corrigez-le, ou laissez-le vide et indiquez "
        "l'établissement et la classe : la ligne sera reconnue par eux.",
    ),
    "suivi-classe-inconnue": (
        ERROR,
        "Ligne {line} : la classe « {value} » ne correspond à aucune classe de la campagne ; "
        "la ligne est ignorée. Indiquez l'identifiant de la classe.",
    ),
    "suivi-classe-absente": (
        ERROR,
        "Ligne {line} : aucune classe n'est indiquée (ni identifiant, ni établissement et "
        "classe) ; la ligne est ignorée.",
    ),
    "suivi-type-absent": (
        ERROR, "Ligne {line} : le type est vide ; la ligne est ignorée."
    ),
    "suivi-type-inconnu": (
        ERROR,
        "Ligne {line} : « {value} » n'est ni un temps fort ni un type de production ; la "
        "ligne est ignorée. Choisissez parmi : {choices}.",
    ),
    "suivi-etat-invalide": (
        ERROR,
        "Ligne {line} : « {value} » n'est pas un état possible pour « {kind} » ; il est lu "
        "« à venir ». Choisissez parmi : {choices}.",
    ),
    "suivi-date-invalide": (
        ERROR,
        "Ligne {line} : « {label} » attend une date (jj/mm/aaaa), la cellule contient "
        "« {value} ».",
    ),
    "suivi-date-manquante": (
        WARNING,
        "Ligne {line} : « {kind} » est {state} sans date ; indiquez le jour pour qu'il "
        "figure au calendrier.",
    ),
    "suivi-lien-invalide": (
        WARNING,
        "Ligne {line} : « {value} » n'est pas une adresse web (http:// ou https://) ; le lien "
        "est ignoré.",
    ),
    "suivi-doublon": (
        WARNING,
        "Ligne {line} : « {value} » figure déjà pour la classe {label_class} de {school} "
        "(ligne {other}) ; seule la première ligne compte.",
    ),
    "suivi-date-hors-periode": (
        WARNING,
        "Ligne {line} : « {kind} » est daté du {value}, hors de sa période (du {start} au "
        "{end}) ; la date est gardée telle quelle, vérifiez-la.",
    ),
    "suivi-date-fermee": (
        WARNING,
        "Ligne {line} : « {kind} » est daté du {value}, quand l'établissement est fermé "
        "({reason}) ; la date est gardée telle quelle, vérifiez-la.",
    ),
    "suivi-date-weekend": (
        WARNING,
        "Ligne {line} : « {kind} » est daté du {value}, un week-end ; la date est gardée "
        "telle quelle, vérifiez-la.",
    ),
    "suivi-conflit": (
        WARNING,
        "Ligne {line} : « {kind} » le {value} ({half}) tombe en même temps que « {other_kind} » "
        "(ligne {other}) pour {who} ; les deux sont gardés, choisissez un autre jour pour "
        "l'un d'eux.",
    ),
}


def severity_of(code: str) -> str:
    """The severity attached to a code."""
    return MESSAGES[code][0]


def render(code: str, **values: object) -> str:
    """The French message for a code, filled with what the check saw."""
    template = MESSAGES[code][1]
    return template.format(**{k: ("" if v is None else v) for k, v in values.items()})
