"""`gen collect` on the folder a team really gets back: each file its own outcome and French
line, the workbook's bytes unchanged without --in-place, only the target cells changed with
it (after a backup), and a second run that changes nothing."""

from __future__ import annotations

import datetime as dt
import email.message
import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from form_helpers import ANSWERS, fill_as_word
from openpyxl import load_workbook

from generator.cli import cli
from generator.documents import form
from generator.documents.context import example_context
from generator.documents.engine import Template

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cohorte-exemple.xlsx"
TODAY = "2026-11-28"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def returns(tmp_path: Path) -> tuple[Path, Path]:
    """The sample cohort and a folder holding: a complete form, an incomplete one, one for a
    student not in the cohort, two for the same student, a .docx that is no form, a damaged
    file and an e-mail with a form attached."""
    cohort = tmp_path / "cohorte.xlsx"
    shutil.copyfile(SAMPLE, cohort)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["evaluations", str(cohort), "-o", str(out), "--today",
                                      TODAY, "-q"])
    assert result.exit_code == 0, result.output
    forms = {path.name.split("_")[0]: path for path in (out / "evaluations").glob("*.docx")}
    folder = tmp_path / "retours"
    folder.mkdir()
    fill_as_word(forms["PAR26117"], ANSWERS, folder / "fiche complète.docx")
    fill_as_word(forms["PAR26118"], {**ANSWERS, "activite3": "", "decision": "",
                                     "heures": "beaucoup"}, folder / "incomplète.docx")
    unknown = tmp_path / "inconnu.docx"
    unknown.write_bytes(Template.load(ROOT / "templates" / "evaluation.docx")
                        .render(example_context()))
    fill_as_word(unknown, ANSWERS, folder / "inconnu.docx")
    fill_as_word(forms["PAR26119"], ANSWERS, folder / "Koné 1.docx")
    fill_as_word(forms["PAR26119"], ANSWERS, folder / "Koné 2.docx")
    other = Document()
    other.add_paragraph("Compte rendu de réunion")
    other.save(str(folder / "compte-rendu.docx"))
    (folder / "abîmé.docx").write_bytes(b"PK\x03\x04 not really a zip")
    attached = tmp_path / "attached.docx"
    fill_as_word(forms["PAR26120"], {**ANSWERS, "decision": form.NOT_VALIDATED,
                                     "motif": "Absences répétées"}, attached)
    message = email.message.EmailMessage()
    message["From"], message["To"] = "tuteur@example.org", "referent@example.org"
    message["Subject"] = "Fiche d'évaluation de Romain Perrin"
    message.set_content("Bonjour, voici la fiche.")
    message.add_attachment(attached.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename="fiche Perrin.docx")
    (folder / "Re: fiche.eml").write_bytes(bytes(message))
    return cohort, folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["collect", *args, "--today", TODAY])
    return result.exit_code, result.stdout, result.stderr


def test_each_returned_file_gets_its_own_french_outcome(returns: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    cohort, folder = returns
    before = sha(cohort)
    code, out, err = run(str(cohort), str(folder), "-o", str(tmp_path / "sortie"))
    assert code == 1
    assert "Traceback" not in out + err
    assert "fiche complète.docx : reportée ligne" in out
    assert "stage validé, 548,5 heures" in out
    assert "Re: fiche.eml › fiche Perrin.docx : reportée ligne" in out
    assert "stage non validé" in out
    assert "! incomplète.docx : fiche incomplète (" in err and "), non reportée" in err
    assert "l'appréciation de « Participation aux réunions »" in err
    assert "la décision (stage validé ou non validé)" in err
    assert "« beaucoup » n'est pas un nombre d'heures" in err
    assert "! inconnu.docx : N° auditeur PAR12345 absent du classeur" in err
    assert "! Koné 1.docx : autre fiche pour PAR26119 : Koné 2.docx" in err
    assert "! Koné 2.docx : autre fiche pour PAR26119 : Koné 1.docx" in err
    assert "! compte-rendu.docx : ce document n'est pas une fiche d'évaluation" in err
    assert "! abîmé.docx : fichier illisible" in err
    assert sha(cohort) == before  # without --in-place the workbook is never written

    copy = tmp_path / "sortie" / "evaluations" / "cohorte-avec-retours.xlsx"
    changed = changed_cells(cohort, copy)
    rows = {load_workbook(cohort)["Cohorte"].cell(row=r, column=1).value: r
            for r in range(1, 40)}
    assert changed == {
        ("Cohorte", rows["PAR26117"], "Évaluation reçue le"): dt.datetime(2026, 11, 28),
        ("Cohorte", rows["PAR26117"], "Stage validé"): "oui",
        ("Cohorte", rows["PAR26117"], "Heures effectuées"): 548.5,
        ("Cohorte", rows["PAR26120"], "Évaluation reçue le"): dt.datetime(2026, 11, 28),
        ("Cohorte", rows["PAR26120"], "Stage validé"): "non",
        ("Cohorte", rows["PAR26120"], "Heures effectuées"): 548.5,
    }
    sheet = load_workbook(copy)["Cohorte"]
    (received,) = [cell.column for cell in sheet[1] if cell.value == "Évaluation reçue le"]
    # the date shows as the team's other dates do, not as openpyxl's yyyy-mm-dd
    assert sheet.cell(row=rows["PAR26117"], column=received).number_format == "DD/MM/YYYY"
    retours = load_workbook(tmp_path / "sortie" / "evaluations" / "retours.xlsx")
    assert retours.sheetnames == ["Retours", "Problèmes"]
    problems = [row[0] for row in retours["Problèmes"].iter_rows(min_row=2, values_only=True)]
    assert sorted(problems) == sorted(["incomplète.docx", "inconnu.docx", "Koné 1.docx",
                                       "Koné 2.docx", "compte-rendu.docx", "abîmé.docx"])
    header = [cell.value for cell in retours["Retours"][1]]
    first = dict(zip(header, next(retours["Retours"].iter_rows(min_row=2, values_only=True)),
                     strict=True))
    assert first["Assiduité et ponctualité"] in form.RATINGS


def changed_cells(before: Path, after: Path) -> dict[tuple[str, int, str], object]:
    """Every cell whose value differs, on every sheet, named by its sheet, row and header."""
    old, new = load_workbook(before), load_workbook(after)
    assert new.sheetnames == old.sheetnames
    changed = {}
    for name in old.sheetnames:
        a, b = old[name], new[name]
        headers = {cell.column: cell.value for cell in b[1]}
        for row in range(1, max(a.max_row, b.max_row) + 1):
            for column in range(1, max(a.max_column, b.max_column) + 1):
                if a.cell(row=row, column=column).value != b.cell(row=row, column=column).value:
                    changed[(name, row, headers.get(column))] = \
                        b.cell(row=row, column=column).value
        assert len(b.data_validations.dataValidation) == len(a.data_validations.dataValidation)
    return changed


def test_in_place_backs_up_changes_only_the_target_cells_and_is_idempotent(
        returns: tuple[Path, Path], tmp_path: Path) -> None:
    cohort, folder = returns
    original = tmp_path / "original.xlsx"
    shutil.copyfile(cohort, original)
    code, out, _ = run(str(cohort), str(folder), "-o", str(tmp_path / "sortie"), "--in-place")
    assert code == 1
    (backup,) = tmp_path.glob("cohorte.sauvegarde-*.xlsx")
    assert sha(backup) == sha(original)
    assert "sauvegarde" in out
    assert len(changed_cells(original, cohort)) == 6
    after_first = sha(cohort)
    code, out, _ = run(str(cohort), str(folder), "-o", str(tmp_path / "sortie"), "--in-place")
    assert "déjà reportée" in out
    assert sha(cohort) == after_first  # nothing to change: not rewritten, no new backup
    assert len(list(tmp_path.glob("cohorte.sauvegarde-*.xlsx"))) == 1


def test_in_place_is_refused_while_the_workbook_is_open(returns: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    cohort, folder = returns
    before = sha(cohort)
    (cohort.parent / ".~lock.cohorte.xlsx#").write_text("x,host,...")
    code, _, err = run(str(cohort), str(folder), "-o", str(tmp_path / "sortie"), "--in-place")
    assert code == 2
    assert "est ouvert dans Excel ou LibreOffice" in err
    assert sha(cohort) == before


def test_a_form_contradicting_the_row_is_not_applied(returns: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    cohort, folder = returns
    run(str(cohort), str(folder / "fiche complète.docx"), "-o", str(tmp_path / "a"),
        "--in-place")
    fill_as_word(folder / "fiche complète.docx", {**ANSWERS, "heures": "600"},
                 tmp_path / "corrigée.docx")
    code, _, err = run(str(cohort), str(tmp_path / "corrigée.docx"), "-o", str(tmp_path / "b"),
                       "--in-place")
    assert code == 1
    assert "la fiche indique 600 heures, le classeur 548,5 heures" in err



def test_the_pdf_form_of_gen_evaluations_pdf_filled_in_a_viewer_is_collected(
        tmp_path: Path) -> None:
    """Under --pdf the form is a fillable PDF: a field per control, named like its bookmark,
    and the student in a hidden field; filled as a PDF viewer does, collect reads it."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is needed (apt-get install libreoffice-writer-nogui)")
    from pypdf import PdfReader, PdfWriter

    cohort = tmp_path / "cohorte.xlsx"
    shutil.copyfile(SAMPLE, cohort)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["evaluations", str(cohort), "-o", str(out), "--today",
                                      TODAY, "--only", "PAR26117", "--pdf", "-q"])
    assert result.exit_code == 0, result.output
    (blank,) = (out / "evaluations").glob("*.pdf")
    fields = PdfReader(blank).get_fields() or {}
    assert {field.bookmark for field in form.FIELDS} <= set(fields)
    assert fields[form.PDF_STUDENT_FIELD]["/V"] == "PAR26117"
    writer = PdfWriter(clone_from=PdfReader(blank))
    values = {form.BY_KEY[key].bookmark: value for key, value in ANSWERS.items()}
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    folder = tmp_path / "retours"
    folder.mkdir()
    writer.write(folder / "scan du tuteur.pdf")
    code, out_text, err = run(str(cohort), str(folder), "-o", str(tmp_path / "sortie"))
    assert code == 0, err
    assert "scan du tuteur.pdf : reportée ligne" in out_text
    assert "stage validé, 548,5 heures" in out_text


def test_reminders_after_collect(tmp_path: Path) -> None:
    """The evaluation reminder stops once collect has brought the form in; a form returned
    incomplete gets its own reminder, whose letter names what is missing."""
    from engine_helpers import docx_text

    cohort = tmp_path / "cohorte.xlsx"
    shutil.copyfile(SAMPLE, cohort)
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["evaluations", str(cohort), "-o", str(out), "--today", TODAY,
                             "-q"])
    forms = {path.name.split("_")[0]: path for path in (out / "evaluations").glob("*.docx")}
    folder = tmp_path / "retours"
    folder.mkdir()
    fill_as_word(forms["PAR26127"], ANSWERS, folder / "complète.docx")
    fill_as_word(forms["PAR26128"], {**ANSWERS, "posture": "", "date": ""},
                 folder / "incomplète.docx")
    code, _, _ = run(str(cohort), str(folder), "-o", str(out), "--in-place")
    assert code == 1  # the incomplete form is a problem
    plan = CliRunner().invoke(cli, ["reminders", str(cohort), "-o", str(out), "--today", TODAY])
    lines = [line for line in plan.stdout.splitlines() if "PAR2612" in line]
    assert not any("PAR26127" in line for line in lines)  # form in: no evaluation reminder
    (incomplete,) = [line for line in lines if "PAR26128" in line]
    assert "fiche d'évaluation incomplète" in incomplete  # the motif as the plan words it
    result = CliRunner().invoke(cli, ["reminders", str(cohort), "-o", str(out), "--today", TODAY,
                                      "--letters", "--only", "PAR26128"])
    assert result.exit_code == 0, result.output
    (letter,) = (out / "relances" / "lettres").glob("PAR26128*evaluation-incomplete.docx")
    text = docx_text(letter)
    assert "fiche d'évaluation incomplète" in text
    assert "l'appréciation de « Posture professionnelle »" in text
    assert "la date de l'évaluation" in text


def test_the_sample_returns_show_the_loop(tmp_path: Path) -> None:
    """data/retours-exemple (python data/build_returns.py): one form comes in, one is
    incomplete; the README's example."""
    code, out, err = run(str(SAMPLE), str(ROOT / "data" / "retours-exemple"), "-o",
                         str(tmp_path))
    assert code == 1
    assert "fiche signée du tuteur.docx : reportée ligne" in out
    assert "! évaluation stagiaire.docx : fiche incomplète (Karim BENHAMOU, ligne 29), non " \
        "reportée ; il manque : " \
           "l'appréciation de « Posture professionnelle » et la date de l'évaluation" in err


def test_a_workbook_without_the_new_columns_gets_them_added(returns: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    """An older workbook has no « Heures effectuées »: the copy gets the column after the
    last header, and the team's other sheets are kept."""
    cohort, folder = returns
    book = load_workbook(cohort)
    sheet = book["Cohorte"]
    header = {cell.value: cell.column for cell in sheet[1]}
    sheet.delete_cols(header["Heures effectuées"])
    book.create_sheet("Notes de l'équipe")["A1"] = "=1+1"
    book.save(cohort)
    code, out, _ = run(str(cohort), str(folder / "fiche complète.docx"), "-o", str(tmp_path))
    assert code == 0
    assert "Colonne « Heures effectuées » ajoutée au classeur." in out
    copy = load_workbook(tmp_path / "evaluations" / "cohorte-avec-retours.xlsx")
    assert copy["Notes de l'équipe"]["A1"].value == "=1+1"
    added = {cell.value: cell.column for cell in copy["Cohorte"][1]}["Heures effectuées"]
    assert added == copy["Cohorte"].max_column
    values = [copy["Cohorte"].cell(row=r, column=added).value for r in range(2, 40)]
    assert [v for v in values if v is not None] == [548.5]
