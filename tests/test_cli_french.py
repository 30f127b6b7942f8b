"""Every word a user sees is French, click's own texts included: the usual mistakes (missing
argument, unknown command or option, bad choice, bad date) and the help pages carry none of
click's English catalogue."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import click
import pytest
from conftest import SAMPLE
from print_helpers import run

from generator.cli import french


def _click_catalogue() -> tuple[set[str], dict[str, str]]:
    """Every text click marks for translation, read from its source: the `_()` texts, and
    each `ngettext()` plural form → its singular."""
    texts: set[str] = set()
    plurals: dict[str, str] = {}
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            literals = [argument.value for argument in node.args
                        if isinstance(argument, ast.Constant) and isinstance(argument.value, str)]
            if node.func.id == "_" and literals:
                texts.add(literals[0])
            elif node.func.id == "ngettext" and len(literals) >= 2:
                plurals.update({literals[0]: literals[0], literals[1]: literals[0]})
    return texts, plurals


TEXTS, PLURALS = _click_catalogue()


def _english_fragments() -> set[str]:
    """The literal parts of click's texts (placeholders cut out) that their French does not
    contain: « Missing argument », « No such command », « default: »…"""
    translated = {msgid: french.TEXTS.get(msgid, "") for msgid in TEXTS
                  if msgid not in french.DEVELOPER_TEXTS}
    translated |= {form: " ".join(french.PLURALS.get(singular, ()))
                   for form, singular in PLURALS.items()}
    fragments = set()
    for msgid, text in translated.items():
        for part in re.split(r"\{[^}]*\}|%\([^)]*\)s|\n|\t", msgid):
            part = part.strip(" '.()?!")
            if len(part) >= 5 and part.casefold() not in text.casefold():
                fragments.add(part)
    return fragments


def test_every_text_click_prints_has_its_french() -> None:
    assert set(french.TEXTS) >= TEXTS - french.DEVELOPER_TEXTS
    assert set(PLURALS.values()) <= set(french.PLURALS)
    assert len(_english_fragments()) > 40  # the test below looks for something


MISTAKES = {
    "no command": [],
    "missing argument": ["check"],
    "unknown command": ["chek", str(SAMPLE)],
    "unknown option": ["check", str(SAMPLE), "--rapport", "x.xlsx"],
    "bad choice": ["check", str(SAMPLE), "--format", "xml"],
    "bad date": ["check", str(SAMPLE), "--today", "31/02/2026"],
    "English date": ["conventions", str(SAMPLE), "--today", "11/30/2026"],
    "bad reason": ["reminders", str(SAMPLE), "--reason", "approval"],
    "option without its value": ["conventions", str(SAMPLE), "--only"],
    "extra argument": ["check", str(SAMPLE), "autre.xlsx"],
    "missing folder": ["conventions", str(SAMPLE), "--templates", "dossier-absent"],
    "folder given as cohort": ["check", "."],
    "help": ["--help"],
    "command help": ["all", "--help"],
    "reminders help": ["reminders", "--help"],
}


@pytest.mark.parametrize("arguments", list(MISTAKES.values()), ids=list(MISTAKES))
def test_the_usual_mistakes_are_answered_in_french(arguments: list[str]) -> None:
    result = run(*arguments)
    shown = result.stdout + result.stderr
    english = sorted(fragment for fragment in _english_fragments()
                     if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", shown))
    assert not english, shown
    if arguments and arguments[-1] != "--help":
        assert result.exit_code == 2, shown
        assert "Erreur : " in result.stderr


def test_what_the_mistakes_say() -> None:
    missing = run("check").stderr
    assert "Argument manquant « CLASSEUR »." in missing and "Utilisation : " in missing
    assert "La commande « chek » n'existe pas. Vouliez-vous dire « check » ?" in \
        run("chek").stderr
    assert "L'option « --foo » n'existe pas. Vouliez-vous dire « --format » ?" in \
        run("check", SAMPLE, "--foo").stderr
    choice = run("check", SAMPLE, "--format", "xml").stderr
    assert "Valeur incorrecte pour « --format » : « xml » n'est pas une valeur possible : " \
           "choisissez parmi « text », « json »." in choice
    date = run("check", SAMPLE, "--today", "31/02/2026").stderr
    assert "« 31/02/2026 » n'est pas une date" in date
    assert "[par défaut : output]" in run("all", "--help").stdout
    assert "Utilisation : cli all [OPTIONS] CLASSEUR" in run("all", "--help").stdout


def test_today_takes_the_date_as_french_spreadsheets_show_it() -> None:
    result = run("check", SAMPLE, "--today", "30/11/2026", "--format", "json")
    assert json.loads(result.stdout)["today"] == "2026-11-30"


def test_nouns_agree_with_the_person() -> None:
    from generator.frenchdates import agreed

    assert agreed("auditeur", "Mme") == "auditrice" and agreed("tuteur", "Mme") == "tutrice"
    assert agreed("auditeur", "M.") == "auditeur" and agreed("tuteur", None) == "tuteur"
