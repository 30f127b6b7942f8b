"""The returned evaluations written into the cohort workbook: only the target cells change.

By default a copy (`<name>-avec-retours.xlsx`); with `in_place`, the workbook itself after a
dated backup copy beside it, never while Excel or LibreOffice has it open. The workbook is
opened as for the annotated copy (gen check --report): formatting, formulas, validations,
comments and other sheets are kept; a column the workbook lacks is added after the last one.
The workbook written records where collect's retours.xlsx is (`retours.RETOURS_PROPERTY`), so
that check, reminders and dashboard find the returns of its last collect from anywhere.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles.numbers import is_date_format
from openpyxl.worksheet.worksheet import Worksheet

from generator.cohort import values
from generator.cohort.columns import BY_KEY
from generator.cohort.model import Cohort
from generator.collect.retours import RETOURS_PROPERTY, recorded_retours, retours_reference
from generator.errors import GenError
from generator.workbook.annotate import cohort_sheet, load_for_copy
from generator.workbook.files import save_atomically
from generator.workbook.rebuild import rebuild_workbook

DATE_FORMAT = "DD/MM/YYYY"

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class CellChange:
    row: int  # as Excel shows it
    key: str  # the column's key (columns.py)
    value: object  # a date, a number or text


@dataclass
class WorkbookUpdate:
    path: Path  # the copy written, or the workbook itself
    backup: Path | None  # in place: the copy made before writing
    changes: list[CellChange] = field(default_factory=list)
    added_columns: list[str] = field(default_factory=list)  # headers added to the sheet


def lock_files(workbook: Path) -> list[Path]:
    """The lock files Excel (`~$name`, the name's first two letters dropped when long) and
    LibreOffice (`.~lock.name#`) keep beside a workbook they have open."""
    name = workbook.name
    candidates = [f"~${name}", f"~${name[2:]}", f".~lock.{name}#"]
    return [workbook.with_name(candidate) for candidate in candidates
            if workbook.with_name(candidate).exists()]


def refuse_if_open(workbook: Path) -> None:
    """GenError while the workbook is open in Excel or LibreOffice (their lock file exists)."""
    locks = lock_files(workbook)
    if locks:
        raise GenError(f"Le classeur « {workbook.name} » est ouvert dans Excel ou LibreOffice "
                       f"(fichier de verrou « {locks[0].name} ») : fermez-le, puis relancez "
                       "gen collect --in-place.")


def update_workbook(cohort: Cohort, changes: list[CellChange], folder: Path,
                    in_place: bool, retours: Path,
                    now: dt.datetime | None = None) -> WorkbookUpdate | None:
    """Write `changes` into a copy in `folder`, or into the workbook itself (`in_place`), and
    record `retours` (this collect's retours.xlsx) in the workbook written. In place with
    nothing to change and `retours` already recorded, nothing is written and no backup made
    (None): a form that came back incomplete changes no cell, but its record is what tells
    the next commands what it lacks."""
    source = cohort.path
    suffix = source.suffix.lower()
    if in_place and suffix not in EXCEL_SUFFIXES:
        raise GenError(f"--in-place ne s'applique qu'à un classeur .xlsx ou .xlsm ; « "
                       f"{source.name} » sera mis à jour dans une copie : relancez sans "
                       "--in-place.")
    if in_place and not changes and recorded_retours(source) == retours.resolve():
        return None
    excel = suffix in EXCEL_SUFFIXES
    workbook = (load_for_copy(source, keep_vba=suffix == ".xlsm") if excel
                else rebuild_workbook(source))
    sheet = cohort_sheet(workbook, cohort.sheet)
    if sheet is None:
        raise GenError(f"Feuille « {cohort.sheet} » introuvable dans « {source.name} ».")
    update = WorkbookUpdate(source, None, changes)
    columns = {key: _column(sheet, cohort, key, update) for key in {c.key for c in changes}}
    for change in changes:
        cell = sheet.cell(row=change.row, column=columns[change.key])
        if isinstance(cell, Cell):  # a merged cell's value lives in its first cell: left alone
            _write(cell, change.value, sheet, cohort.header_row)
    workbook.calculation.fullCalcOnLoad = True  # formulas lose their cached values on save
    destination = source if in_place else \
        folder / f"{source.stem}-avec-retours{suffix if excel else '.xlsx'}"
    _record_retours(workbook, retours, destination)
    if in_place:
        stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d-%H%M%S")
        update.backup = source.with_name(f"{source.stem}.sauvegarde-{stamp}{source.suffix}")
        try:
            shutil.copy2(source, update.backup)
        except OSError as error:
            raise GenError(f"Impossible de faire la copie de sauvegarde « {update.backup.name} "
                           f"» ({error.strerror or error}) : le classeur n'est pas modifié."
                           ) from error
        save_atomically(workbook, source, overwrite=True)
        return update
    update.path = destination
    save_atomically(workbook, update.path, overwrite=True)
    return update


def _record_retours(workbook: Workbook, retours: Path, destination: Path) -> None:
    """`retours` recorded in `workbook`, to be saved as `destination` (RETOURS_PROPERTY,
    replacing an earlier collect's)."""
    properties = workbook.custom_doc_props  # type: ignore[attr-defined]  # openpyxl 3.1, not in its stubs
    if RETOURS_PROPERTY in properties.names:
        del properties[RETOURS_PROPERTY]
    properties.append(StringProperty(name=RETOURS_PROPERTY,
                                     value=retours_reference(retours, destination)))


def _column(sheet: Worksheet, cohort: Cohort, key: str, update: WorkbookUpdate) -> int:
    """The column of `key` (1 = A), added after the last header when the sheet lacks it."""
    if key in cohort.positions:
        return cohort.positions[key]
    wanted = values.header(BY_KEY[key].label)
    last = 0
    for cell in sheet[cohort.header_row]:
        if isinstance(cell, Cell) and cell.value is not None:
            last = max(last, cell.column)
            if values.header(cell.value) == wanted:
                return cell.column
    header = sheet.cell(row=cohort.header_row, column=last + 1)
    header.value = BY_KEY[key].label
    if last:
        header._style = copy.copy(sheet.cell(row=cohort.header_row, column=last)._style)  # type: ignore[union-attr]
    update.added_columns.append(BY_KEY[key].label)
    return last + 1


def _date_format(cell: Cell, sheet: Worksheet, header_row: int) -> str:
    """The date format a date written into ``cell`` takes: the cell's own when it has one,
    else that of the first date of its column below the headers, else DD/MM/YYYY (as the
    team types dates); never openpyxl's own yyyy-mm-dd."""
    if is_date_format(cell.number_format):
        return str(cell.number_format)
    for (other,) in sheet.iter_rows(min_row=header_row + 1, min_col=cell.column,
                                    max_col=cell.column):
        if isinstance(other.value, dt.date) and is_date_format(other.number_format):
            return str(other.number_format)
    return DATE_FORMAT


def _write(cell: Cell, value: Any, sheet: Worksheet, header_row: int) -> None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date):
        date_format = _date_format(cell, sheet, header_row)
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = date_format
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
