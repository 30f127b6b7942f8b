"""Robustness: whatever people type in a cohort workbook, `gen check` and `gen all` answer with
findings and an exit status of cli.md, never a traceback.

Property tests write real .xlsx files (openpyxl) whose cells hold arbitrary values in arbitrary
columns; hand-made tests below cover what Excel and LibreOffice do to a sheet.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.table import Table
from workbooks import LABELS, valid_row, write_workbook

from generator.catalogue import CODES
from generator.cli import cli
from generator.cohort import values
from generator.cohort.columns import COLUMNS
from generator.cohort.reader import read_cohort

TODAY = "2026-11-28"
# openpyxl refuses these characters (Excel stores them escaped, as _x0001_)
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")

# What people type, or what a copy from elsewhere leaves in a cell.
ODD_TEXTS = [
    "#N/A", "#DIV/0!", "#VALEUR!", "=A1+1", "=SOMME(A1:A3)", "'0612345678", "1 234,5",
    "1,234.5", " 560 ", "560 h", "35h", "17h30", "1er mars 2027", "31/02/2026", "2026-13-01",
    "00/00/0000", "01/09/0226", "14/09/2026 00:00:00", "45000", "-1", "1e308", "NaN", "inf",
    "oui ", "OUI", "x", "✓", "Madame", "M", "cours du soir", "soir", "\u00a0", "\u200b",
    "a\nb\r\nc", "Ligne 1\u2028Ligne 2", "😀 Émilie", "ÉLÉONORE D’ARC", "-", "—", "N° auditeur",
    "x" * 5000, "0" * 40, "12345678901234", "73282932000074", "356000000 00001",
]


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


cell_values = st.one_of(
    st.none(),
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=60).map(_clean),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([0, 0.0, -0.0, 1, 1.0, 0.5, 1e-300, 1e300, 2958465, 2958466, 60, 61,
                     dt.date(1900, 1, 1), dt.date(9999, 12, 31), dt.datetime(9999, 12, 31, 23),
                     "31/12/9999", "01/01/1900", "29/02/1900"]),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.booleans(),
)


@st.composite
def odd_rows(draw: st.DrawFn, max_rows: int = 4) -> list[dict[str, object]]:
    """Rows starting from a valid row (so that rules run deep) or from nothing, with random
    cells overwritten by random values."""
    rows = []
    for index in range(draw(st.integers(min_value=1, max_value=max_rows))):
        base: dict[str, object] = (valid_row(numero_auditeur=f"10000{index}")
                                   if draw(st.booleans()) else {})
        row = dict(base)
        overrides = draw(st.dictionaries(st.sampled_from([c.key for c in COLUMNS]), cell_values,
                                         max_size=12))
        row.update(overrides)
        rows.append(row)
    return rows


def _check_json(result: Result, rows: int, headers: list[str]) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert set(report) == {"file", "today", "rows", "findings", "summary"}
    assert report["today"] == TODAY
    assert 0 <= report["rows"] <= rows
    known = set(LABELS)
    for finding in report["findings"]:
        assert set(finding) == {"code", "severity", "row", "student", "column", "value",
                                "message", "facts"}
        assert finding["code"] in CODES, finding
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["message"], str) and finding["message"].strip()
        assert "Traceback" not in finding["message"]
        if finding["row"] is None:
            assert finding["column"] is None or finding["column"] in known | set(headers)
        else:
            assert 2 <= finding["row"] <= rows + 1, finding  # header on row 1
            assert finding["column"] is None or finding["column"] in headers, finding
        for text in ("student", "column", "value"):
            assert finding[text] is None or isinstance(finding[text], str)
    counts = {s: sum(f["severity"] == s for f in report["findings"])
              for s in ("error", "warning", "info")}
    assert report["summary"] == counts
    assert (result.exit_code == 1) == (counts["error"] > 0)


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=odd_rows())
def test_check_answers_any_cell_values(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    path = write_workbook(tmp_path / "cohorte.xlsx", rows)
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(path), "--format", "json", "--today", TODAY])
    _check_json(result, len(rows), LABELS)
    text = runner.invoke(cli, ["check", str(path), "--today", TODAY])
    assert text.exception is None or isinstance(text.exception, SystemExit), text.output
    assert text.exit_code == result.exit_code, text.output
    assert "Traceback" not in text.output


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=odd_rows(), columns=st.lists(st.sampled_from(LABELS), min_size=3, unique=True))
def test_check_answers_any_choice_of_columns(tmp_path: Path, rows: list[dict[str, object]],
                                              columns: list[str]) -> None:
    """Columns missing, in any order: an identity column absent is FILE-MISSING-COLUMN
    (exit 2), anything else is findings (exit 0 or 1)."""
    headers = ["N° auditeur", *[c for c in columns if c != "N° auditeur"]]
    path = write_workbook(tmp_path / "cohorte.xlsx", rows, headers=headers)
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json", "--today", TODAY])
    identity = {c.label for c in COLUMNS if c.identity}
    if not identity <= set(headers):
        assert result.exit_code == 2, result.output
        finding = json.loads(result.stdout)["findings"][0]
        assert finding["code"] == "FILE-MISSING-COLUMN" and finding["row"] is None
        return
    _check_json(result, len(rows), headers)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=odd_rows(max_rows=2))
def test_all_survives_any_cell_values(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    path = write_workbook(tmp_path / "cohorte.xlsx", rows)
    output = tmp_path / "sortie"
    result = CliRunner().invoke(cli, ["all", str(path), "-o", str(output), "--today", TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output


# --- hand-made oddities ---------------------------------------------------------------------

def _json(path: Path) -> Result:
    return CliRunner().invoke(cli, ["check", str(path), "--format", "json", "--today", TODAY])


def _codes(result: Result) -> list[tuple[str, int | None, str | None]]:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return [(f["code"], f["row"], f["column"]) for f in json.loads(result.stdout)["findings"]]


@pytest.mark.parametrize("overrides", [
    {"date_debut": dt.date(9999, 12, 25), "date_fin": dt.date(9999, 12, 31)},
    {"date_convention": dt.date(9999, 12, 31), "date_debut": dt.date(9999, 12, 30)},
    {"date_debut": dt.date(1900, 1, 2), "date_fin": dt.date(1900, 6, 1)},
    {"heures_total": 1e300},
    {"heures_hebdo": 1e-300},
])
def test_extreme_values_give_findings_not_tracebacks(tmp_path: Path,
                                                     overrides: dict[str, object]) -> None:
    path = write_workbook(tmp_path / "cohorte.xlsx",
                          [valid_row(**overrides), valid_row(numero_auditeur="100002")])
    codes = _codes(_json(path))
    assert all(row in (2, None) for _code, row, _column in codes)  # row 3 stays clean
    result = CliRunner().invoke(cli, ["all", str(path), "-o", str(tmp_path / "sortie"),
                                      "--today", TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert (tmp_path / "sortie").exists()


def test_a_text_date_outside_excel_years_is_cell_date(tmp_path: Path) -> None:
    """« 01/09/0226 » (a typo) stays text in Excel: CELL-DATE, not an internship in year 226."""
    path = write_workbook(tmp_path / "cohorte.xlsx", [valid_row(date_debut="01/09/0226")])
    assert ("CELL-DATE", 2, "Date de début") in _codes(_json(path))
    with pytest.raises(ValueError):
        values.date("01/01/0001")
    assert values.date("31/12/9999") == dt.date(9999, 12, 31)


@pytest.mark.parametrize(("raw", "expected"), [
    (dt.datetime(1900, 2, 4), 35),  # 35 typed in a cell formatted as a date
    (dt.datetime(1900, 1, 17, 12), 17.5),
    (dt.datetime(1901, 7, 13), 560),
    (dt.timedelta(hours=35), 35),  # a [h]:mm duration cell
    (dt.time(17, 30), 17.5),
    ("35:00", 35), ("35:00:00", 35), ("PT35H00M00S", 35),  # as CSV and .ods give them
    ("300%", 3), ("300 %", 3),  # a percent format on the copies
])
def test_numbers_that_a_cell_format_disguises(raw: object, expected: float) -> None:
    assert values.number(raw) == expected


@pytest.mark.parametrize("raw", [dt.date(2026, 1, 1), float("inf"), "1e309", "-5%", "%",
                                 dt.timedelta(hours=-3)])
def test_values_that_are_not_numbers(raw: object) -> None:
    with pytest.raises(ValueError):
        values.number(raw)


def test_a_duration_reads_as_excel_shows_it() -> None:
    assert values.text(dt.timedelta(hours=35, minutes=30)) == "35:30"
    assert values.text(dt.time(9, 5)) == "09:05"


def test_notes_below_the_table_are_not_students(tmp_path: Path) -> None:
    """A blank line, a line of spaces, a note in Observations, a total in an unknown column:
    no student there, no finding."""
    headers = [*LABELS, "Total"]
    path = write_workbook(tmp_path / "cohorte.xlsx", [
        valid_row(), {}, {"Nom": "   ", "Prénom": "\u00a0"},
        {"Observations": "Liste arrêtée au 28/11/2026"}, {"Total": 1},
        valid_row(numero_auditeur="100002"),
    ], headers=headers)
    result = _json(path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 2
    assert [c for c in _codes(result) if c[1] is not None] == []


def test_a_repeated_header_row_is_skipped(tmp_path: Path) -> None:
    """Two lists pasted one below the other: the second header line is not a student."""
    path = write_workbook(tmp_path / "cohorte.xlsx", [
        valid_row(), {label: label for label in LABELS}, valid_row(numero_auditeur="100002"),
    ])
    result = _json(path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 2
    assert [r.row_number for r in read_cohort(path).rows] == [2, 4]


def test_a_repeated_header_in_another_layout_is_reported(tmp_path: Path) -> None:
    """Its columns do not line up with the header's: read as a row, its findings show it."""
    shifted = dict(zip(LABELS, ["Nom", "N° auditeur", "Civilité", "Prénom"], strict=False))
    shifted["N° auditeur"] = "N° auditeur"
    path = write_workbook(tmp_path / "cohorte.xlsx", [valid_row(), shifted])
    codes = _codes(_json(path))
    assert any(row == 3 for _code, row, _column in codes)


def test_missing_identity_column_is_file_level(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "cohorte.xlsx", [valid_row()],
                          headers=[h for h in LABELS if h != "Courriel"])
    result = _json(path)
    assert result.exit_code == 2
    assert _codes(result) == [("FILE-MISSING-COLUMN", None, "Courriel")]


def test_excel_decorations_change_nothing(tmp_path: Path) -> None:
    """Merged title cells, merged data cells, hidden rows and columns, a table with an
    autofilter, formatting down to row 1,048,576, a header gap, a commented Paramètres
    sheet: the same two clean rows."""
    headers = [*LABELS[:5], None, *LABELS[5:]]  # an empty header cell in the middle
    path = write_workbook(tmp_path / "cohorte.xlsx",
                          [valid_row(), valid_row(numero_auditeur="100002")],
                          headers=headers, title_rows=2)  # type: ignore[arg-type]
    book = load_workbook(path)
    sheet = book["Cohorte"]
    sheet.merge_cells("A1:H1")
    sheet.merge_cells("A2:C2")
    sheet.merge_cells(start_row=4, start_column=len(headers) - 1, end_row=4,
                      end_column=len(headers))  # Observations and past it, on a student
    sheet.row_dimensions[5].hidden = True
    sheet.column_dimensions["B"].hidden = True
    last = sheet.cell(3, len(headers)).column_letter
    sheet.add_table(Table(displayName="Cohorte2026", ref=f"G3:{last}5"))  # past the gap
    sheet.cell(1_048_576, 1).number_format = "@"
    sheet.cell(1_048_576, 3).font = Font(bold=True)
    params = book.create_sheet("Paramètres")
    for line in (["Paramètres de la cohorte"], [], ["Paramètre", "Valeur", "Commentaire"],
                 ["Heures de stage requises", 560, "référentiel"], [],
                 ["Gratification horaire minimale (€)", "4,50 €"], [None, "orpheline"]):
        params.append(line)
    book.save(path)
    result = _json(path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 2
    # a hidden student's row is a student like any other, and check says it is hidden
    assert [c for c in _codes(result) if c[0] != "FILE-UNKNOWN-COLUMN"] == [
        ("ROW-HIDDEN", 5, None)]


def _csv(tmp_path: Path, date_format: str) -> Path:
    """The valid row as a CSV (`,`, every cell quoted), its dates in `date_format`."""
    sheet = load_workbook(write_workbook(tmp_path / "cohorte.xlsx", [valid_row()]))["Cohorte"]
    lines = []
    for row in sheet.iter_rows(values_only=True):
        cells = [v.strftime(date_format) if isinstance(v, dt.date)
                 else "" if v is None else str(v) for v in row]
        lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    path = tmp_path / "cohorte.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_csv_written_month_first_is_read_day_first(tmp_path: Path) -> None:
    """A spreadsheet set to English exports 09/14/2026: the whole file is month first."""
    row = read_cohort(_csv(tmp_path, "%m/%d/%Y")).rows[0]
    assert (row.date_debut, row.date_definition) == (dt.date(2026, 9, 14), dt.date(2026, 5, 4))
    assert row.invalid == set()
    assert row.adresse == "12 rue des Lilas\n75020 Paris"  # a quoted multi-line cell
    # a day-first file is left alone: its 04/05/2026 is 4 May
    row = read_cohort(_csv(tmp_path, "%d/%m/%Y")).rows[0]
    assert (row.date_debut, row.date_definition) == (dt.date(2026, 9, 14), dt.date(2026, 5, 4))


@pytest.fixture
def soffice_binary() -> str:
    """LibreOffice alone (no PDF tools needed); its absence fails in CI, skips elsewhere."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("LibreOffice absent : apt-get install libreoffice-calc")
    pytest.skip("LibreOffice absent : apt-get install libreoffice-calc")


def _convert(soffice: str, source: Path, target: str, folder: Path) -> Path:
    folder.mkdir()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profil",
                    "--convert-to", target, "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=240)
    converted = [p for p in folder.iterdir() if p.is_file()]
    assert len(converted) == 1, converted
    return converted[0]


def test_libreoffice_saved_files_read_alike(tmp_path: Path, soffice_binary: str) -> None:
    """The same rows saved by LibreOffice as .ods, back to .xlsx and as a CSV (`,`, quoted
    multi-line cells): booleans, currency, percent and duration formats, a number typed in a
    date column, read to the same values."""
    rows = [
        valid_row(attestation_assurance=True, carte_auditeur=False,
                  heures_hebdo=dt.timedelta(hours=35), date_fin=46402),
        valid_row(numero_auditeur="100002", nom="Durand", telephone=612345678,
                  adresse='1 rue A\nappt 3, "bis"\n75001 Paris', structure_code_postal=1000,
                  date_debut=dt.datetime(2026, 9, 14)),
    ]
    source = write_workbook(tmp_path / "cohorte.xlsx", rows)
    book = load_workbook(source)
    sheet = book["Cohorte"]
    formats = {"Gratification horaire (€)": '#,##0.00 [$€-40C]', "Heures par semaine": "[h]:mm",
               "Exemplaires convention": "0%"}
    for cell in sheet[1]:
        if cell.value in formats:
            sheet.cell(2, cell.column).number_format = formats[str(cell.value)]
    book.save(source)
    ods = _convert(soffice_binary, source, "ods", tmp_path / "ods")
    back = _convert(soffice_binary, ods, "xlsx", tmp_path / "xlsx")
    csv_file = _convert(soffice_binary, source,
                        "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "csv")

    def typed(path: Path) -> list[tuple[object, ...]]:
        return [(r.numero_auditeur, r.attestation_assurance, r.carte_auditeur,
                 r.heures_hebdo, r.gratification_horaire, r.exemplaires_convention,
                 r.date_debut, r.date_fin, r.telephone, r.structure_code_postal, r.adresse,
                 frozenset(r.invalid)) for r in read_cohort(path).rows]

    expected = typed(source)
    assert expected[0][1:4] == (True, False, 35)
    assert expected[0][7] == dt.date(2027, 1, 15)
    for converted in (ods, back, csv_file):
        assert typed(converted) == expected, converted.name
        assert _json(converted).exit_code in (0, 1)
