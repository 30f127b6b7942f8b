"""`gen check`'s text: students with errors first, then warnings, then information."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rules_helpers import clean_row, run, searching_row
from workbooks import valid_row, write_workbook

from generator.cli import cli
from generator.views.terminal import text_lines


def test_students_with_errors_come_first_then_warnings_then_information() -> None:
    report = run(searching_row(2, numero_auditeur="P-INFO"),  # information only
                 clean_row(3, numero_auditeur="P-WARN", heures_hebdo=36.0),
                 clean_row(4, numero_auditeur="P-ERR", heures_total=500.0))
    titles = [line for line in text_lines(report) if line.startswith("Ligne")]
    assert [title.split(" — ")[1] for title in titles] == ["P-ERR", "P-WARN", "P-INFO"]
    assert text_lines(report)[-1].startswith("Bilan : 1 erreur, 1 avertissement")


def test_a_cells_message_does_not_repeat_the_column_the_line_names(
        tmp_path: Path) -> None:
    row = {**valid_row(), "email": "kevin.lambert@example,org"}
    cohort = write_workbook(tmp_path / "cohorte.xlsx", [row])
    result = CliRunner().invoke(cli, ["check", str(cohort), "--today", "2026-11-28"])
    (line,) = [line for line in result.stdout.splitlines() if "CELL-EMAIL" in line]
    assert line.endswith("CELL-EMAIL · Courriel : « kevin.lambert@example,org » n'est pas une "
                         "adresse électronique. Corrigez-la, par exemple prenom.nom@exemple.fr.")
