"""How a sheet is laid out beyond its cells, which calamine does not say: merged ranges,
hidden (or filtered-out) rows, the totals rows of Excel tables, and the workbook's 1904 date
system. Found by byte searches and small regexes over parts already read, so that a plain
sheet costs a few scans of its bytes and nothing more."""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\s[^>]*>")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_HIDDEN = re.compile(rb'\shidden="(?:1|true)"')
_TABLE_PART = re.compile(rb'<(?:\w+:)?tablePart\s[^>]*?r:id="([^"]+)"')
_DATE1904 = re.compile(rb'date1904="(?:1|true)"')
_REFERENCE = re.compile(r"([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?")


@dataclass(frozen=True)
class Merged:
    """A merged range: rows as Excel numbers them (inclusive), columns as indices (0 = A)."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int

    @property
    def reference(self) -> str:
        """« L2:L3 », as Excel names it."""
        return (f"{column_letters(self.first_column)}{self.first_row}:"
                f"{column_letters(self.last_column)}{self.last_row}")


@dataclass
class Layout:
    """What a sheet's XML says of its rows beyond their cells."""

    merged: list[Merged] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)  # row numbers (hidden or filtered out)
    totals: dict[int, str] = field(default_factory=dict)  # a table's totals row → table name
    filled_down: dict[int, int] = field(default_factory=dict)  # a row → the last row copying it


def column_letters(index: int) -> str:
    """0 → « A », 27 → « AB »."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """« A » → 0, « AB » → 27."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def sheet_layout(archive: zipfile.ZipFile, part: str, data: bytes) -> Layout:
    """The layout of the worksheet `part` (a zip member of `archive`) whose XML is `data`."""
    layout = Layout()
    if b"mergeCell" in data:
        layout.merged = [Merged(int(m[2]), column_index(m[1].decode()),
                                int(m[4] or m[2]), column_index((m[3] or m[1]).decode()))
                         for m in _MERGE.finditer(data)]
    if b"hidden=" in data:
        for tag in _ROW_TAG.finditer(data):
            if _HIDDEN.search(tag[0]) and (number := _ROW_NUMBER.search(tag[0])):
                layout.hidden.add(int(number[1]))
    if b"tablePart" in data:
        layout.totals = _totals_rows(archive, part, [m[1].decode() for m in
                                                     _TABLE_PART.finditer(data)])
    return layout


def _totals_rows(archive: zipfile.ZipFile, part: str, ids: list[str]) -> dict[int, str]:
    """The totals rows of the sheet's tables (`totalsRowCount`), by row number."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels_name not in archive.namelist():
        return {}
    targets = {rel.get("Id"): rel.get("Target") or ""
               for rel in ElementTree.fromstring(archive.read(rels_name))}
    totals: dict[int, str] = {}
    for rel_id in ids:
        target = targets.get(rel_id, "")
        member = (target.lstrip("/") if target.startswith("/")
                  else posixpath.normpath(posixpath.join(folder, target)))
        if member not in archive.namelist():
            continue
        table = ElementTree.fromstring(archive.read(member))
        count = int(table.get("totalsRowCount") or 0)
        reference = _REFERENCE.fullmatch(table.get("ref") or "")
        if count and reference:
            last = int(reference[4] or reference[2])
            name = table.get("displayName") or table.get("name") or ""
            totals.update((row, name) for row in range(last - count + 1, last + 1))
    return totals


def uses_1904_dates(workbook_xml: bytes) -> bool:
    """Whether the workbook counts dates from 1904 (Excel for Mac's old default)."""
    return _DATE1904.search(workbook_xml) is not None


# --- .ods: LibreOffice writes a run of equal rows once, with a repeat count ---

# A row holding values repeated more than this (a column filled down to row 1,048,576 with a
# default) is read as one row when nothing below it holds a value: calamine would expand it
# into a million rows (minutes and gigabytes for a 12 kB file).
MAX_REPEAT = 1000
_ODS_TABLE = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"[^>]*>')
_ODS_ROW = re.compile(rb"<table:table-row\b[^>]*>")
_ODS_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b[^>]*>")
_ODS_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ODS_ROWS_SPANNED = re.compile(rb'table:number-rows-spanned="(\d+)"')
_ODS_COLUMNS_SPANNED = re.compile(rb'table:number-columns-spanned="(\d+)"')
_ODS_HIDDEN = re.compile(rb'table:visibility="(?:collapse|filter)"')


def ods_layout(content: bytes) -> tuple[bytes, dict[str, Layout]]:
    """The layout of each sheet of an .ods `content.xml` (merged ranges, hidden or filtered-
    out rows, a row filled down), and the `content.xml` to read: the same, but with a last
    row holding values that is repeated more than MAX_REPEAT times cut to one copy
    (`Layout.filled_down` says how far it went)."""
    layouts: dict[str, Layout] = {}
    cuts: list[re.Match[bytes]] = []  # repeat counts to write as 1
    tables = list(_ODS_TABLE.finditer(content))
    for index, table in enumerate(tables):
        end = tables[index + 1].start() if index + 1 < len(tables) else len(content)
        name = html.unescape(table[1].decode("utf-8"))
        layouts[name] = _ods_sheet(content, table.end(), end, cuts)
    if not cuts:
        return content, layouts
    parts, position = [], 0
    for cut in cuts:
        parts += [content[position:cut.start(1)], b"1"]
        position = cut.end(1)
    parts.append(content[position:])
    return b"".join(parts), layouts


def _ods_sheet(content: bytes, start: int, end: int, cuts: list[re.Match[bytes]]) -> Layout:
    layout = Layout()
    rows = list(_ODS_ROW.finditer(content, start, end))
    number = 1  # the row number of the current element's first copy
    last: tuple[int, int, re.Match[bytes] | None] | None = None  # the last row with values
    for index, row in enumerate(rows):
        body_end = rows[index + 1].start() if index + 1 < len(rows) else end
        repeated = _ODS_ROWS_REPEATED.search(content, row.start(), row.end())
        repeat = int(repeated[1]) if repeated else 1
        if content.find(b"office:value-type", row.end(), body_end) != -1:
            last = (number, repeat, repeated)
            if _ODS_HIDDEN.search(row[0]) and repeat <= MAX_REPEAT:
                layout.hidden.update(range(number, number + repeat))
            if content.find(b"number-rows-spanned", row.end(), body_end) != -1:
                layout.merged += _ods_merged(content, row.end(), body_end, number)
        number += repeat
    if last is not None:
        first, repeat, cut = last
        if repeat > MAX_REPEAT and cut is not None:
            cuts.append(cut)
            layout.filled_down[first] = first + repeat - 1
    return layout


def _ods_merged(content: bytes, start: int, end: int, number: int) -> list[Merged]:
    """The ranges merged from the cells of the row at `number` (between `start` and `end`)."""
    merged, column = [], 0
    for cell in _ODS_CELL.finditer(content, start, end):
        rows = _ODS_ROWS_SPANNED.search(cell[0])
        if rows and int(rows[1]) > 1:
            columns = _ODS_COLUMNS_SPANNED.search(cell[0])
            width = int(columns[1]) if columns else 1
            merged.append(Merged(number, column, number + int(rows[1]) - 1,
                                 column + width - 1))
        repeated = _ODS_COLUMNS_REPEATED.search(cell[0])
        column += int(repeated[1]) if repeated else 1
    return merged
