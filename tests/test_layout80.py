"""An 80-column terminal: every message of `gen check` and every fact of the reminder plan is
whole and readable (a short heading line, the text wrapped beneath), never cut by a table."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import SAMPLE, SAMPLE_TODAY
from rich.console import Console
from workbooks import valid_row, write_workbook

from generator.cohort.reader import read_cohort
from generator.reminders import run
from generator.rules.report import check
from generator.views import terminal as display


def _words(text: str) -> str:
    return " ".join(text.split())


def _at_80(report_items: list[object]) -> str:
    console = Console(width=80, record=True, force_terminal=True, color_system=None)
    for item in report_items:
        console.print(item)
    return console.export_text()


def test_check_at_80_columns_prints_every_message_whole(tmp_path: Path) -> None:
    long_address = "secretariat.intervention-sociale@association-exemple.example.org"
    workbook = write_workbook(tmp_path / "c.xlsx", [
        valid_row(tuteur_email="pas-une-adresse"),
        valid_row(numero_auditeur="100002", email=long_address + ","),
    ])
    for report in (check(read_cohort(workbook), dt.date(2026, 6, 1)),
                   check(read_cohort(SAMPLE), SAMPLE_TODAY)):
        shown = _at_80(display.rich_renderables(report))
        assert all(len(line.rstrip()) <= 80 for line in shown.splitlines())
        assert report.findings
        for finding in report.findings:
            # whole, as the view words it beneath its column's name
            assert _words(display.beneath_column(finding)) in _words(shown), finding.message
            # an address the message quotes is on one line, never cut
            for address in re.findall(r"[\w.+-]+@[\w.-]+\w", finding.message):
                assert any(address in line for line in shown.splitlines()), address


def test_the_reminder_plan_at_80_columns_keeps_every_fact_whole() -> None:
    _params, plan = run.prepare(SAMPLE, SAMPLE_TODAY, (), (), False)
    rows = run.plan_table(plan)
    assert rows
    shown = run.plan_text(rows, 80)
    lines = shown.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    for row in rows:
        for label in ("Destinataire", "Courriel", "Motif", "Détail"):
            assert _words(row[label]) in _words(shown)
        if "@" in row["Courriel"]:
            assert any(row["Courriel"] in line for line in lines)
