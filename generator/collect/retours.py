"""`retours.xlsx`: one row per returned form read (each rating, hours done, absences,
decision, comments, the source file, its outcome) and a sheet of the problems."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from generator.clean import clean_value
from generator.documents import form

if TYPE_CHECKING:  # `gen check` reads this module's finding half: openpyxl waits for writing
    from openpyxl.worksheet.worksheet import Worksheet

    from generator.collect.run import Outcome

RETOURS = "retours.xlsx"
FORMS_SHEET, PROBLEMS_SHEET = "Retours", "Problèmes"
_HEAD = ("N° auditeur", "Nom", "Prénom", "Ligne")
_TAIL = ("État", "Fichier")
PROBLEM_HEADERS = ("Fichier", "N° auditeur", "État", "Problème", "Ce qui manque")
# The custom document property (Excel: Fichier › Informations › Propriétés › Propriétés
# avancées › Personnalisation) in which `gen collect` records, in the workbook it writes,
# where its retours.xlsx is: relative to the workbook's folder when they share a drive.
RETOURS_PROPERTY = "Retours des évaluations (gen collect)"
_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_MAX_CUSTOM_BYTES = 1024 * 1024  # a few properties; more is not a workbook's own


def write_retours(path: Path, outcomes: Sequence[Outcome]) -> None:
    """Write the forms read (sheet « Retours », one row per form matched to a student) and
    every file that was not brought in (sheet « Problèmes ») to `path`, atomically."""
    from openpyxl import Workbook

    from generator.workbook.files import save_atomically

    workbook = Workbook()
    forms = workbook.active
    assert forms is not None
    forms.title = FORMS_SHEET
    _header(forms, (*_HEAD, *(field.label for field in form.FIELDS), *_TAIL))
    for outcome in outcomes:
        if outcome.row is None:
            continue
        row, answers = outcome.row, _answers(outcome)
        _append(forms, (outcome.number, row.nom, row.prenom, row.row_number,
                        *(answers.get(field.key) for field in form.FIELDS),
                        outcome.status, outcome.source))
    problems = workbook.create_sheet(PROBLEMS_SHEET)
    _header(problems, PROBLEM_HEADERS)
    for outcome in outcomes:
        if not outcome.ok:
            missing = outcome.evaluation.missing if outcome.evaluation else ()
            _append(problems, (outcome.source, outcome.number, outcome.status, outcome.message,
                               "\n".join(missing) or None))
    save_atomically(workbook, path, overwrite=True)


def _answers(outcome: Outcome) -> dict[str, object]:
    evaluation = outcome.evaluation
    if evaluation is None:
        return {}
    decision = None if evaluation.validated is None else \
        form.VALIDATED if evaluation.validated else form.NOT_VALIDATED
    return {**evaluation.ratings, **evaluation.texts, "decision": decision,
            "heures": evaluation.hours, "date": evaluation.signed_on}


def _header(sheet: Worksheet, headers: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _append(sheet: Worksheet, cells: Sequence[object]) -> None:
    from openpyxl.cell.cell import Cell

    sheet.append([clean_value(cell) if isinstance(cell, str) else cell for cell in cells])
    for cell in sheet[sheet.max_row]:
        if not isinstance(cell, Cell):
            continue
        if isinstance(cell.value, str):
            cell.data_type = "s"  # a typed « =… » stays text, never a formula
        elif cell.is_date:
            cell.number_format = "DD/MM/YYYY"


def retours_reference(retours: Path, workbook: Path) -> str:
    """How `workbook` records `retours` (RETOURS_PROPERTY): the path relative to the
    workbook's folder, with « / », so that it holds wherever gen runs from and when the
    folder moves as a whole; absolute when they are on different drives."""
    retours, folder = Path(retours).resolve(), Path(workbook).resolve().parent
    try:
        return Path(os.path.relpath(retours, folder)).as_posix()
    except ValueError:  # Windows: another drive has no relative path
        return retours.as_posix()


def recorded_retours(workbook: Path) -> Path | None:
    """The retours.xlsx that the last `gen collect` writing `workbook` (.xlsx/.xlsm, updated
    --in-place or the « -avec-retours » copy) recorded in it (RETOURS_PROPERTY), resolved;
    None for a workbook without it, a CSV or .ods file, or an unreadable one. Reads one small
    part of the zip, never the sheets."""
    try:
        with zipfile.ZipFile(workbook) as archive:
            if archive.getinfo(_CUSTOM_PART).file_size > _MAX_CUSTOM_BYTES:
                return None
            root = ElementTree.fromstring(archive.read(_CUSTOM_PART))
    except (KeyError, OSError, EOFError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    for prop in root.iter(f"{_CUSTOM_NS}property"):
        if prop.get("name") == RETOURS_PROPERTY:
            text = "".join(prop.itertext()).strip()
            return (Path(workbook).resolve().parent / text).resolve() if text else None
    return None


def find_retours(cohort: Path, output: Path | None) -> Path | None:
    """The retours.xlsx the last `gen collect` of `cohort` wrote, or None: the one recorded in
    the workbook (`recorded_retours`: a workbook updated with --in-place, or the copy), else
    beside the workbook (collect writes its « -avec-retours » copy next to it), else in
    `<output>/evaluations/` (the original workbook, with the -o collect was given). Resolved
    from the workbook and the output folder, never from the current folder alone, so that
    check, reminders and dashboard read the same returns wherever they are run from."""
    candidates = [recorded_retours(cohort), Path(cohort).resolve().parent / RETOURS]
    if output is not None:
        candidates.append(Path(output).resolve() / "evaluations" / RETOURS)
    return next((path for path in candidates if path is not None and path.is_file()), None)


def incomplete_returns(path: Path | None) -> dict[str, tuple[str, ...]]:
    """N° auditeur (case-folded) → what its returned form lacks, for each form the last
    `gen collect` found incomplete (`path`: its retours.xlsx, `find_retours`; {} when there
    is none)."""
    if path is None or not path.is_file():
        return {}
    from openpyxl import load_workbook

    from generator.collect.run import INCOMPLETE

    try:
        sheet = load_workbook(path, read_only=True)[PROBLEMS_SHEET]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
    except Exception:  # noqa: BLE001 — an unreadable report only loses the finer reminder
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for row in rows:
        _file, number, status, _message, missing = (tuple(row) + (None,) * 5)[:5]
        if status == INCOMPLETE and number:
            found[str(number).strip().casefold()] = tuple(str(missing or "").splitlines())
    return found
