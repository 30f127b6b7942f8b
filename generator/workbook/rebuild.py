"""An .xlsx built from the cell values of an .ods or .csv cohort, for the annotated copy
(openpyxl only opens Excel files). The sheets are read by the cohort reader's own opener, so
the copy holds what `gen check` read, at the same rows and columns: a finding's row number
points at the same student in the copy."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.clean import clean_value
from generator.cohort.formats import open_book

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def rebuild_workbook(source: Path) -> Workbook:
    """Every sheet of `source` (an .ods: the values LibreOffice last computed; a .csv: its
    one sheet, cells kept as the text the file holds) in a new workbook, values only."""
    book = open_book(source)
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    for name in book.sheet_names:
        _fill(workbook.create_sheet(sheet_title(name)), book.grid(name).cells)
    if not workbook.worksheets:
        workbook.create_sheet("Cohorte")
    return workbook


def sheet_title(name: str) -> str:
    """A sheet title Excel accepts (31 characters, none of []:*?/\\)."""
    return _BAD_TITLE.sub("_", name)[:31] or "Feuille"


def _fill(sheet: Worksheet, rows: Sequence[Sequence[object]]) -> None:
    widths: dict[int, int] = {}
    for row_index, row in enumerate(rows, start=1):
        for column_index, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_index, column=column_index)
            cell.value = clean_value(value)  # type: ignore[assignment]  # str/float/date/time
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            longest_line = max(len(line) for line in str(value).split("\n"))
            widths[column_index] = max(widths.get(column_index, 10), min(longest_line + 2, 45))
    for column_index, width in widths.items():
        sheet.column_dimensions[get_column_letter(column_index)].width = width
