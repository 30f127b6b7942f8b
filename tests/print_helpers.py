"""Test helpers for PDF, packs and template checks: cohorts of ready students, the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner, Result
from workbooks import valid_row, write_workbook

from generator.cli import cli

# After every internship of `valid_row` has ended: the evaluation forms are due.
AFTER_END = dt.date(2027, 1, 20)


def student(number: int, **overrides: object) -> dict[str, object]:
    """A valid row whose convention is established, with its own number and name."""
    fields: dict[str, object] = {"numero_auditeur": f"{100000 + number}",
                                 "nom": f"Nom{number:02d}", "prenom": f"Prénom{number:02d}"}
    fields.update(overrides)
    return valid_row(**fields)


def cohort(path: Path, rows: list[dict[str, object]]) -> Path:
    return write_workbook(path, rows)


def run(*args: object) -> Result:
    """`gen …` through click's runner, stdout and stderr apart."""
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)
