"""Workbooks saved in the 1904 date system (Excel for Mac): every date, date-formatted number
and duration reads as Excel shows it, in `gen check` and in a document, exactly as the same
workbook saved in the 1900 system."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from engine_helpers import docx_text
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from workbooks import valid_row, write_workbook

from generator.cli import cli
from generator.cohort.columns import BY_KEY
from generator.cohort.reader import read_cohort

TODAY = "2026-05-20"
_DATE_KEYS = [key for key, column in BY_KEY.items() if column.type == "date"]
_MAC_EPOCH = dt.datetime(1904, 1, 1)


def _rows() -> list[dict[str, object]]:
    return [valid_row(),
            valid_row(numero_auditeur="100002", nom="Durand", prenom="Léa",
                      email="lea.durand@example.org", date_debut=dt.date(2026, 9, 21),
                      date_fin=dt.date(2027, 1, 22), date_definition=dt.date(2026, 5, 11)),
            valid_row(numero_auditeur="100003", nom="Petit", prenom="Luc",
                      email="luc.petit@example.org", date_convention=None,
                      date_accord=dt.date(2026, 5, 19))]


def _serial(day: object) -> int:
    """The day's serial number in the 1904 system (days from 1 January 1904)."""
    assert isinstance(day, dt.date)
    return (dt.datetime.combine(day, dt.time()) - _MAC_EPOCH).days


def _mac_copy(source: Path, target: Path, plain_numbers: bool) -> Path:
    """`source` saved again in the 1904 date system, as Excel for Mac saves it: real date cells
    (openpyxl writes them from the 1904 epoch); with `plain_numbers`, the date columns hold
    serial numbers instead, the first student's in General format (Excel shows the number),
    the others' date-formatted; and the hours as a date-formatted number (35 shows
    05/02/1904) and a [h]:mm duration (560:00)."""
    book = load_workbook(source)
    book.epoch = CALENDAR_MAC_1904
    sheet = book["Cohorte"]
    headers = [cell.value for cell in sheet[1]]
    column = {key: headers.index(BY_KEY[key].label) + 1 for key in BY_KEY
              if BY_KEY[key].label in headers}
    for row in range(2, sheet.max_row + 1):
        if plain_numbers:
            for key in _DATE_KEYS:
                cell = sheet.cell(row, column[key])
                if isinstance(cell.value, dt.datetime):
                    cell.value = _serial(cell.value.date())
                    cell.number_format = "General" if row == 2 else "DD/MM/YYYY"
        weekly = sheet.cell(row, column["heures_hebdo"])
        weekly.number_format = "DD/MM/YYYY"
        total = sheet.cell(row, column["heures_total"])
        total.value, total.number_format = dt.timedelta(hours=560), "[h]:mm"
    book.save(target)
    with zipfile.ZipFile(target) as archive:
        assert b'date1904="1"' in archive.read("xl/workbook.xml")
    return target


@pytest.fixture
def books(tmp_path: Path) -> dict[str, Path]:
    base = write_workbook(tmp_path / "pc.xlsx", _rows())
    return {"pc": base,
            "mac": _mac_copy(base, tmp_path / "mac.xlsx", plain_numbers=False),
            "mac-numbers": _mac_copy(base, tmp_path / "mac-nombres.xlsx", plain_numbers=True)}


def _typed(path: Path) -> list[tuple[object, ...]]:
    return [(row.numero_auditeur, *(getattr(row, key) for key in _DATE_KEYS),
             row.heures_total, row.heures_hebdo) for row in read_cohort(path).rows]


@pytest.mark.parametrize("name", ["mac", "mac-numbers"])
def test_every_date_and_number_reads_as_excel_shows_it(books: dict[str, Path],
                                                      name: str) -> None:
    rows = _typed(books[name])
    assert rows == _typed(books["pc"])
    first = read_cohort(books[name]).rows[0]
    assert (first.date_debut, first.date_fin) == (dt.date(2026, 9, 14), dt.date(2027, 1, 15))
    assert (first.heures_total, first.heures_hebdo) == (560, 35)
    assert not first.invalid


def _check(path: Path) -> list[tuple[object, ...]]:
    result = CliRunner().invoke(cli, ["check", str(path), "--today", TODAY, "--format",
                                      "json"])
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)["findings"]
    return [(f["code"], f["row"], f["column"], f["message"]) for f in findings]


@pytest.mark.parametrize("name", ["mac", "mac-numbers"])
def test_check_finds_what_it_finds_on_the_same_workbook_from_a_pc(books: dict[str, Path],
                                                                  name: str) -> None:
    findings = _check(books[name])
    assert findings == _check(books["pc"])
    assert not [f for f in findings if f[0].startswith("CELL-")]


def test_a_convention_prints_the_dates_and_hours_excel_shows(books: dict[str, Path],
                                                             tmp_path: Path) -> None:
    texts = {}
    for name in ("pc", "mac-numbers"):
        result = CliRunner().invoke(cli, ["conventions", str(books[name]), "--today", TODAY,
                                          "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        texts[name] = docx_text(tmp_path / name / "conventions" / "100001_MARTIN_Claire.docx")
    assert texts["mac-numbers"] == texts["pc"]
    assert "14 septembre 2026" in texts["pc"] and "15 janvier 2027" in texts["pc"]
    assert "560" in texts["pc"]


def test_an_ods_saved_from_a_mac_workbook_keeps_its_1904_null_date(
        books: dict[str, Path], tmp_path: Path, soffice: str) -> None:
    # LibreOffice keeps the system as the .ods null date (table:null-date 1904-01-01) and the
    # plain numbers as numbers: they count from it.
    folder = tmp_path / "ods"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profil",
                    "--convert-to", "ods", "--outdir", str(folder), str(books["mac-numbers"])],
                   check=True, capture_output=True, timeout=240)
    ods = folder / "mac-nombres.ods"
    with zipfile.ZipFile(ods) as archive:
        assert b'table:null-date table:date-value="1904-01-01"' in archive.read("content.xml")
    assert _typed(ods) == _typed(books["pc"])
