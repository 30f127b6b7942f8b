"""Rendering on every core: the same documents as one process, in the same order, progress per
document, a worker that dies reported as failures, and `gen conventions` on a batch large
enough to use the workers."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from workbooks import valid_row, write_workbook

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.documents import workers
from generator.documents.batch import load_template
from generator.documents.engine import Template
from generator.documents.workers import (
    PARALLEL_FROM,
    Job,
    render_all,
    render_and_write,
    worker_count,
)
from generator.rules.report import Report, check

TODAY = dt.date(2026, 11, 28)


def _report(path: Path, count: int) -> Report:
    rows = [valid_row(numero_auditeur=f"{100001 + index}", nom=f"Nom{index}", prenom="Léa")
            for index in range(count)]
    return check(read_cohort(write_workbook(path, rows)), TODAY, frozenset({"convention"}))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return _report(tmp_path_factory.mktemp("cohorte") / "cohorte.xlsx", 12)


def _jobs(report: Report, folder: Path) -> list[Job]:
    folder.mkdir()
    return [Job(row, report.derived[row.row_number], folder / f"{row.numero_auditeur}.docx")
            for row in report.ready("convention")]


def test_two_workers_write_the_same_documents_as_one(report: Report, tmp_path: Path) -> None:
    template = load_template("convention")
    one = render_all(template, report.cohort.params, TODAY, _jobs(report, tmp_path / "un"),
                     workers=1)
    calls: list[tuple[int, int]] = []
    two = render_all(template, report.cohort.params, TODAY, _jobs(report, tmp_path / "deux"),
                     progress=lambda done, total: calls.append((done, total)), workers=2)
    assert len(one) == 12 and not any(written.error for written in one)
    assert [written.sha256 for written in two] == [written.sha256 for written in one]
    assert calls == [(done, 12) for done in range(1, 13)]
    for path in (tmp_path / "deux").iterdir():
        assert zipfile.ZipFile(path).testzip() is None


def test_a_worker_that_dies_fails_its_documents_not_the_batch(
        report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    render = Template.render

    def dying(self: Template, context: dict[str, object]) -> bytes:
        if context["auditeur"]["numero"] == "100006":  # type: ignore[index]
            os._exit(3)  # as a worker killed by the system
        return render(self, context)

    monkeypatch.setattr(Template, "render", dying)
    results = render_all(load_template("convention"), report.cohort.params, TODAY,
                         _jobs(report, tmp_path / "sortie"), workers=2)
    assert len(results) == 12
    assert results[5].error.startswith("le rendu a été interrompu")
    assert all(written.error or written.sha256 for written in results)


def test_workers_only_for_a_batch_worth_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert worker_count(PARALLEL_FROM - 1) == 1
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    assert worker_count(PARALLEL_FROM) == 2  # at least fifty documents each
    assert worker_count(100 * PARALLEL_FROM) == 4


def test_gen_conventions_on_a_large_batch(tmp_path: Path) -> None:
    workbook = tmp_path / "cohorte.xlsx"
    report = _report(workbook, PARALLEL_FROM + 20)
    result = CliRunner().invoke(cli, ["conventions", str(workbook), "-o", str(tmp_path / "out"),
                                      "--today", TODAY.isoformat(), "-q"])
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "out" / "conventions").glob("*.docx"))
    assert len(written) == PARALLEL_FROM + 20
    manifest = (tmp_path / "out" / "conventions" / "manifest.csv").read_text(encoding="utf-8")
    assert manifest.count(";produit;") == PARALLEL_FROM + 20
    first = report.cohort.rows[0]
    alone = render_and_write(load_template("convention"), report.cohort.params, TODAY,
                             Job(first, report.derived[first.row_number], tmp_path / "seul.docx"))
    assert alone.sha256 and (tmp_path / "seul.docx").read_bytes() == written[0].read_bytes()
