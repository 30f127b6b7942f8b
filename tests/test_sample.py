"""The sample cohort data/cohorte-exemple.xlsx: up to date with data/build_sample.py, every
step of the process represented as of 28/11/2026, and only its intended mistakes as errors."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from generator.cli import cli
from generator.cohort.model import Cohort
from generator.cohort.reader import read_cohort
from generator.rules.derived import STEPS
from generator.rules.report import Report, check

# The sample (conftest's `sample_path`) is written as of `sample_today`, 28/11/2026.
# The mistakes the sample holds on purpose (data/build_sample.py, "# mistake:").
EXPECTED_ERRORS = {
    ("PAR26104", "CELL-EMAIL"),
    ("PAR26111", "STAGE-HOURS"),
    ("PAR26120", "CELL-SIRET"),
    ("PAR26121", "CONVENTION-DEADLINE"),
    ("PAR26122", "CONVENTION-PIECES"),
    ("PAR26123", "STAGE-GRATIFICATION"),  # from the convention step on, an error
}
# What a team is told to look at, row by row, on that day.
EXPECTED_WARNINGS = {
    ("PAR26106", "STAGE-EXPERIENCE-UNPROVEN"),
    ("PAR26113", "CONVENTION-DEADLINE"),  # due within the alert window
    ("PAR26114", "CONVENTION-PIECES"),  # evening class: the student card is missing
    ("PAR26119", "STAGE-OPTIONAL"),
    ("PAR26110", "STAGE-GRATIFICATION"),  # before the convention step, a warning
    ("PAR26127", "EVALUATION-DUE"),
    ("PAR26128", "EVALUATION-DUE"),
    ("PAR26130", "ATTESTATION-HOURS"),  # 546 hours done of the 560 required
}
EXPECTED_INFOS = Counter({"STAGE-NO-STRUCTURE": 4, "STAGE-EXEMPT": 2, "DEGREE-PENDING": 1})


@pytest.fixture
def cohort(sample_path: Path) -> Cohort:
    return read_cohort(sample_path)


@pytest.fixture
def report(cohort: Cohort, sample_today: dt.date) -> Report:
    return check(cohort, sample_today)


def _builder(sample_path: Path) -> ModuleType:
    script = sample_path.parent / "build_sample.py"
    spec = importlib.util.spec_from_file_location("build_sample", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(path)
    return {name: list(workbook[name].iter_rows(values_only=True))
            for name in workbook.sheetnames}


def test_sample_is_what_the_script_builds(tmp_path: Path, sample_path: Path) -> None:
    rebuilt = tmp_path / "cohorte-exemple.xlsx"
    _builder(sample_path).build(rebuilt)
    assert _cells(rebuilt) == _cells(sample_path), \
        "data/cohorte-exemple.xlsx is stale: run python data/build_sample.py"


def test_only_the_intended_mistakes_are_errors(report: Report) -> None:
    by_severity: dict[str, set[tuple[str | None, str]]] = {}
    for finding in report.findings:
        by_severity.setdefault(str(finding.severity), set()).add((finding.student, finding.code))
    assert by_severity.get("error", set()) == EXPECTED_ERRORS
    assert by_severity.get("warning", set()) == EXPECTED_WARNINGS
    infos = Counter(f.code for f in report.findings if str(f.severity) == "info")
    assert infos == EXPECTED_INFOS
    assert [f for f in report.findings if f.row is None] == []


def test_every_step_is_represented(cohort: Cohort, report: Report) -> None:
    assert len(cohort.rows) == 30
    steps = Counter(report.derived[row.row_number].step for row in cohort.rows)
    assert set(steps) == set(STEPS)
    assert steps["ongoing"] >= 5


def test_rows_are_varied_as_a_real_cohort_is(cohort: Cohort, report: Report) -> None:
    rows = cohort.rows
    assert {r.modalite for r in rows} == {"cours du soir", "cours du jour"}
    with_dates = [r for r in rows if r.heures_hebdo is not None]
    assert {r.heures_hebdo >= 35 for r in with_dates} == {True, False}  # type: ignore[operator]
    assert any(r.jours_presence and " et " in r.jours_presence for r in rows)
    assert all(r.objectifs and "\n" in r.objectifs for r in with_dates)
    assert all(r.activites and "\n" in r.activites for r in with_dates)
    assert sum(1 for r in rows if r.observations) >= 8
    assert all(r.gratification_horaire for r in with_dates
               if r.numero_auditeur not in ("PAR26110", "PAR26123"))
    # cells typed as people type them, read as meant
    by_number = {r.numero_auditeur: r for r in rows}
    assert by_number["PAR26108"].date_debut == dt.date(2027, 3, 1)  # « 1er mars 2027 »
    assert by_number["PAR26108"].raw["date_debut"] == "1er mars 2027"
    assert by_number["PAR26118"].telephone == "06 39 98 10 18"  # typed with dots
    assert by_number["PAR26112"].civilite == "Mme"  # « Madame »
    assert by_number["PAR26129"].stage_valide is True  # « OUI »
    # every internship can reach its hours: no calendar, date or order finding at all
    assert not {f.code for f in report.findings} & {"STAGE-CALENDAR", "STAGE-DATES",
                                                   "STAGE-FULL-TIME", "WORKFLOW-ORDER",
                                                   "STAGE-PUBLIC-HOLIDAY", "CELL-REQUIRED"}


def test_gen_check_on_the_sample(sample_path: Path, sample_today: dt.date) -> None:
    result = CliRunner().invoke(cli, ["check", str(sample_path), "--today",
                                      sample_today.isoformat(), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["rows"] == 30
    assert data["summary"] == {"error": len(EXPECTED_ERRORS), "warning": len(EXPECTED_WARNINGS),
                               "info": sum(EXPECTED_INFOS.values())}


def test_the_readme_names_the_samples_mistakes(report: Report) -> None:
    """The README warns that the sample exits 1 and lists its deliberate errors: the same
    rows as `gen check` finds."""
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^- ligne (\d+) \((\w+)\) :", readme, re.MULTILINE))
    errors = {(str(f.row), f.student) for f in report.findings if str(f.severity) == "error"}
    assert listed == errors
    assert f"**L'exemple contient {len(errors)} erreurs volontaires**" in readme
