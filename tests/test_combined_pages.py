"""Combined print files (`lettres-a-imprimer`, the tutors' packs): each letter and each form
numbers its own pages (« Page 1 / 2 » restarts with each), in the .docx (a page restart per
part, Word's SECTIONPAGES) and in its PDF (`--pdf`), made of the parts' own PDFs; a document
is converted once, its PDF serving both beside it and in the print file. The .docx printed
from LibreOffice, which does not compute SECTIONPAGES, never shows a wrong total: with
`--pdf` each part's total is stored (its PDF's page count), without it the total is left out."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE, SAMPLE_TODAY
from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree
from openxml_audit import OpenXmlValidator

from generator.cli import cli
from generator.documents import pdf
from generator.documents.compose import combine, store_totals

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAGE = re.compile(r"Page (\d+) / (\d+)")
PAGE_ALONE = re.compile(r"Page (\d+)(?! /)\b")


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


def _printed(docx: Path, folder: Path, soffice: str) -> Path:
    """The PDF LibreOffice prints of the .docx itself (converted from a copy in `folder`)."""
    folder.mkdir()
    copy = folder / docx.name
    shutil.copyfile(docx, copy)
    (result,) = pdf.convert([copy], soffice=soffice)
    assert result.ok and result.pdf, result.error
    return result.pdf


def _schema_errors(docx: Path) -> list[str]:
    return [str(error) for error in OpenXmlValidator().validate(docx).errors]


def _numbers_alone(pdf: Path) -> list[int]:
    """Each page's « Page n », in order, where no total may be printed."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    pages = text.split("\f")[:-1]
    assert not any(PAGE.search(page) for page in pages)
    found = [PAGE_ALONE.findall(page) for page in pages]
    assert all(len(numbers) == 1 for numbers in found), found
    return [int(number) for (number,) in found]


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
    # the .docx itself, printed from LibreOffice: each part's total stored, « 2 / 2 »
    assert _schema_errors(folder / "lettres-a-imprimer.docx") == []
    printed = _printed(folder / "lettres-a-imprimer.docx", tmp_path / "lu", soffice)
    assert _numbers(printed) == _numbers(folder / "lettres-a-imprimer.pdf")
    _each_numbers_its_own_pages(printed, documents)


def test_without_pdf_the_letters_to_print_leave_the_totals_out(soffice: str,
                                                               tmp_path: Path) -> None:
    """No PDF made, gen does not know how many pages each part has: « Page 2 », never the
    « Page 2 / 1 » a stored guess would print in LibreOffice."""
    _run("reminders", SAMPLE, "-o", tmp_path, "--today", SAMPLE_TODAY.isoformat(),
         "--letters", "-q")
    combined = tmp_path / "relances" / "lettres-a-imprimer.docx"
    assert not combined.with_suffix(".pdf").exists()
    with zipfile.ZipFile(combined) as package:
        footers = [package.read(name) for name in package.namelist()
                   if re.fullmatch(r"word/footer\d+\.xml", name)]
    assert footers and not any(b"PAGES" in footer or b" / " in footer for footer in footers)
    numbers = _numbers_alone(_printed(combined, tmp_path / "lu", soffice))
    assert numbers.count(1) >= 3 and 2 in numbers
    assert all(number == 1 or number == before + 1
               for before, number in zip(numbers, numbers[1:], strict=False))


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
    assert _schema_errors(archive.with_suffix(".docx")) == []
    printed = _printed(archive.with_suffix(".docx"), tmp_path / "lu", soffice)
    _each_numbers_its_own_pages(printed, documents)
    assert checked >= 2
    # each form once (its PDF beside it serves the packs), and each pack's cover letter
    forms = sorted((tmp_path / "evaluations").glob("*.docx"))
    assert all(conversions[form.name] == 1 for form in forms)
    assert sum(conversions.values()) == len(forms) + checked + 1  # + the one printed above


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
    combine(letters, combined)
    (result,) = pdf.combined_pdfs([(letters, combined)], soffice=soffice, converted=made)
    assert result.ok and result.pdf == combined.with_suffix(".pdf")
    assert conversions == Counter(letter.name for letter in letters[1:])
    assert len(_runs(_numbers(combined.with_suffix(".pdf")))) == 3


def _part(path: Path, sections: int, field: str) -> Path:
    """A .docx of `sections` sections whose footer reads « Page {PAGE} / {`field`} »
    (simple fields, as another word processor may write them)."""
    document = Document()
    document.add_paragraph("Premier")
    for number in range(1, sections):
        document.add_section(WD_SECTION.NEW_PAGE)
        document.add_paragraph(f"Section {number + 1}")
    footer = document.sections[0].footer.paragraphs[0]
    footer._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">Page </w:t></w:r>'))
    for instruction in ("PAGE", " / ", field):
        footer._p.append(parse_xml(
            f'<w:r {nsdecls("w")}><w:t xml:space="preserve">{instruction}</w:t></w:r>'
            if instruction == " / " else
            f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} \\* MERGEFORMAT ">'
            f'<w:r><w:t>{1 if instruction == "PAGE" else 9}</w:t></w:r></w:fldSimple>'))
    document.save(str(path))
    return path


def _footers(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as package:
        return sorted(package.read(name).decode("utf-8") for name in package.namelist()
                      if re.fullmatch(r"word/footer\d+\.xml", name))


def test_a_stored_total_only_where_one_field_counts_the_part(tmp_path: Path) -> None:
    """Combined, no part shows a total; given the totals, a one-section part gets
    SECTIONPAGES with its total stored, after « Page {PAGE} / », while a part of several
    sections, which no field counts, still leaves its total out."""
    single = _part(tmp_path / "une.docx", 1, "NUMPAGES")
    several = _part(tmp_path / "deux.docx", 2, "NUMPAGES")
    combined = tmp_path / "ensemble.docx"
    combine([single, several], combined)
    assert not any("PAGES" in text or " / " in text for text in _footers(combined))
    store_totals(combined, [single, several], [3, 2])
    texts = _footers(combined)
    (totalled,) = [text for text in texts if "SECTIONPAGES" in text]
    (untotalled,) = [text for text in texts if text != totalled]
    assert "<w:t>3</w:t>" in totalled and " / " in totalled and "NUMPAGES" not in totalled
    assert 'w:instr=" SECTIONPAGES \\* MERGEFORMAT "' in totalled  # its switches kept
    assert "PAGES" not in untotalled and " / " not in untotalled and " PAGE " in untotalled
