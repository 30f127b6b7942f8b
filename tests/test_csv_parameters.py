"""A CSV cohort has no room for a « Paramètres » sheet: every message that sends the team to
a parameter tells a CSV user that the defaults apply and that a workbook (`gen init` makes one)
holds the parameters; a workbook's user is sent to its sheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from reminders_helpers import TODAY as REMINDERS_TODAY
from reminders_helpers import SmtpServer, reminder_rows
from workbooks import valid_row, write_french_csv, write_workbook

from generator.cli import cli

TODAY = "2026-11-28"
CSV_NOTE = "un fichier CSV n'en a pas, ses valeurs par défaut s'appliquent ; « gen init " \
           "cohorte.xlsx » crée un classeur qui en a une"


def gen(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def cohort(folder: Path, suffix: str, rows: list[dict[str, object]]) -> Path:
    path = folder / f"cohorte{suffix}"
    return write_french_csv(path, rows) if suffix == ".csv" else write_workbook(path, rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_referent_message_says_where_the_parameter_can_be_set(tmp_path: Path,
                                                                   suffix: str) -> None:
    path = cohort(tmp_path, suffix, [valid_row(enseignant_referent=None)])
    code, stdout, _ = gen("check", str(path), "--today", TODAY, "--format", "json")
    assert code == 1
    (message,) = [finding["message"] for finding in json.loads(stdout)["findings"]
                  if finding["code"] == "CONVENTION-REFERENT"]
    assert "ou, pour toute la cohorte, le paramètre « Responsable du tutorat » dans la " \
           "feuille « Paramètres »" in message
    assert (CSV_NOTE in message) == (suffix == ".csv")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_signatory_warning_says_where_the_parameter_can_be_set(tmp_path: Path,
                                                                    suffix: str) -> None:
    """The warning `gen conventions` prints before its summary."""
    path = cohort(tmp_path, suffix, [valid_row()])
    code, _, stderr = gen("conventions", str(path), "--today", TODAY, "-o",
                          str(tmp_path / "sortie"), "-q")
    assert code == 0
    (message,) = [line for line in stderr.splitlines() if "FILE-MISSING-PARAMETER" in line]
    assert "« Fonction du signataire », dans la feuille « Paramètres »" in message
    assert (CSV_NOTE in message) == (suffix == ".csv")


def test_a_refused_sender_of_a_csv_cohort_is_not_sent_to_a_sheet(tmp_path: Path) -> None:
    path = write_french_csv(tmp_path / "cohorte.csv", reminder_rows())
    with SmtpServer(refuse_sender=True) as server:
        code, _, stderr = gen("reminders", str(path), "--today", str(REMINDERS_TODAY), "-o",
                              str(tmp_path / "sortie"), "--send", "--smtp", server.address)
    assert code == 1 and not server.messages
    assert "le serveur refuse l'expéditeur (553" in stderr
    assert "vérifiez les droits d'envoi du compte, ou l'adresse d'expédition, paramètre " \
           "« Courriel référent stage » dans la feuille « Paramètres » d'un classeur : " \
           + CSV_NOTE in " ".join(stderr.split())
