"""What a table reader cannot see in an .xlsx sheet: formulas holding no cached value (a file
written by a program, never opened in Excel) and error cells (« #DIV/0! »). Calamine reads both
as empty cells; this scan finds them in the sheet's XML."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from generator.cohort.layout import Layout, sheet_layout

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class SheetScan:
    """What calamine reads as an empty cell although the cell is not empty."""

    uncached: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # → "#DIV/0!", "#N/A"…
    layout: Layout = field(default_factory=Layout)  # merged ranges, hidden rows, totals rows


def scan_sheet(path: Path, sheet: str) -> SheetScan:
    """The formula cells of `sheet` holding no cached value, the error cells, and the sheet's
    layout (`generator.cohort.layout`).

    A cell with `<f>` and no `<v>` (or an empty `<v>` that is not a string result) was written
    by a program and never recalculated; an error cell has `t="e"`. The sheet part is parsed
    only when it holds a formula or an error at all, so plain files cost two byte searches.
    """
    scan = SheetScan()
    with zipfile.ZipFile(path) as archive:
        part = sheet_part(archive, sheet)
        if part is None or part not in archive.namelist():
            return scan
        data = archive.read(part)
        scan.layout = sheet_layout(archive, part, data)
    if not _may_hold_formulas(data) and b't="e"' not in data:
        return scan
    for row_number, column, cell in _cells(data):
        children = {_local(child.tag): child for child in cell}
        value = children.get("v")
        if cell.get("t") == "e" and value is not None and value.text:
            scan.errors[(row_number, column)] = value.text
        elif "f" in children and (value is None or (not value.text and cell.get("t") != "str")):
            scan.uncached.add((row_number, column))
    return scan


def _may_hold_formulas(data: bytes) -> bool:
    """Whether the sheet XML holds a formula element, by fast byte searches first.

    Every formula with a text ends with `</f>` (a shared formula's other cells hold a bare
    `<f t="shared" si="0"/>`, but its first cell holds the text), and searching these four
    bytes is faster than searching `<f`; a prefixed namespace (`<x:worksheet>`, `</x:f>`)
    shows in the root element.
    """
    if b"</f>" in data:
        return True
    return b":worksheet" in data[:2000] and _FORMULA.search(data) is not None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding worksheet `sheet`, from workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = next((el.get(_REL_NS) for el in workbook.iter()
                   if _local(el.tag) == "sheet" and el.get("name") == sheet), None)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((el.get("Target") for el in rels.iter() if el.get("Id") == rel_id), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index - 1


def _cells(data: bytes) -> Iterator[tuple[int, int, ElementTree.Element]]:
    """Each `<c>` element with its row number and column index (positions may be implied)."""
    row_number, column = 0, -1
    for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                row_number = int(element.get("r") or row_number + 1)
                column = -1
            elif tag == "c":
                reference = element.get("r")
                column = _column_index(reference) if reference else column + 1
        elif tag == "c":
            yield row_number, column, element
        elif tag == "row":
            element.clear()
