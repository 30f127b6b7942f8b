"""PDF copies through LibreOffice: one process per core for the whole run, progress per
document, every document checked, every failure reported per document. The real LibreOffice
converts a batch of conventions; a fake `soffice` (a small script) plays the failures that a
real one only shows now and then."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from pdftext import pdf_text
from print_helpers import cohort, run, student
from pypdf import PdfWriter

from generator.documents import pdf
from generator.documents.pdf import LibreOfficeMissing, PdfResult, check_pdf, convert

# A fake soffice: logs its command line, then for each input writes into --outdir what the
# environment variable FAKE_PDF says: "copy" a real PDF, "empty" a PDF of one blank page, "none"
# nothing, "hang" sleeps forever; "crash-on" + FAKE_CRASH_ON=NAME stops with status 134 when
# it reaches the document NAME (after converting those before it).
FAKE_SOFFICE = """#!{python}
import os, shutil, sys, time
from pathlib import Path
args = sys.argv[1:]
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(" ".join(args) + "\\n")
mode = os.environ.get("FAKE_PDF", "copy")
if mode == "hang":
    time.sleep(120)
outdir = Path(args[args.index("--outdir") + 1])
outdir.mkdir(parents=True, exist_ok=True)
for arg in args[args.index("--outdir") + 2:]:
    target = outdir / (Path(arg).stem + ".pdf")
    if mode == "crash-on" and Path(arg).stem == os.environ["FAKE_CRASH_ON"]:
        sys.exit(134)
    if mode in ("copy", "crash-on"):
        shutil.copyfile(os.environ["FAKE_SOURCE"], target)
    elif mode == "empty":
        shutil.copyfile(os.environ["FAKE_BLANK"], target)
"""


def _docx(path: Path, text: str) -> Path:
    document = Document()
    document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A fake soffice on its own; returns (its path, its log)."""
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(FAKE_SOFFICE.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "soffice.log"
    monkeypatch.setenv("FAKE_LOG", str(log))
    return str(script), log


@pytest.fixture(scope="module")
def real_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real PDF holding text, made by LibreOffice once for the fake to copy."""
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice absent : apt-get install libreoffice-writer-nogui poppler-utils")
    folder = tmp_path_factory.mktemp("real-pdf")
    [result] = convert([_docx(folder / "modele.docx", "Texte du modèle")])
    assert result.ok, result.error
    assert result.pdf is not None
    return result.pdf


def test_one_process_per_worker_each_with_its_own_profile(
        tmp_path: Path, fake_soffice: tuple[str, Path], real_pdf: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    binary, log = fake_soffice
    monkeypatch.setenv("FAKE_SOURCE", str(real_pdf))
    # the same file name in two folders (one per document kind): both converted, no mix-up
    documents = [_docx(tmp_path / folder / f"{n}_NOM_Prénom.docx", f"{folder} {n}")
                 for folder in ("conventions", "definitions") for n in range(3)]
    calls: list[tuple[int, int]] = []
    results = convert(documents, soffice=binary, workers=2,
                      progress=lambda done, total: calls.append((done, total)))
    assert [r.source for r in results] == documents
    assert all(r.ok for r in results), results
    assert all(d.with_suffix(".pdf").is_file() for d in documents)
    commands = log.read_text().splitlines()
    assert len(commands) == 2  # 6 documents, 2 processes started once, 3 documents each
    assert all(len([a for a in c.split() if a.endswith(".docx")]) == 3 for c in commands)
    profiles = [next(a for a in call.split() if a.startswith("-env:UserInstallation="))
                for call in commands]
    assert len(set(profiles)) == 2
    assert calls[-1] == (6, 6) and all(total == 6 for _, total in calls)
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})


def test_a_crash_costs_one_document_and_the_process_starts_again(
        tmp_path: Path, fake_soffice: tuple[str, Path], real_pdf: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    binary, log = fake_soffice
    monkeypatch.setenv("FAKE_SOURCE", str(real_pdf))
    monkeypatch.setenv("FAKE_PDF", "crash-on")
    monkeypatch.setenv("FAKE_CRASH_ON", "00002")  # the third document
    documents = [_docx(tmp_path / f"{n}.docx", str(n)) for n in range(5)]
    results = convert(documents, soffice=binary, workers=1)
    assert [r.ok for r in results] == [True, True, False, True, True]
    assert results[2].error == "PDF non produit : LibreOffice s'est arrêté avec le code 134"
    first, second = log.read_text().splitlines()
    assert "00002.docx" in first and "00002.docx" not in second and "00003.docx" in second


def test_office_count() -> None:
    assert pdf.office_count(1) == 1
    assert pdf.office_count(2 * pdf.DOCUMENTS_PER_PROCESS) == min(2, len(os.sched_getaffinity(0)))


def test_a_document_libreoffice_cannot_convert_is_reported_and_its_old_pdf_removed(
        tmp_path: Path, fake_soffice: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    binary, _log = fake_soffice
    monkeypatch.setenv("FAKE_PDF", "none")
    document = _docx(tmp_path / "a.docx", "A")
    stale = document.with_suffix(".pdf")
    stale.write_bytes(b"%PDF- an older run's PDF")
    [result] = convert([document], soffice=binary)
    assert not result.ok and result.pdf is None
    assert result.error == "PDF non produit : LibreOffice n'a pas pu convertir ce document"
    assert not stale.exists()


def test_a_pdf_without_text_is_a_failure(tmp_path: Path, fake_soffice: tuple[str, Path],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    binary, _log = fake_soffice
    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    blank.write(tmp_path / "blanc.pdf")
    monkeypatch.setenv("FAKE_PDF", "empty")
    monkeypatch.setenv("FAKE_BLANK", str(tmp_path / "blanc.pdf"))
    [result] = convert([_docx(tmp_path / "a.docx", "A")], soffice=binary)
    assert result.error == "le PDF produit ne contient aucun texte"


def test_a_hanging_libreoffice_is_killed_at_the_timeout(
        tmp_path: Path, fake_soffice: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    binary, _log = fake_soffice
    monkeypatch.setenv("FAKE_PDF", "hang")
    monkeypatch.setattr(pdf, "STARTUP_SECONDS", 1)
    monkeypatch.setattr(pdf, "SECONDS_PER_DOCUMENT", 0)
    documents = [_docx(tmp_path / f"{n}.docx", str(n)) for n in range(2)]
    results = convert(documents, soffice=binary)
    assert [r.error for r in results] == [
        "PDF non produit : LibreOffice ne répond plus (aucun document converti en "
        "1 seconde)"] * 2
    hanging = subprocess.run(["pgrep", "-f", str(binary)], capture_output=True, text=True)
    assert hanging.stdout == ""


def test_a_missing_docx_is_reported_without_stopping_the_others(
        tmp_path: Path, fake_soffice: tuple[str, Path], real_pdf: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    binary, _log = fake_soffice
    monkeypatch.setenv("FAKE_SOURCE", str(real_pdf))
    present = _docx(tmp_path / "present.docx", "P")
    results = convert([tmp_path / "absent.docx", present], soffice=binary)
    assert results == [
        PdfResult(tmp_path / "absent.docx", None,
                  "le document .docx est introuvable ou illisible"),
        PdfResult(present, present.with_suffix(".pdf"))]


def test_without_libreoffice_the_message_names_the_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LibreOfficeMissing) as raised:
        convert([_docx(tmp_path / "a.docx", "A")])
    assert "libreoffice-writer-nogui" in str(raised.value)
    assert "LibreOffice est introuvable" in str(raised.value)


def test_check_pdf_refuses_what_is_not_a_pdf(tmp_path: Path) -> None:
    not_pdf = tmp_path / "a.pdf"
    not_pdf.write_bytes(b"<html>")
    assert check_pdf(not_pdf) == "le fichier produit n'est pas un PDF"
    assert check_pdf(tmp_path / "absent.pdf") == "PDF introuvable"
    cut = tmp_path / "coupe.pdf"
    cut.write_bytes(b"%PDF-1.4\n%%EOF\n")  # a PDF's first bytes, and nothing of its body
    assert check_pdf(cut) == "le PDF produit est illisible"


def test_real_libreoffice_refuses_a_damaged_docx(soffice: str, tmp_path: Path) -> None:
    good = _docx(tmp_path / "bon.docx", "Un document correct")
    damaged = tmp_path / "abime.docx"
    damaged.write_text("ceci n'est pas un document Word")  # LibreOffice would read it as text
    results = convert([damaged, good], soffice=soffice)
    assert results[0].error is not None and results[0].error.startswith("PDF non produit")
    assert results[1].ok
    assert "Un document correct" in (pdf_text(good.with_suffix(".pdf")) or "")


# --- gen … --pdf -----------------------------------------------------------------------------

def test_twenty_conventions_one_libreoffice_per_core(soffice: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = cohort(tmp_path / "cohorte.xlsx", [student(n) for n in range(1, 21)])
    launched: list[list[str]] = []
    real_popen = subprocess.Popen

    def spy(command: list[str], *args: object, **kwargs: object) -> object:
        if "--convert-to" in command:
            launched.append(command)
        return real_popen(command, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "Popen", spy)
    result = run("conventions", workbook, "-o", tmp_path / "out", "--today", "2026-06-01",
                 "--pdf")
    assert result.exit_code == 0, result.stderr
    assert len(launched) == pdf.office_count(20)  # each started once, for its whole share
    assert sum(argument.endswith(".docx") for command in launched for argument in command) == 20
    assert "PDF : 20 sur 20 produits" in result.stdout
    folder = tmp_path / "out" / "conventions"
    for number in range(1, 21):
        [document] = folder.glob(f"{100000 + number}_*.pdf")
        text = pdf_text(document) or ""
        assert f"Prénom{number:02d} NOM{number:02d}" in " ".join(text.split())


def test_pdf_without_libreoffice_names_the_package_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = cohort(tmp_path / "cohorte.xlsx", [student(1)])
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    result = run("conventions", workbook, "-o", tmp_path / "out", "--pdf")
    assert result.exit_code == 2
    assert "libreoffice-writer-nogui" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_pdf_that_fails_fails_the_run_and_its_manifest_line(
        tmp_path: Path, fake_soffice: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    binary, _log = fake_soffice
    monkeypatch.setenv("FAKE_PDF", "none")
    monkeypatch.setenv("PATH", str(Path(binary).parent))
    workbook = cohort(tmp_path / "cohorte.xlsx", [student(1)])
    result = run("conventions", workbook, "-o", tmp_path / "out", "--today", "2026-06-01",
                 "--pdf")
    assert result.exit_code == 1
    assert "PDF non produit" in result.stderr
    manifest = (tmp_path / "out" / "conventions" / "manifest.csv").read_text(encoding="utf-8")
    [line] = manifest.splitlines()[1:]
    assert ";échec;" in line and "PDF non produit" in line
    assert (tmp_path / "out" / "conventions" / "100001_NOM01_Prénom01.docx").is_file()
