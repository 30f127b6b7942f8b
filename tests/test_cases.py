"""Workbooks as people keep them: each file of `fixtures/cases/` (see its README) run through
every command its README names, with the outcome a user expects, and never a traceback."""

from __future__ import annotations

import email
import email.policy
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from engine_helpers import assert_well_formed, docx_text
from openpyxl import load_workbook

from generator.cli import cli

CASES = Path(__file__).parent / "fixtures" / "cases"
_CONTROLS = {chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"}


def gen(*args: object) -> Result:
    """A command as a user types it; a traceback is never an acceptable outcome."""
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def _no_control(text: str) -> None:
    assert not _CONTROLS & set(text), repr(text)


# --- vertical tab (Word's Shift+Enter) and other characters XML refuses ---

@pytest.mark.parametrize("name", ["vertical-tab.xlsx", "vertical-tab.csv"])
def test_vertical_tab_report_is_written(name: str, tmp_path: Path) -> None:
    report = tmp_path / "R.xlsx"
    result = gen("check", CASES / name, "--today", "2026-05-20", "--report", report)
    assert result.exit_code == 0, result.output
    workbook = load_workbook(report)
    assert "Contrôles" in workbook.sheetnames
    for sheet in workbook.worksheets:  # what gen wrote is clean (the team's cells stay theirs)
        if sheet.title == "Contrôles":
            for row in sheet.iter_rows(values_only=True):
                _no_control("".join(str(v) for v in row if v is not None))


def test_vertical_tab_edges_trimmed_and_never_in_a_document(tmp_path: Path) -> None:
    result = gen("check", CASES / "vertical-tab.xlsx", "--today", "2026-05-20")
    assert result.exit_code == 0, result.output  # « Petit⟨VT⟩ » and « …org⟨VT⟩ » are trimmed
    assert "3 lignes" in result.output and "convention 3" in result.output
    result = gen("conventions", CASES / "vertical-tab.xlsx", "--today", "2026-05-20",
                 "-o", tmp_path)
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "conventions").glob("*.docx"))
    assert [f.name for f in files] == ["PAR1_MARTIN_Claire.docx", "PAR2_PETIT_Luc.docx",
                                       "PAR3_ROUX_Anna.docx"]
    for file in files:
        assert_well_formed(file)
        with zipfile.ZipFile(file) as archive:
            _no_control(archive.read("word/document.xml").decode("utf-8"))
    # Word's Shift+Enter inside the activities is a line break in the document
    assert "Entretiens individuels\nAnimation d'ateliers" in docx_text(files[0])
    _no_control((tmp_path / "conventions" / "manifest.csv").read_text(encoding="utf-8"))


def test_vertical_tab_never_reaches_an_email(tmp_path: Path) -> None:
    result = gen("reminders", CASES / "vertical-tab.xlsx", "--today", "2026-09-30", "--eml",
                 "-o", tmp_path)
    assert result.exit_code == 0, result.output
    messages = sorted(tmp_path.rglob("*.eml"))
    assert len(messages) == 3
    for path in messages:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for name, value in message.items():
            _no_control(f"{name}: {value}")
        assert str(message["To"]).endswith("@example.org>")
        body = message.get_body(("plain",))
        assert body is not None
        _no_control(body.get_content())


def test_an_invisible_character_is_shown_in_the_message(tmp_path: Path) -> None:
    workbook = load_workbook(CASES / "vertical-tab.xlsx")
    sheet = workbook.worksheets[0]
    column = next(c.column for c in sheet[1] if c.value == "Courriel")
    # pasted from a web page: a zero-width space, invisible in Excel (openpyxl refuses a VT)
    sheet.cell(row=4, column=column, value="anna.roux\u200b@example.org")
    workbook.save(tmp_path / "inside.xlsx")
    result = gen("check", tmp_path / "inside.xlsx", "--today", "2026-05-20")
    assert result.exit_code == 1
    assert "« anna.roux⟨espace invisible⟩@example.org » n'est pas une adresse" in result.output
