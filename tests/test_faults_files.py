"""Writing under faults and hostile cells: a file-system error is one French line (exit 2), a
killed run's temporary files are removed by the next run, and no cell value is ever written as
a live formula in a sheet or a CSV that gen writes."""

from __future__ import annotations

import csv
import errno
import os
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from reminders_helpers import TODAY, reminder_rows
from workbooks import write_workbook

from generator.atomic import clean_leftovers, work_folder, write_atomic
from generator.cli import cli
from generator.errors import file_system_message
from generator.neutral import FORMULA_STARTS, csv_value

HOSTILE = ['=HYPERLINK("http://example.net","x")', "@SUM(1+1)", "+cmd", "-2+3"]


def _hostile_cohort(folder: Path) -> Path:
    rows = reminder_rows()
    rows[0] = {**rows[0], "nom": HOSTILE[0], "prenom": HOSTILE[1]}
    rows[1] = {**rows[1], "email": HOSTILE[0], "nom": HOSTILE[2]}
    rows[2] = {**rows[2], "prenom": HOSTILE[3], "tuteur_email": HOSTILE[1]}
    path = write_workbook(folder / "cohorte.xlsx", rows)
    workbook = load_workbook(path)  # typed text, as Excel keeps « '=… »: not formulas
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    workbook.save(path)
    return path


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        sample = stream.read()
    delimiter = ";" if sample.splitlines()[0].count(";") else ","
    return [cell for row in csv.reader(sample.splitlines(), delimiter=delimiter) for cell in row]


def test_no_live_formula_in_the_checks_sheet_nor_the_manifest(tmp_path: Path) -> None:
    cohort = _hostile_cohort(tmp_path)
    report = tmp_path / "annote.xlsx"
    checked = CliRunner().invoke(cli, ["check", str(cohort), "--today", TODAY.isoformat(),
                                       "--report", str(report)])
    assert checked.exit_code in (0, 1), checked.output
    sheet = load_workbook(report)["Contrôles"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [str(cell.value) for cell in cells if cell.value is not None]
    assert any(HOSTILE[0] in text for text in texts)  # kept readable, as text
    output = tmp_path / "sortie"
    made = CliRunner().invoke(cli, ["all", str(cohort), "--today", TODAY.isoformat(), "-o",
                                    str(output), "--force"])
    assert made.exception is None or isinstance(made.exception, SystemExit), made.output
    manifests = list(output.rglob("manifest.csv"))
    assert manifests
    for manifest in manifests:
        cells_read = _csv_cells(manifest)
        assert not [cell for cell in cells_read if cell.startswith(FORMULA_STARTS)]
        assert all(csv_value(cell) == cell or cell.startswith("'") for cell in cells_read)


@pytest.mark.parametrize("layout", ["parent is a file", "sub-folder is a file"])
def test_an_unwritable_output_is_one_french_line(tmp_path: Path, layout: str) -> None:
    cohort = write_workbook(tmp_path / "cohorte.xlsx", reminder_rows())
    (tmp_path / "fichier").write_text("x")
    output = tmp_path / "fichier" / "sortie"
    if layout == "sub-folder is a file":
        output = tmp_path / "sortie"
        output.mkdir()
        (output / "definitions").write_text("x")
        (output / "relances").write_text("x")
    for command in (["all"], ["definitions"], ["reminders", "--letters"]):
        result = CliRunner().invoke(cli, [command[0], str(cohort), *command[1:], "--today",
                                          TODAY.isoformat(), "-o", str(output)])
        assert result.exit_code == 2, (command, result.output)
        lines = [line for line in result.stderr.splitlines() if line.startswith("Erreur")]
        assert len(lines) == 1 and "Traceback" not in result.stderr
        assert str(tmp_path) in lines[0] and "(-o)" in lines[0]


@pytest.mark.parametrize(("number", "words"), [
    (errno.ENOSPC, "Disque plein"), (errno.EACCES, "Écriture refusée"),
    (errno.EROFS, "lecture seule"), (errno.ENOTDIR, "pas un dossier"),
    (errno.EEXIST, "existe déjà"), (errno.EIO, "Erreur du système de fichiers")])
def test_each_file_system_error_names_the_path_and_what_to_do(number: int, words: str) -> None:
    message = file_system_message(OSError(number, os.strerror(number), "sortie/a.docx"))
    assert words in message and "sortie/a.docx" in message


def test_leftovers_of_killed_runs_are_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = tmp_path / ".gen-999999999-abcd.tmp"  # no such process
    alive = tmp_path / f".gen-{os.getppid()}-efgh.tmp"  # a running process: kept
    old = tmp_path / ".gen-ijkl.tmp"  # the former naming, an hour old
    recent = tmp_path / ".gen-mnop.tmp"
    for path in (dead, alive, old, recent):
        path.write_bytes(b"partial")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    write_atomic(tmp_path / "document.docx", b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["document.docx", alive.name, recent.name])
    assert clean_leftovers(tmp_path) == []  # once per folder and run


def test_work_folders_of_killed_runs_are_removed_by_the_next_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = tmp_path / "gen-pdf-999999999-abcd"  # a --pdf killed with its copies inside
    alive = tmp_path / f"gen-pdf-{os.getppid()}-efgh"  # a run still going: kept
    other = tmp_path / "gen-pdf-notes"  # not ours by its name: kept
    for folder in (dead, alive, other):
        folder.mkdir()
        (folder / "copie.docx").write_bytes(b"document")
    with work_folder("pdf") as work:
        assert Path(work).name.startswith(f"gen-pdf-{os.getpid()}-")
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [alive.name, other.name, Path(work).name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name])
