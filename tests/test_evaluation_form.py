"""The fillable evaluation form: its controls are found by bookmark after a save from Word or
from LibreOffice Writer (which drops `w:tag`), and the student travels in its properties."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from form_helpers import ANSWERS, fill_as_word
from pdftext import pdf_text

from generator.collect.read import read_path
from generator.documents import form
from generator.documents.context import example_context
from generator.documents.engine import Template

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FILL_SCRIPT = Path(__file__).with_name("libreoffice_fill.py")

def blank_form(tmp_path: Path) -> Path:
    path = tmp_path / "fiche.docx"
    path.write_bytes(Template.load(TEMPLATES / "evaluation.docx").render(example_context()))
    return path


def test_a_generated_form_has_every_field_empty_and_names_its_student(tmp_path: Path) -> None:
    (found,) = read_path(blank_form(tmp_path))
    assert found.problem is None
    assert found.student == "PAR12345"
    assert found.version == form.FORM_VERSION
    assert found.answers == {field.key: "" for field in form.FIELDS}


def test_a_form_filled_in_word_reads_back_every_answer(tmp_path: Path) -> None:
    filled = tmp_path / "renommée par le tuteur.docx"
    fill_as_word(blank_form(tmp_path), ANSWERS, filled)
    (found,) = read_path(filled)
    assert found.student == "PAR12345"
    assert found.answers == ANSWERS


def _libreoffice_python() -> str | None:
    python = shutil.which("python3", path="/usr/bin")
    if not shutil.which("soffice") or python is None:
        return None
    probe = subprocess.run([python, "-c", "import uno"], capture_output=True, check=False)
    return python if probe.returncode == 0 else None


@pytest.fixture(scope="module")
def filled_in_writer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A form filled through LibreOffice itself (UNO), saved as .docx and exported to PDF."""
    python = _libreoffice_python()
    if python is None:
        pytest.skip("LibreOffice and its Python (python3-uno) are needed: "
                    "apt-get install libreoffice-writer-nogui python3-uno")
    work = tmp_path_factory.mktemp("writer")
    values = work / "values.json"
    values.write_text(json.dumps({form.BY_KEY[key].bookmark: value
                                  for key, value in ANSWERS.items()}), encoding="utf-8")
    out_docx, out_pdf = work / "rempli.docx", work / "rempli.pdf"
    completed = subprocess.run(
        [python, str(FILL_SCRIPT), str(blank_form(work)), str(values), str(out_docx),
         str(out_pdf), str(work / "profile")], capture_output=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr.decode()
    return out_docx, out_pdf


def test_libreoffice_drops_the_tags_and_the_bookmarks_still_find_every_answer(
        filled_in_writer: tuple[Path, Path]) -> None:
    out_docx, _ = filled_in_writer
    with zipfile.ZipFile(out_docx) as package:
        xml = package.read("word/document.xml").decode()
    assert "<w:sdt>" in xml and "w:tag" not in xml  # the trap: Writer 7.4 drops w:tag
    (found,) = read_path(out_docx)
    assert found.student == "PAR12345"
    assert found.version == form.FORM_VERSION
    assert found.answers == ANSWERS


def test_the_pdf_libreoffice_exports_shows_what_was_set(
        filled_in_writer: tuple[Path, Path]) -> None:
    _, out_pdf = filled_in_writer
    text = pdf_text(out_pdf)
    if text is None:
        pytest.skip("pdftotext is needed (apt-get install poppler-utils)")
    flat = re.sub(r"\s+", " ", text)
    for value in ("548,5", "Karim Bernard", form.VALIDATED, "Stagiaire investie & curieuse."):
        assert value in flat
