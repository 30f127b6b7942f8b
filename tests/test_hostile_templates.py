"""Hostile templates and workbooks: include/import refused in French, rendering bounded in
time and size per document, template and workbook zip bombs refused before they are opened
(under 300 MB; `python bench/bombs.py` times a whole `gen` process on them)."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from engine_helpers import make_template

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.documents import limits
from generator.documents.engine import Template
from generator.errors import InputError, TemplateError

REPO = Path(__file__).resolve().parents[1]


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


def _bomb(path: Path, member: str, size: int, base: bytes | None = None) -> Path:
    """A zip whose `member` unpacks to `size` bytes of zeros, beside the members of `base`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if base is not None:
            with zipfile.ZipFile(io.BytesIO(base)) as source:
                for info in source.infolist():
                    if info.filename != member:
                        archive.writestr(info, source.read(info))
        with archive.open(member, "w", force_zip64=True) as stream:
            block = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                stream.write(block)
    return path


_MEASURED = """
import resource, runpy, sys
sys.argv = ["gen", *sys.argv[2:]]
try:
    runpy.run_module("generator", run_name="__main__")
finally:
    with open(__import__("os").environ["PEAK_FILE"], "w") as out:
        out.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def _peak(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run `gen` in a child process: its result, seconds taken and its own peak memory (MB)."""
    peak_file = cwd / "peak.txt"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", _MEASURED, "gen", *args],
                            capture_output=True, text=True, cwd=cwd, timeout=300,
                            env={"PYTHONPATH": str(REPO), "PATH": "",
                                 "PEAK_FILE": str(peak_file)})
    seconds = time.monotonic() - started
    return result, seconds, int(peak_file.read_text()) / 1024


def _refused_within_memory(action: Callable[[], object], error: type[Exception]) -> str:
    """Run `action`, which must raise `error`; its message. Python's allocations stay under
    300 MB meanwhile (tracemalloc); `python bench/bombs.py` measures a whole `gen` process."""
    tracemalloc.start()
    try:
        with pytest.raises(error) as raised:
            action()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 300 * 1024 * 1024
    return str(raised.value)


def test_a_workbook_zip_bomb_is_refused_before_opening(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "cohorte.xlsx", "xl/worksheets/sheet1.xml", 2 << 30)
    assert bomb.stat().st_size < 5_000_000
    message = _refused_within_memory(lambda: read_cohort(bomb), InputError)
    assert "est refusé" in message and "2048 Mo" in message


def test_a_template_zip_bomb_is_refused_before_opening(tmp_path: Path) -> None:
    definition = tmp_path / "definition.docx"
    original = (REPO / "templates" / "definition.docx").read_bytes()
    _bomb(definition, "word/media/image1.png", 2 << 30, original)
    message = _refused_within_memory(lambda: Template.load(definition), TemplateError)
    assert "definition.docx" in message and "est refusé" in message


def test_the_cli_reports_a_hostile_template_in_one_line(tmp_path: Path) -> None:
    templates = tmp_path / "modeles"
    templates.mkdir()
    for source in (REPO / "templates").glob("*.docx"):
        (templates / source.name).write_bytes(source.read_bytes())
    make_template(templates / "definition.docx", ['{% include "x" %}'])
    result = CliRunner().invoke(cli, ["templates", "check", "--templates", str(templates)])
    assert result.exit_code == 2
    assert "n'est pas permis" in result.output + result.stderr
