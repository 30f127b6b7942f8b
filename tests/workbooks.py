"""Test helper: real cohort workbooks written with openpyxl, and a complete valid row.

    write_workbook(tmp_path / "cohorte.xlsx", [valid_row(), valid_row(numero_auditeur="2")])

Rows map a column key (``numero_auditeur``) or a header label (``N° auditeur``) to a cell value;
``datetime.date`` values are written as real Excel dates.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from generator.cohort import values
from generator.cohort.columns import BY_KEY, COLUMNS
from generator.cohort.headers import HEADER_KEYS

LABELS: list[str] = [c.label for c in COLUMNS]
_KEY_BY_LABEL = {c.label: c.key for c in COLUMNS}


def valid_row(**overrides: object) -> dict[str, object]:
    """A complete, valid row (by key) of an evening-class student whose convention is done
    and whose full-time internship (560 h at 35 h a week) runs 14/09/2026 → 15/01/2027.

    The end date reaches 560 h (earliest end 06/01/2027, holidays excluded) and stays within
    14 days of start + 4 months, so no STAGE-* rule fires. Overrides are keys of COLUMNS.
    """
    row: dict[str, object] = {
        "numero_auditeur": "100001",
        "civilite": "Mme",
        "nom": "Martin",
        "prenom": "Claire",
        "email": "claire.martin@example.org",
        "telephone": "06 12 34 56 78",
        "adresse": "12 rue des Lilas\n75020 Paris",
        "modalite": "cours du soir",
        "experience_mois": 0,
        "experience_attestee": "non",
        "memoire_sur_stage": "oui",
        "structure_nom": "Association Tremplin",
        "structure_type": "association",
        "structure_adresse": "5 avenue de la République",
        "structure_code_postal": "93100",
        "structure_ville": "Montreuil",
        "structure_siret": "73282932000074",
        "structure_representant": "Jean Dupont",
        "structure_representant_fonction": "Directeur",
        "action_collective": "Atelier collectif de recherche d'emploi",
        "tuteur_civilite": "M.",
        "tuteur_nom": "Bernard",
        "tuteur_prenom": "Luc",
        "tuteur_fonction": "Conseiller en insertion professionnelle",
        "tuteur_email": "luc.bernard@example.org",
        "tuteur_telephone": "01 23 45 67 89",
        "date_debut": dt.date(2026, 9, 14),
        "date_fin": dt.date(2027, 1, 15),
        "heures_total": 560,
        "heures_hebdo": 35,
        "jours_presence": None,
        "gratification_horaire": 4.5,
        "objectifs": "Conduire un diagnostic de territoire\nAnimer un atelier collectif",
        "activites": "Entretiens individuels\nAnimation d'ateliers",
        "date_definition": dt.date(2026, 5, 4),
        "date_accord": dt.date(2026, 5, 18),
        "date_convention": dt.date(2026, 6, 15),
        "exemplaires_convention": 3,
        "attestation_assurance": "oui",
        "carte_auditeur": "oui",
        "date_evaluation": None,
        "stage_valide": None,
        "enseignant_referent": "Mme Isabelle Fontaine",
        "enseignant_referent_email": None,
        "heures_effectuees": None,
        "gratification_totale": None,
        "structure_telephone": "01 48 00 00 00",
        "date_naissance": None,
        "cpam": "CPAM de Seine-Saint-Denis",
        "conges_jours": None,
        "observations": None,
    }
    unknown = set(overrides) - set(row)
    if unknown:
        raise KeyError(f"unknown column keys: {sorted(unknown)}")
    row.update(overrides)
    return row


def as_excel_shows(value: object) -> str:
    """A cell as a French Excel writes it into a CSV: dd/mm/yyyy, a decimal comma."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def _key(name: str) -> str:
    """The column key a key, a label or any spelling of a header names (else the name)."""
    if name in BY_KEY:
        return name
    return _KEY_BY_LABEL.get(name) or HEADER_KEYS.get(values.header(name)) or name


def write_workbook(
    path: Path,
    rows: list[dict[str, object]],
    params: dict[str, object] | None = None,
    headers: list[str] | None = None,
    title_rows: int = 0,
    sheet: str = "Cohorte",
) -> Path:
    """Write a real .xlsx (or .xlsm, by the suffix) holding `rows` under `headers`.

    `headers` defaults to cohort.md's labels, in order; a header spelt differently
    ("NOM *", "Numéro d'auditeur") still takes its value from the row's key or label. Each row
    maps a key, a label or a header of `headers` to a value; a row name that is none of these
    raises KeyError (a typo in a test). A key whose column is not in `headers` is left out.
    `title_rows` puts that many title lines above the header row. `params` writes a
    `Paramètres` sheet (Paramètre | Valeur).
    """
    path = Path(path)
    header_list = list(headers) if headers is not None else list(LABELS)
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    for index in range(title_rows):
        worksheet.append([f"Cohorte LP110 — titre {index + 1}"])
    worksheet.append(header_list)
    for row in rows:
        unknown = [n for n in row if n not in header_list and _key(n) not in BY_KEY]
        if unknown:
            raise KeyError(f"neither a column key, a label nor a header: {unknown}")
        by_key = {_key(name): value for name, value in row.items()}
        worksheet.append([row[h] if h in row else by_key.get(_key(h)) for h in header_list])
    for column_cells in worksheet.iter_cols(min_row=title_rows + 2):
        for cell in column_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    if params is not None:
        params_sheet = workbook.create_sheet("Paramètres")
        params_sheet.append(["Paramètre", "Valeur"])
        for label, value in params.items():
            params_sheet.append([label, value])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_french_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    """Write `rows` (by key) as French Excel saves a CSV: cp1252, « ; », dates dd/mm/yyyy,
    decimal commas, cohort.md's labels as headers."""
    with Path(path).open("w", encoding="cp1252", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(LABELS)
        for row in rows:
            by_key = {_key(name): value for name, value in row.items()}
            cells = [by_key.get(column.key) for column in COLUMNS]
            writer.writerow([_csv_cell(value) for value in cells])
    return Path(path)


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)
