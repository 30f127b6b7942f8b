"""Hostile templates and workbooks: include/import refused in French, rendering bounded in
time and size per document, template and workbook zip bombs refused before they are opened
(under 300 MB; `python bench/bombs.py` times a whole `gen` process on them)."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner
from engine_helpers import make_template
from zipbombs import make_bomb

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.documents import limits
from generator.documents.engine import Template
from generator.errors import InputError, TemplateError

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")


@pytest.mark.parametrize("tag", ['{% include "autre.docx" %}', '{% import "m" as m %}',
                                 '{% from "m" import x %}', '{% extends "base" %}'])
def test_include_and_import_are_refused_in_french(tmp_path: Path, tag: str) -> None:
    path = make_template(tmp_path / "modele.docx", ["Bonjour", tag])
    with pytest.raises(TemplateError, match="n'est pas permis"):
        Template.load(path)


@pytest.mark.parametrize("body", [
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
    "{{ 'x' * 500000000 }}",
    "{{ 9 ** 999999999 }}",
    "{% for i in range(10 ** 9) %}x{% endfor %}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
])
def test_rendering_is_bounded_in_time_and_size(tmp_path: Path, body: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_SECONDS", 1.0)
    template = Template.load(make_template(tmp_path / "modele.docx", ["Début", body]))
    started = time.monotonic()
    with pytest.raises(TemplateError, match="est refusé|ne peut pas être rempli"):
        template.render({})
    assert time.monotonic() - started < 10


def test_a_normal_loop_still_renders(tmp_path: Path) -> None:
    template = Template.load(make_template(
        tmp_path / "modele.docx", ["{% for i in range(3) %}ligne {{ i }} {% endfor %}"]))
    assert b"ligne 2" in zipfile.ZipFile(io.BytesIO(template.render({}))).read(
        "word/document.xml")


def _within_memory(action: Callable[[], T]) -> T:
    """Run `action` and give its result; Python's allocations stay under 300 MB meanwhile
    (tracemalloc); `python bench/bombs.py` measures a whole `gen` process."""
    tracemalloc.start()
    try:
        result = action()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 300 * 1024 * 1024
    return result


def _refused_within_memory(action: Callable[[], object], error: type[Exception]) -> str:
    """Run `action`, which must raise `error`, within 300 MB; its message."""
    def refused() -> str:
        with pytest.raises(error) as raised:
            action()
        return str(raised.value)
    return _within_memory(refused)


def test_a_workbook_zip_bomb_is_refused_before_opening(tmp_path: Path) -> None:
    bomb = make_bomb(tmp_path / "cohorte.xlsx", "xl/worksheets/sheet1.xml", 2 << 30)
    assert bomb.stat().st_size < 5_000_000
    message = _refused_within_memory(lambda: read_cohort(bomb), InputError)
    assert "est refusé" in message and "2048 Mo" in message


def test_a_template_zip_bomb_is_refused_before_opening(tmp_path: Path) -> None:
    definition = tmp_path / "definition.docx"
    original = (REPO / "templates" / "definition.docx").read_bytes()
    make_bomb(definition, "word/media/image1.png", 2 << 30, original)
    message = _refused_within_memory(lambda: Template.load(definition), TemplateError)
    assert "definition.docx" in message and "est refusé" in message


def test_a_template_whose_text_is_a_bomb_is_refused_before_any_part_is_read(
        tmp_path: Path) -> None:
    # The bomb is the part `gen templates check` reads first (the tags' scan): the decision
    # comes from the archive's directory, before anything is decompressed.
    templates = tmp_path / "modeles"
    templates.mkdir()
    original = (REPO / "templates" / "definition.docx").read_bytes()
    make_bomb(templates / "definition.docx", "word/document.xml", 2 << 30, original)
    output = _within_memory(lambda: CliRunner().invoke(
        cli, ["templates", "check", "--templates", str(templates)]))
    assert output.exit_code == 2
    assert ("Modèle « definition.docx » : refusé, il se décompresse en 2048 Mo (au plus "
            "200 Mo). Que faire : reprenez le modèle d'origine") in output.output
    assert "corrigez la balise" not in output.output


def test_the_cli_reports_a_hostile_template_in_one_line(tmp_path: Path) -> None:
    templates = tmp_path / "modeles"
    templates.mkdir()
    for source in (REPO / "templates").glob("*.docx"):
        (templates / source.name).write_bytes(source.read_bytes())
    make_template(templates / "definition.docx", ['{% include "x" %}'])
    result = CliRunner().invoke(cli, ["templates", "check", "--templates", str(templates)])
    assert result.exit_code == 2
    assert "n'est pas permis" in result.output + result.stderr
