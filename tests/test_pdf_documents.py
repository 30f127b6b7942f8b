"""Each type of document, converted by the real LibreOffice, shows the same text as its .docx."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from click.testing import CliRunner
from engine_helpers import docx_text

from generator.cli import cli
from generator.cohort.model import Row
from generator.cohort.params import Params
from generator.cohort.reader import read_cohort
from generator.documents.context import build_context
from generator.frenchdates import format_date
from generator.rules.derived import derive

FOLDERS = ("definitions", "accords", "conventions", "bordereaux", "evaluations")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_one_document_of_each_type_converts_with_its_text(soffice: str, sample_path: Path,
                                                          sample_today: dt.date,
                                                          tmp_path: Path) -> None:
    # a student whose convention is established has all four documents
    cohort = read_cohort(sample_path)
    row = next(r for r in cohort.rows
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
        if folder == "conventions":
            _assert_convention_mentions(flat, row, cohort.params, sample_today)
        # the tutor's box and signature block agree with her civilité (Mme Robin)
        assert row.tuteur_civilite == "Mme"
        assert ("Tutrice" if folder == "accords" else "La tutrice") in flat, pdf.name


def _assert_convention_mentions(flat: str, row: Row, params: Params, today: dt.date) -> None:
    """Each D124-4 mention of documents.md, as LibreOffice prints it (test_convention.py
    checks the wording of each on the .docx)."""
    context = build_context(row, derive(row, params, today), params, today)
    referent, dates = context["referent"], context["dates"]
    assert isinstance(referent, dict) and isinstance(dates, dict)
    assert f"Année universitaire {context['annee_universitaire']}" in flat
    assert f"convention n° {context['numero_convention']}" in flat
    assert f"Représenté par {params.signataire}, {params.signataire_fonction}" in flat
    assert f"Représentée par {row.structure_representant}" in flat
    assert f"L'enseignant référent de l'établissement, {referent['nom']}" in flat
    assert f"au plus tard le {dates['retour_evaluation']}" in flat
    assert "ni la nuit, ni le dimanche, ni les jours fériés (article L124-14" in flat
    assert "autorisé à se rendre au Cnam pour suivre les enseignements" in flat
    assert "(articles L124-6 et D124-8 du Code de l'éducation)" in flat
    assert "restaurant d'entreprise ou aux titres-restaurant" in flat
    assert "article L412-8, 2°, du Code de la sécurité sociale" in flat
    assert f"déclare l'accident à la {row.cpam}" in flat
    assert "ne peut être décidée que par l'établissement" in flat
    assert "tenu à la discrétion et à la confidentialité" in flat
    assert "Code de la propriété intellectuelle" in flat
    assert "(article L124-13 du Code de l'éducation)" in flat
    assert "(article L124-15 du Code de l'éducation)" in flat
    assert "(article D124-9 du Code de l'éducation)" in flat
    assert "régie par le droit français" in flat
    assert "L'enseignant référent" in flat and "Pour l'établissement" in flat
