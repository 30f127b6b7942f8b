"""The degree's fixed wording, from the seed document: its objectives, its activities, the
evaluation grid, and the steps of the process as a coordinator names them."""

from __future__ import annotations

# The seed's two general objectives ("L'objectif du stage est double").
SEED_OBJECTIVES = (
    "Permettre aux auditeurs n'ayant aucune expérience de l'insertion de se familiariser avec "
    "ce champ professionnel (connaissance d'un public en difficulté, d'une structure de "
    "l'insertion et de son environnement, premier contact avec les dispositifs…)",
    "Acquérir la méthodologie de la conduite de projet",
)
# The seed's activities, led after the immersion phase, one per item.
SEED_ACTIVITIES = (
    "Observer la conduite des entretiens ou d'accompagnement de groupes",
    "Accompagner un professionnel dans le cadre de ses fonctions",
    "Assister à des réunions",
    "Accueillir et conseiller le public",
    "S'insérer dans la logique de projet de la structure",
    "Participer ou être associé.e à la conduite d'une action collective ou d'un projet "
    "collectif et à sa mise en œuvre, et en rendre compte",
)
# The evaluation grid (documents.md): the seed's activities, then its objectives.
GRID_ACTIVITIES = (
    "Observation de la conduite des entretiens et de l'accompagnement de groupes",
    "Accompagnement d'un professionnel dans le cadre de ses fonctions",
    "Participation aux réunions",
    "Accueil et conseil du public",
    "Insertion dans la logique de projet de la structure",
    "Participation à la conduite d'une action collective ou d'un projet collectif, à sa mise "
    "en œuvre, et compte rendu",
)
GRID_OBJECTIVES = (
    "Connaissance du public, de la structure d'insertion, de son environnement et des "
    "dispositifs",
    "Méthodologie de la conduite de projet",
)
GRID_LEVELS = ("Très satisfaisant", "Satisfaisant", "À améliorer", "Insuffisant", "Non observé")

