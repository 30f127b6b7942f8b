"""The starter workbook of `gen init`: the `Cohorte` sheet with cohort.md's headers, ready to
fill in (drop-down lists, formats that keep leading zeros, dates as dd/mm/yyyy), the
`Paramètres` sheet with every default, and a `Mode d'emploi` sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator.cohort.columns import COLUMNS, Column
from generator.errors import GenError
from generator.workbook import guide
from generator.workbook.files import save_atomically
from generator.workbook.styles import TOP_WRAP, solid, style_header_row

COHORT_SHEET = "Cohorte"
HEADER_ROW = 1
LAST_ROW = 1000  # drop-down lists and formats cover rows 2 to LAST_ROW
FREEZE_AT = "E2"  # the header row and N° auditeur … Prénom stay visible while scrolling

# Groups of columns, each with its header colour; a group starts at its key and runs to the
# next group's key (the legend is in the Mode d'emploi sheet).
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("numero_auditeur", "Auditeur", "D9E1F2"),
    ("structure_nom", "Structure d'accueil et tuteur", "E2EFDA"),
    ("date_debut", "Stage : dates, heures, contenu", "FFF2CC"),
    ("date_definition", "Suivi administratif", "FCE4D6"),
    ("observations", "Notes libres", "EDEDED"),
)

# Cells that Excel must keep as typed text: leading zeros of postcodes, phones, numbers.
TEXT_KEYS = frozenset({"numero_auditeur", "telephone", "tuteur_telephone", "structure_telephone",
                       "structure_code_postal", "structure_siret"})
LONG_TEXT_KEYS = frozenset({"adresse", "structure_adresse", "action_collective", "objectifs",
                            "activites", "observations"})
WIDTHS = {"numero_auditeur": 13, "civilite": 9, "nom": 18, "prenom": 16, "email": 30,
          "telephone": 16, "adresse": 32, "modalite": 15, "structure_nom": 30,
          "structure_type": 18, "structure_adresse": 30, "structure_code_postal": 11,
          "structure_siret": 17, "action_collective": 40, "tuteur_civilite": 9,
          "tuteur_email": 30, "tuteur_telephone": 16, "jours_presence": 22, "objectifs": 50,
          "activites": 50, "observations": 45}
WIDTH_BY_TYPE = {"date": 13, "bool": 12, "int": 12, "number": 12, "civilite": 9}
NUMBER_FORMATS = {"date": "DD/MM/YYYY", "int": "0", "number": "General"}
SPECIAL_FORMATS = {"gratification_horaire": '#,##0.00 "€"'}

CHOICES = {
    "civilite": ("M.", "Mme"),
    "modalite": ("cours du soir", "cours du jour"),
    "bool": ("oui", "non"),
}


def write_starter(path: Path) -> None:
    """Write a new, empty cohort workbook at `path` (an .xlsx), ready to fill in.

    Refuses to replace an existing file (GenError, French message). The file is written
    to a temporary name and renamed into place, so that no half-written file is left behind.
    Missing parent folders are created.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise GenError(f"« {path.name} » : gen init écrit un classeur Excel, donnez un nom "
                       "qui se termine par .xlsx (par exemple cohorte-2026.xlsx).")
    path.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(starter_workbook(), path, overwrite=False)  # refuses an existing file


def starter_workbook() -> Workbook:
    """The starter workbook in memory (`gen init` saves it; the sample cohort fills it)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = COHORT_SHEET
    _cohort_sheet(sheet)
    guide.add_parameters_sheet(workbook)
    guide.add_guide_sheet(workbook, [(label, color) for _key, label, color in GROUPS])
    return workbook


def column_letter(key: str) -> str:
    """The letter of a column of the `Cohorte` sheet, by key."""
    return get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key))


def _group_colors() -> list[str]:
    starts = {key: color for key, _label, color in GROUPS}
    colors, current = [], GROUPS[0][2]
    for column in COLUMNS:
        current = starts.get(column.key, current)
        colors.append(current)
    return colors


def _width(column: Column) -> float:
    return WIDTHS.get(column.key) or WIDTH_BY_TYPE.get(column.type) or 20


def _cohort_sheet(sheet: Worksheet) -> None:
    style_header_row(sheet, [c.label for c in COLUMNS], [_width(c) for c in COLUMNS],
                     row=HEADER_ROW)
    sheet.row_dimensions[HEADER_ROW].height = 48
    for index, (column, color) in enumerate(zip(COLUMNS, _group_colors(), strict=True), 1):
        header = sheet.cell(row=HEADER_ROW, column=index)
        header.fill = solid(color)
        if column.help:
            header.comment = Comment(column.help, "gen", width=260, height=70)
        _format_column(sheet, column, get_column_letter(index))
    sheet.freeze_panes = FREEZE_AT
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    _add_validations(sheet)


def _format_column(sheet: Worksheet, column: Column, letter: str) -> None:
    """Column-wide styles: every cell typed later in the column inherits them, in Excel
    and LibreOffice, without writing 1000 empty cells."""
    dimension = sheet.column_dimensions[letter]
    if column.key in TEXT_KEYS:
        dimension.number_format = "@"
    elif column.key in SPECIAL_FORMATS:
        dimension.number_format = SPECIAL_FORMATS[column.key]
    elif column.type in NUMBER_FORMATS:
        dimension.number_format = NUMBER_FORMATS[column.type]
    if column.key in LONG_TEXT_KEYS:
        dimension.alignment = TOP_WRAP


def _ranges(kind: str) -> list[str]:
    letters = [column_letter(c.key) for c in COLUMNS if c.type == kind]
    return [f"{letter}{HEADER_ROW + 1}:{letter}{LAST_ROW}" for letter in letters]


def _add_validations(sheet: Worksheet) -> None:
    """Drop-down lists and type checks. They only warn (the user may confirm another value):
    the reader accepts more spellings than a list can show (Madame, x, 1er mars 2027…)."""
    for kind, choices in CHOICES.items():
        shown = " ou ".join(choices)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
            errorStyle="warning", showErrorMessage=True, errorTitle="Valeur inattendue",
            error=f"Valeur attendue : {shown}. Garder quand même cette valeur ?")
        _attach(sheet, validation, kind)
    checks = (
        ("date", DataValidation(type="date", operator="between", formula1="36526",
                                formula2="73051")),  # 01/01/2000 … 01/01/2100
        ("number", DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")),
        ("int", DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")),
    )
    expected = {"date": "une date (jj/mm/aaaa)", "number": "un nombre positif ou nul",
                "int": "un nombre entier positif ou nul"}
    for kind, validation in checks:
        validation.allow_blank = True
        validation.errorStyle = "warning"
        validation.showErrorMessage = True
        validation.errorTitle = "Valeur inattendue"
        validation.error = f"Valeur attendue : {expected[kind]}. Garder quand même cette valeur ?"
        _attach(sheet, validation, kind)


def _attach(sheet: Worksheet, validation: DataValidation, kind: str) -> None:
    for cell_range in _ranges(kind):
        validation.add(cell_range)
    sheet.add_data_validation(validation)
