"""On a terminal, a command says which workbook it reads before loading its libraries; piped,
it prints only its result."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bench.first_output import run_on_terminal
from generator.cli import cli


def test_on_a_terminal_the_first_line_names_the_workbook(sample_path: Path,
                                                          tmp_path: Path) -> None:
    _first, _end, printed = run_on_terminal(["check", str(sample_path), "--today",
                                             "2026-11-28"], tmp_path)
    lines = printed.decode("utf-8").splitlines()
    assert lines[0] == "Lecture du classeur « cohorte-exemple.xlsx »…"
    assert any("PAR26104" in line for line in lines[1:])


def test_piped_or_quiet_there_is_no_start_line(sample_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["conventions", str(sample_path), "--today", "2026-11-28",
                                      "-o", str(tmp_path)])
    assert "Lecture du classeur" not in result.output
    _first, _end, printed = run_on_terminal(["conventions", str(sample_path), "--today",
                                             "2026-11-28", "-q", "-o", str(tmp_path)], tmp_path)
    assert b"Lecture du classeur" not in printed
