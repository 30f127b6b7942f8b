"""Combined print files (`lettres-a-imprimer`, the tutors' packs): each letter and each form
numbers its own pages (« Page 1 / 2 » restarts with each), in the .docx (a page restart per
part, Word's SECTIONPAGES) and in its PDF (`--pdf`), made of the parts' own PDFs; a document
is converted once, its PDF serving both beside it and in the print file."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE, SAMPLE_TODAY
from lxml import etree

from generator.cli import cli
from generator.documents import pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAGE = re.compile(r"Page (\d+) / (\d+)")


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times LibreOffice was given each document, by name (its staged copy's name
    without the prefix combined_pdfs adds)."""
    given: Counter[str] = Counter()
    stage = pdf._stage

    def counting(sources: list[Path], folder: Path) -> list[Path | None]:
        given.update(re.sub(r"^\d{4}-\d{3}_", "", source.name) for source in sources)
        return stage(sources, folder)

    monkeypatch.setattr(pdf, "_stage", counting)
    return given


def _run(*args: object) -> None:
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    assert result.exit_code in (0, 1), result.output + result.stderr
    assert "PDF non produit" not in result.stderr and "! PDF" not in result.stderr


def _numbers(pdf: Path) -> list[tuple[int, int]]:
    """Each page's « Page n / N », in order."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    pages = text.split("\f")[:-1]
    found = [PAGE.findall(page) for page in pages]
    assert all(len(numbers) == 1 for numbers in found), found
    return [(int(n), int(total)) for ((n, total),) in found]


def _runs(numbers: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The pages cut where the numbering restarts at 1: one run per document."""
    runs: list[list[tuple[int, int]]] = []
    for number in numbers:
        if number[0] == 1:
            runs.append([])
        runs[-1].append(number)
    return runs


def _each_numbers_its_own_pages(pdf: Path, documents: int) -> None:
    runs = _runs(_numbers(pdf))
    assert len(runs) == documents
    for run in runs:
        total = len(run)
        assert run == [(page, total) for page in range(1, total + 1)]
    assert any(len(run) > 1 for run in runs)  # a form of two pages: « 2 / 2 », not « 2 / 1 »


def _parts_restart(docx: Path, parts: int) -> None:
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        footers = [package.read(name) for name in package.namelist()
                   if re.fullmatch(r"word/footer\d+\.xml", name)]
    restarts = [numbering.get(f"{W}start") for numbering in body.iter(f"{W}pgNumType")]
    assert restarts == ["1"] * parts
    assert footers and all(b"SECTIONPAGES" in footer and b"NUMPAGES" not in footer
                           for footer in footers)


def test_the_letters_to_print_number_each_letter_and_form(
        soffice: str, tmp_path: Path, conversions: Counter[str]) -> None:
    _run("reminders", SAMPLE, "-o", tmp_path, "--today", SAMPLE_TODAY.isoformat(),
         "--letters", "--pdf", "-q")
    folder = tmp_path / "relances"
    letters = sorted((folder / "lettres").glob("*.docx"))
    forms = [letter for letter in letters if letter.stem.endswith("evaluation")]
    assert len(letters) >= 3 and forms  # an evaluation letter encloses its form
    documents = len(letters) + len(forms)
    _parts_restart(folder / "lettres-a-imprimer.docx", documents)
    _each_numbers_its_own_pages(folder / "lettres-a-imprimer.pdf", documents)
    # each letter and each enclosed form once: the print file reuses the letters' PDFs
    assert sum(conversions.values()) == documents
    assert all(conversions[letter.name] == 1 for letter in letters)


def test_a_tutor_pack_numbers_each_form(soffice: str, tmp_path: Path,
                                        conversions: Counter[str]) -> None:
    _run("evaluations", SAMPLE, "-o", tmp_path, "--today", SAMPLE_TODAY.isoformat(),
         "--packs", "--pdf", "-q")
    folder = tmp_path / "evaluations" / "packs"
    checked = 0
    for archive in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(archive) as pack:
            documents = len(pack.namelist())
        _parts_restart(archive.with_suffix(".docx"), documents)
        _each_numbers_its_own_pages(archive.with_suffix(".pdf"), documents)
        checked += 1
    assert checked >= 2
    # each form once (its PDF beside it serves the packs), and each pack's cover letter
    forms = sorted((tmp_path / "evaluations").glob("*.docx"))
    assert all(conversions[form.name] == 1 for form in forms)
    assert sum(conversions.values()) == len(forms) + checked


def test_only_the_parts_not_yet_converted_are_converted(soffice: str, tmp_path: Path,
                                                        conversions: Counter[str]) -> None:
    """combined_pdfs given the PDFs already made converts the other parts alone, and the
    print file holds every part, each numbering its own pages."""
    _run("reminders", SAMPLE, "-o", tmp_path, "--today", SAMPLE_TODAY.isoformat(),
         "--letters", "-q")
    letters = sorted((tmp_path / "relances" / "lettres").glob("*.docx"))[:3]
    made = pdf.convert(letters[:1], soffice=soffice)
    conversions.clear()
    combined = tmp_path / "trois.docx"
    (result,) = pdf.combined_pdfs([(letters, combined)], soffice=soffice, converted=made)
    assert result.ok and result.pdf == combined.with_suffix(".pdf")
    assert conversions == Counter(letter.name for letter in letters[1:])
    assert len(_runs(_numbers(combined.with_suffix(".pdf")))) == 3
