"""The annotated copy of `gen check --report`: the team's workbook with each finding's cell
coloured and commented, plus a `Contrôles` sheet listing every finding."""

from __future__ import annotations

import os
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from generator.clean import clean_text, clean_value
from generator.cohort import values
from generator.cohort.columns import BY_KEY
from generator.cohort.model import Cohort
from generator.errors import GenError
from generator.findings import SEVERITY_ORDER, Finding, Severity
from generator.neutral import set_text
from generator.workbook.files import save_atomically
from generator.workbook.keep import restore_extensions
from generator.workbook.rebuild import rebuild_workbook, sheet_title
from generator.workbook.styles import (
    TOP_WRAP,
    fit_row_height,
    print_on_page_width,
    solid,
    style_header_row,
)

CHECKS_SHEET = "Contrôles"
CHECKS_HEADERS = ["Ligne", "N° auditeur", "Colonne", "Gravité", "Code", "Message", "Valeur"]
CHECKS_WIDTHS = [8, 14, 28, 15, 28, 90, 30]
SEVERITY_NAMES = {Severity.ERROR: "Erreur", Severity.WARNING: "Avertissement",
                  Severity.INFO: "Information"}
SEVERITY_COLORS = {Severity.ERROR: "FF7C80", Severity.WARNING: "FFC000",
                   Severity.INFO: "BDD7EE"}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
AUTHOR = "gen check"


class ReportLike(Protocol):
    """What the annotation needs of a `generator.rules.report.Report`."""

    @property
    def findings(self) -> Sequence[Finding]: ...

    @property
    def cohort(self) -> Cohort: ...


def write_annotated(source: Path, report: ReportLike, destination: Path) -> list[str]:
    """Write to `destination` a copy of the workbook `source` in which each finding's cell is
    filled (red: error, orange: warning, light blue: info) and carries a comment holding the
    message(s), plus a `Contrôles` sheet listing every finding (replaced if the source already
    has one). The source file is never written: `destination` must be another file.

    The cell of a finding is at its row (as Excel shows it) and in the column whose header,
    in the cohort's header row, is the finding's column; a finding of a row without a column
    marks that row's N° auditeur cell; a file-level finding marks the header of its column
    when there is one, and is otherwise only listed in `Contrôles`.

    .xlsx and .xlsm are copied with their formatting, formulas (recomputed when the copy is
    opened), comments, validations, conditional formats, tables, defined names and other
    sheets; the sheets' extensions openpyxl does not read (drop-down lists from another
    sheet, x14 conditional formats, sparklines) are put back from the original; macros are
    kept when both files are .xlsm. Returns what the copy could not keep, in French (« les
    images », « les graphiques »…), for the command to say; empty when nothing is lost.
    An .ods or .csv cannot be opened that way: the copy is then a new .xlsx holding the cell
    values of every sheet at the same rows and columns (a .csv's cells as the text the file
    holds), annotated the same way. Written to a temporary file and renamed into place;
    GenError (French message) when the copy cannot be made.
    """
    source, destination = Path(source), Path(destination)
    _refuse_same_file(source, destination)
    suffix = source.suffix.lower()
    if destination.suffix.lower() not in EXCEL_SUFFIXES:
        raise GenError(f"La copie annotée « {destination.name} » doit être un classeur .xlsx.")
    keep_vba = suffix == ".xlsm" and destination.suffix.lower() == ".xlsm"
    if destination.suffix.lower() == ".xlsm" and not keep_vba:
        raise GenError(f"« {source.name} » n'a pas de macros : nommez la copie annotée .xlsx.")
    if suffix not in EXCEL_SUFFIXES:
        workbook = rebuild_workbook(source)
        annotate_workbook(workbook, report)
        save_atomically(workbook, destination, overwrite=True)
        return []
    workbook = load_for_copy(source, keep_vba)
    sheets = list(workbook.sheetnames)
    annotate_workbook(workbook, report)
    lost: list[str] = []

    def keep_extensions(data: bytes) -> bytes:
        with zipfile.ZipFile(source) as original:
            kept, missing = restore_extensions(original, data, sheets)
        lost.extend(missing)
        return kept

    save_atomically(workbook, destination, overwrite=True, finish=keep_extensions)
    return lost


def annotate_workbook(workbook: Workbook, report: ReportLike) -> None:
    """Colour and comment the findings' cells, and add the `Contrôles` sheet (in memory)."""
    cohort = report.cohort
    sheet = cohort_sheet(workbook, cohort.sheet)
    locate = _Locator(sheet, cohort) if sheet is not None else None
    cells: dict[tuple[int, int], list[Finding]] = defaultdict(list)
    located: dict[int, tuple[int, int]] = {}
    for index, finding in enumerate(report.findings):
        position = locate(finding) if locate is not None else None
        if position is not None:
            cells[position].append(finding)
            located[index] = position
    if sheet is not None:
        for (row, column), findings in cells.items():
            _mark(_anchor(sheet, row, column), findings)
    _checks_sheet(workbook, report.findings, located, sheet, locate)
    # formulas lose their cached values when openpyxl saves: have them computed on opening
    workbook.calculation.fullCalcOnLoad = True


def _refuse_same_file(source: Path, destination: Path) -> None:
    same = source.resolve() == destination.resolve()
    if not same and source.exists() and destination.exists():
        same = os.path.samefile(source, destination)  # hard links, case-insensitive disks
    if same:
        raise GenError(f"La copie annotée ne peut pas remplacer le classeur « {source.name} » "
                       "lui-même : donnez un autre nom, par exemple controles.xlsx.")


def load_for_copy(source: Path, keep_vba: bool) -> Workbook:
    """`source` (.xlsx/.xlsm) opened to be written back as a copy: formulas and formatting
    inside cells kept. GenError (French) when it cannot be opened."""
    try:
        # openpyxl warns (in English) about the parts it drops; the docstring says which
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # data_only=False keeps the formulas, rich_text=True the formatting inside cells
            return load_workbook(source, keep_vba=keep_vba, data_only=False, rich_text=True)
    except Exception as error:  # zip, XML and openpyxl errors alike: the copy cannot be made
        raise GenError(f"Impossible d'ouvrir « {source.name} » pour en faire une copie "
                       f"({error}).") from error


def cohort_sheet(workbook: Workbook, name: str) -> Worksheet | None:
    """The sheet the cohort was read from (`name`), also under a rebuilt copy's title or
    written without case or accents; None when there is none."""
    for sheet in workbook.worksheets:
        if sheet.title in (name, sheet_title(name)):  # a rebuilt copy may rename the sheet
            return sheet
    return next((s for s in workbook.worksheets if values.fold(s.title) == values.fold(name)),
                None)


class _Locator:
    """Finds a finding's cell: its row, and the column whose header is the finding's column."""

    def __init__(self, sheet: Worksheet, cohort: Cohort) -> None:
        self.header_row = cohort.header_row
        self.cohort = cohort
        self.columns: dict[str, int] = {}
        for cell in sheet[self.header_row]:
            if isinstance(cell, Cell) and cell.value is not None:
                self.columns.setdefault(values.header(cell.value), cell.column)
        self.id_column = self._column(cohort.header("numero_auditeur"), "numero_auditeur")

    def _column(self, header: str | None, key: str | None) -> int | None:
        if header and (found := self.columns.get(values.header(header))):
            return found
        if key in BY_KEY:
            return self.columns.get(values.header(self.cohort.header(key)))
        return None

    def __call__(self, finding: Finding) -> tuple[int, int] | None:
        column = self._column(finding.column, finding.key)
        row = finding.row or _first_row(finding)
        if row is None:
            return (self.header_row, column) if column is not None else None
        if column is None and (names := finding.facts.get("columns")):
            column = self._column(str(names[0]) if isinstance(names, tuple) else None, None)
        if column is None:
            column = self.id_column
        return (row, column) if column is not None else None


def _first_row(finding: Finding) -> int | None:
    """The first row a file-level finding names in its facts: the rows not read as students
    (FILE-NOT-STUDENTS), the first of merged rows (FILE-MERGED-CELLS); None for the others."""
    facts = finding.facts
    rows = facts.get("rows")
    first = rows[0] if isinstance(rows, tuple) and rows else facts.get("first_row")
    return first if isinstance(first, int) and not isinstance(first, bool) else None


def _anchor(sheet: Worksheet, row: int, column: int) -> Cell:
    """The cell to mark: a merged area's top-left cell holds its value and its comment."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(cell, MergedCell):
        for area in sheet.merged_cells.ranges:
            if cell.coordinate in area:
                return sheet.cell(row=area.min_row, column=area.min_col)  # type: ignore[return-value]
    return cell  # type: ignore[return-value]


def _worst(findings: Sequence[Finding]) -> Severity:
    return min((f.severity for f in findings), key=lambda s: SEVERITY_ORDER[s])


def _mark(cell: Cell, findings: list[Finding]) -> None:
    cell.fill = solid(SEVERITY_COLORS[_worst(findings)])
    ordered = sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
    text = "\n\n".join(f"{SEVERITY_NAMES[f.severity]} ({f.code}) : {f.message}" for f in ordered)
    if cell.comment is not None:  # the team's own note stays, above the findings
        text = f"{cell.comment.text}\n\n— {AUTHOR} —\n{text}"
    lines = sum(1 + len(line) // 55 for line in text.split("\n"))
    cell.comment = Comment(clean_text(text), AUTHOR, width=360, height=min(24 + 15 * lines, 600))


def _sort_key(item: tuple[int, Finding]) -> tuple[int, int, int]:
    index, finding = item
    return (finding.row or 0, SEVERITY_ORDER[finding.severity], index)


def _student(finding: Finding, sheet: Worksheet | None, locate: _Locator | None) -> str | None:
    """The finding's N° auditeur, else the one in its row of the sheet."""
    if finding.student or sheet is None or locate is None or locate.id_column is None:
        return finding.student
    if not finding.row:
        return None
    return values.text(sheet.cell(finding.row, locate.id_column).value)


def _checks_sheet(workbook: Workbook, findings: Sequence[Finding],
                  located: dict[int, tuple[int, int]], sheet: Worksheet | None,
                  locate: _Locator | None) -> None:
    if CHECKS_SHEET in workbook.sheetnames:  # a copy annotated again: start afresh
        workbook.remove(workbook[CHECKS_SHEET])
    checks = workbook.create_sheet(CHECKS_SHEET)
    style_header_row(checks, CHECKS_HEADERS, CHECKS_WIDTHS)
    checks.freeze_panes = "A2"
    checks.print_title_rows = "1:1"
    print_on_page_width(checks)
    for line, (index, finding) in enumerate(sorted(enumerate(findings), key=_sort_key), 2):
        row_values = (finding.row, _student(finding, sheet, locate), finding.column,
                      SEVERITY_NAMES[finding.severity], finding.code, finding.message,
                      finding.value)
        for column, value in enumerate(row_values, start=1):
            cell = checks.cell(row=line, column=column)
            set_text(cell, clean_value(value))  # a cell's « =… » stays text, never a formula
            cell.alignment = TOP_WRAP
        fit_row_height(checks, line, list(zip(row_values, CHECKS_WIDTHS, strict=True)))
        checks.cell(row=line, column=4).fill = solid(SEVERITY_COLORS[finding.severity])
        if sheet is not None and index in located:
            row, column = located[index]
            link = checks.cell(row=line, column=1 if finding.row else 3)
            target = f"{quote_sheetname(sheet.title)}!{get_column_letter(column)}{row}"
            link.hyperlink = Hyperlink(ref=link.coordinate, location=target)
            link.style = "Hyperlink"
            link.alignment = TOP_WRAP
    checks.auto_filter.ref = f"A1:{get_column_letter(len(CHECKS_HEADERS))}{len(findings) + 1}"
    for other in workbook.worksheets:  # open the copy on the findings, one tab selected
        other.sheet_view.tabSelected = False
    workbook.active = workbook.worksheets.index(checks)
    checks.sheet_view.tabSelected = True
