"""`gen collect`: every returned form → one outcome, `retours.xlsx`, and the cohort updated.

Each file gets its own outcome and French line; nothing is silently applied: a form for a
student not in the cohort, a second form for the same student, a form whose hours or decision
contradict the row, an incomplete form are reported and change no cell. Running it twice
changes nothing the second time (cells already holding the form's values are left alone).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.cohort.model import Cohort, Row
from generator.cohort.reader import read_cohort
from generator.collect import read
from generator.collect.answers import Evaluation, evaluate, hours_text
from generator.collect.retours import RETOURS
from generator.collect.workbook import CellChange, WorkbookUpdate, update_workbook
from generator.documents import form
from generator.errors import GenError
from generator.frenchdates import format_count, format_date, format_list

APPLIED = "reportée"
ALREADY = "déjà reportée"
INCOMPLETE = "incomplète"
UNKNOWN = "auditeur inconnu"
DUPLICATE = "en double"
CONFLICT = "contradiction"
UNREADABLE = "illisible"
NOT_A_FORM = "pas une fiche"
OK_STATUSES = frozenset({APPLIED, ALREADY})
# Code du travail L3121-20, applied to interns by L124-14 of the Code de l'éducation: at most
# 48 hours in a week; more hours than that over the internship's weeks is a typing error.
MAX_HOURS_PER_WEEK = 48


@dataclass(frozen=True)
class Outcome:
    """What became of one returned form (or of a file that holds none)."""

    source: str  # the file as the user named it (« courriel.eml › fiche.docx »)
    status: str  # one of the statuses above
    message: str  # French, for the user
    number: str | None = None  # the N° auditeur the form carries
    row: Row | None = None
    evaluation: Evaluation | None = None

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES


@dataclass
class CollectResult:
    outcomes: list[Outcome]
    retours: Path
    update: WorkbookUpdate | None = None  # None when no form was applied and no copy asked
    notes: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.ok]


def collect(cohort_path: Path, sources: list[Path], output: Path, today: dt.date,
            in_place: bool = False,
            progress: Callable[[int, int], None] | None = None) -> CollectResult:
    """Read every returned form in `sources` (files or folders), match each to its row, write
    `<output>/evaluations/retours.xlsx`, and bring the complete forms into the cohort: a copy
    `<output>/evaluations/<name>-avec-retours.xlsx` by default, the workbook itself with
    `in_place` (after a dated backup beside it; GenError while it is open in Excel or
    LibreOffice). « Évaluation reçue le » is `today`. GenError (exit 2) when the workbook
    cannot be read or no source exists."""
    from generator.collect.retours import write_retours

    missing = [path for path in sources if not path.exists()]
    if missing:
        raise GenError("Introuvable : " + ", ".join(f"« {path} »" for path in missing) + ".")
    if in_place:
        from generator.collect.workbook import refuse_if_open

        refuse_if_open(cohort_path)
    cohort = read_cohort(cohort_path)
    files = list(read.files_in(sources))
    found: list[read.Returned] = []
    for done, path in enumerate(files, start=1):
        found.extend(read.read_path(path, _display(path, sources)))
        if progress:
            progress(done, len(files))
    outcomes = match(cohort, found)
    changes = [change for outcome in outcomes if outcome.status == APPLIED
               for change in cell_changes(outcome, today)]
    folder = output / "evaluations"
    folder.mkdir(parents=True, exist_ok=True)
    retours = folder / RETOURS
    update = update_workbook(cohort, changes, folder, in_place, retours)
    write_retours(retours, outcomes)
    return CollectResult(outcomes, retours, update)


def _display(path: Path, sources: list[Path]) -> str:
    """A file's name relative to the folder it was found in (as the user knows it)."""
    for source in sources:
        if source.is_dir() and path.is_relative_to(source):
            return str(path.relative_to(source))
    return path.name


def match(cohort: Cohort, found: list[read.Returned]) -> list[Outcome]:
    """Each form matched to its row and judged; the order of `found` is kept."""
    rows = {(row.numero_auditeur or "").strip().casefold(): row for row in cohort.rows
            if row.numero_auditeur}
    by_student: dict[str, list[int]] = defaultdict(list)
    for index, returned in enumerate(found):
        if returned.problem is None and returned.student:
            by_student[returned.student.strip().casefold()].append(index)
    outcomes: list[Outcome] = []
    for index, returned in enumerate(found):
        outcomes.append(_judge(returned, rows, [found[i].source for i in
                                                by_student.get((returned.student or "")
                                                               .strip().casefold(), [])
                                                if i != index]))
    return outcomes


def _judge(returned: read.Returned, rows: dict[str, Row], others: list[str]) -> Outcome:
    source, number = returned.source, returned.student
    if returned.problem is not None:
        status = UNREADABLE if returned.problem.startswith("fichier illisible") else NOT_A_FORM
        return Outcome(source, status, returned.problem)
    if returned.version != form.FORM_VERSION:
        return Outcome(source, NOT_A_FORM, (
            f"fiche d'une autre version (« {returned.version or 'inconnue'} ») : envoyez au "
            "tuteur la fiche produite par gen evaluations"), number)
    if not number:
        return Outcome(source, UNKNOWN, "la fiche ne porte pas de N° auditeur : elle n'a pas "
                                        "été produite par gen evaluations", number)
    row = rows.get(number.strip().casefold())
    if row is None:
        return Outcome(source, UNKNOWN, f"N° auditeur {number} absent du classeur : fiche non "
                                        "reportée", number)
    evaluation = evaluate(returned.answers)
    if others:
        return Outcome(source, DUPLICATE, (
            f"autre fiche pour {number} : {', '.join(others)} — aucune n'est reportée ; "
            "gardez la bonne seule dans le dossier et relancez"), number, row, evaluation)
    whose = f"{row.full_name or number}, ligne {row.row_number}"  # a file's name may not say
    if not evaluation.complete:
        return Outcome(source, INCOMPLETE, f"fiche incomplète ({whose}), non reportée ; il "
                       f"manque : {format_list(evaluation.missing)}", number, row, evaluation)
    contradiction = _contradiction(row, evaluation)
    if contradiction:
        return Outcome(source, CONFLICT, f"{contradiction} : fiche non reportée ({whose}), "
                       "vérifiez avec le tuteur puis corrigez le classeur ou la fiche", number,
                       row, evaluation)
    already = (row.date_evaluation is not None and row.stage_valide is not None
               and row.heures_effectuees is not None)
    if already:
        return Outcome(source, ALREADY, f"déjà reportée (ligne {row.row_number}) : rien à "
                                        "changer", number, row, evaluation)
    assert evaluation.hours is not None and evaluation.validated is not None
    decision = "stage validé" if evaluation.validated else "stage non validé"
    return Outcome(source, APPLIED, f"reportée ligne {row.row_number} : {decision}, "
                   f"{hours_text(evaluation.hours)}", number, row, evaluation)


def _contradiction(row: Row, evaluation: Evaluation) -> str | None:
    hours, validated = evaluation.hours, evaluation.validated
    if hours is not None and row.heures_effectuees is not None \
            and abs(hours - row.heures_effectuees) > 0.01:
        return (f"la fiche indique {hours_text(hours)}, le classeur "
                f"{hours_text(row.heures_effectuees)} dans « Heures effectuées »")
    if validated is not None and row.stage_valide is not None and validated != row.stage_valide:
        return (f"la fiche dit « {'validé' if validated else 'non validé'} », le classeur "
                f"« {'oui' if row.stage_valide else 'non'} » dans « Stage validé »")
    if hours is not None and row.date_debut and row.date_fin and row.date_fin >= row.date_debut:
        weeks = ((row.date_fin - row.date_debut).days + 1) / 7
        if hours > weeks * MAX_HOURS_PER_WEEK:
            return (f"la fiche indique {hours_text(hours)}, plus que les 48 heures par semaine "
                    f"permises du {format_date(row.date_debut)} au {format_date(row.date_fin)}")
    return None


def cell_changes(outcome: Outcome, today: dt.date) -> list[CellChange]:
    """The cells an applied form fills: only those still empty in its row."""
    row, evaluation = outcome.row, outcome.evaluation
    assert row is not None and evaluation is not None
    wanted: list[tuple[str, object]] = [
        ("date_evaluation", today),
        ("stage_valide", "oui" if evaluation.validated else "non"),
        ("heures_effectuees", evaluation.hours),
    ]
    # a cell holding something unreadable is the user's to fix (its CELL-… finding), not ours
    return [CellChange(row.row_number, key, value) for key, value in wanted
            if getattr(row, key) is None and key not in row.invalid]


def summary_lines(result: CollectResult) -> list[tuple[str, bool]]:
    """French lines for the end of a run (True: a problem): one per form, then what was
    written."""
    lines = [(f"{'' if outcome.ok else '! '}{outcome.source} : {outcome.message}", not outcome.ok)
             for outcome in result.outcomes]
    if not result.outcomes:
        lines.append(("! Aucune fiche trouvée (.docx, .pdf ou .eml).", True))
    applied = sum(outcome.status == APPLIED for outcome in result.outcomes)
    lines.append((f"{format_count(applied, 'fiche')} reportée{'s' if applied > 1 else ''}, "
                  f"{format_count(len(result.problems), 'problème')} ; détail dans "
                  f"« {result.retours} »", False))
    update = result.update
    if update is not None:
        for header in update.added_columns:
            lines.append((f"Colonne « {header} » ajoutée au classeur.", False))
        if update.backup is not None and not update.changes:
            lines.append((f"Classeur mis à jour : « {update.path} » (aucune cellule remplie ; "
                          f"il note où sont les retours ; sauvegarde : « {update.backup.name} »)",
                          False))
        elif update.backup is not None:
            lines.append((f"Classeur mis à jour : « {update.path} » "
                          f"({format_count(len(update.changes), 'cellule')} ; sauvegarde : "
                          f"« {update.backup.name} »)", False))
        else:
            lines.append((f"Copie du classeur avec les retours : « {update.path} » "
                          f"({format_count(len(update.changes), 'cellule')} remplie"
                          f"{'s' if len(update.changes) > 1 else ''})", False))
    return lines
