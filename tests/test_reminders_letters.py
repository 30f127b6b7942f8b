"""Reminder letters: the plan alone writes nothing; `--letters` writes one letter per reminder
stating the rule, the exact date and whom to send what to, and one combined file with each
letter on its own page, which LibreOffice turns into a PDF."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from docx.oxml.ns import qn
from reminders_helpers import TODAY, reminder_cohort, reminder_rows
from workbooks import LABELS, write_workbook

from generator.cli import cli
from generator.reminders.letters import delay_text, example_letter_context, relance_context
from generator.reminders.plan import Notice

CONVENTION, EVALUATION, PIECES = "convention", "evaluation", "pieces"

# One letter per recipient and student, listing every point due (B2: approval and convention;
# C3: convention and pieces).
LETTERS = ["A1_DUPONT_Hélène_definition.docx", "B2_LÉGER_Marc_accord_convention.docx",
           "C3_O'BRIEN-&-FILS-_Zoé_convention_pieces.docx", "D4_NGUYEN_Anh_evaluation.docx"]


def _run(cohort: Path, *options: str) -> Result:
    return CliRunner().invoke(cli, ["reminders", str(cohort), "--today", TODAY.isoformat(),
                                    "-o", str(cohort.parent / "sortie"), *options])


def _text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    # French typography puts no-break spaces before « : » and inside « »: compare as spaces.
    return "\n".join(parts).replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the letters written once for the module's tests."""
    cohort = reminder_cohort(tmp_path_factory.mktemp("lettres"))
    result = _run(cohort, "--letters")
    assert result.exit_code == 0, result.output + result.stderr
    return cohort.parent / "sortie" / "relances"


def test_the_plan_alone_prints_the_table_and_writes_nothing(tmp_path: Path) -> None:
    cohort = reminder_cohort(tmp_path)
    result = _run(cohort)
    assert result.exit_code == 0, result.output + result.stderr
    blocks = [block.splitlines() for block in result.stdout.strip().split("\n\n")]
    assert [block[0].split()[3] for block in blocks] == ["A1", "B2", "B2", "C3", "C3", "D4"]
    # the motif as the user reads it, the role in the recipient's gender
    assert any("fiche d'évaluation" in block[0]
               and "  Destinataire : Mme Sophie DURAND (tutrice)" in block for block in blocks)
    assert any("pièces du dossier" in block[0] and any("(1 remis)" in line for line in block)
               for block in blocks)
    assert "pieces" not in result.stdout and "approval" not in result.stdout
    # the points that go in one letter say so (no-break spaces inside the quotes)
    shared = [block for block in blocks if block[0].split()[3] == "B2"]
    assert all(" ".join(" ".join(block).split()).count(
        "Lettre : une seule lettre pour « accord pédagogique » + « convention de stage »") == 1
        for block in shared) and len(shared) == 2
    assert not (tmp_path / "sortie").exists()


def test_the_windows_are_read_from_the_workbook(tmp_path: Path) -> None:
    cohort = reminder_cohort(tmp_path, {"Relance définition (jours avant le début)": 44})
    result = _run(cohort, "--reason", "definition")
    assert result.exit_code == 0
    assert result.stdout.strip() == "Aucune relance à faire."


def test_one_letter_per_recipient_and_student(letters: Path) -> None:
    assert sorted(p.name for p in (letters / "lettres").iterdir()) == sorted(LETTERS)
    assert (letters / "lettres-a-imprimer.docx").is_file()
    assert not (letters / "courriels").exists() and not (letters / "journal.csv").exists()
    for name in LETTERS:
        text = _text(letters / "lettres" / name)
        assert "{{" not in text and "{%" not in text, name
        assert "Objet : " in text and "salutations distinguées" in text, name
        assert "Paris, le 20 août 2026" in text, name


def test_each_letter_states_the_rule_the_date_and_whom_to_send_to(letters: Path) -> None:
    folder = letters / "lettres"
    definition = _text(folder / LETTERS[0])
    assert "Mme Hélène DUPONT\n12 rue des Lilas\n75020 Paris" in definition
    assert "doit commencer le 4 octobre 2026 (dans 45 jours)" in definition
    assert "au plus tard le 22 septembre 2026" in definition  # start − 12 days
    assert "à la coordinatrice de la licence (par_intervention_sociale@lecnam.net)" in definition

    # approval and convention due the same day: one letter, both points listed
    day_class = _text(folder / LETTERS[1])
    assert "M. Marc LÉGER\nPar courriel : marc.leger@example.org" in day_class
    # the address block abbreviates the civility before the name, the salutation writes it in
    # full, as the pack's cover letter and the student's documents do
    assert "\nMonsieur,\n" in day_class and "Monsieur Marc" not in day_class
    assert "Objet : accord pédagogique et convention de stage – à établir au plus tard le " \
           "3 septembre 2026" in day_class
    assert "fait le point sur ce qui reste à faire pour votre stage :\naccord pédagogique\n" \
           "convention de stage\n" in day_class
    assert "au plus tard le 3 septembre 2026 (dans 14 jours)" in day_class
    assert "Sandrine NACREON" in day_class
    assert "l'accord pédagogique de la coordinatrice" in day_class
    assert "pascale.bonnet" not in day_class

    # convention overdue and pieces missing (evening class): one letter, both points
    overdue = _text(folder / LETTERS[2])
    assert "Mme Zoé O'BRIEN & <FILS>" in overdue  # printed as typed
    assert "date limite dépassée (13 août 2026) – pièces du dossier manquantes" in overdue
    assert "convention de stage\npièces du dossier de convention\n" in overdue
    assert "dépassée depuis 7 jours" in overdue
    assert "ne peut pas commencer" in overdue  # it starts in 5 days
    # what `gen` prepared and what to do with it, not the Cnam's blank form
    assert "vous recevez votre convention de stage, préparée par l'équipe de la licence" \
           in overdue and "Imprimez-la en 3 exemplaires, signez-les" in overdue
    assert "télécharger" not in overdue and "formulaire" not in overdue
    assert "pascale.bonnet@lecnam.net" in overdue
    missing = overdue.split("il manque à votre dossier")[1]
    assert "3 exemplaires de la convention (1 remis)" in missing
    assert "la copie de la carte d'auditeur" in missing
    assert "assurance" not in missing.split("Pour toute question")[0]

    evaluation = _text(folder / LETTERS[3])
    assert "Mme Sophie DURAND\nAssociation Tremplin\n5 avenue de la République\n" \
           "93100 Montreuil" in evaluation
    # the return date every document gives: the end (19 August) + 15 days
    assert "Le stage s'est achevé le 19 août 2026 ; la fiche d'évaluation est attendue au " \
           "plus tard le 3 septembre 2026 (dans 14 jours)." in evaluation
    assert "Anh NGUYEN" in evaluation and "fiche d'évaluation" in evaluation


def test_the_combined_file_has_one_letter_per_section_each_on_a_new_page(letters: Path) -> None:
    document = Document(str(letters / "lettres-a-imprimer.docx"))
    body = document.element.body
    sections = body.findall(f".//{qn('w:sectPr')}")
    assert len(sections) == len(LETTERS) + 1  # the tutor's form follows its letter
    for sect_pr in sections:
        kind = sect_pr.find(qn("w:type"))
        assert kind is None or kind.get(qn("w:val")) == "nextPage"
    texts = [p.text for p in document.paragraphs]
    objects = [text for text in texts if text.startswith("Objet")]
    assert len(objects) == len(LETTERS)
    after_evaluation = "\n".join(texts[texts.index(objects[-1]):])
    assert "FICHE D'ÉVALUATION" in after_evaluation.upper()


def _pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(next(line.split()[-1] for line in info.stdout.splitlines()
                     if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)]


def test_the_combined_file_converts_to_pdf_one_letter_per_page(tmp_path: Path,
                                                               soffice: str) -> None:
    cohort = reminder_cohort(tmp_path)
    result = _run(cohort, "--letters", "--pdf", "--reason", CONVENTION, "--reason", PIECES,
                  "--reason", EVALUATION)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "sortie" / "relances"
    assert all((folder / "lettres" / name).with_suffix(".pdf").is_file()
               for name in ["B2_LÉGER_Marc_convention.docx", *LETTERS[2:]])
    # the document commands' words: each letter's PDF and the combined one
    made = len(list((folder / "lettres").glob("*.pdf"))) + 1
    assert f"PDF : {made} sur {made} produits" in result.stdout
    pages = _pdf_pages(folder / "lettres-a-imprimer.pdf")
    expected = ["LÉGER", "O'BRIEN", "NGUYEN"]
    for page, name in zip(pages, expected, strict=False):
        assert page.count("Objet") == 1
        assert name in page and "salutations distinguées" in page
    form = "\n".join(pages[len(expected):])  # the tutor's form, after its letter
    assert "FICHE D'ÉVALUATION" in form and "NGUYEN" in form and "Objet" not in form


def test_relance_context_words_the_facts() -> None:
    assert [delay_text(d) for d in (3, 1, 0, -1, -5)] == [
        "dans 3 jours", "demain", "aujourd'hui", "hier", "il y a 5 jours"]
    context = example_letter_context()
    relance = context["relance"]
    assert relance["envoi"]["a_qui"] == "au service de la scolarité des cours du soir"
    assert relance["prealables"] == ["définition du stage pratique", "accord pédagogique"]
    assert context["auditeur"]["numero"] == "PAR12345"  # the documents' context is included


def test_day_class_and_coordinator_are_named() -> None:
    from generator.documents.context import EXAMPLE_PARAMS
    from generator.reminders.letters import example_reminder

    reminder = example_reminder(CONVENTION)
    day = dataclasses.replace(reminder,
                              derived=dataclasses.replace(reminder.derived, evening=False))
    send_to = relance_context(Notice((day,)), EXAMPLE_PARAMS)["envoi"]
    assert send_to["a_qui"] == ("à Sandrine NACREON, gestionnaire des conventions des cours "
                                "du jour")
    definition = dataclasses.replace(reminder, reason="definition")
    assert relance_context(Notice((definition,)), EXAMPLE_PARAMS)["envoi"]["avec"] == (
        "Mme Anne ROUSSEAU, coordinatrice de la licence")


def test_readme_lists_exactly_the_relance_keys() -> None:
    readme = (Path(__file__).resolve().parents[1] / "templates" / "README.md").read_text(
        encoding="utf-8")
    section = readme.split("## Relances")[1].split("fin de la section Relances")[0]
    listed = re.findall(r"^- `(relance\.[^`]+)`", section, flags=re.MULTILINE)

    def leaves(prefix: str, value: object) -> list[str]:
        if isinstance(value, dict):
            return [key for name, inner in value.items()
                    for key in leaves(f"{prefix}.{name}", inner)]
        return [prefix]

    assert len(listed) == len(set(listed))
    assert set(listed) == set(leaves("relance", example_letter_context()["relance"]))


def test_a_missing_workflow_column_stops_before_reminding_everyone(tmp_path: Path) -> None:
    headers = [label for label in LABELS if label != "Définition remise le"]
    cohort = write_workbook(tmp_path / "cohorte.xlsx", reminder_rows(), headers=headers)
    result = _run(cohort)
    assert result.exit_code == 2
    assert "Définition remise le" in result.stderr and "absente" in result.stderr
    assert result.stdout == ""


def test_without_the_pieces_columns_there_is_no_pieces_reminder(tmp_path: Path) -> None:
    headers = [label for label in LABELS if label not in
               ("Exemplaires convention", "Attestation assurance", "Carte d'auditeur")]
    cohort = write_workbook(tmp_path / "cohorte.xlsx", reminder_rows(), headers=headers)
    result = _run(cohort)
    assert result.exit_code == 0, result.output + result.stderr
    assert "pas de relance « pieces »" in result.stderr
    assert "pieces" not in result.stdout and "convention" in result.stdout


def test_the_library_reports_progress_per_stage(tmp_path: Path) -> None:
    from generator.reminders import run

    params, plan = run.prepare(reminder_cohort(tmp_path), TODAY)
    seen: dict[str, list[tuple[int, int]]] = {}

    def progress(stage: str) -> Callable[[int, int], None]:
        return lambda done, total: seen.setdefault(stage, []).append((done, total))

    run.produce(plan, params, None, tmp_path / "sortie", progress=progress)
    count = len(LETTERS)  # one letter per recipient and student
    assert seen == {"Lettres": [(done, count) for done in range(1, count + 1)]}
