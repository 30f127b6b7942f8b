"""The fillable evaluation form, declared once: its controls, their keys, the answers each
accepts, and how a returned file names its student.

The template `evaluation.docx` holds one content control per field (a drop-down list for a
rating or the decision, rich text for the rest). Word keeps a control's `w:tag`, but
LibreOffice 7.4 (Debian 12) drops it when it saves a `.docx`, and check boxes lose their alias
too; both keep **bookmarks**. So each control is identified by the bookmark `gen<key>` placed
just before it (Word) or at the start of its content (where Writer moves it on save); the
tag is only a fallback. The same names become the PDF form's field names (`--pdf`).

The student travels inside the file: custom document properties `gen.numero_auditeur` and
`gen.formulaire` (File › Properties in Word and Writer, kept by both on save; the PDF form
carries them as read-only hidden fields), so a returned file is matched whatever its name.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.documents.seed import GRID_ACTIVITIES, GRID_LEVELS, GRID_OBJECTIVES

RATING, DECISION, TEXT = "rating", "decision", "text"
RATINGS = GRID_LEVELS
VALIDATED, NOT_VALIDATED = "Stage validé", "Stage non validé"
DECISIONS = (VALIDATED, NOT_VALIDATED)
BOOKMARK_PREFIX = "gen"
PROPERTY_STUDENT = "gen.numero_auditeur"
PROPERTY_FORM = "gen.formulaire"
# Bumped when the fields change: a returned form of another version is refused, not misread.
FORM_VERSION = "fiche-evaluation-lp110-2"
# What an untouched control shows; a value equal to it is an empty answer.
CHOICE_PLACEHOLDER = "Choisir…"
TEXT_PLACEHOLDER = "Cliquez pour saisir"


@dataclass(frozen=True)
class FormField:
    key: str  # letters and digits only: bookmark `gen<key>`, PDF field name
    label: str  # French, as retours.xlsx and the messages name it
    kind: str  # RATING, DECISION or TEXT
    required: bool  # a returned form without it is incomplete
    multiline: bool = False

    @property
    def bookmark(self) -> str:
        return BOOKMARK_PREFIX + self.key

    @property
    def choices(self) -> tuple[str, ...]:
        return RATINGS if self.kind == RATING else DECISIONS if self.kind == DECISION else ()


def _rating(key: str, label: str) -> FormField:
    return FormField(key, label, RATING, required=True)


# In the order of the form. Seed: « Après une première phase d'immersion (15 jours environ) »,
# the activities, the double objective; documents.md: conduct, absences, agreed objectives.
FIELDS: tuple[FormField, ...] = (
    FormField("heures", "Heures effectuées", TEXT, required=True),
    FormField("absences", "Absences et interruptions", TEXT, required=False, multiline=True),
    _rating("immersion", "Phase d'immersion : découverte du public, de la structure et de son "
                         "environnement"),
    *(_rating(f"activite{n}", label) for n, label in enumerate(GRID_ACTIVITIES, start=1)),
    *(_rating(f"objectif{n}", label) for n, label in enumerate(GRID_OBJECTIVES, start=1)),
    _rating("objectifsconvenus", "Atteinte des objectifs convenus avec la structure"),
    _rating("assiduite", "Assiduité et ponctualité"),
    _rating("posture", "Posture professionnelle"),
    _rating("discretion", "Discrétion et confidentialité à l'égard des personnes accompagnées"),
    FormField("commentaires", "Commentaires du tuteur", TEXT, required=False, multiline=True),
    FormField("decision", "Décision du tuteur", DECISION, required=True),
    FormField("motif", "Motif de la non-validation", TEXT, required=False, multiline=True),
    FormField("tuteur", "Nom du tuteur", TEXT, required=False),
    FormField("date", "Date de l'évaluation", TEXT, required=True),
)
BY_KEY: dict[str, FormField] = {field.key: field for field in FIELDS}
BY_BOOKMARK: dict[str, FormField] = {field.bookmark.casefold(): field for field in FIELDS}
RATING_FIELDS: tuple[FormField, ...] = tuple(f for f in FIELDS if f.kind == RATING)
# The PDF form (`--pdf`) carries the student in read-only hidden fields.
PDF_STUDENT_FIELD = BOOKMARK_PREFIX + "numeroauditeur"
PDF_FORM_FIELD = BOOKMARK_PREFIX + "formulaire"
