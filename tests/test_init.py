"""`gen init`: a new cohort workbook, ready to fill in, that `gen check` accepts as it is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from generator.cli import cli
from generator.cohort.columns import COLUMNS
from generator.cohort.params import PARAMETERS, Params, default_value, parse_params
from generator.errors import GenError
from generator.process import DOCUMENT_KINDS, INTERNSHIP_STEPS, STEP_LABELS
from generator.workbook.starter import column_letter, write_starter


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    path = tmp_path / "cohorte.xlsx"
    result = CliRunner().invoke(cli, ["init", str(path)])
    assert result.exit_code == 0, result.output
    assert "cohorte.xlsx" in result.stdout and "gen check" in result.stdout
    return path


def _sheet(path: Path, name: str) -> Worksheet:
    return load_workbook(path)[name]


def _validated(sheet: Worksheet, cell: str) -> list[str]:
    """The list formulas of the data validations covering `cell`."""
    return [str(v.formula1) for v in sheet.data_validations.dataValidation if cell in v.sqref]


def test_headers_are_cohort_md_labels_in_order(starter: Path) -> None:
    sheet = _sheet(starter, "Cohorte")
    headers = [cell.value for cell in sheet[1]]
    assert headers == [c.label for c in COLUMNS]
    first = sheet["A1"]
    assert first.font.bold and first.alignment.wrap_text and first.fill.fill_type == "solid"
    assert sheet.max_row == 1, "the starter holds no student"


def test_header_row_is_frozen_and_columns_have_widths(starter: Path) -> None:
    sheet = _sheet(starter, "Cohorte")
    assert sheet.freeze_panes is not None
    assert sheet.freeze_panes.endswith("2")  # rows above 2 (the headers) stay visible
    for column in COLUMNS:
        width = sheet.column_dimensions[column_letter(column.key)].width
        assert width and width >= 9, column.label


def test_choice_columns_have_drop_down_lists(starter: Path) -> None:
    sheet = _sheet(starter, "Cohorte")
    for key in ("civilite", "tuteur_civilite"):
        assert '"M.,Mme"' in _validated(sheet, f"{column_letter(key)}2")
        assert '"M.,Mme"' in _validated(sheet, f"{column_letter(key)}1000")
    assert '"cours du soir,cours du jour"' in _validated(sheet, f"{column_letter('modalite')}5")
    for column in COLUMNS:
        if column.type == "bool":
            assert '"oui,non"' in _validated(sheet, f"{column_letter(column.key)}2"), column.key
    assert _validated(sheet, "A1") == [], "the header row is not validated"


def test_formats_keep_leading_zeros_and_show_french_dates(starter: Path) -> None:
    sheet = _sheet(starter, "Cohorte")

    def number_format(key: str) -> str:
        return sheet.column_dimensions[column_letter(key)].number_format

    for key in ("numero_auditeur", "telephone", "tuteur_telephone", "structure_code_postal",
                "structure_siret"):
        assert number_format(key) == "@", key
    for column in COLUMNS:
        if column.type == "date":
            assert number_format(column.key) == "DD/MM/YYYY", column.key
        if column.type == "int":
            assert number_format(column.key) == "0", column.key
    assert "€" in number_format("gratification_horaire")


def test_parameters_sheet_holds_every_default(starter: Path) -> None:
    sheet = _sheet(starter, "Paramètres")
    assert [c.value for c in sheet[1]][:2] == ["Paramètre", "Valeur"]
    rows = {row[0].value: (row[0].row, row[1].value, row[2].value)
            for row in sheet.iter_rows(min_row=2)}
    assert list(rows) == list(PARAMETERS)
    for label, (_row, value, explanation) in rows.items():
        if isinstance(value, float):  # a number is shown with a French comma
            value = f"{value:g}".replace(".", ",")
        expected = default_value(label)
        assert str(value if value is not None else "") == str(expected or ""), label
        assert explanation, f"no explanation for {label}"
    params, findings = parse_params({label: (row, value) for label, (row, value, _) in
                                     rows.items()})
    assert findings == []
    assert params == Params()


def test_guide_explains_each_column_and_the_steps(starter: Path) -> None:
    sheet = _sheet(starter, "Mode d'emploi")
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    by_label = {row[0]: row for row in rows if row[0]}
    for column in COLUMNS:
        assert column.label in by_label, column.label
        assert by_label[column.label][3] == column.help
    assert by_label["N° auditeur"][2] == "toutes les lignes"
    assert by_label["SIRET structure"][2] == "convention"
    assert by_label["Observations"][2] == "facultatif"
    text = "\n".join(str(cell) for row in rows for cell in row if cell)
    for step in ("Définition remise le", "Accord pédagogique le", "Convention établie le",
                 "12 jours", "560 heures", "Évaluation reçue"):
        assert step in text, step


def test_the_guide_s_steps_are_generated_from_the_declared_process(starter: Path) -> None:
    """« Les étapes du stage » lists every step of the process in order, and names every
    document kind's command once (issue 8: the sheet reads the declaration)."""
    sheet = _sheet(starter, "Mode d'emploi")
    cells = [str(row[0].value) for row in sheet.iter_rows() if row[0].value]
    section = cells[cells.index("Les étapes du stage") + 1:cells.index("Les commandes")]
    numbered = [line for line in section if line[0].isdigit()]
    assert [line.split(". ", 1)[1].lower().startswith(STEP_LABELS[key])
            for line, key in zip(numbered, INTERNSHIP_STEPS, strict=True)] == [True] * len(
        INTERNSHIP_STEPS)
    text = "\n".join(section)
    for kind in DOCUMENT_KINDS:
        assert text.count(f"gen {kind.command} écrit {kind.label}") == 1, kind.key


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "cohorte.xlsx"
    path.write_bytes(b"the team's precious workbook")
    result = CliRunner().invoke(cli, ["init", str(path)])
    assert result.exit_code == 2
    assert "existe déjà" in result.stderr
    assert result.stdout == ""
    assert path.read_bytes() == b"the team's precious workbook"


def test_refuses_a_name_that_is_not_xlsx(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "cohorte.ods")])
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_leaves_no_temporary_file_and_creates_folders(tmp_path: Path) -> None:
    path = tmp_path / "2026" / "cohorte.xlsx"
    write_starter(path)
    assert [p.name for p in path.parent.iterdir()] == ["cohorte.xlsx"]
    with pytest.raises(GenError, match="existe déjà"):
        write_starter(path)


def test_fresh_starter_checks_clean(starter: Path) -> None:
    from generator.cohort.reader import read_cohort
    from generator.rules.report import check

    cohort = read_cohort(starter)
    assert cohort.rows == []
    assert cohort.params == Params()
    assert cohort.sheet == "Cohorte" and cohort.header_row == 1
    report = check(cohort, dt.date(2026, 11, 28))
    assert report.findings == []
    result = CliRunner().invoke(cli, ["check", str(starter), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rows"] == 0 and data["summary"]["error"] == 0


def test_check_of_a_fresh_starter_says_it_has_no_student_yet(starter: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(starter)])
    assert result.exit_code == 0, result.output
    assert "Aucun problème" not in result.stdout and "sur 0 ligne" not in result.stdout
    assert (f"La feuille « Cohorte » n'a encore aucun auditeur : remplissez-y une ligne par "
            f"auditeur, sous les en-têtes (à partir de la ligne 2), puis relancez "
            f"« gen check {starter} ».") in " ".join(result.stdout.split())


def test_rows_left_out_of_an_empty_sheet_are_shown_with_the_summary(starter: Path) -> None:
    workbook = load_workbook(starter)
    workbook["Cohorte"]["F2"] = "non"  # a template default, no student named
    workbook.save(starter)
    result = CliRunner().invoke(cli, ["check", str(starter)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("FILE-NOT-STUDENTS" in line or "Ligne 2" in line for line in lines), lines
    assert "n'a encore aucun auditeur" in lines[-2] and lines[-1].startswith("Bilan : 0 erreur")
