"""The internship process, declared once: the steps of a row, the document kinds, the reminder
reasons. Rules' gating, `gen check`'s « Prêts pour », the batch, the packs, the reminder plan,
the `Mode d'emploi` sheet, the terminal view and the CLI commands all read these tables; none
restates them. Plain values only: this module imports nothing from the program.

Adding a document kind (e.g. the attestation de stage):
  1. one `DocumentKind(...)` entry in `DOCUMENT_KINDS` below (key, command, labels, folder,
     template, the fields it states, the steps it certifies, when a row is ready for it);
  2. its template `templates/<template>` (its keys come from `documents/context.py`; add
     there what it prints that the context lacks, and document it in templates/README.md);
  3. a test: `tests/test_readiness.py` already checks, for every kind, that `gen check`'s
     readiness equals what its command writes; add one for the document's text.
  The command `gen <command>`, its help, its folder, its summary line, its column in the
  `Mode d'emploi` sheet and its « Prêts pour » count follow from the entry.

Adding a reminder reason: one `ReminderReason(...)` entry in `REMINDER_REASONS` (who, when:
the date it is about, its window, the columns that trigger it; `rules/derived.py` reads it
into `Derived.reminders_due`), its letter `templates/relance-<key>.docx` (or a reason whose
letter `covers` it), and a test in `tests/test_reminders_plan.py`.

Adding a step: one `Step(...)` in `STEPS`, in order, its case in `step_of`, and its colour in
`views/charts.py` (one per step, in order: a missing one stops the import); the views and the
Mode d'emploi follow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.cohort.model import Row


# --- Steps ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    key: str
    label: str  # French, as documents and views name it
    # the Row attribute that, filled, moves a row past this step (`step_of`; for « ongoing »,
    # the end date once past); None: a row never leaves it
    closed_by: str | None = None


# The step keys, for code that tests a row's step (`derived.step == SEARCH`).
EXEMPT, SEARCH, DEFINITION, APPROVAL = "exempt", "search", "definition", "approval"
CONVENTION, ONGOING, EVALUATION, DONE = "convention", "ongoing", "evaluation", "done"
# In order (rules.md, "Derived values"); `step_of` says which one a row is at.
STEPS: tuple[Step, ...] = (
    Step(EXEMPT, "dispensé de stage"),
    Step(SEARCH, "recherche d'une structure d'accueil", "structure_nom"),
    Step(DEFINITION, "définition du stage à remettre", "date_definition"),
    Step(APPROVAL, "accord pédagogique attendu", "date_accord"),
    Step(CONVENTION, "convention à établir", "date_convention"),
    Step(ONGOING, "stage en cours", "date_fin"),
    Step(EVALUATION, "évaluation attendue", "date_evaluation"),
    Step(DONE, "stage terminé"),
)
STEP_KEYS: tuple[str, ...] = tuple(step.key for step in STEPS)
# The steps of a row that does an internship (every step but « exempt »), in order.
INTERNSHIP_STEPS: tuple[str, ...] = STEP_KEYS[1:]
STEPS_BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}
STEP_LABELS: dict[str, str] = {step.key: step.label for step in STEPS}
_STEP_INDEX = {key: index for index, key in enumerate(STEP_KEYS)}


def step_of(row: Row, exempt: bool, today: dt.date) -> str:
    """The step ``row`` is at on ``today`` (a key of `STEPS`): the first date column of the
    process still empty; after the convention, `date_fin` (inclusive) and `date_evaluation`
    tell « ongoing », « evaluation » and « done » apart (rules.md, "Derived values")."""
    if exempt:
        return EXEMPT
    if row.structure_nom is None:
        return SEARCH
    if row.date_definition is None:
        return DEFINITION
    if row.date_accord is None:
        return APPROVAL
    if row.date_convention is None:
        return CONVENTION
    if row.date_fin is None or row.date_fin >= today:
        return ONGOING
    return EVALUATION if row.date_evaluation is None else DONE


def reached(step: str, first: str) -> bool:
    """A row at ``step`` has reached step ``first`` (an exempt row reaches none)."""
    return step != EXEMPT and _STEP_INDEX[step] >= _STEP_INDEX[first]


# --- Document kinds -------------------------------------------------------------------------
# Every document names the student (cohort.md's "all" columns).
IDENTITY_FIELDS = ("numero_auditeur", "civilite", "nom", "prenom", "email", "modalite")
# What a definition states (documents.md): the host, the tutor, the calendar, the content.
_DEFINITION_FIELDS = (
    "structure_nom", "action_collective", "tuteur_civilite", "tuteur_nom", "tuteur_prenom",
    "tuteur_fonction", "date_debut", "date_fin", "heures_total", "heures_hebdo", "objectifs",
    "activites")
# What a convention states (documents.md, article by article; D124-4): the definition's fields,
# the host's identity and signatory, the tutor's e-mail, the approval it follows.
_CONVENTION_FIELDS = _DEFINITION_FIELDS + (
    "structure_adresse", "structure_code_postal", "structure_ville", "structure_siret",
    "structure_representant", "structure_representant_fonction", "tuteur_email", "date_accord")
# The optional columns it prints (the gratification, the référent, the CPAM, leave days).
_CONVENTION_STATES = ("gratification_horaire", "enseignant_referent",
                      "enseignant_referent_email", "cpam", "structure_telephone", "conges_jours")
# An error of one of these codes blocks every document of the row, whatever its column.
BLOCKS_EVERY_DOCUMENT = frozenset({"STUDENT-DUPLICATE"})


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document `gen` writes, one per ready row.

    A row gets it when it has reached ``ready_when`` (that column filled, the row not exempt)
    and no error stands on a field the document states or certifies (``fields``), nor one of
    `BLOCKS_EVERY_DOCUMENT` (issue: never issue a document for a row whose rules fail on
    what it states). `gen check` asks for its fields from step ``checked_from`` on (None:
    only of a row ready for it)."""

    key: str  # "convention": the code's name of the kind
    command: str  # "conventions": `gen conventions`
    label: str  # singular, with its article: « la convention de stage »
    short: str  # « convention »: « Prêts pour », the Mode d'emploi sheet
    title: str  # plural: « Conventions de stage », the end-of-run summary
    folder: str  # under the output folder
    template: str  # file name in the templates folder
    fields: tuple[str, ...]  # the columns it states or certifies: each must be filled
    ready_when: str  # the Row attribute whose value makes the row due for it
    checked_from: str | None  # the step from which `gen check` asks for its fields
    not_due: str  # why a row that has not reached it gets none (summary)
    help: str  # the command's --help (French), with an example
    # optional columns it prints when filled, or rules say are due (the gratification): not
    # required, but an error on one blocks the document as on ``fields``
    states: tuple[str, ...] = ()
    # the kind whose rows, from the same cells, it is issued for (the bordereau follows the
    # convention): messages and the guide name that kind, not this one, as needing a cell
    follows: str | None = None

    @property
    def needs(self) -> frozenset[str]:
        """Every column the document needs filled: the identity columns and its fields."""
        return frozenset(IDENTITY_FIELDS + self.fields)


DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "definition", "definitions", "la définition du stage pratique", "définition",
        "Définitions du stage", "definitions", "definition.docx", _DEFINITION_FIELDS,
        ready_when="structure_nom", checked_from="definition",
        not_due="pas encore de structure d'accueil, de tuteur ou de dates de stage",
        help="Définitions du stage pratique (objectifs, activités, calendrier), une par "
             "auditeur ayant une structure d'accueil : "
             "output/definitions/<N°>_<NOM>_<Prénom>.docx.\n\n"
             "Exemple : gen definitions cohorte.xlsx --only 100001"),
    DocumentKind(
        # The accord certifies the definition: every field the definition states (issue 9).
        "approval", "approvals", "l'accord pédagogique", "accord pédagogique",
        "Accords pédagogiques", "accords", "accord.docx",
        _DEFINITION_FIELDS + ("date_definition",),
        ready_when="date_definition", checked_from="approval",
        not_due="définition du stage pas encore remise (« Définition remise le » vide)",
        help="Accords pédagogiques, un par auditeur dont la définition est remise : "
             "output/accords/<N°>_<NOM>_<Prénom>.docx.\n\n"
             "Exemple : gen approvals cohorte.xlsx -o sortie"),
    DocumentKind(
        "convention", "conventions", "la convention de stage", "convention",
        "Conventions de stage", "conventions", "convention.docx", _CONVENTION_FIELDS,
        ready_when="date_accord", checked_from="convention",
        not_due="pas encore d'accord pédagogique (« Accord pédagogique le » vide)",
        help="Conventions de stage, une par auditeur ayant l'accord pédagogique : "
             "output/conventions/<N°>_<NOM>_<Prénom>.docx, et "
             "output/conventions/manifest.csv.\n\n"
             "Exemple : gen conventions cohorte.xlsx --today 2026-11-28",
        states=_CONVENTION_STATES),
    DocumentKind(
        # The registrar's checklist (pieces, signatures, deadline) travels apart from the
        # convention, whose copies the host keeps (documents.md): the same rows get it.
        "bordereau", "bordereaux", "le bordereau du dossier de convention", "bordereau",
        "Bordereaux des dossiers de convention", "bordereaux", "bordereau.docx",
        _CONVENTION_FIELDS, ready_when="date_accord", checked_from="convention",
        not_due="pas encore d'accord pédagogique (« Accord pédagogique le » vide)",
        help="Bordereaux internes des dossiers de convention (pièces à recevoir, signatures à "
             "recueillir, date limite), un par convention : "
             "output/bordereaux/<N°>_<NOM>_<Prénom>.docx. Ils restent au Cnam : ils ne sont "
             "jamais joints aux exemplaires de la convention.\n\n"
             "Exemple : gen bordereaux cohorte.xlsx",
        states=_CONVENTION_STATES, follows="convention"),
    DocumentKind(
        "evaluation", "evaluations", "la fiche d'évaluation", "évaluation",
        "Fiches d'évaluation", "evaluations", "evaluation.docx",
        ("structure_nom", "tuteur_civilite", "tuteur_nom", "tuteur_prenom", "tuteur_email",
         "date_debut", "date_fin"),
        # asked from the convention step on: the convention and the evaluation need the
        # tutor's e-mail (rules.md, STAGE-TUTOR)
        ready_when="date_convention", checked_from="convention",
        not_due="convention pas encore établie (« Convention établie le » vide)",
        help="Fiches d'évaluation pour les tuteurs, une par convention établie : "
             "output/evaluations/<N°>_<NOM>_<Prénom>.docx.\n\n"
             "Exemple : gen evaluations cohorte.xlsx --packs"),
    DocumentKind(
        # Code de l'éducation D124-9: the host delivers it, stating the effective total
        # duration and the total gratification paid; model: arrêté du 29 décembre 2014.
        "attestation", "attestations", "l'attestation de stage", "attestation",
        "Attestations de stage", "attestations", "attestation.docx",
        ("structure_nom", "structure_adresse", "structure_code_postal", "structure_ville",
         "structure_telephone", "date_debut", "date_fin", "heures_effectuees"),
        # asked only once the hours are known: a finished internship whose form has not
        # come back is EVALUATION-DUE, not a missing cell
        ready_when="heures_effectuees", checked_from=None,
        not_due="heures effectuées pas encore connues (« Heures effectuées » vide : "
                "gen collect les reporte depuis la fiche d'évaluation)",
        help="Attestations de stage pré-remplies pour la structure d'accueil, qui les "
             "vérifie et les signe (modèle de l'arrêté du 29 décembre 2014) : une par "
             "auditeur dont les heures effectuées sont connues, "
             "output/attestations/<N°>_<NOM>_<Prénom>.docx.\n\n"
             "Exemple : gen attestations cohorte.xlsx --pdf"),
)
DOCUMENTS: dict[str, DocumentKind] = {kind.key: kind for kind in DOCUMENT_KINDS}
DOCUMENT_KEYS: tuple[str, ...] = tuple(DOCUMENTS)
# DEFINITION, APPROVAL, CONVENTION and EVALUATION (above) are both steps and document kinds.
ATTESTATION = "attestation"


def documents_of_step(step: str) -> frozenset[str]:
    """The documents whose fields `gen check` asks of a row at ``step``."""
    return frozenset(kind.key for kind in DOCUMENT_KINDS
                     if kind.checked_from and reached(step, kind.checked_from))


# --- Reminder reasons -----------------------------------------------------------------------
STUDENT, TUTOR = "auditeur", "tuteur"
# Whom a letter tells the recipient to contact (reminders/letters.py words each).
COORDINATOR, CONVENTION_OFFICE, REFERENT = "coordinatrice", "conventions", "referent"


@dataclass(frozen=True)
class ReminderReason:
    """Why someone is reminded, and when (documents.md, "Reminders"). `Derived.reminders_due`
    reads the declaration, computed once per row; nothing restates it.

    A reason is due on ``today`` when its step is not done (``done_when`` empty), the columns of
    ``requires`` are filled, the row is at one of ``steps`` (empty: any), and the date it is
    about (``about``: a date column of the row or a derived date) is at most ``window`` days
    away (the parameter's name; None: any time before it) — both ends included — or, with
    ``overdue``, already past. ``after``: a date column the reminder waits for (due from the
    day after it)."""

    key: str  # "--reason" value, journal and file-name suffix
    label: str  # « convention de stage »
    recipient: str  # STUDENT or TUTOR
    contact: str  # COORDINATOR, CONVENTION_OFFICE or REFERENT
    reads: tuple[str, ...]  # the cells it reads: unreadable, the reminder could be false
    about: str  # the date the reminder is about, the letter's « date limite »
    done_when: str | None = None  # the column whose date says the step is done
    requires: tuple[str, ...] = ()  # columns that must be filled for it to be due
    window: str | None = None  # Params attribute: days before `about` from which it is due
    overdue: bool = False  # still due once `about` is past
    after: str | None = None  # due only once this date column is past
    steps: tuple[str, ...] = ()  # due only at these steps (empty: any)
    prerequisites: tuple[str, ...] = ()  # reasons whose step, still to do, the letter lists
    encloses: str | None = None  # a document kind sent with the letter
    lists_pieces: bool = False  # due only while evening-class pieces are missing, listed
    # Reasons this one's letter also words: a recipient due for both gets one letter, this
    # one's, listing every point (one letter per recipient per run; issue 9).
    covers: tuple[str, ...] = ()
    instead_of: str | None = None  # planned in place of that reason (not derived itself)

    @property
    def template(self) -> str:
        return f"relance-{self.key}.docx"


_TUTOR_READS = ("date_fin", "date_evaluation", "date_convention", "tuteur_civilite", "tuteur_nom",
                "tuteur_prenom")
REMINDER_REASONS: tuple[ReminderReason, ...] = (
    ReminderReason("definition", "définition du stage pratique", STUDENT, COORDINATOR,
                   ("date_definition", "date_debut"), about="date_debut",
                   done_when="date_definition", window="relance_definition_jours"),
    ReminderReason("approval", "accord pédagogique", STUDENT, COORDINATOR,
                   ("date_definition", "date_accord", "date_debut"),
                   about="convention_deadline", done_when="date_accord",
                   requires=("date_definition",), window="fenetre_alerte_jours"),
    ReminderReason("convention", "convention de stage", STUDENT, CONVENTION_OFFICE,
                   ("date_convention", "date_debut"), about="convention_deadline",
                   done_when="date_convention", window="fenetre_alerte_jours", overdue=True,
                   prerequisites=("definition", "approval"),
                   covers=("definition", "approval", "pieces")),
    ReminderReason("pieces", "pièces du dossier de convention", STUDENT, CONVENTION_OFFICE,
                   ("modalite", "date_accord", "date_convention", "exemplaires_convention",
                    "attestation_assurance", "carte_auditeur", "date_debut"),
                   about="convention_deadline", overdue=True, steps=("convention", "ongoing"),
                   lists_pieces=True),
    # The tutor is reminded from the day after the end; the date the letter gives is the
    # return date every document prints (`evaluation_return_by`). Only under a convention: the
    # letter encloses the form, which is issued for an established convention (documents.md),
    # and a tutor is not asked to evaluate an internship the student is told cannot take place.
    ReminderReason("evaluation", "fiche d'évaluation du stage", TUTOR, REFERENT, _TUTOR_READS,
                   about="evaluation_return_by", done_when="date_evaluation", overdue=True,
                   after="date_fin", requires=("date_convention",), encloses=EVALUATION),
    # Instead of « evaluation » when `gen collect` found the tutor's form incomplete (its
    # retours.xlsx): the letter names what is missing (reminders/plan.py).
    ReminderReason("evaluation-incomplete", "fiche d'évaluation incomplète", TUTOR, REFERENT,
                   _TUTOR_READS, about="evaluation_return_by", done_when="date_evaluation",
                   overdue=True, after="date_fin", requires=("date_convention",),
                   encloses=EVALUATION, instead_of="evaluation"),
)
INCOMPLETE_EVALUATION = "evaluation-incomplete"
REASONS: dict[str, ReminderReason] = {reason.key: reason for reason in REMINDER_REASONS}
REASON_KEYS: tuple[str, ...] = tuple(REASONS)
# The French word the user types (`--reason`) and reads in a letter's file name: the key,
# where the key is not French already.
REASON_WORDS: dict[str, str] = {key: {"approval": "accord"}.get(key, key) for key in REASONS}
