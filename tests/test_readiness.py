"""`gen check`'s « Prêts pour » is what each document command writes: for every document kind
and every row of the sample and of the test workbooks, the rows `check` counts ready are
exactly the rows the command writes (issue: a row counted ready by `check` and refused by
`gen conventions`). And `--only` reads the same way for every command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE, SAMPLE_TODAY
from workbooks import valid_row, write_workbook

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.documents.batch import GENERATED, run
from generator.errors import InputError
from generator.process import DOCUMENT_KEYS, DOCUMENTS
from generator.rules.report import check

FIXTURES = sorted(path for path in (ROOT / "tests" / "fixtures").iterdir()
                  if path.suffix in {".xlsx", ".ods", ".csv"})
DATES = (SAMPLE_TODAY, dt.date(2027, 3, 1))


def _readable(path: Path) -> bool:
    try:
        read_cohort(path)
    except InputError:
        return False
    return True


WORKBOOKS = [SAMPLE, *(path for path in FIXTURES if _readable(path))]


@pytest.mark.parametrize("today", DATES, ids=str)
@pytest.mark.parametrize("workbook", WORKBOOKS, ids=lambda path: path.name)
def test_check_readiness_is_what_each_command_writes(workbook: Path, today: dt.date,
                                                     tmp_path: Path) -> None:
    report = check(read_cohort(workbook), today)
    results = run(workbook, DOCUMENT_KEYS, tmp_path, today)
    for result in results:
        written = {item.row for item in result.items if item.status == GENERATED}
        ready = {row.row_number for row in report.issuable(result.document)}
        assert written == ready, (workbook.name, result.document)
        assert report.readiness()[result.document] == len(written)


def test_the_sample_has_rows_ready_and_refused_for_every_document(tmp_path: Path) -> None:
    report = check(read_cohort(SAMPLE), SAMPLE_TODAY)
    for document in DOCUMENT_KEYS:
        assert report.issuable(document), document
    # the sample's 525-hour internship is not approved (issue 9: its accord was issued)
    refused = {row.numero_auditeur for row in report.ready("approval")} - {
        row.numero_auditeur for row in report.issuable("approval")}
    assert refused


def test_an_accord_is_not_issued_for_a_row_whose_definition_breaks_the_rules(
        tmp_path: Path) -> None:
    """The accord certifies the definition: hours, dates, tutor, collective action."""
    rows = [valid_row(numero_auditeur="A1", heures_total=525, date_accord=None,
                      date_convention=None),
            valid_row(numero_auditeur="A2", tuteur_nom=None, tuteur_fonction=None,
                      date_accord=None, date_convention=None),
            valid_row(numero_auditeur="A3", date_fin=dt.date(2026, 9, 1), date_accord=None,
                      date_convention=None),
            valid_row(numero_auditeur="A4", action_collective=None, date_accord=None,
                      date_convention=None),
            valid_row(numero_auditeur="A5", date_accord=None, date_convention=None)]
    workbook = write_workbook(tmp_path / "cohorte.xlsx", rows)
    (result,) = run(workbook, ["approval"], tmp_path / "out", dt.date(2026, 6, 1))
    by_student = {item.student.split()[0]: item for item in result.items}
    assert {s for s, item in by_student.items() if item.status == GENERATED} == {"A5"}
    codes = {s: {f.code for f in item.findings} for s, item in by_student.items()}
    assert codes["A1"] == {"STAGE-HOURS"}
    assert codes["A2"] == {"STAGE-TUTOR"}
    assert "STAGE-DATES" in codes["A3"]
    assert codes["A4"] == {"STAGE-COLLECTIVE-ACTION"}
    assert all(item.due for item in result.items)


@pytest.mark.parametrize("command", [*(kind.command for kind in DOCUMENTS.values()),
                                     "reminders"])
def test_only_reads_the_same_for_every_command(command: str, tmp_path: Path) -> None:
    """One --only: case and edge spaces ignored, an unknown number refused (exit 2)."""
    runner = CliRunner()
    number = read_cohort(SAMPLE).rows[0].numero_auditeur or ""
    base = [command, str(SAMPLE), "-o", str(tmp_path), "--today", SAMPLE_TODAY.isoformat()]
    known = runner.invoke(cli, [*base, "--only", f" {number.lower()} "])
    assert known.exit_code in (0, 1), known.output
    unknown = runner.invoke(cli, [*base, "--only", "ZZ999"])
    assert unknown.exit_code == 2
    assert "N° auditeur absent du classeur : ZZ999" in unknown.output
