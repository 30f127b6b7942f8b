"""The evaluation form as a fillable PDF (`gen evaluations --pdf`): a bordered box per field
that hides only its placeholder, never a word of the form, an instruction that fits a PDF as
well as a .docx, and values set in a viewer (here through pypdf) read back by `gen collect`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from form_helpers import ANSWERS
from pdftext import pdf_text
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject

from generator.cli import cli
from generator.collect.read import read_path
from generator.documents import form

ROOT = Path(__file__).resolve().parents[1]
# What LibreOffice prints where a control is still empty: the field's box hides it.
PLACEHOLDER_WORDS = {*form.TEXT_PLACEHOLDER.split(), form.CHOICE_PLACEHOLDER}


@pytest.fixture(scope="module")
def blank_pdf(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fillable PDF `gen evaluations --pdf` writes for PAR26117 (Mme Léa Marchand)."""
    out = tmp_path_factory.mktemp("pdf-form")
    result = CliRunner().invoke(cli, ["evaluations", str(ROOT / "data" / "cohorte-exemple.xlsx"),
                                      "-o", str(out), "--today", "2026-11-28", "--only",
                                      "PAR26117", "--pdf", "-q"])
    assert result.exit_code == 0, result.output
    (pdf,) = (out / "evaluations").glob("*.pdf")
    return pdf


def _widgets(pdf: Path) -> list[tuple[int, str, tuple[float, ...], DictionaryObject]]:
    """(page index, field name, rectangle in points, widget) of every visible field."""
    found = []
    for index, page in enumerate(PdfReader(pdf).pages):
        for reference in page.get("/Annots", ArrayObject()):
            widget = reference.get_object()
            rect = tuple(float(v) for v in widget["/Rect"])
            if rect[2] > rect[0]:
                found.append((index, str(widget["/T"]), rect, widget))
    return found


def _words(pdf: Path) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """(page index, word, rectangle in PDF points from the bottom) as pdftotext sees them."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          check=True, timeout=60).stdout.decode()
    words, page, height = [], -1, 0.0
    for line in html.splitlines():
        if match := re.search(r'<page width="[\d.]+" height="([\d.]+)"', line):
            page, height = page + 1, float(match.group(1))
        elif match := re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                r'yMax="([\d.]+)">([^<]*)</word>', line):
            x0, top, x1, bottom = (float(match.group(i)) for i in range(1, 5))
            words.append((page, match.group(5), (x0, height - bottom, x1, height - top)))
    return words


def test_every_field_is_a_bordered_box_drawn_for_every_viewer(blank_pdf: Path) -> None:
    widgets = _widgets(blank_pdf)
    assert {name for _, name, _, _ in widgets} == {field.bookmark for field in form.FIELDS}
    for _, name, _, widget in widgets:
        appearance = widget["/AP"]["/N"].get_object().get_data().decode()
        assert " re f " in appearance and appearance.endswith("re S Q"), name  # fill, border
        assert "/BC" in widget["/MK"], name  # viewers that redraw the field draw it too
        assert widget["/TU"] == form.BY_BOOKMARK[name.casefold()].label  # shown on hovering


def test_a_field_hides_its_placeholder_and_no_word_of_the_form(blank_pdf: Path) -> None:
    """Each box lies over « Cliquez pour saisir » or « Choisir… » and nothing else: the
    « ( » of « (prévues : 560 heures) » and the headings stay visible."""
    words = _words(blank_pdf)
    widgets = _widgets(blank_pdf)
    covered: set[int] = set()
    for page, name, (x0, y0, x1, y1), _ in widgets:
        for index, (word_page, word, (a0, b0, a1, b1)) in enumerate(words):
            if word_page == page and a0 < x1 and x0 < a1 and b0 < y1 and y0 < b1:
                assert word in PLACEHOLDER_WORDS, (name, word)
                covered.add(index)
    placeholders = [i for i, (_, word, _) in enumerate(words) if word in PLACEHOLDER_WORDS]
    assert placeholders and set(placeholders) <= covered  # none left showing
    for first, (page, name, rect, _) in enumerate(widgets):
        for other_page, other, other_rect, _ in widgets[first + 1:]:
            overlap = (rect[0] < other_rect[2] and other_rect[0] < rect[2]
                       and rect[1] < other_rect[3] and other_rect[1] < rect[3])
            assert page != other_page or not overlap, (name, other)


def test_the_instruction_fits_a_pdf_and_the_hours_read_whole(blank_pdf: Path) -> None:
    text = re.sub(r"\s+", " ", (pdf_text(blank_pdf) or "").replace("\xa0", " "))
    assert "Word ou LibreOffice" not in text
    assert ("Remplissez-le à l'écran (listes de choix et zones de saisie) et renvoyez le "
            "fichier enregistré, ou imprimez-le et remplissez-le à la main.") in text
    assert "Heures effectivement réalisées (prévues : 560 heures) :" in text


def test_values_set_in_the_pdf_read_back(blank_pdf: Path, tmp_path: Path) -> None:
    """As a PDF viewer saves a filled form: the values are the fields' /V, and collect's
    reader finds every answer and the student."""
    writer = PdfWriter(clone_from=PdfReader(blank_pdf))
    values = {form.BY_KEY[key].bookmark: value for key, value in ANSWERS.items()}
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    filled = tmp_path / "rempli.pdf"
    writer.write(filled)
    fields = PdfReader(filled).get_fields() or {}
    assert {name: fields[name].get("/V") for name in values} == values
    (found,) = read_path(filled)
    assert found.problem is None
    assert (found.student, found.version) == ("PAR26117", form.FORM_VERSION)
    assert found.answers == ANSWERS
