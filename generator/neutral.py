"""Cell values written for people to open in a spreadsheet, never run as formulas there.

A value that starts like a formula (« =HYPERLINK(…) », « @SUM(…) », « +cmd », « -2+3 ») is
what OWASP's CSV-injection guidance calls dangerous: Excel and LibreOffice evaluate it when the
file is opened. In a CSV it gets a leading apostrophe, which the spreadsheet shows as text and
the reader here removes again; in an .xlsx it is written as a text cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.clean import clean_value

# OWASP: « = + - @ », tab and carriage return; full-width forms, which Excel also accepts.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
QUOTE = "'"


def csv_text(value: str) -> str:
    """`value` as a CSV cell that a spreadsheet shows as text (a leading « ' » when needed)."""
    return QUOTE + value if value.startswith(FORMULA_STARTS) else value


def csv_cells(cells: Iterable[object]) -> list[object]:
    """A row of CSV cells to write: each cleaned (`clean_value`), texts through `csv_text`."""
    cleaned = (clean_value(cell) for cell in cells)
    return [csv_text(cell) if isinstance(cell, str) else cell for cell in cleaned]


def csv_value(cell: str) -> str:
    """The value behind a CSV cell written by `csv_text`."""
    if cell.startswith(QUOTE) and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def set_text(cell: Any, value: object) -> None:
    """Put `value` into an openpyxl cell; a string stays a text cell even when it starts with
    « = » (openpyxl would otherwise store it as a live formula)."""
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
