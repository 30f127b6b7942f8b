"""Opening a cohort file: .xlsx/.xlsm/.ods read by python-calamine, .csv read as a French
Excel writes it.

Calamine is used directly rather than through pandas: the rows it streams go straight into
the grid's columns, a block at a time, so the sheet is never held twice (as rows and as a
DataFrame), and `gen check` does not pay for importing pandas.

Every sheet comes back as a `Grid` whose first row is Excel's row 1, so that row numbers in
messages are those the user sees. Anything that makes the file unusable becomes one
FILE-UNREADABLE `InputError` with a French sentence saying what to do — never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from python_calamine import CalamineWorkbook

from generator.cohort.formulas import SheetScan, scan_sheet
from generator.cohort.layout import Layout, ods_layout
from generator.errors import InputError
from generator.findings import Finding, Severity
from generator.zipguard import file_bomb_reason

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
ACCEPTED = ".xlsx, .xlsm, .ods ou .csv"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass
class Grid:
    """A sheet's cells, column by column: column 0 is column A, and item 0 of every column is
    Excel's row 1 ("" for an empty cell). All columns have the same length.

    Column by column because the reader normalises a column at a time; `rows` and `row` give
    the other view."""

    name: str
    columns: list[list[object]]
    uncached: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index)
    layout: Layout = field(default_factory=Layout)  # merged ranges, hidden rows, totals rows

    @property
    def height(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def rows(self, start: int = 0, stop: int | None = None, width: int | None = None
             ) -> Iterator[tuple[object, ...]]:
        """The rows from index `start` (0 = row 1) to `stop`, each as a tuple of its first
        `width` cells (all of them when None)."""
        return zip(*(column[start:stop] for column in self.columns[:width]), strict=True)

    def row(self, index: int) -> list[object]:
        """Row `index` (0 = row 1), every column."""
        return [column[index] for column in self.columns]

    @property
    def cells(self) -> list[list[object]]:
        """Every row, as lists (row 0 is Excel's row 1)."""
        return [list(row) for row in self.rows()]

    def pad(self, height: int, width: int) -> None:
        """Grow the grid with empty cells to at least `height` rows and `width` columns."""
        rows = max(height, self.height)
        for column in self.columns:
            column.extend([""] * (rows - len(column)))
        self.columns.extend([""] * rows for _ in range(width - len(self.columns)))


@dataclass
class Book:
    """An opened workbook: its sheet names and a loader for one sheet's grid."""

    path: Path
    kind: str  # "xlsx", "ods" or "csv"
    sheet_names: list[str]
    _load: Callable[[str], Grid]
    # a CSV's unusual encoding, the predicate of « Le fichier « x.csv » … . » in the messages
    encoding: str | None = None
    # The day serial 0 stands for when it is not the 1900 system's (Excel for Mac's 1904
    # system): numbers in date columns count from it (`values.date_of_serial`).
    serial_epoch: dt.datetime | None = None

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
    return InputError(Finding("FILE-UNREADABLE", Severity.ERROR, message, value=path.name,
                              facts={"file": path.name}))


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
            if bomb := file_bomb_reason(path):
                raise unreadable(path, f"Le fichier « {path.name} » est refusé : {bomb}. Ce "
                                       f"n'est pas un classeur ordinaire ; reprenez le "
                                       f"classeur de cohorte enregistré depuis Excel.")
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
            workbook = archive.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise unreadable(path, _damaged(path)) from error
    if "xl/workbook.xml" in names:
        return _open_excel(path, "xlsx", MAC_EPOCH if _DATE_1904.search(workbook) else None)
    if "xl/workbook.bin" in names:
        raise unreadable(path, f"Le fichier « {path.name} » est un classeur binaire Excel "
                               f"(.xlsb), qui n'est pas pris en charge : enregistrez-le au "
                               f"format .xlsx.")
    if "spreadsheet" in mimetype and "content.xml" in names:
        return _open_excel(path, "ods", None)
    if "word/document.xml" in names or "text" in mimetype:
        raise unreadable(path, _not_a_spreadsheet(path, "un classeur mais un document texte"))
    if "ppt/presentation.xml" in names or "presentation" in mimetype:
        raise unreadable(path, _not_a_spreadsheet(path, "un classeur mais une présentation"))
    raise unreadable(path, _not_a_spreadsheet(path, "un classeur (archive zip)"))


# ECMA-376 §18.2.28 workbookPr: date1904 is an xsd:boolean ("1" or "true"). An .ods names its
# null date in its settings (ODF 1.2 §9.4.1, table:null-date; 1899-12-30 when absent).
MAC_EPOCH = dt.datetime(1904, 1, 1)
_DATE_1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](?:1|true)[\"']")
_NULL_DATE = re.compile(rb"<table:null-date\b[^>]*\btable:date-value\s*=\s*\"(\d{4})-(\d\d)-(\d\d)")
_ODS_DEFAULT_EPOCH = dt.datetime(1899, 12, 30)


def _ods_epoch(content: bytes) -> dt.datetime | None:
    """An .ods's null date when it is not the usual 1899-12-30 (as Excel's 1900 system reads
    serials from March 1900 on), from its content.xml."""
    match = _NULL_DATE.search(content)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    epoch = dt.datetime(year, month, day)
    return None if epoch == _ODS_DEFAULT_EPOCH else epoch


_BLOCK_ROWS = 2048  # rows turned into columns at a time: few in memory, few Python calls


def _columns(rows: Iterable[Sequence[object]], width: int) -> list[list[object]]:
    """The cells of `rows` (each padded with "" to `width`), column by column.

    The rows are consumed a block at a time, so only one block of rows exists beside the
    columns being built (a whole sheet of rows, then its columns, would be held twice), and
    equal texts of a column share one string (calamine makes one per cell: « Paris » or
    « Cours du soir » would be held once per student)."""
    columns: list[list[object]] = [[] for _ in range(width)]
    texts: list[dict[str, str]] = [{} for _ in range(width)]
    iterator = iter(rows)
    while block := list(islice(iterator, _BLOCK_ROWS)):
        padded = (row if len(row) == width else [*row, *[""] * (width - len(row))]
                  for row in block)
        for column, cells, seen in zip(columns, zip(*padded, strict=True), texts, strict=True):
            column.extend([seen.setdefault(cell, cell) if type(cell) is str else cell
                           for cell in cells])
    return columns


def _ods_source(path: Path) -> tuple[Path | io.BytesIO, dict[str, Layout], dt.datetime | None]:
    """The .ods to read (in memory, with a column filled down to the last row cut to one
    row: `layout.ods_layout`), each sheet's layout and its serial epoch (`_ods_epoch`)."""
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml")
        epoch = _ods_epoch(content)
        shrunk, layouts = ods_layout(content)
        if shrunk is content:
            return path, layouts, epoch
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as copy:
            for info in archive.infolist():  # mimetype first and stored, as ODF wants
                copy.writestr(info, shrunk if info.filename == "content.xml"
                              else archive.read(info))
    buffer.seek(0)
    return buffer, layouts, epoch


def _open_excel(path: Path, kind: str, epoch: dt.datetime | None) -> Book:
    """An .xlsx/.xlsm (`epoch`: its serial 0 when it uses the 1904 date system) or an .ods
    (its own settings say) read by calamine."""
    if kind == "ods":
        source, layouts, epoch = _ods_source(path)
    else:
        source, layouts = path, {}
    workbook = (CalamineWorkbook.from_path(str(source)) if isinstance(source, Path)
                else CalamineWorkbook.from_filelike(source))
    names = [str(name) for name in workbook.sheet_names]

    def read(name: str) -> Grid:
        # Every cell as calamine types it ("NA" stays text, an empty cell is ""). The grid
        # starts at A1, whatever the first filled cell, so that indices stay Excel's.
        sheet = workbook.get_sheet_by_name(name)
        if not sheet.height or sheet.end is None:
            return Grid(name, [])
        height, width = sheet.end[0] + 1, sheet.end[1] + 1
        # calamine's rows start at the first filled column: the empty ones before it are added
        rows: Iterable[Sequence[object]] = sheet.iter_rows()
        if sheet.width < width:
            rows = ([*[""] * (width - len(row)), *row] if len(row) < width else row
                    for row in rows)
        columns = _columns(rows, width)
        if len(columns[0]) < height:  # and the empty rows above the first filled one
            columns = [[*[""] * (height - len(column)), *column] for column in columns]
        return Grid(name, columns)

    def load(name: str) -> Grid:
        if kind != "xlsx":
            grid = read(name)
            grid.layout = layouts.get(name, Layout())
            return grid
        # Calamine parses the sheet without holding the GIL: the scan of the sheet's XML for
        # what it cannot see (formulas never computed, error cells) runs meanwhile.
        with ThreadPoolExecutor(max_workers=1) as pool:
            scanning = pool.submit(scan_sheet, path, name)
            grid = read(name)
            _restore(grid, scanning.result())
        return grid

    return Book(path, kind, names, load, serial_epoch=epoch)


def _restore(grid: Grid, scan: SheetScan) -> None:
    """Give back what calamine reads as empty: never-computed formulas (`Grid.uncached`) and
    error cells, shown as Excel shows them (a typed column finds them invalid, a text keeps
    them); and what it does not say, the sheet's layout."""
    grid.layout = scan.layout
    found = (*scan.uncached, *scan.errors)
    if not found:
        return
    # calamine's range ends at its last value: formula-only rows and columns may lie past it
    grid.pad(max(number for number, _ in found), max(column for _, column in found) + 1)
    for (number, column), error in scan.errors.items():
        if grid.columns[column][number - 1] == "":
            grid.columns[column][number - 1] = error
    grid.uncached = scan.uncached


# --- CSV as a French Excel writes it ---

# Lower-case French letters and marks: the right decoding of a French file shows many of
# them, a wrong one almost none (cp1252's é is MacRoman's È, MacRoman's é is cp1252's Ž).
_FRENCH = frozenset("éèêëàâäîïôöùûüçœ«»’°€")


def _french(text: str) -> int:
    return sum(1 for char in text if char in _FRENCH)


def _decode(data: bytes) -> tuple[str, str | None]:
    """The text of a CSV, and a sentence naming its encoding when it is neither UTF-8 nor
    Windows-1252 (cp1252, French Excel's « CSV (séparateur : point-virgule) »): MacRoman
    (Excel for Mac) is recognised by its French letters; anything else is read as cp1252
    with « � » for the bytes it lacks, and said."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Texte Unicode" export
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        windows: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        windows = None
    mac = data.decode("mac_roman")
    if _french(mac) > (_french(windows) if windows is not None else 0):
        return mac, ("est encodé en MacRoman (Excel pour Mac) et a été lu dans cet "
                     "encodage ; pour l'avenir, enregistrez-le en « CSV UTF-8 »")
    if windows is not None:
        return windows, None
    return data.decode("cp1252", errors="replace"), (
        "n'est encodé ni en UTF-8 ni en Windows-1252 : des caractères sont illisibles "
        "(« � ») ; enregistrez-le depuis Excel ou LibreOffice en « CSV UTF-8 »")


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
    text, encoding = _decode(path.read_bytes())
    # Excel for Mac ends lines with CR alone: every line end is read alike
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
        # every row padded to the widest record (csv counts the fields, quoted line breaks
        # included)
        width = max(map(len, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)),
                    default=0)
        if not width:
            return Grid(name, [])
        # every cell as text, blank lines kept as empty rows: row numbers stay exact
        return Grid(name, _columns(csv.reader(io.StringIO(text, newline=""),
                                              delimiter=delimiter), width))

    return Book(path, "csv", [name], load, encoding)
