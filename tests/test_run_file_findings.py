"""A document run prints the findings about the whole file that concern what it writes (the
FILE-… ones and the parameters' warnings) once, as `gen check` words them, before its summary:
through the command line, on real workbooks."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from conftest import SAMPLE, SAMPLE_TODAY
from reminders_helpers import TODAY as REMINDERS_TODAY
from reminders_helpers import reminder_rows
from workbooks import LABELS, valid_row, write_workbook

from generator.cli import cli

TODAY = "2026-11-28"
SIGNATORY = {"Signataire de l'établissement": "Claire MOREAU",
             "Fonction du signataire": "Directrice de l'École Management et société"}
SIGNATORY_WARNING = ("  avertissement · FILE-MISSING-PARAMETER · Valeur : Paramètre « Signataire "
                     "de l'établissement » vide : les conventions sont signées pour le Cnam par "
                     "son administrateur général.")


def gen(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def test_a_run_writing_conventions_warns_that_the_signatory_is_missing(tmp_path: Path) -> None:
    cohort = write_workbook(tmp_path / "cohorte.xlsx", [valid_row()])
    result = gen("conventions", cohort, "--today", TODAY, "-o", tmp_path / "sortie")
    assert result.exit_code == 0  # a warning: the convention is written
    assert len(list((tmp_path / "sortie" / "conventions").glob("*.docx"))) == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Fichier"
    assert lines[1].startswith(SIGNATORY_WARNING)
    assert "« Fonction du signataire », dans la feuille « Paramètres »." in lines[1]
    # before the summary, which stays on stdout
    assert result.output.index(SIGNATORY_WARNING) < result.output.index("Conventions de stage")
    assert result.stdout.startswith("Document")


def test_quiet_keeps_the_warning_and_drops_the_rest(tmp_path: Path) -> None:
    cohort = write_workbook(tmp_path / "cohorte.xlsx", [valid_row()])
    result = gen("conventions", cohort, "--today", TODAY, "-o", tmp_path / "sortie", "-q")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("Fichier\n" + SIGNATORY_WARNING)


def test_gen_all_prints_each_file_finding_once(tmp_path: Path) -> None:
    """The parameter below the legal minimum concerns every document kind's check, the
    signatory the conventions': each is printed once."""
    cohort = write_workbook(tmp_path / "cohorte.xlsx", [valid_row()],
                            params={"Gratification horaire minimale (€)": 3})
    result = gen("all", cohort, "--today", TODAY, "-o", tmp_path / "sortie")
    assert result.exit_code == 0
    assert result.stderr.count("Fichier\n") == 1
    assert result.stderr.count("FILE-PARAMETER-RAISED") == 1
    assert result.stderr.count("FILE-MISSING-PARAMETER") == 1
    assert "3,00 € est inférieur au minimum légal en vigueur" in result.stderr


def test_the_signatory_is_not_asked_of_a_run_without_conventions(tmp_path: Path) -> None:
    cohort = write_workbook(tmp_path / "cohorte.xlsx", [valid_row()])
    result = gen("definitions", cohort, "--today", TODAY, "-o", tmp_path / "sortie")
    assert result.exit_code == 0
    assert "Fichier" not in result.output and result.stderr == ""


def test_an_information_is_printed_but_not_when_quiet(tmp_path: Path) -> None:
    cohort = write_workbook(tmp_path / "cohorte.xlsx", [valid_row()], params=SIGNATORY,
                            headers=[*LABELS, "Remarques de l'équipe"])
    result = gen("conventions", cohort, "--today", TODAY, "-o", tmp_path / "sortie")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("Fichier\n  information · FILE-UNKNOWN-COLUMN")
    assert "Remarques de l'équipe" in result.stdout.splitlines()[1]
    quiet = gen("conventions", cohort, "--today", TODAY, "-o", tmp_path / "sortie", "-q")
    assert quiet.exit_code == 0 and quiet.output == ""


def test_the_reminders_print_what_reading_found_but_not_the_documents_parameters(
        tmp_path: Path) -> None:
    """The letters concern neither the signatory nor the gratification minimum; an unknown
    column concerns every run."""
    cohort = write_workbook(tmp_path / "cohorte.xlsx", reminder_rows(),
                            params={"Gratification horaire minimale (€)": 3},
                            headers=[*LABELS, "Remarques de l'équipe"])
    result = gen("reminders", cohort, "--today", REMINDERS_TODAY, "-o", tmp_path / "sortie",
                 "--letters")
    assert result.exit_code == 0
    assert result.stdout.startswith("Fichier\n  information · FILE-UNKNOWN-COLUMN")
    assert result.stdout.count("Fichier\n") == 1
    assert "FILE-PARAMETER-RAISED" not in result.output
    assert "FILE-MISSING-PARAMETER" not in result.output
    assert list((tmp_path / "sortie" / "relances" / "lettres").glob("*.docx"))
    quiet = gen("reminders", cohort, "--today", REMINDERS_TODAY, "-o", tmp_path / "sortie",
                "--letters", "-q")
    assert quiet.exit_code == 0 and "Fichier" not in quiet.output


def test_the_sample_run_gains_no_line(tmp_path: Path) -> None:
    """README's first command: the sample's parameters are complete, its header known."""
    result = gen("all", SAMPLE, "--today", SAMPLE_TODAY, "-o", tmp_path / "sortie")
    assert result.exit_code == 1  # the sample's rows in error
    assert result.stdout.startswith("Document ")
    assert "Fichier" not in result.output and "FILE-" not in result.output
