"""Workbook → `Cohort`: choose the sheet, find the header row, map the headers to the column
keys of cohort.md, and normalise each cell with its column's normaliser.

Bad cells are not errors here: their key goes into `Row.invalid` (value None, text kept in
`Row.raw`) and the rules turn them into CELL-… findings. Only a file that cannot be used at all
raises `InputError` (FILE-…).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from itertools import compress, count, repeat
from pathlib import Path
from typing import cast

from generator.cohort import values
from generator.cohort.columns import BY_KEY, COLUMNS, UNITS
from generator.cohort.formats import Book, Grid, open_book, unreadable
from generator.cohort.headers import (
    HEADER_SEARCH_ROWS,
    Table,
    column_name,
    filled,
    find_header_row,
    map_headers,
)
from generator.cohort.model import Cohort, Row
from generator.cohort.params import Params, parse_params
from generator.cohort.shape import hidden_findings, left_out_findings, spread_merged
from generator.cohort.students import student_rows
from generator.collector import collector_paused
from generator.errors import InputError
from generator.findings import Finding, Severity


def read_cohort(path: Path) -> Cohort:
    """Read the cohort workbook at `path` (.xlsx, .xlsm, .ods or .csv).

    Raises InputError (FILE-UNREADABLE, FILE-NO-SHEET, FILE-NO-HEADER, FILE-DUPLICATE-COLUMN,
    FILE-MISSING-COLUMN for an identity column, FILE-BAD-PARAMETER).
    """
    with collector_paused():
        return _read(Path(path))


def _read(path: Path) -> Cohort:
    book = open_book(path)
    grid = book.grid(_students_sheet(book))
    if not _has_cells(grid):
        raise unreadable(path, f"Le classeur « {path.name} » est vide : il ne contient aucune "
                               f"cellule remplie. Indiquez le classeur de cohorte (gen init "
                               f"en crée un modèle).")
    params = _read_params(book)
    try:
        header_index = find_header_row(grid)
    except InputError as error:  # a wrong encoding hides the headers: say it first
        if book.encoding is None:
            raise
        finding = error.finding
        raise InputError(dataclasses.replace(
            finding, message=f"Le fichier « {path.name} » {book.encoding}. "
                             f"{finding.message}")) from error
    table = map_headers(grid, header_index)
    if book.kind == "csv":
        _month_first_dates(grid, header_index + 1, table)
    if book.serial_epoch is not None:
        _own_serials(grid, header_index + 1, table, book.serial_epoch)
    findings = spread_merged(grid, header_index, table)
    if book.encoding is not None:
        findings.append(Finding("FILE-ENCODING", Severity.INFO,
                                f"Le fichier « {path.name} » {book.encoding}.",
                                facts={"file": path.name, "encoding": book.encoding}))
    selection = student_rows(grid, header_index + 1, table)
    rows = _read_rows(grid, header_index, table, selection.keep)
    findings += left_out_findings(selection, table, grid) + hidden_findings(grid, rows)
    findings += [
        Finding("FILE-UNKNOWN-COLUMN", Severity.INFO,
                f"La colonne « {header} » ({column_name(index)}) n'est pas une colonne "
                f"connue : elle n'est pas contrôlée, mais les modèles peuvent l'utiliser "
                f"(extra[\"{header}\"]).", column=header,
                facts={"header": header, "column_letter": column_name(index)})
        for index, header in table.unknown.items()
    ]
    return Cohort(path=path, params=params, rows=rows, headers=table.headers, sheet=grid.name,
                  header_row=header_index + 1, findings=findings, positions=table.positions)


# --- sheets ---

def _folded_name(name: str) -> str:
    return values.fold(name).replace(" ", "")


def _is_params(name: str) -> bool:
    return _folded_name(name) in ("parametres", "parametre")


def _has_cells(grid: Grid) -> bool:
    return any(filled(cell) for column in grid.columns for cell in column)


def _students_sheet(book: Book) -> str:
    """`Cohorte` (folded), else the one sheet named « Cohorte … » (« Cohorte 2026-2027 »),
    else the only sheet holding cells besides `Paramètres`."""
    for name in book.sheet_names:
        if _folded_name(name) == "cohorte":
            return name
    named = [name for name in book.sheet_names if _folded_name(name).startswith("cohorte")]
    if len(named) == 1:
        return named[0]
    candidates = [n for n in book.sheet_names if not _is_params(n)]
    if len(candidates) == 1:
        return candidates[0]
    holding = [n for n in candidates if _has_cells(book.grid(n))]
    if len(holding) == 1:
        return holding[0]
    if not holding and candidates:  # only empty sheets: read_cohort reports the empty file
        return candidates[0]
    listed = ", ".join(f"« {n} »" for n in book.sheet_names)
    raise InputError(Finding(
        "FILE-NO-SHEET", Severity.ERROR,
        f"Le classeur « {book.path.name} » n'a pas de feuille « Cohorte » "
        f"{'et plusieurs feuilles contiennent des données ' if holding else ''}"
        f"(feuilles : {listed}) : renommez « Cohorte » la feuille des auditeurs.",
        facts={"file": book.path.name, "sheets": tuple(book.sheet_names)}))


def _read_params(book: Book) -> Params:
    if book.kind == "csv":  # no room for a Paramètres sheet: the defaults, said so in messages
        return Params(sheet=None)
    # never the students' sheet: _students_sheet does not choose a Paramètres sheet
    name = next((n for n in book.sheet_names if _is_params(n)), None)
    if name is None:
        return Params()
    cells = book.grid(name).cells
    label_col, value_col = 0, 1
    for row in cells[:HEADER_SEARCH_ROWS]:  # the two columns may not be A and B
        folded = [values.header(c) for c in row]
        if "parametre" in folded and "valeur" in folded:
            label_col, value_col = folded.index("parametre"), folded.index("valeur")
            break
    raw: dict[object, tuple[int, object]] = {}
    for number, row in enumerate(cells, start=1):
        if len(row) > label_col and filled(row[label_col]):
            raw[row[label_col]] = (number, row[value_col] if len(row) > value_col else None)
    params, findings = parse_params(raw, sheet=name)
    if findings:  # one error, but naming every bad parameter so that one pass fixes them
        first = findings[0]
        message = " ".join(f.message for f in findings)
        raise InputError(Finding(first.code, first.severity, message, column=first.column,
                                 value=first.value, facts={
                                     "sheet": name,
                                     "parameters": tuple(str(f.facts["parameter"])
                                                         for f in findings),
                                     "sheet_rows": tuple(int(str(f.facts["sheet_row"]))
                                                         for f in findings)}))
    return params


# --- rows ---

_SLASHED_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")


def _month_first_dates(grid: Grid, start: int, table: Table) -> None:
    """A CSV exported by a spreadsheet set to English writes 09/14/2026: when no date of the
    file's date columns reads day first (a first number above 12 somewhere, or none above 12
    in the second place), the file is month first and its dates are turned to dd/mm/yyyy.
    The file decides as a whole: 01/02/2026 alone could be either."""
    columns = [grid.columns[i] for i, key in table.keys.items() if BY_KEY[key].type == "date"]
    month_first = False
    for column in columns:
        for cell in column[start:]:
            if isinstance(cell, str) and (match := _SLASHED_DATE.match(cell)):
                first, second = int(match[1]), int(match[2])
                if first > 12:
                    return  # day first: the French way, nothing to turn
                month_first = month_first or second > 12
    if not month_first:
        return
    for column in columns:
        for index in range(start, len(column)):
            cell = column[index]
            if isinstance(cell, str) and (match := _SLASHED_DATE.match(cell)):
                column[index] = f"{match[2]}/{match[1]}/{cell[match.end(2) + 1:].strip()}"


_NUMBER_KINDS = frozenset({"number", "hours", "euros", "int"})


def _own_serials(grid: Grid, start: int, table: Table, epoch: dt.datetime) -> None:
    """A workbook in the 1904 date system (`Book.serial_epoch`): its numbers in date columns
    are dates counted from its own serial 0, and its dates in number columns (a number
    formatted as a date) the numbers they hold, as Excel shows them once the cell's format
    is changed — not as the 1900 system's normalisers would read them."""
    for index, key in table.keys.items():
        kind = UNITS.get(key, BY_KEY[key].type)
        if kind == "date":
            convert = values.date_of_serial
        elif kind in _NUMBER_KINDS:
            convert = values.serial_of_date
        else:
            continue
        column = grid.columns[index]
        column[start:] = [convert(cell, epoch) for cell in column[start:]]


_INVALID = object()  # marks a cell that is not of its column's type


def _read_rows(grid: Grid, header_index: int, table: Table, keep: list[bool]) -> list[Row]:
    """One Row per student's line below the header (`keep`), normalised column by column."""
    start = header_index + 1  # index of the first row below the header
    numbers = list(compress(count(start + 1), keep))  # the row at index start is row start + 1
    if not numbers:
        return []
    everything = len(numbers) == len(keep)

    def column(index: int) -> list[object]:
        cells = grid.columns[index][start:]
        return cells if everything else list(compress(cells, keep))

    rows = _typed_rows(numbers, {key: column(index) for index, key in table.keys.items()})
    if grid.uncached:
        position_of = {number: position for position, number in enumerate(numbers)}
        for number, index in grid.uncached:
            key = table.keys.get(index)
            if key is not None and number in position_of:
                row = rows[position_of[number]]
                if not row.filled(key):
                    row.uncached.add(key)
    for index, header in table.unknown.items():
        for row, cell in zip(rows, column(index), strict=True):
            text = values.text(cell)
            if text is not None:
                row.extra[header] = text
    return rows


# Row's fields after row_number are the column keys: rows are built by position, one call
# each (keywords, or an update of __dict__, cost twice as much).
_ROW_KEYS = tuple(f.name for f in dataclasses.fields(Row))[1:len(COLUMNS) + 1]
assert set(_ROW_KEYS) == set(BY_KEY), "Row's fields after row_number must be the column keys"


def _typed_rows(numbers: list[int], columns: dict[str, list[object]]) -> list[Row]:
    keys = list(columns)
    typed: dict[str, list[object]] = {}
    shown: list[list[str | None]] = []
    invalid: dict[str, list[int]] = {}  # key → positions of its bad cells
    for key, cells in columns.items():
        column_values, column_text, any_invalid = _normalise_column(key, cells)
        if any_invalid:
            invalid[key] = [i for i, v in enumerate(column_values) if v is _INVALID]
            column_values = [None if v is _INVALID else v for v in column_values]
        typed[key] = column_values
        shown.append(column_text)
    absent = repeat(None)  # a column the sheet lacks: every row has None
    rows = list(map(Row, numbers, *(typed.get(key, absent) for key in _ROW_KEYS)))
    # the cells as text, without the empty ones (text() gives None, never "", for those)
    raws = (dict(compress(zip(keys, texts, strict=True), texts))
            for texts in zip(*shown, strict=True))
    for row, raw in zip(rows, raws, strict=True):
        row.raw = raw
    for key, positions in invalid.items():
        for position in positions:
            rows[position].invalid.add(key)
    return rows


def _normalise_column(key: str, cells: list[object]
                      ) -> tuple[list[object], list[str | None], bool]:
    """The typed values (`_INVALID` for a bad cell), the cells as text, and whether any cell
    is bad, of one column.

    A column repeats its values (choices, dates, hours), so each distinct cell is normalised
    once and the column is mapped through the result at C speed.
    """
    normalise: Callable[[object], object] = values.NORMALISERS[
        UNITS.get(key, BY_KEY[key].type)]
    distinct = set(cells)
    distinct.difference_update(("", None))
    # True == 1 == 1.0 would share one entry: a column mixing booleans and those numbers (rare)
    # is normalised cell by cell. Booleans equal 0 or 1, so only a column holding a value
    # equal to 0 or 1 has each cell's type looked at.
    if (0 in distinct or 1 in distinct) and bool in set(map(type, cells)):
        typed = [_normalise(normalise, cell) for cell in cells]
        bad = any(value is _INVALID for value in typed)
        return typed, [values.text(cell) for cell in cells], bad
    typed_of: dict[object, object] = {"": None, None: None}
    if normalise is values.text:
        # text() takes any cell and never fails, and the typed value is the text itself:
        # one mapping serves both
        typed_of.update(zip(distinct, map(values.text, distinct), strict=True))
        column = list(map(typed_of.__getitem__, cells))
        return column, cast(list[str | None], column), False
    text_of: dict[object, str | None] = {"": None, None: None}
    for cell in distinct:
        typed_of[cell] = _normalise(normalise, cell)
    text_of.update(zip(distinct, map(values.text, distinct), strict=True))
    bad = any(value is _INVALID for value in typed_of.values())  # over the distinct cells
    return (list(map(typed_of.__getitem__, cells)), list(map(text_of.__getitem__, cells)),
            bad)


def _normalise(normalise: Callable[[object], object], cell: object) -> object:
    if cell == "" or cell is None:
        return None
    try:
        return normalise(cell)
    except (ValueError, TypeError, OverflowError, ArithmeticError):
        return _INVALID
