"""Opening a cohort file: .xlsx/.xlsm/.ods through calamine, .csv as a French Excel writes it.

Every sheet comes back as a `Grid` whose first list is Excel's row 1, so that row numbers in
messages are those the user sees. Anything that makes the file unusable becomes one
FILE-UNREADABLE `InputError` with a French sentence saying what to do — never a traceback.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

from generator.errors import InputError
from generator.findings import Finding, Severity

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
ACCEPTED = ".xlsx, .xlsm, .ods ou .csv"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass
class Grid:
    """A sheet's cells, row 0 being Excel's row 1 and column 0 column A ("" for empty)."""

    name: str
    cells: list[list[object]]
    uncached: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index)


@dataclass
class Book:
    """An opened workbook: its sheet names and a loader for one sheet's grid."""

    path: Path
    kind: str  # "xlsx", "ods" or "csv"
    sheet_names: list[str]
    _load: Callable[[str], Grid]

    def grid(self, name: str) -> Grid:
        """The grid of the sheet `name` (FILE-UNREADABLE when the library fails)."""
        try:
            return self._load(name)
        except InputError:
            raise
        except Exception as error:  # any library failure here is a damaged file
            raise unreadable(self.path, _damaged(self.path)) from error


def unreadable(path: Path, message: str) -> InputError:
    """The FILE-UNREADABLE error for `path`."""
    return InputError(Finding("FILE-UNREADABLE", Severity.ERROR, message, value=path.name))


def _damaged(path: Path) -> str:
    return (f"Le fichier « {path.name} » est endommagé (archive incomplète ou corrompue) : "
            f"enregistrez-le de nouveau depuis Excel ou LibreOffice, ou reprenez une copie.")


def _not_a_spreadsheet(path: Path, what: str = "un classeur lisible") -> str:
    return (f"Le fichier « {path.name} » n'est pas {what} : indiquez le classeur de cohorte "
            f"au format {ACCEPTED}.")


def open_book(path: Path) -> Book:
    """Open `path`, identified by its content (a renamed file still opens), or raise
    FILE-UNREADABLE."""
    path = Path(path)
    if not path.exists():
        raise unreadable(path, f"Le fichier « {path} » est introuvable : vérifiez son nom "
                               f"et le dossier où il se trouve.")
    if path.is_dir():
        raise unreadable(path, f"« {path} » est un dossier, pas un fichier : indiquez le "
                               f"classeur de cohorte lui-même ({ACCEPTED}).")
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES | TEXT_SUFFIXES:
        raise unreadable(path, f"Le format « {suffix or 'sans extension'} » du fichier "
                               f"« {path.name} » n'est pas pris en charge : indiquez un "
                               f"fichier {ACCEPTED}.")
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as error:
        raise unreadable(path, f"Le fichier « {path.name} » ne peut pas être lu "
                               f"({error.strerror}) : vérifiez qu'il n'est pas ouvert "
                               f"ailleurs et que vous avez le droit de le lire.") from error
    if not head:
        raise unreadable(path, f"Le fichier « {path.name} » est vide (0 octet) : indiquez le "
                               f"classeur de cohorte enregistré depuis Excel ou LibreOffice.")
    try:
        if head.startswith(_OLE_MAGIC):
            raise unreadable(path, _ole_message(path))
        if head.startswith(_ZIP_MAGIC):
            return _open_zip(path)
        if suffix in TEXT_SUFFIXES:
            return _open_csv(path)
    except InputError:
        raise
    except Exception as error:  # the libraries' own errors: the file is damaged
        raise unreadable(path, _damaged(path)) from error
    raise unreadable(path, _not_a_spreadsheet(path))


def _ole_message(path: Path) -> str:
    """An OLE2 compound file is either an encrypted OOXML package or a legacy binary file."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        return (f"Le fichier « {path.name} » est protégé par un mot de passe : ouvrez-le dans "
                f"Excel, retirez le mot de passe (Fichier > Informations > Protéger le "
                f"classeur) et enregistrez-le.")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return (f"Le fichier « {path.name} » est au format Excel 97-2003 (.xls), qui n'est pas "
                f"pris en charge : ouvrez-le dans Excel ou LibreOffice et enregistrez-le au "
                f"format .xlsx.")
    return _not_a_spreadsheet(path, "un classeur (c'est un ancien document Office)")


def _open_zip(path: Path) -> Book:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = (archive.read("mimetype").decode("ascii", "replace")
                        if "mimetype" in names else "")
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise unreadable(path, _damaged(path)) from error
    if "xl/workbook.xml" in names:
        return _open_calamine(path, "xlsx")
    if "xl/workbook.bin" in names:
        raise unreadable(path, f"Le fichier « {path.name} » est un classeur binaire Excel "
                               f"(.xlsb), qui n'est pas pris en charge : enregistrez-le au "
                               f"format .xlsx.")
    if "spreadsheet" in mimetype and "content.xml" in names:
        return _open_calamine(path, "ods")
    if "word/document.xml" in names or "text" in mimetype:
        raise unreadable(path, _not_a_spreadsheet(path, "un classeur mais un document texte"))
    if "ppt/presentation.xml" in names or "presentation" in mimetype:
        raise unreadable(path, _not_a_spreadsheet(path, "un classeur mais une présentation"))
    raise unreadable(path, _not_a_spreadsheet(path, "un classeur (archive zip)"))


def _open_calamine(path: Path, kind: str) -> Book:
    workbook = CalamineWorkbook.from_path(str(path))
    names = list(workbook.sheet_names)

    def load(name: str) -> Grid:
        # skip_empty_area=False keeps the leading empty rows and columns: row 0 is row 1
        cells = cast(list[list[object]], workbook.get_sheet_by_name(name).to_python(
            skip_empty_area=False))
        if kind != "xlsx":
            return Grid(name, cells)
        scan = scan_sheet(path, name)
        if scan.uncached or scan.errors:
            # calamine's range ends at its last value: formula-only rows may lie past it
            last = max(number for number, _ in (*scan.uncached, *scan.errors))
            cells.extend([] for _ in range(last - len(cells)))
        for (number, column), error in scan.errors.items():
            # shown as Excel shows it: a typed column finds it invalid, a text keeps it
            row = cells[number - 1]
            row.extend("" for _ in range(column + 1 - len(row)))
            if row[column] == "":
                row[column] = error
        return Grid(name, cells, scan.uncached)

    return Book(path, kind, names, load)


# --- formulas without a cached value (xlsx written by a program, never opened in Excel) ---

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
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


@dataclass
class SheetScan:
    """What calamine reads as an empty cell although the cell is not empty."""

    uncached: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # → "#DIV/0!", "#N/A"…


def scan_sheet(path: Path, sheet: str) -> SheetScan:
    """The formula cells of `sheet` holding no cached value, and the error cells.

    A cell with `<f>` and no `<v>` (or an empty `<v>` that is not a string result) was written
    by a program and never recalculated; an error cell (`t="e"`, « #DIV/0! »). Calamine reads
    both as empty. The sheet part is parsed only when it holds a formula or an error at all,
    so plain files cost one byte search.
    """
    scan = SheetScan()
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None or part not in archive.namelist():
            return scan
        data = archive.read(part)
    # plain byte searches (fast) before the regular expression that confirms a formula tag;
    # a prefixed namespace (<x:worksheet>) shows in the root element
    prefixed = b":worksheet" in data[:2000]
    formulas = (b"<f" in data or (prefixed and b":f" in data)) and _FORMULA.search(data)
    if not formulas and b't="e"' not in data:
        return scan
    for row_number, column, cell in _cells(data):
        children = {_local(child.tag): child for child in cell}
        value = children.get("v")
        if cell.get("t") == "e" and value is not None and value.text:
            scan.errors[(row_number, column)] = value.text
        elif "f" in children and (value is None or (not value.text and cell.get("t") != "str")):
            scan.uncached.add((row_number, column))
    return scan


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


# --- CSV as a French Excel writes it ---

def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Texte Unicode" export
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(sample: str) -> str:
    """The separator giving the widest rows over the first lines: `;` wins ties (French)."""
    best, width = ";", 0
    for candidate in (";", "\t", ","):
        rows = list(csv.reader(io.StringIO(sample), delimiter=candidate))[:10]
        candidate_width = max((len(row) for row in rows), default=0)
        if candidate_width > width:
            best, width = candidate, candidate_width
    return best


def _open_csv(path: Path) -> Book:
    text = _decode(path, path.read_bytes())
    if "\x00" in text:
        raise unreadable(path, _not_a_spreadsheet(path, "un fichier CSV (contenu binaire)"))
    if text[:4].lower() == "sep=" and text[4:5]:
        # Excel's separator hint: it chooses the separator and is not shown as a row
        delimiter, text = text[4], text.split("\n", 1)[1] if "\n" in text else ""
    else:
        # the sample ends on a line break so that a cell cut in two does not mislead the sniff
        sample = text[:20000].rsplit("\n", 1)[0] if len(text) > 20000 else text
        delimiter = _delimiter(sample)
    name = path.stem  # Excel names the sheet of an opened CSV after the file

    def load(_: str) -> Grid:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[list[object]] = [cast(list[object], row) for row in reader]
        return Grid(name, rows)

    return Book(path, "csv", [name], load)
