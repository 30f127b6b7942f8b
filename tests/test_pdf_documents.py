"""Each type of document, converted by the real LibreOffice, shows the same text as its .docx."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from click.testing import CliRunner
from engine_helpers import docx_text

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.frenchdates import format_date

FOLDERS = ("definitions", "accords", "conventions", "evaluations")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_one_document_of_each_type_converts_with_its_text(soffice: str, sample_path: Path,
                                                          sample_today: object,
                                                          tmp_path: Path) -> None:
    # a student whose convention is established has all four documents
    row = next(r for r in read_cohort(sample_path).rows
               if r.date_convention and r.modalite == "cours du soir" and r.date_evaluation)
    result = CliRunner().invoke(cli, ["all", str(sample_path), "--today", str(sample_today),
                                      "--only", str(row.numero_auditeur), "--pdf", "-q",
                                      "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert row.date_debut and row.structure_nom
    for folder in FOLDERS:
        (docx,) = (tmp_path / folder).glob("*.docx")
        pdf = docx.with_suffix(".pdf")
        shown = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout
        flat = " ".join(shown.split())
        for fragment in (f"{row.prenom} {(row.nom or '').upper()}", row.structure_nom,
                         format_date(row.date_debut)):
            assert fragment in flat, f"{pdf.name} : « {fragment} » absent du PDF"
        # every word of the document is in the PDF (a long address may wrap at a hyphen)
        pdf_words = set(_words(shown))
        missing = [w for w in _words(docx_text(docx)) if w not in pdf_words]
        assert not missing, f"{pdf.name} : mots absents du PDF : {missing[:10]}"
