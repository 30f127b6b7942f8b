"""The annotated copy (`gen check --report`) keeps what the team built into its workbook: data
validations (a list typed in, a list from another sheet, a number range), conditional formats
(a comparison, a formula, a colour scale, a data bar), Excel tables (ListObjects) and defined
names, workbook- and sheet-scoped. The x14 drop-down lists are in test_cases.py."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, DataBarRule, FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from workbooks import valid_row, write_workbook

from generator.cli import cli


def _built_by_the_team(path: Path) -> Path:
    write_workbook(path, [valid_row(),
                          valid_row(numero_auditeur="100002", tuteur_email="pas-une-adresse")])
    book = load_workbook(path)
    sheet = book["Cohorte"]
    lists = book.create_sheet("Listes")
    for number, value in enumerate(["Types", "association", "entreprise", "collectivité"], 1):
        lists.cell(number, 1, value)
    for validation, cells in (
            (DataValidation(type="list", formula1='"Mme,M."', allow_blank=True), "B2:B50"),
            (DataValidation(type="list", formula1="Listes!$A$2:$A$4", showErrorMessage=True,
                            error="Choisissez un type dans la liste"), "Q2:Q50"),
            (DataValidation(type="whole", operator="between", formula1="0",
                            formula2="2000"), "AC2:AC50")):
        validation.add(cells)
        sheet.add_data_validation(validation)
    red = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
    sheet.conditional_formatting.add("AC2:AC50", CellIsRule(operator="lessThan",
                                                            formula=["560"], fill=red))
    sheet.conditional_formatting.add("A2:A50", FormulaRule(formula=["LEN(A2)<>6"], fill=red))
    sheet.conditional_formatting.add("AD2:AD50", ColorScaleRule(
        start_type="min", start_color="FFFFFF", end_type="max", end_color="63BE7B"))
    sheet.conditional_formatting.add("AE2:AE50", DataBarRule(start_type="min", end_type="max",
                                                             color="638EC6"))
    students = Table(displayName="Auditeurs",
                     ref=f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}")
    students.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(students)
    lists.add_table(Table(displayName="TypesStructure", ref="A1:A4"))
    book.defined_names["Types"] = DefinedName("Types", attr_text="Listes!$A$2:$A$4")
    sheet.defined_names["Premiere"] = DefinedName("Premiere", attr_text="Cohorte!$A$2")
    book.save(path)
    return path


def _built(book: Workbook) -> dict[str, list[object]]:
    """Everything the team built, as comparable values."""
    sheets = [book[name] for name in ("Cohorte", "Listes")]
    return {
        "validations": [(v.type, v.operator, v.formula1, v.formula2, v.allow_blank,
                         v.showErrorMessage, v.error, str(v.sqref))
                        for v in sheets[0].data_validations.dataValidation],
        "formats": [(str(cells.sqref), rule.type, rule.operator, rule.formula,
                     rule.dxf.fill.fgColor.rgb if rule.dxf and rule.dxf.fill else None,
                     rule.colorScale is not None, rule.dataBar is not None)
                    for cells in sheets[0].conditional_formatting for rule in cells.rules],
        "tables": [(sheet.title, table.displayName, table.ref,
                    [column.name for column in table.tableColumns],
                    table.tableStyleInfo.name if table.tableStyleInfo else None)
                   for sheet in sheets for table in sheet.tables.values()],
        "names": [{name: d.attr_text for name, d in book.defined_names.items()},
                  {name: d.attr_text for name, d in sheets[0].defined_names.items()}],
    }


def test_the_annotated_copy_keeps_validations_formats_tables_and_names(
        tmp_path: Path) -> None:
    original = _built_by_the_team(tmp_path / "cohorte.xlsx")
    before = original.read_bytes()
    copy = tmp_path / "cohorte-annotee.xlsx"
    result = CliRunner().invoke(cli, ["check", str(original), "--today", "2026-05-20",
                                      "--report", str(copy)])
    assert result.exit_code == 1, result.output  # the bad tutor's e-mail address
    assert "n'a pas pu garder" not in result.output
    assert original.read_bytes() == before
    expected = _built(load_workbook(original))
    assert [len(expected[kind]) for kind in ("validations", "formats", "tables")] == [3, 4, 2]
    assert expected["names"] == [{"Types": "Listes!$A$2:$A$4"}, {"Premiere": "Cohorte!$A$2"}]
    annotated = load_workbook(copy)
    assert _built(annotated) == expected
    assert annotated.sheetnames == ["Cohorte", "Listes", "Contrôles"]
    assert any(cell.comment for row in annotated["Cohorte"].iter_rows(min_row=3, max_row=3)
               for cell in row)  # and it is annotated: the bad address has its comment
