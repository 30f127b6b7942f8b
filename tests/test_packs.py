"""Evaluation packs (`gen evaluations --packs`) and the combining of documents (compose)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE
from docx import Document
from engine_helpers import docx_text
from print_helpers import AFTER_END, cohort, run, student

from generator.cohort.model import Row
from generator.documents.compose import combine
from generator.documents.context import example_derived
from generator.documents.packs import (
    PackMember,
    example_cover_context,
    group_by_tutor,
    return_date,
)
from generator.documents.pdf import convert
from generator.documents.produce import produce


def _part(path: Path, number: int, table_last: bool = False) -> Path:
    document = Document()
    document.sections[0].header.paragraphs[0].text = f"En-tête {number}"
    document.sections[0].footer.paragraphs[0].text = f"Pied {number}"
    document.add_paragraph(f"Corps {number}")
    if table_last:
        document.add_table(rows=1, cols=2).rows[0].cells[0].text = f"Tableau {number}"
    document.save(str(path))
    return path


# --- compose ---------------------------------------------------------------------------------

def test_combine_keeps_each_part_header_and_footer_in_its_own_section(tmp_path: Path) -> None:
    parts = [_part(tmp_path / f"{n}.docx", n, table_last=n == 1) for n in range(3)]
    combine(parts, tmp_path / "tout.docx")
    combined = Document(str(tmp_path / "tout.docx"))
    assert len(combined.sections) == 3
    for number, section in enumerate(combined.sections):
        assert section.header.paragraphs[0].text == f"En-tête {number}"
        assert section.footer.paragraphs[0].text == f"Pied {number}"
        assert not section.header.is_linked_to_previous
    text = [p.text for p in combined.paragraphs if p.text]
    assert text == ["Corps 0", "Corps 1", "Corps 2"]
    assert combined.tables[0].rows[0].cells[0].text == "Tableau 1"


def test_combine_puts_each_part_on_a_new_page(soffice: str, tmp_path: Path) -> None:
    parts = [_part(tmp_path / f"{n}.docx", n, table_last=n == 0) for n in range(3)]
    combine(parts, tmp_path / "tout.docx")
    [result] = convert([tmp_path / "tout.docx"], soffice=soffice)
    assert result.ok, result.error
    pages = _pdf_pages_text(tmp_path / "tout.pdf")
    assert len(pages) == 3
    for number, page in enumerate(pages):
        assert f"En-tête {number}" in page and f"Corps {number}" in page
        assert f"Pied {number}" in page


def test_combine_without_parts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="Aucun document"):
        combine([], tmp_path / "vide.docx")


# --- grouping --------------------------------------------------------------------------------

def _member(number: int, **fields: object) -> PackMember:
    row = Row(row_number=number + 1, numero_auditeur=str(number), nom=f"Nom{number}",
              prenom="P", structure_nom="Tremplin", tuteur_nom="Bernard", tuteur_prenom="Luc",
              tuteur_email=None)
    for key, value in fields.items():
        setattr(row, key, value)
    return PackMember(row, example_derived(), Path(f"{number}.docx"))


def test_a_tutor_is_the_same_email_or_the_same_name_in_the_same_structure() -> None:
    members = [
        _member(1, tuteur_email="luc@example.org"),
        _member(2, tuteur_email="LUC@example.org ", tuteur_nom="Bernard-Martin"),  # same e-mail
        _member(3),  # no e-mail, same name and structure as 1: same tutor
        _member(4, structure_nom="Autre structure"),  # same name elsewhere: another tutor
        _member(5, tuteur_nom="Bérnard", tuteur_email="autre@example.org"),  # accents folded
    ]
    packs = group_by_tutor(members)
    grouped = sorted(sorted(int(m.row.numero_auditeur or 0) for m in p.members) for p in packs)
    assert grouped == [[1, 2, 3, 5], [4]]
    assert len({pack.stem for pack in packs}) == 2


def test_two_tutors_whose_file_names_would_clash_get_distinct_ones() -> None:
    # "Tremplin/Est" and "Tremplin Est" are two structures, both made "Tremplin-Est"
    packs = group_by_tutor([_member(1, structure_nom="Tremplin/Est"),
                            _member(2, structure_nom="Tremplin Est")])
    assert sorted(pack.stem for pack in packs) == ["Tremplin-Est_BERNARD_Luc",
                                                   "Tremplin-Est_BERNARD_Luc-2"]


def test_forms_are_due_back_on_the_latest_return_date_of_the_pack() -> None:
    def member(number: int, end: dt.date) -> PackMember:
        derived = dataclasses.replace(example_derived(),
                                      evaluation_return_by=end + dt.timedelta(days=15))
        row = _member(number, date_fin=end, tuteur_email="x@example.org").row
        return PackMember(row, derived, Path(f"{number}.docx"))

    [pack] = group_by_tutor([member(1, dt.date(2027, 1, 15)), member(2, dt.date(2027, 3, 1))])
    assert return_date(pack) == dt.date(2027, 3, 16)


# --- gen evaluations --packs -----------------------------------------------------------------

def _three_and_one(tmp_path: Path, tutor_name: str = "Bernard",
                   structure: str = "Association Tremplin") -> Path:
    rows = [student(n, tuteur_nom=tutor_name, structure_nom=structure) for n in (3, 1, 2)]
    rows.append(student(4, tuteur_nom="Autre", tuteur_prenom="Anne",
                        tuteur_email="anne.autre@example.org"))
    return cohort(tmp_path / "cohorte.xlsx", rows)


def test_a_tutor_with_three_students_gets_one_zip_of_four_documents(tmp_path: Path) -> None:
    workbook = _three_and_one(tmp_path)
    result = run("evaluations", workbook, "-o", tmp_path / "out", "--today", AFTER_END,
                 "--packs")
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "out" / "evaluations" / "packs"
    assert sorted(p.name for p in folder.iterdir()) == [
        "Association-Tremplin_AUTRE_Anne.docx", "Association-Tremplin_AUTRE_Anne.zip",
        "Association-Tremplin_BERNARD_Luc.docx", "Association-Tremplin_BERNARD_Luc.zip"]
    with zipfile.ZipFile(folder / "Association-Tremplin_BERNARD_Luc.zip") as archive:
        names = archive.namelist()
        letter = archive.read(names[0])
    assert names == ["00_Lettre-au-tuteur-Association-Tremplin_BERNARD_Luc.docx",
                     "01_100001_NOM01_Prénom01.docx", "02_100002_NOM02_Prénom02.docx",
                     "03_100003_NOM03_Prénom03.docx"]
    text = docx_text(letter)
    for number in (1, 2, 3):
        assert f"Prénom{number:02d} NOM{number:02d}" in text
    assert "Prénom04" not in text
    assert "30 janvier 2027" in text  # due back 15 days after the end (evaluation_return_by)
    assert "du 14 septembre 2026 au 15 janvier 2027" in text
    assert "par_intervention_sociale@lecnam.net" in text
    assert "Dossiers tuteurs : 2" in result.stdout


def test_the_run_says_which_forms_no_pack_holds_and_why(tmp_path: Path) -> None:
    result = run("evaluations", SAMPLE, "-o", tmp_path / "out", "--today", "2027-03-15",
                 "--packs")
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "out" / "evaluations"
    packed = sum(len(zipfile.ZipFile(pack).namelist()) - 1
                 for pack in (folder / "packs").glob("*.zip"))
    forms = len(list(folder.glob("*.docx")))
    assert (forms, packed) == (14, 12)  # the sample's two evaluations already back
    assert ("Hors des dossiers tuteurs : 2 fiches d'évaluation déjà reçues (colonne "
            "« Évaluation reçue le » remplie), écrites mais non redemandées au tuteur : "
            "PAR26129 ") in result.stdout
    assert " et PAR26130 " in result.stdout


def test_the_combined_pack_has_the_pages_of_its_documents(soffice: str, tmp_path: Path) -> None:
    workbook = _three_and_one(tmp_path)
    result = run("evaluations", workbook, "-o", tmp_path / "out", "--today", AFTER_END,
                 "--packs")
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "out" / "evaluations" / "packs"
    parts = tmp_path / "parts"
    with zipfile.ZipFile(folder / "Association-Tremplin_BERNARD_Luc.zip") as archive:
        archive.extractall(parts)
    combined = folder / "Association-Tremplin_BERNARD_Luc.docx"
    assert len(Document(str(combined)).sections) == 4
    documents = [combined, *sorted(parts.iterdir())]
    results = convert(documents, soffice=soffice)
    assert all(r.ok for r in results), [r.error for r in results]
    counts = [len(_pdf_pages_text(d.with_suffix(".pdf"))) for d in documents]
    assert counts[0] == sum(counts[1:])
    pages = _pdf_pages_text(combined.with_suffix(".pdf"))
    assert "Prénom01 NOM01" in pages[0]  # the letter lists the students
    starts = [sum(counts[1:index]) for index in range(2, len(counts))]  # each form's 1st page
    for start, number in zip(starts, (1, 2, 3), strict=True):
        assert "FICHE D'ÉVALUATION" in pages[start].upper()
        assert f"NOM{number:02d}" in pages[start]


def test_produce_writes_the_forms_then_the_packs_in_one_call(tmp_path: Path) -> None:
    """The library call behind `gen evaluations --packs`: the batch, then one pack per tutor,
    and the lines the command prints, without click."""
    produced = produce(_three_and_one(tmp_path), ("evaluation",), tmp_path / "out", AFTER_END,
                       with_packs=True)
    assert [result.document for result in produced.results] == ["evaluation"]
    assert len(produced.results[0].written) == 4
    assert not produced.failed
    lines = [line for line, _ in produced.lines]
    assert lines[0].startswith("Document")
    assert "Dossiers tuteurs : 2 dans " + str(tmp_path / "out" / "evaluations" / "packs") in lines
    assert len(list((tmp_path / "out" / "evaluations" / "packs").glob("*.zip"))) == 2


def test_pack_names_with_slashes_and_accents_are_safe(tmp_path: Path) -> None:
    workbook = _three_and_one(tmp_path, tutor_name="Lefèvre/Dupré",
                              structure='Centre « Les Cèdres » : accueil/insertion')
    result = run("evaluations", workbook, "-o", tmp_path / "out", "--today", AFTER_END,
                 "--packs")
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "out" / "evaluations" / "packs"
    zips = sorted(p.name for p in folder.glob("*.zip"))
    assert "Centre-«-Les-Cèdres-»-accueil-insertion_LEFÈVRE-DUPRÉ_Luc.zip" in zips
    for name in zips:
        assert not set(name) & set('/\\:*?"<>|')
        with zipfile.ZipFile(folder / name) as archive:
            assert archive.testzip() is None
            for member in archive.namelist():
                assert "/" not in member and "\\" not in member


def test_packs_with_pdf_convert_the_combined_pack_too(soffice: str, tmp_path: Path) -> None:
    workbook = cohort(tmp_path / "cohorte.xlsx", [student(1), student(2)])
    result = run("evaluations", workbook, "-o", tmp_path / "out", "--today", AFTER_END,
                 "--packs", "--pdf")
    assert result.exit_code == 0, result.stderr
    assert "PDF : 3 sur 3 produits" in result.stdout
    assert (tmp_path / "out" / "evaluations" / "packs" /
            "Association-Tremplin_BERNARD_Luc.pdf").is_file()


def _pdf_pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    return text.split("\f")[:-1]  # pdftotext ends each page with a form feed


def test_the_readme_lists_exactly_the_pack_letter_keys() -> None:
    readme = (Path(__file__).resolve().parents[1] / "templates" / "README.md").read_text(
        encoding="utf-8")
    section = readme.split("(`lettre-tuteur.docx`)\n")[1].split("\n## ")[0]
    listed = set(re.findall(r"^\| `(dossier\.\w+)` \|", section, flags=re.MULTILINE))
    assert listed == {f"dossier.{key}" for key in example_cover_context()["dossier"]}
