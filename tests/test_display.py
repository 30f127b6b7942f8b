"""`gen check`'s text: students with errors first, then warnings, then information."""

from __future__ import annotations

from rules_helpers import clean_row, run, searching_row

from generator.views.terminal import text_lines


def test_students_with_errors_come_first_then_warnings_then_information() -> None:
    report = run(searching_row(2, numero_auditeur="P-INFO"),  # information only
                 clean_row(3, numero_auditeur="P-WARN", heures_hebdo=36.0),
                 clean_row(4, numero_auditeur="P-ERR", heures_total=500.0))
    titles = [line for line in text_lines(report) if line.startswith("Ligne")]
    assert [title.split(" — ")[1] for title in titles] == ["P-ERR", "P-WARN", "P-INFO"]
    assert text_lines(report)[-1].startswith("Bilan : 1 erreur, 1 avertissement")
