"""`gen check` through click: exit statuses, both streams, JSON equal to the library's report,
the file-level errors, the annotated copy, and a golden JSON report of a multi-defect workbook.

Set UPDATE_GOLDEN=1 to rewrite the golden file after an intended change of wording."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from workbooks import LABELS, valid_row, write_workbook

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.rules.report import check
from generator.views.json_report import report_json

TODAY = "2026-11-28"
GOLDEN = Path(__file__).parent / "golden" / "check-defects.json"


def gen_check(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", *args, "--today", TODAY])


def defects_rows() -> list[dict[str, object]]:
    """One clean row, then one row per kind of problem."""
    searching = {key: None for key in valid_row() if key not in (
        "numero_auditeur", "civilite", "nom", "prenom", "email", "telephone", "adresse",
        "modalite", "experience_mois", "experience_attestee", "memoire_sur_stage")}
    return [
        valid_row(),
        valid_row(numero_auditeur="100002", heures_total=500, telephone="12 34"),
        valid_row(numero_auditeur="100003", nom="Durand", **searching),
        valid_row(numero_auditeur="100004", date_debut="31/02/2026", tuteur_email=None),
        valid_row(numero_auditeur="100005", **{**searching, "experience_mois": 24,
                                                "experience_attestee": "oui"}),
        valid_row(numero_auditeur="100002", nom="Petit", date_convention=None,
                  exemplaires_convention=2, date_fin=dt.date(2027, 1, 5)),
    ]


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "cohorte.xlsx", [valid_row()])


@pytest.fixture
def defects(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "cohorte.xlsx", defects_rows())


def test_a_clean_workbook_exits_0(clean: Path) -> None:
    result = gen_check(str(clean))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Aucun problème trouvé." in result.stdout
    assert "Bilan : 0 erreur, 0 avertissement, 0 information sur 1 ligne." in result.stdout
    assert "convention 1" in result.stdout


def test_errors_exit_1_and_are_listed_by_student(defects: Path) -> None:
    result = gen_check(str(defects))
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    title = lines.index("Ligne 3 — 100002 — Claire MARTIN")
    assert lines[title + 1].startswith("  erreur · STUDENT-DUPLICATE · N° auditeur : ")
    assert "ligne 7" in lines[title + 1]
    assert lines[title + 2].startswith("  erreur · STAGE-HOURS · Heures totales : ")
    assert lines[title + 3].startswith("  avertissement · CELL-PHONE · Téléphone : ")
    assert lines[-1].startswith("Bilan : ")


def test_warnings_only_exit_0(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row(heures_total=600)])
    result = gen_check(str(path))
    assert result.exit_code == 0
    assert "avertissement · STAGE-HOURS" in result.stdout


def test_json_is_the_reports_json(defects: Path) -> None:
    result = gen_check(str(defects), "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == ""
    expected = report_json(check(read_cohort(defects), dt.date(2026, 11, 28)), str(defects))
    assert json.loads(result.stdout) == expected


def test_an_empty_cohort_is_valid(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "vide.xlsx", [])
    result = gen_check(str(path), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["rows"], data["findings"]) == (0, [])


def test_a_missing_document_column_is_one_error(tmp_path: Path) -> None:
    headers = [label for label in LABELS if label != "Objectifs"]
    path = write_workbook(tmp_path / "c.xlsx", [valid_row(), valid_row(numero_auditeur="2")],
                          headers=headers)
    result = gen_check(str(path), "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["row"], f["column"], f["severity"]) for f in findings] == [
        ("FILE-MISSING-COLUMN", None, "Objectifs", "error")]


def test_a_renamed_required_column_says_which_documents_cannot_be_produced(
        tmp_path: Path) -> None:
    """« Date de début » retitled « Début du stage »: `check` names the documents that
    cannot be produced and the closest header, and counts no row ready for them, as
    `gen definitions` refuses to start."""
    headers = ["Début du stage" if label == "Date de début" else label for label in LABELS]
    rows = [{("Début du stage" if key == "date_debut" else key): value
             for key, value in valid_row(numero_auditeur=str(n)).items()} for n in (1, 2)]
    path = write_workbook(tmp_path / "c.xlsx", rows, headers=headers)
    result = gen_check(str(path))
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())
    assert "La colonne « Date de début » est absente" in text
    assert "aucun de ces documents ne peut être produit, pour personne : définition" in text
    assert "L'en-tête le plus proche trouvé est « Début du stage »" in text
    assert "Prêts pour : définition 0, accord pédagogique 0, convention 0" in text
    refused = CliRunner().invoke(cli, ["definitions", str(path), "-o", str(tmp_path / "o")])
    assert refused.exit_code == 2


def test_a_file_level_problem_exits_2_with_one_line_on_stderr(tmp_path: Path) -> None:
    result = gen_check(str(tmp_path / "absent.xlsx"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Erreur : ") and "absent.xlsx" in result.stderr
    assert "Traceback" not in result.output


def test_a_file_level_problem_in_json(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("ceci n'est pas un classeur", encoding="utf-8")
    result = gen_check(str(path), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["rows"] == 0 and data["today"] == TODAY
    [finding] = data["findings"]
    assert finding["row"] is None and finding["code"].startswith("FILE-")
    assert data["summary"] == {"error": 1, "warning": 0, "info": 0}


def test_a_formula_never_computed_is_one_finding(tmp_path: Path) -> None:
    # openpyxl writes the formula without a cached value, as a program would
    path = write_workbook(tmp_path / "c.xlsx", [valid_row(heures_total="=35*16")])
    result = gen_check(str(path), "--format", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["column"]) == ("CELL-REQUIRED", "Heures totales")
    assert "Excel ou LibreOffice" in finding["message"]


def test_a_bad_today_is_a_usage_error(clean: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(clean), "--today", "11/28/2026"])
    assert result.exit_code == 2
    assert "AAAA-MM-JJ ou JJ/MM/AAAA" in result.stderr


def test_report_writes_an_annotated_copy_and_keeps_the_original(defects: Path,
                                                                 tmp_path: Path) -> None:
    before = defects.read_bytes()
    annotated = tmp_path / "controles.xlsx"
    result = gen_check(str(defects), "--report", str(annotated))
    assert result.exit_code == 1
    assert "controles.xlsx" in result.stdout
    assert defects.read_bytes() == before
    workbook = load_workbook(annotated)
    assert "Contrôles" in workbook.sheetnames
    comment = workbook["Cohorte"]["AC3"].comment  # Heures totales of row 3
    assert comment is not None and "500 heures" in comment.text


def test_report_next_to_json_keeps_stdout_pure_json(defects: Path, tmp_path: Path) -> None:
    result = gen_check(str(defects), "--format", "json", "--report",
                       str(tmp_path / "controles.xlsx"))
    assert result.exit_code == 1
    json.loads(result.stdout)
    assert "controles.xlsx" in result.stderr


def test_golden_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_workbook(Path("cohorte.xlsx"), defects_rows())
    result = gen_check("cohorte.xlsx", "--format", "json")
    assert result.exit_code == 1
    actual = json.loads(result.stdout)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    assert actual == json.loads(GOLDEN.read_text(encoding="utf-8"))
