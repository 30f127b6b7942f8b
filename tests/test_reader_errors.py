"""Files the reader cannot use: one FILE-UNREADABLE line in French saying what to do, exit
status 2 through the CLI, never a traceback."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import Workbook
from workbooks import valid_row, write_workbook

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"


def _missing(tmp: Path) -> Path:
    return tmp / "absent.xlsx"


def _directory(tmp: Path) -> Path:
    (tmp / "dossier.xlsx").mkdir()
    return tmp / "dossier.xlsx"


def _empty(tmp: Path) -> Path:
    (tmp / "vide.xlsx").write_bytes(b"")
    return tmp / "vide.xlsx"


def _random_bytes(tmp: Path) -> Path:
    (tmp / "bruit.xlsx").write_bytes(bytes((i * 37 + 11) % 256 for i in range(5000)))
    return tmp / "bruit.xlsx"


def _random_csv(tmp: Path) -> Path:
    (tmp / "bruit.csv").write_bytes(bytes((i * 37 + 11) % 256 for i in range(5000)))
    return tmp / "bruit.csv"


def _truncated(tmp: Path) -> Path:
    data = write_workbook(tmp / "source.xlsx", [valid_row()]).read_bytes()
    (tmp / "tronque.xlsx").write_bytes(data[: len(data) // 2])
    return tmp / "tronque.xlsx"


def _broken_member(tmp: Path) -> Path:
    path = tmp / "casse.xlsx"
    with zipfile.ZipFile(write_workbook(tmp / "source.xlsx", [valid_row()])) as source, \
            zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return path


def _docx(tmp: Path) -> Path:
    document = Document()
    document.add_paragraph("Pas un classeur")
    document.save(str(tmp / "lettre.xlsx"))
    return tmp / "lettre.xlsx"


def _zip_of_other_things(tmp: Path) -> Path:
    with zipfile.ZipFile(tmp / "archive.xlsx", "w") as archive:
        archive.writestr("notes.txt", "bonjour")
    return tmp / "archive.xlsx"


def _unknown_extension(tmp: Path) -> Path:
    data = write_workbook(tmp / "source.xlsx", [valid_row()]).read_bytes()
    (tmp / "cohorte.pdf").write_bytes(data)
    return tmp / "cohorte.pdf"


def _no_cell(tmp: Path) -> Path:
    book = Workbook()
    book.save(tmp / "sans-cellule.xlsx")
    return tmp / "sans-cellule.xlsx"


def _legacy_xls(tmp: Path) -> Path:
    return FIXTURES / "ancien-format.xls"


def _password(tmp: Path) -> Path:
    return FIXTURES / "protege.xlsx"


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing": (_missing, "introuvable"),
    "directory": (_directory, "est un dossier"),
    "empty": (_empty, "est vide (0 octet)"),
    "random-bytes": (_random_bytes, "n'est pas un classeur lisible"),
    "random-csv": (_random_csv, "n'est pas un fichier CSV"),
    "truncated-zip": (_truncated, "est endommagé"),
    "broken-member": (_broken_member, "est endommagé"),
    "docx-renamed": (_docx, "document texte"),
    "other-zip": (_zip_of_other_things, "n'est pas un classeur"),
    "unknown-extension": (_unknown_extension, "« .pdf »"),
    "no-cell": (_no_cell, "aucune cellule"),
    "legacy-xls": (_legacy_xls, "enregistrez-le au format .xlsx"),
    "password": (_password, "retirez le mot de passe"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_unreadable_file(tmp_path: Path, case: str) -> None:
    make, expected = CASES[case]
    path = make(tmp_path)
    with pytest.raises(InputError) as caught:
        read_cohort(path)
    assert caught.value.code == "FILE-UNREADABLE"
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("case", ["missing", "truncated-zip", "legacy-xls", "password"])
def test_unreadable_file_exits_2_with_one_french_line(tmp_path: Path, case: str) -> None:
    make, expected = CASES[case]
    result = CliRunner().invoke(cli, ["check", str(make(tmp_path))])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Erreur : ") and expected in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
