"""The few styles shared by the sheets that `gen` writes for people."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
THIN_BOTTOM = Border(bottom=Side(style="thin", color="808080"))
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)


def solid(color: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=color, end_color=color)


# Header fills of the `Cohorte` sheet, one per group of columns (explained in Mode d'emploi).
HEADER_FILL = solid("D9E1F2")


def style_header_row(sheet: Worksheet, labels: Sequence[str], widths: Sequence[float],
                     row: int = 1, fill: PatternFill = HEADER_FILL) -> None:
    """Write a bold, filled, wrapped header row and set the column widths."""
    for index, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=index, value=label)
        cell.font = HEADER_FONT
        cell.fill = fill
        cell.alignment = HEADER_ALIGNMENT
        cell.border = THIN_BOTTOM
        sheet.column_dimensions[cell.column_letter].width = width


LINE_HEIGHT = 15.0  # points: one line of Calibri 11


def wrapped_lines(text: object, width: float) -> int:
    """How many lines `text` takes in a wrapped cell `width` characters wide (an estimate:
    neither Excel nor LibreOffice fits a row's height to a file they did not write)."""
    per_line = max(int(width * 1.1), 1)
    return sum(max(1, -(-len(line) // per_line)) for line in str(text or "").split("\n"))


def fit_row_height(sheet: Worksheet, row: int, cells: Sequence[tuple[object, float]],
                   most: int = 12) -> None:
    """Give `row` the height of its tallest wrapped cell, `cells` being (value, width)."""
    lines = max((wrapped_lines(value, width) for value, width in cells), default=1)
    if lines > 1:
        sheet.row_dimensions[row].height = LINE_HEIGHT * min(lines, most)


def print_on_page_width(sheet: Worksheet) -> None:
    """Printed landscape, as many pages tall as needed but one page wide."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
