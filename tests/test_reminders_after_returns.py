"""The reminders after `gen collect` on the sample (README): what a form's return changes in
relances/, and the returns read from the workbook's side, wherever the command is run from."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from engine_helpers import docx_text

from generator.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cohorte-exemple.xlsx"
RETURNS = ROOT / "data" / "retours-exemple"
TODAY = "2026-11-28"


def gen(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--today", TODAY])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[Path]:
    """A current folder that is neither the project's nor the output's."""
    folder = tmp_path / "ailleurs"
    folder.mkdir()
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(before)


def collected(out: Path) -> Path:
    code, _out, err = gen("collect", str(SAMPLE), str(RETURNS), "-o", str(out), "-q")
    assert code == 1, err  # one form recorded, one incomplete
    return out / "evaluations" / "cohorte-exemple-avec-retours.xlsx"


def names(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir() if path.is_file()}


def test_reminders_no_longer_due_are_set_aside(tmp_path: Path) -> None:
    """After collect, the evaluation reminders of PAR26127 (form recorded) and PAR26128 (form
    incomplete: its own reminder instead) leave lettres/ and courriels/ for anciens/, and the
    run says so."""
    out = tmp_path / "out"
    for mode in ("--letters", "--eml"):
        assert gen("reminders", str(SAMPLE), "-o", str(out), mode, "-q")[0] == 0
    letters, emails = out / "relances" / "lettres", out / "relances" / "courriels"
    old = {"PAR26127_ROLLAND_Pauline_evaluation", "PAR26128_BENHAMOU_Karim_evaluation"}
    assert {f"{stem}.docx" for stem in old} <= names(letters)
    assert {f"{stem}.eml" for stem in old} <= names(emails)
    updated = collected(out)
    code, stdout, _ = gen("reminders", str(updated), "-o", str(out), "--letters")
    assert code == 0
    assert f"2 lettres déplacées dans {letters / 'anciens'}" in stdout
    code, stdout, _ = gen("reminders", str(updated), "-o", str(out), "--eml")
    assert code == 0
    assert f"2 courriels déplacés dans {emails / 'anciens'}" in stdout
    assert not {f"{stem}.docx" for stem in old} & names(letters)
    assert not {f"{stem}.eml" for stem in old} & names(emails)
    assert {f"{stem}.docx" for stem in old} <= names(letters / "anciens")
    assert {f"{stem}.eml" for stem in old} <= names(emails / "anciens")
    assert "PAR26128_BENHAMOU_Karim_evaluation-incomplete.docx" in names(letters)
    assert "PAR26128_BENHAMOU_Karim_evaluation-incomplete.eml" in names(emails)
    # a run that produces the same reminders moves nothing more
    code, stdout, _ = gen("reminders", str(updated), "-o", str(out), "--eml")
    assert "déplacé" not in stdout


def test_a_message_as_sent_stays_where_it_is(tmp_path: Path) -> None:
    """A .eml without X-Unsent is a message as sent, the journal's record: never set aside."""
    out = tmp_path / "out"
    emails = out / "relances" / "courriels"
    emails.mkdir(parents=True)
    sent = emails / "PAR26101_HADDAD_Nadia_definition.eml"
    sent.write_bytes(b"Subject: envoi\r\nTo: a@example.org\r\n\r\ncorps\r\n")
    draft = emails / "PAR26102_GIRARD_Thomas_definition.eml"
    draft.write_bytes(b"Subject: brouillon\r\nX-Unsent: 1\r\n\r\ncorps\r\n")
    assert gen("reminders", str(SAMPLE), "-o", str(out), "--eml", "-q")[0] == 0
    assert sent.is_file()
    assert not draft.exists() and (emails / "anciens" / draft.name).is_file()


def test_the_incomplete_form_is_read_beside_the_workbook(tmp_path: Path,
                                                         elsewhere: Path) -> None:
    """From another folder, with or without -o, the copy collect wrote still has its
    incomplete form: the plan and the letter say « fiche d'évaluation incomplète »."""
    updated = collected(tmp_path / "out")
    for options in ((), ("-o", str(tmp_path / "autre"))):
        code, stdout, _ = gen("reminders", str(updated), "--only", "PAR26128", *options)
        assert code == 0
        assert "fiche d'évaluation incomplète" in stdout, options
    code, _, _ = gen("reminders", str(updated), "--only", "PAR26128", "-o", "sortie",
                     "--letters", "-q")
    assert code == 0
    (letter,) = (elsewhere / "sortie" / "relances" / "lettres").glob("PAR26128*.docx")
    text = docx_text(letter)
    assert "incomplète" in text and "pas encore reçue" not in text


def test_the_original_workbook_finds_the_returns_under_its_output_folder(
        tmp_path: Path, elsewhere: Path) -> None:
    """A workbook kept where it is (--in-place, or the original) finds the returns in the
    -o folder collect was given."""
    out = tmp_path / "out"
    collected(out)
    code, stdout, _ = gen("reminders", str(SAMPLE), "--only", "PAR26128", "-o", str(out))
    assert code == 0
    assert "fiche d'évaluation incomplète" in stdout


def test_check_and_dashboard_say_the_form_came_back_incomplete(tmp_path: Path,
                                                               elsewhere: Path) -> None:
    """gen check and gen dashboard read the same returns as gen reminders: the form of
    PAR26128 came back incomplete, not « pas revenue »."""
    updated = collected(tmp_path / "out")
    code, stdout, _ = gen("check", str(updated))
    (due,) = [line for line in stdout.splitlines() if "EVALUATION-DUE" in line]
    assert "fiche d'évaluation est revenue incomplète (il manque : l'appréciation de « Posture " \
           "professionnelle » et la date de l'évaluation)" in due
    page = elsewhere / "tableau.html"
    assert gen("dashboard", str(updated), "-o", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert "revenue incomplète" in html and "pas revenue" not in html


def test_returns_brought_in_place_are_found_from_any_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`gen collect --in-place` run from the workbook's folder (returns in its output/), then
    check, reminders and dashboard run from elsewhere without -o: the workbook records where
    its returns are, so the form of PAR26128 came back incomplete, not « pas reçue ». The
    only form brought in is the incomplete one: no cell changes, the record alone is written
    (after a backup), and a second collect writes nothing."""
    home, other = tmp_path / "promo", tmp_path / "ailleurs"
    (home / "retours").mkdir(parents=True)
    other.mkdir()
    cohort = home / "cohorte.xlsx"
    shutil.copyfile(SAMPLE, cohort)
    shutil.copyfile(RETURNS / "évaluation stagiaire.docx", home / "retours" / "fiche.docx")
    monkeypatch.chdir(home)
    code, stdout, _ = gen("collect", "cohorte.xlsx", "retours", "--in-place")
    assert code == 1  # the incomplete form is a problem
    assert "aucune cellule remplie ; il note où sont les retours" in stdout
    (backup,) = home.glob("cohorte.sauvegarde-*.xlsx")
    assert (home / "output" / "evaluations" / "retours.xlsx").is_file()
    monkeypatch.chdir(other)
    code, stdout, _ = gen("check", str(cohort), "--format", "json")
    (due,) = [finding["message"] for finding in json.loads(stdout)["findings"]
              if finding["code"] == "EVALUATION-DUE" and finding["student"] == "PAR26128"]
    assert "revenue incomplète (il manque : l'appréciation de « Posture professionnelle » " \
           "et la date de l'évaluation)" in due
    code, stdout, _ = gen("reminders", str(cohort), "--only", "PAR26128")
    assert code == 0 and "fiche d'évaluation incomplète" in stdout
    assert gen("dashboard", str(cohort), "-o", "tableau.html")[0] == 0
    html = (other / "tableau.html").read_text(encoding="utf-8")
    assert "revenue incomplète (il manque" in html
    monkeypatch.chdir(home)
    written = cohort.read_bytes()
    assert gen("collect", "cohorte.xlsx", "retours", "--in-place")[0] == 1
    assert cohort.read_bytes() == written and list(home.glob("cohorte.sauvegarde-*")) == [backup]
