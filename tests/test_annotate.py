"""The annotated copy of `gen check --report`: findings' cells coloured and commented, a
`Contrôles` sheet, the team's workbook kept as it was — and never written."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from workbooks import LABELS, valid_row, write_workbook

from generator.cli import cli
from generator.cohort.columns import COLUMNS
from generator.cohort.model import Cohort
from generator.cohort.reader import read_cohort
from generator.errors import GenError
from generator.findings import Finding, Severity
from generator.rules.report import check
from generator.workbook.annotate import (
    CHECKS_HEADERS,
    CHECKS_SHEET,
    SEVERITY_COLORS,
    write_annotated,
)

TODAY = dt.date(2026, 11, 28)
COLUMN_OF = {c.label: index for index, c in enumerate(COLUMNS, start=1)}


@dataclass
class FakeReport:
    """A report with findings chosen by the test (the contract: findings and cohort)."""

    cohort: Cohort
    findings: list[Finding]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(sheet: Worksheet, row: int, label: str) -> str:
    return str(sheet.cell(row=row, column=COLUMN_OF[label]).fill.fgColor.rgb)[-6:]


def _comment(sheet: Worksheet, row: int, label: str) -> str:
    comment = sheet.cell(row=row, column=COLUMN_OF[label]).comment
    return comment.text if comment is not None else ""


@pytest.fixture
def team_workbook(tmp_path: Path) -> Path:
    """The team's workbook: three students (hours too low, a bad phone, still searching),
    their own formatting, a note of theirs, and a sheet with a formula."""
    path = write_workbook(tmp_path / "cohorte.xlsx", [
        valid_row(numero_auditeur="A1", heures_total=500),
        valid_row(numero_auditeur="A2", telephone="12345"),
        valid_row(numero_auditeur="A3", structure_nom=None, date_definition=None,
                  date_accord=None, date_convention=None),
    ])
    workbook = load_workbook(path)
    sheet = workbook["Cohorte"]
    sheet["C2"].font = Font(bold=True, color="FF0000")
    sheet.column_dimensions["C"].width = 33
    hours = sheet.cell(row=2, column=COLUMN_OF["Heures totales"])
    hours.comment = Comment("À vérifier avec la structure", "Équipe")
    follow_up = workbook.create_sheet("Suivi")
    follow_up["A1"] = "Nombre d'auditeurs"
    follow_up["B1"] = "=COUNTA(Cohorte!A:A)-1"
    workbook.save(path)
    return path


def test_copy_marks_findings_and_keeps_the_team_workbook(team_workbook: Path,
                                                         tmp_path: Path) -> None:
    before = _sha256(team_workbook)
    report = check(read_cohort(team_workbook), TODAY)
    codes = {(f.student, f.code) for f in report.findings}
    assert {("A1", "STAGE-HOURS"), ("A2", "CELL-PHONE"), ("A3", "STAGE-NO-STRUCTURE")} <= codes
    copy = tmp_path / "controles.xlsx"
    write_annotated(team_workbook, report, copy)

    assert _sha256(team_workbook) == before
    workbook = load_workbook(copy)
    sheet = workbook["Cohorte"]
    # the team's formatting, formula and other sheet are kept
    assert sheet["C2"].font.bold and str(sheet["C2"].font.color.rgb).endswith("FF0000")
    assert sheet.column_dimensions["C"].width == 33
    assert workbook["Suivi"]["B1"].value == "=COUNTA(Cohorte!A:A)-1"
    assert [c.value for c in sheet[1]] == LABELS
    # errors in red, warnings in orange, each with its message; the team's note stays
    assert _fill(sheet, 2, "Heures totales") == SEVERITY_COLORS[Severity.ERROR]
    hours_note = _comment(sheet, 2, "Heures totales")
    assert hours_note.startswith("À vérifier avec la structure")
    assert "STAGE-HOURS" in hours_note and "560" in hours_note
    assert _fill(sheet, 3, "Téléphone") == SEVERITY_COLORS[Severity.WARNING]
    assert "CELL-PHONE" in _comment(sheet, 3, "Téléphone")
    assert _fill(sheet, 4, "Structure d'accueil") == SEVERITY_COLORS[Severity.INFO]
    untouched = sheet.cell(row=3, column=COLUMN_OF["Nom"])
    assert untouched.comment is None and untouched.fill.fill_type is None
    # every finding is listed in Contrôles, the sheet the copy opens on
    checks = workbook[CHECKS_SHEET]
    assert workbook.active is not None and workbook.active.title == CHECKS_SHEET
    assert [c.value for c in checks[1]] == CHECKS_HEADERS
    listed = [[c.value for c in row] for row in checks.iter_rows(min_row=2)]
    assert len(listed) == len(report.findings)
    assert sorted((r[1], r[4]) for r in listed) == sorted((f.student, f.code)
                                                          for f in report.findings)
    hours_line = next(r for r in listed if r[4] == "STAGE-HOURS")
    assert hours_line[:4] == [2, "A1", "Heures totales", "Erreur"]
    assert hours_line[6] == "500"
    assert checks.auto_filter.ref == f"A1:G{len(listed) + 1}"


def test_findings_are_located_by_header_even_below_title_rows(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "cohorte.xlsx",
                            [valid_row(numero_auditeur="B1"), valid_row(numero_auditeur="B2")],
                            headers=[*LABELS, "Référent"], title_rows=2)
    cohort = read_cohort(source)
    assert cohort.header_row == 3
    findings = [
        Finding("STAGE-HOURS", Severity.ERROR, "Trop peu d'heures.", row=4,
                column="Heures totales", value="500", student="B1"),
        Finding("STAGE-HOURS", Severity.WARNING, "Encore les heures.", row=4,
                column="Heures totales", student="B1"),
        Finding("STUDENT-DUPLICATE", Severity.ERROR, "Ligne en double.", row=5),
        Finding("FILE-UNKNOWN-COLUMN", Severity.INFO, "Colonne inconnue.", column="Référent"),
        Finding("FILE-BAD-PARAMETER", Severity.ERROR, "Paramètre faux.", column="Valeur"),
    ]
    copy = tmp_path / "annotee.xlsx"
    write_annotated(source, FakeReport(cohort, findings), copy)
    workbook = load_workbook(copy)
    sheet = workbook["Cohorte"]
    # two findings in one cell: the worse colour, one comment holding both messages
    assert _fill(sheet, 4, "Heures totales") == SEVERITY_COLORS[Severity.ERROR]
    note = _comment(sheet, 4, "Heures totales")
    assert "Trop peu d'heures." in note and "Encore les heures." in note
    assert note.index("Trop peu") < note.index("Encore")
    # no column: the row's N° auditeur cell; a file-level column: its header cell
    assert "Ligne en double." in _comment(sheet, 5, "N° auditeur")
    assert "Colonne inconnue." in sheet.cell(3, len(LABELS) + 1).comment.text
    assert all(cell.comment is None for cell in sheet[1])  # title rows untouched
    listed = [[c.value for c in row] for row in workbook[CHECKS_SHEET].iter_rows(min_row=2)]
    assert [r[4] for r in listed][:2] == ["FILE-BAD-PARAMETER", "FILE-UNKNOWN-COLUMN"]
    assert listed[0][0] is None and listed[0][5] == "Paramètre faux."
    duplicate = next(r for r in listed if r[4] == "STUDENT-DUPLICATE")
    assert duplicate[1] == "B2"  # read from the row when the finding names no student


def test_file_level_findings_about_rows_mark_the_rows_their_facts_name(tmp_path: Path
                                                                       ) -> None:
    """A row not read as a student, and merged rows, are marked where they are: the row and
    column the finding's facts name (the message is not parsed)."""
    source = write_workbook(tmp_path / "cohorte.xlsx", [
        valid_row(), valid_row(numero_auditeur="100002"), valid_row(numero_auditeur="100003"),
        {"structure_nom": "valeur d'un modèle"}, valid_row(numero_auditeur="100004")])
    book = load_workbook(source)
    column = COLUMN_OF["Structure d'accueil"]
    book["Cohorte"].merge_cells(start_row=3, end_row=4, start_column=column, end_column=column)
    book.save(source)
    copy = tmp_path / "annotee.xlsx"
    write_annotated(source, check(read_cohort(source), TODAY), copy)
    sheet = load_workbook(copy)["Cohorte"]
    assert "FILE-NOT-STUDENTS" in _comment(sheet, 5, "N° auditeur")
    assert "FILE-MERGED-CELLS" in _comment(sheet, 3, "Structure d'accueil")


def test_annotating_an_annotated_copy_replaces_its_checks(team_workbook: Path,
                                                          tmp_path: Path) -> None:
    report = check(read_cohort(team_workbook), TODAY)
    first, second = tmp_path / "un.xlsx", tmp_path / "deux.xlsx"
    write_annotated(team_workbook, report, first)
    write_annotated(first, FakeReport(report.cohort, report.findings[:1]), second)
    workbook = load_workbook(second)
    assert workbook.sheetnames.count(CHECKS_SHEET) == 1
    assert workbook[CHECKS_SHEET].max_row == 2


@pytest.mark.parametrize("same", ["cohorte.xlsx", "sub/../cohorte.xlsx"])
def test_never_writes_the_original(team_workbook: Path, same: str) -> None:
    (team_workbook.parent / "sub").mkdir()
    before = _sha256(team_workbook)
    report = check(read_cohort(team_workbook), TODAY)
    with pytest.raises(GenError, match="ne peut pas remplacer"):
        write_annotated(team_workbook, report, team_workbook.parent / same)
    assert _sha256(team_workbook) == before


def test_refuses_a_copy_that_is_not_an_excel_file(team_workbook: Path, tmp_path: Path) -> None:
    report = check(read_cohort(team_workbook), TODAY)
    with pytest.raises(GenError, match=".xlsx"):
        write_annotated(team_workbook, report, tmp_path / "controles.ods")
    assert not (tmp_path / "controles.ods").exists()


def _french_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", encoding="cp1252", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(LABELS)
        for row in rows:
            cells = [row.get(c.key) for c in COLUMNS]
            writer.writerow(["" if v is None else v.strftime("%d/%m/%Y")
                             if isinstance(v, dt.date) else str(v).replace(".", ",")
                             for v in cells])
    return path


def test_csv_gets_an_xlsx_copy_at_the_same_rows(tmp_path: Path) -> None:
    source = _french_csv(tmp_path / "cohorte.csv", [valid_row(numero_auditeur="C1"),
                                                    valid_row(numero_auditeur="C2",
                                                              heures_total=500)])
    before = _sha256(source)
    report = check(read_cohort(source), TODAY)
    assert ("C2", "STAGE-HOURS") in {(f.student, f.code) for f in report.findings}
    copy = tmp_path / "controles.xlsx"
    write_annotated(source, report, copy)
    assert _sha256(source) == before
    workbook = load_workbook(copy)
    sheet = workbook[report.cohort.sheet]
    assert sheet.cell(3, 1).value == "C2"
    assert sheet.cell(3, COLUMN_OF["Heures totales"]).value == "500"  # the text of the file
    assert _fill(sheet, 3, "Heures totales") == SEVERITY_COLORS[Severity.ERROR]
    assert "STAGE-HOURS" in {row[4].value for row in workbook[CHECKS_SHEET].iter_rows(2)}


def test_ods_gets_an_xlsx_copy_with_every_sheet(tmp_path: Path) -> None:
    source = tmp_path / "cohorte.ods"
    rows = [valid_row(numero_auditeur="D1", telephone="12345")]
    frame = pd.DataFrame([{c.label: row[c.key] for c in COLUMNS} for row in rows])
    with pd.ExcelWriter(source, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Cohorte", index=False)
        pd.DataFrame({"Note": ["à garder"]}).to_excel(writer, sheet_name="Notes", index=False)
    report = check(read_cohort(source), TODAY)
    copy = tmp_path / "controles.xlsx"
    write_annotated(source, report, copy)
    workbook = load_workbook(copy)
    assert workbook.sheetnames == ["Cohorte", "Notes", CHECKS_SHEET]
    assert workbook["Notes"]["A2"].value == "à garder"
    assert _fill(workbook["Cohorte"], 2, "Téléphone") == SEVERITY_COLORS[Severity.WARNING]


def test_check_report_option_writes_the_copy(team_workbook: Path, tmp_path: Path) -> None:
    copy = tmp_path / "controles.xlsx"
    result = CliRunner().invoke(cli, ["check", str(team_workbook), "--today", "2026-11-28",
                                      "--report", str(copy)])
    assert result.exit_code == 1, result.output
    assert CHECKS_SHEET in load_workbook(copy).sheetnames


def test_libreoffice_opens_the_copy(team_workbook: Path, tmp_path: Path, soffice: str) -> None:
    copy = tmp_path / "controles.xlsx"
    write_annotated(team_workbook, check(read_cohort(team_workbook), TODAY), copy)
    out = tmp_path / "csv"
    profile = (tmp_path / "lo-profile").as_uri()
    # UTF-8 (76), every sheet to its own file (the last token, -1)
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    completed = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         every_sheet, "--outdir", str(out), str(copy)],
        capture_output=True, text=True, timeout=180, check=False)
    assert completed.returncode == 0, completed.stderr
    exported = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.csv")}
    hint = "LibreOffice Calc absent ? apt-get install libreoffice-calc-nogui"
    assert set(exported) == {"controles-Cohorte.csv", "controles-Suivi.csv",
                             f"controles-{CHECKS_SHEET}.csv"}, f"{hint}\n{completed.stderr}"
    assert "STAGE-HOURS" in exported[f"controles-{CHECKS_SHEET}.csv"]
    assert "A1,Mme,Martin" in exported["controles-Cohorte.csv"]
    assert "Nombre d'auditeurs,3" in exported["controles-Suivi.csv"]  # the formula, computed
