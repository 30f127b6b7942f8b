"""Each letter's wording fits the row's real situation (issue 9): before or after the
deadline, before or after the start, convention established or not, evening class with the
convention `gen` prepared. The situation is decided once (the letter's `relance` facts); the
templates choose among complete sentences."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from docx import Document
from reminders_helpers import DAY, TODAY
from workbooks import valid_row, write_workbook

from generator.cli import cli


def _letter(tmp_path: Path, **values: object) -> str:
    """The text of the one letter `gen reminders --letters` writes for a row."""
    cohort = write_workbook(tmp_path / "cohorte.xlsx",
                            [valid_row(numero_auditeur="Z9", **values)])
    result = CliRunner().invoke(cli, ["reminders", str(cohort), "--today", TODAY.isoformat(),
                                      "-o", str(tmp_path / "sortie"), "--letters"])
    assert result.exit_code == 0, result.output + result.stderr
    (path,) = (tmp_path / "sortie" / "relances" / "lettres").glob("Z9_*.docx")
    document = Document(str(path))
    return "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ")


def test_pieces_for_a_convention_already_established(tmp_path: Path) -> None:
    text = _letter(tmp_path, date_debut=TODAY - 10 * DAY, date_fin=TODAY + 120 * DAY,
                   date_convention=TODAY - 30 * DAY, carte_auditeur="non")
    assert "Pour établir votre convention" not in text
    assert f"Votre convention de stage a été établie le {_french(TODAY - 30 * DAY)}" in text
    assert "la copie de la carte d'auditeur" in text.split("il manque à votre dossier")[1]
    assert "dans les meilleurs délais." in text and "est dépassée" not in text
    # one piece missing: the sentence agrees; the same words serve the letter and the e-mail
    assert "transmettre cette pièce " in text and "ces pièces" not in text
    assert "ne pas tenir compte de cette relance." in text
    assert "Aucun stage ne peut se dérouler sans convention" not in text


def test_pieces_before_the_convention_and_its_deadline(tmp_path: Path) -> None:
    text = _letter(tmp_path, date_debut=TODAY + 20 * DAY, date_fin=TODAY + 150 * DAY,
                   date_convention=None, carte_auditeur="non")
    # convention + pieces: one letter, the convention's, listing both
    assert "Objet : convention de stage – à établir au plus tard le 28 août 2026 – pièces " \
           "du dossier manquantes" in text
    assert "(dans 8 jours)" in text and "dépassée" not in text


def test_a_convention_reminder_after_the_start_does_not_say_it_cannot_start(
        tmp_path: Path) -> None:
    text = _letter(tmp_path, modalite="cours du jour", date_debut=TODAY - 3 * DAY,
                   date_fin=TODAY + 120 * DAY, date_convention=None)
    assert "ne peut pas commencer" not in text
    assert "Votre stage devait commencer le 17 août 2026. Aucun stage ne peut se dérouler " \
           "sans convention signée (article L124-1 du Code de l'éducation)" in text
    assert "Cette date est dépassée depuis 15 jours" in text


def test_a_convention_reminder_before_the_start_but_after_the_deadline(
        tmp_path: Path) -> None:
    text = _letter(tmp_path, modalite="cours du jour", date_debut=TODAY + 3 * DAY,
                   date_fin=TODAY + 120 * DAY, date_convention=None)
    assert "le stage ne peut pas commencer tant qu'elle n'est pas signée" in text
    assert "Votre stage devait commencer" not in text


def test_the_evening_convention_reminder_says_what_gen_prepared_and_what_to_do(
        tmp_path: Path) -> None:
    prepared = _letter(tmp_path / "a", date_debut=TODAY + 20 * DAY,
                       date_fin=TODAY + 150 * DAY, date_convention=None)
    assert "vous recevez votre convention de stage, préparée par l'équipe de la licence" \
        in prepared
    assert "Imprimez-la en 3 exemplaires, signez-les, puis remettez-les au service de la " \
           "scolarité des cours du soir (pascale.bonnet@lecnam.net) avec toutes les pièces" \
        in prepared
    assert "télécharger" not in prepared and "formulaire" not in prepared
    waiting = _letter(tmp_path / "b", date_debut=TODAY + 20 * DAY, date_fin=TODAY + 150 * DAY,
                      date_accord=None, date_convention=None)
    assert "vous recevrez votre convention de stage, préparée par l'équipe de la licence " \
           "à partir des informations de votre dossier, dès l'accord pédagogique obtenu" \
        in waiting
    assert "accord pédagogique\nconvention de stage" in waiting  # both points listed


def test_the_evaluation_reminder_before_and_after_the_return_date(tmp_path: Path) -> None:
    before = _letter(tmp_path / "a", date_debut=TODAY - 130 * DAY, date_fin=TODAY - 5 * DAY)
    assert "à retourner au plus tard le 30 août 2026" in before
    assert "est attendue au plus tard le 30 août 2026 (dans 10 jours)." in before
    after = _letter(tmp_path / "b", date_debut=TODAY - 150 * DAY, date_fin=TODAY - 25 * DAY)
    assert "fiche d'évaluation attendue depuis le 10 août 2026" in after
    assert "était attendue au plus tard le 10 août 2026 (il y a 10 jours) et nous ne l'avons " \
           "pas encore reçue." in after
    assert "en tant que tuteur" in after  # the tutor's gender (M. in the test row)


def test_definition_and_convention_due_together_make_one_letter(tmp_path: Path) -> None:
    text = _letter(tmp_path, date_debut=TODAY + 5 * DAY, date_fin=TODAY + 150 * DAY,
                   date_definition=None, date_accord=None, date_convention=None)
    # definition + convention due: the convention's letter lists both
    assert "définition du stage pratique\nconvention de stage" in text


def _french(day: object) -> str:
    from generator.frenchdates import format_date
    return format_date(day)  # type: ignore[arg-type]
