"""Combined print files (`lettres-a-imprimer`, the tutors' packs): each letter and each form
numbers its own pages (« Page 1 / 2 » restarts with each), in the .docx (a page restart per
part, Word's SECTIONPAGES) and in its PDF (`--pdf`), made of the parts' own PDFs."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLE, SAMPLE_TODAY
from lxml import etree

from generator.cli import cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAGE = re.compile(r"Page (\d+) / (\d+)")


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


def test_the_letters_to_print_number_each_letter_and_form(soffice: str, tmp_path: Path
                                                          ) -> None:
    _run("reminders", SAMPLE, "-o", tmp_path, "--today", SAMPLE_TODAY.isoformat(),
         "--letters", "--pdf", "-q")
    folder = tmp_path / "relances"
    letters = sorted((folder / "lettres").glob("*.docx"))
    forms = [letter for letter in letters if letter.stem.endswith("evaluation")]
    assert len(letters) >= 3 and forms  # an evaluation letter encloses its form
    documents = len(letters) + len(forms)
    _parts_restart(folder / "lettres-a-imprimer.docx", documents)
    _each_numbers_its_own_pages(folder / "lettres-a-imprimer.pdf", documents)


def test_a_tutor_pack_numbers_each_form(soffice: str, tmp_path: Path) -> None:
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
