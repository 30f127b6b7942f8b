"""The cohort reader on real files: formats, sheets, header row, row numbers, cell values."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from workbooks import LABELS, as_excel_shows, valid_row, write_workbook

from generator.cohort.columns import COLUMNS, IDENTITY_KEYS
from generator.cohort.reader import read_cohort
from generator.errors import InputError
from generator.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"


def _expected(row: dict[str, object], key: str) -> object:
    """What the reader gives for valid_row()'s value of `key`."""
    value = row[key]
    if key in {"experience_attestee", "memoire_sur_stage", "attestation_assurance",
               "carte_auditeur"}:
        return value == "oui"
    if key in {"heures_total", "heures_hebdo", "gratification_horaire"}:
        return float(value)  # type: ignore[arg-type]
    return value


def test_a_valid_row_reads_back_typed(tmp_path: Path) -> None:
    row = valid_row()
    cohort = read_cohort(write_workbook(tmp_path / "c.xlsx", [row]))
    assert (cohort.sheet, cohort.header_row, len(cohort.rows)) == ("Cohorte", 1, 1)
    read = cohort.rows[0]
    assert read.row_number == 2
    for column in COLUMNS:
        assert getattr(read, column.key) == _expected(row, column.key), column.key
    assert read.invalid == set() and read.uncached == set() and read.extra == {}
    assert read.raw["date_debut"] == "14/09/2026"
    assert read.raw["heures_total"] == "560"
    assert "observations" not in read.raw  # empty cells have no text
    assert cohort.headers == {c.key: c.label for c in COLUMNS}
    assert cohort.positions["numero_auditeur"] == 1
    assert cohort.positions["observations"] == len(COLUMNS)
    assert cohort.findings == []
    assert cohort.params.code_formation == "LP110"


def test_headers_and_no_student_is_an_empty_cohort(tmp_path: Path) -> None:
    cohort = read_cohort(write_workbook(tmp_path / "vide.xlsx", []))
    assert cohort.rows == [] and len(cohort.headers) == len(COLUMNS)


def test_title_rows_above_the_header(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row(), valid_row(numero_auditeur="2")],
                          title_rows=3)
    cohort = read_cohort(path)
    assert cohort.header_row == 4
    assert [r.row_number for r in cohort.rows] == [5, 6]


def test_leading_empty_rows_and_columns_keep_excel_row_numbers(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row(), valid_row(numero_auditeur="2")])
    book = load_workbook(path)
    book["Cohorte"].insert_rows(1, 4)
    book["Cohorte"].insert_cols(1, 3)
    book.save(path)
    cohort = read_cohort(path)
    assert cohort.header_row == 5
    assert [(r.row_number, r.numero_auditeur) for r in cohort.rows] == [(6, "100001"), (7, "2")]
    assert cohort.positions["numero_auditeur"] == 4


def test_empty_and_blank_rows_are_skipped_and_numbers_stay_exact(tmp_path: Path) -> None:
    blank = {"N° auditeur": "  ", "Nom": "\u00a0", "Observations": "\n"}
    path = write_workbook(tmp_path / "c.xlsx",
                          [valid_row(), {}, blank, valid_row(numero_auditeur="2")])
    cohort = read_cohort(path)
    assert [(r.row_number, r.numero_auditeur) for r in cohort.rows] == [(2, "100001"), (5, "2")]


def test_a_row_with_a_single_value_is_kept(tmp_path: Path) -> None:
    cohort = read_cohort(write_workbook(tmp_path / "c.xlsx", [{"Nom": "Seul"}]))
    assert [(r.row_number, r.nom, r.numero_auditeur) for r in cohort.rows] == [(2, "Seul", None)]


def test_header_spellings_match(tmp_path: Path) -> None:
    headers = list(LABELS)
    variants = {
        "N° auditeur": "NUMÉRO D’AUDITEUR *", "Prénom": "prenom", "Civilité": " CIVILITE ",
        "Structure d'accueil": "Structure\nd’accueil", "Date de début": "Date de\r\ndébut*",
        "Expérience insertion (mois)": "Experience  insertion\n(mois)",
        "Carte d'auditeur": "Carte d‘auditeur :", "Nom": "Nom *",
    }
    headers = [variants.get(h, h) for h in headers]
    rows = [dict(zip(headers, (valid_row()[c.key] for c in COLUMNS), strict=True))]
    cohort = read_cohort(write_workbook(tmp_path / "c.xlsx", rows, headers=headers))
    read = cohort.rows[0]
    assert (read.numero_auditeur, read.prenom, read.civilite) == ("100001", "Claire", "Mme")
    assert read.structure_nom == "Association Tremplin"
    assert read.date_debut == dt.date(2026, 9, 14) and read.carte_auditeur is True
    assert cohort.headers["structure_nom"] == "Structure d’accueil"  # one line, as written
    assert cohort.headers["numero_auditeur"] == "NUMÉRO D’AUDITEUR *"
    assert cohort.findings == []


def test_numero_typed_as_a_number(tmp_path: Path) -> None:
    cohort = read_cohort(write_workbook(tmp_path / "c.xlsx",
                                        [valid_row(numero_auditeur=12345.0)]))
    assert cohort.rows[0].numero_auditeur == "12345"


def test_bad_cells_are_invalid_with_their_text(tmp_path: Path) -> None:
    row = valid_row(date_debut="bientôt", heures_total="beaucoup", structure_siret="123",
                    civilite="Dr", structure_code_postal=1000, telephone=612345678,
                    heures_hebdo="17,5", gratification_horaire="4,35 €")
    read = read_cohort(write_workbook(tmp_path / "c.xlsx", [row])).rows[0]
    assert read.invalid == {"date_debut", "heures_total", "structure_siret", "civilite"}
    assert (read.date_debut, read.heures_total, read.structure_siret) == (None, None, None)
    assert read.raw["date_debut"] == "bientôt" and read.raw["structure_siret"] == "123"
    assert read.structure_code_postal == "01000" and read.telephone == "06 12 34 56 78"
    assert (read.heures_hebdo, read.gratification_horaire) == (17.5, 4.35)


def test_unknown_columns_are_kept_and_reported_once(tmp_path: Path) -> None:
    headers = [*LABELS, "Référent Cnam", "Notes"]
    rows = [{**valid_row(), "Référent Cnam": "M. Roux", "Notes": 12.0},
            {**valid_row(numero_auditeur="2"), "Référent Cnam": None}]
    cohort = read_cohort(write_workbook(tmp_path / "c.xlsx", rows, headers=headers))
    assert cohort.rows[0].extra == {"Référent Cnam": "M. Roux", "Notes": "12"}
    assert cohort.rows[1].extra == {}
    found = [(f.code, f.severity, f.column, f.row) for f in cohort.findings]
    assert found == [("FILE-UNKNOWN-COLUMN", Severity.INFO, "Référent Cnam", None),
                     ("FILE-UNKNOWN-COLUMN", Severity.INFO, "Notes", None)]
    assert f"colonne {get_column_letter(len(COLUMNS) + 1)}" in cohort.findings[0].message


def test_absent_optional_columns_are_absent_from_headers(tmp_path: Path) -> None:
    headers = [c.label for c in COLUMNS if c.key in IDENTITY_KEYS]
    cohort = read_cohort(write_workbook(tmp_path / "c.xlsx", [valid_row()], headers=headers))
    assert set(cohort.headers) == set(IDENTITY_KEYS)
    assert cohort.rows[0].structure_nom is None and cohort.rows[0].nom == "Martin"


def test_formula_without_cached_value_is_uncached(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row(heures_total=None),
                                                valid_row(numero_auditeur="2")])
    book = load_workbook(path)
    book["Cohorte"]["AC2"] = "=16*35"  # Heures totales; openpyxl stores no value
    book["Cohorte"][f"{get_column_letter(len(COLUMNS))}3"] = "=A3&\"!\""  # Observations
    book.save(path)
    first, second = read_cohort(path).rows
    assert first.uncached == {"heures_total"} and first.heures_total is None
    assert "heures_total" not in first.invalid
    assert second.uncached == {"observations"} and second.heures_total == 560


def test_a_row_of_uncached_formulas_is_not_skipped(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row()])
    book = load_workbook(path)
    book["Cohorte"]["A3"] = "=A2+1"
    book.save(path)
    rows = read_cohort(path).rows
    assert [(r.row_number, r.uncached) for r in rows] == [(2, set()),
                                                         (3, {"numero_auditeur"})]


def test_error_cells_are_not_empty(tmp_path: Path) -> None:
    row = valid_row(heures_total="#DIV/0!", date_debut="#N/A", observations="#REF!")
    read = read_cohort(write_workbook(tmp_path / "c.xlsx", [row])).rows[0]
    assert read.invalid == {"heures_total", "date_debut"}
    assert (read.raw["heures_total"], read.raw["date_debut"]) == ("#DIV/0!", "#N/A")
    assert read.observations == "#REF!"


def test_formulas_computed_by_libreoffice_are_values() -> None:
    row = read_cohort(FIXTURES / "formules-calculees.xlsx").rows[0]
    assert row.heures_total == 560 and row.uncached == set()


# --- parameters ---

def test_parametres_sheet_overrides_defaults(tmp_path: Path) -> None:
    params = {"Heures de stage requises": 600, "Gratification horaire minimale (€)": "4,50",
              "Courriel référent stage": None, "Date limite de recherche": "15/03"}
    cohort = read_cohort(write_workbook(tmp_path / "c.xlsx", [valid_row()], params=params))
    assert cohort.params.heures_requises == 600
    assert cohort.params.gratification_minimale == 4.5
    assert cohort.params.referent_email == "par_intervention_sociale@lecnam.net"
    assert cohort.params.date_limite_recherche == (15, 3)


def test_parametres_columns_found_by_their_headers(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row()])
    book = load_workbook(path)
    sheet = book.create_sheet("PARAMETRES")
    sheet["C3"], sheet["D3"] = "Paramètre", "Valeur"
    sheet["C4"], sheet["D4"] = "Code de la formation", "LP999"
    book.save(path)
    assert read_cohort(path).params.code_formation == "LP999"


def test_bad_parameter_is_an_input_error(tmp_path: Path) -> None:
    params = {"Délai minimal convention (jours)": "douze", "Gratification obligatoire": "peut-être"}
    path = write_workbook(tmp_path / "c.xlsx", [valid_row()], params=params)
    with pytest.raises(InputError) as caught:
        read_cohort(path)
    assert caught.value.code == "FILE-BAD-PARAMETER"
    message = str(caught.value)
    assert "ligne 2" in message and "douze" in message and "peut-être" in message
    assert "\n" not in message


# --- sheets ---

def test_sheet_name_matched_without_case_accents_or_spaces(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row()], sheet=" COHORTÉ ")
    book = load_workbook(path)
    book.create_sheet("Notes")["A1"] = "autre chose"
    book.move_sheet("Notes", offset=-1)
    book.save(path)
    assert read_cohort(path).sheet == " COHORTÉ "


def test_a_sheet_named_after_the_cohort_and_its_year(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row()], sheet="Cohorte 2026-2027")
    book = load_workbook(path)
    book.create_sheet("Promotion précédente")["A1"] = "N° auditeur"
    book.save(path)
    assert read_cohort(path).sheet == "Cohorte 2026-2027"


def test_the_only_sheet_with_rows_is_used(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row()], sheet="Feuil1",
                          params={"Code de la formation": "LP111"})
    book = load_workbook(path)
    book.create_sheet("Feuil2")
    book.save(path)
    cohort = read_cohort(path)
    assert (cohort.sheet, len(cohort.rows), cohort.params.code_formation) == ("Feuil1", 1,
                                                                              "LP111")


def test_no_cohorte_sheet_and_two_sheets_with_rows(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row()], sheet="2025")
    book = load_workbook(path)
    book.create_sheet("2026")["B2"] = "x"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_cohort(path)
    assert caught.value.code == "FILE-NO-SHEET"
    assert "« 2025 », « 2026 »" in str(caught.value) and "Cohorte" in str(caught.value)


def test_only_a_parametres_sheet(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [], params={"Code de la formation": "LP111"})
    book = load_workbook(path)
    del book["Cohorte"]
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_cohort(path)
    assert caught.value.code == "FILE-NO-SHEET" and "« Paramètres »" in str(caught.value)


# --- header row ---

def test_no_header_row_in_the_first_ten(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row()], title_rows=10)
    with pytest.raises(InputError) as caught:
        read_cohort(path)
    assert caught.value.code == "FILE-NO-HEADER"
    assert "N° auditeur" in str(caught.value)


def test_headers_without_numero_auditeur_are_no_header(tmp_path: Path) -> None:
    headers = [label for label in LABELS if label != "N° auditeur"]
    with pytest.raises(InputError) as caught:
        read_cohort(write_workbook(tmp_path / "c.xlsx", [valid_row()], headers=headers))
    assert caught.value.code == "FILE-NO-HEADER"


def test_duplicate_column(tmp_path: Path) -> None:
    headers = [*LABELS, "NOM"]
    with pytest.raises(InputError) as caught:
        read_cohort(write_workbook(tmp_path / "c.xlsx", [valid_row()], headers=headers))
    assert caught.value.code == "FILE-DUPLICATE-COLUMN"
    message = str(caught.value)
    assert "« Nom » (colonne C)" in message
    assert f"« NOM » (colonne {get_column_letter(len(COLUMNS) + 1)})" in message


def test_missing_identity_column_names_the_closest_header(tmp_path: Path) -> None:
    headers = ["Couriel" if label == "Courriel" else label for label in LABELS]
    with pytest.raises(InputError) as caught:
        read_cohort(write_workbook(tmp_path / "c.xlsx", [valid_row()], headers=headers))
    assert caught.value.code == "FILE-MISSING-COLUMN"
    assert caught.value.finding.column == "Courriel"
    assert "« Courriel »" in str(caught.value) and "« Couriel »" in str(caught.value)


def test_missing_identity_columns_are_all_named(tmp_path: Path) -> None:
    headers = [label for label in LABELS if label not in ("Civilité", "Modalité")]
    with pytest.raises(InputError) as caught:
        read_cohort(write_workbook(tmp_path / "c.xlsx", [valid_row()], headers=headers))
    assert "« Civilité »" in str(caught.value) and "« Modalité »" in str(caught.value)


# --- other formats ---

def test_xlsm(tmp_path: Path) -> None:
    cohort = read_cohort(write_workbook(tmp_path / "c.xlsm", [valid_row()]))
    assert cohort.rows[0].date_fin == dt.date(2027, 1, 15)


def test_ods_written_by_pandas(tmp_path: Path) -> None:
    path = tmp_path / "c.ods"
    frame = pd.DataFrame([valid_row()]).rename(columns={c.key: c.label for c in COLUMNS})
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Cohorte", index=False, startrow=2)
    cohort = read_cohort(path)
    assert cohort.header_row == 3
    row = cohort.rows[0]
    assert (row.row_number, row.numero_auditeur, row.date_debut, row.heures_total) == (
        4, "100001", dt.date(2026, 9, 14), 560)


def test_ods_written_by_libreoffice() -> None:
    cohort = read_cohort(FIXTURES / "cohorte-libreoffice.ods")
    assert cohort.header_row == 4
    assert [(r.row_number, r.numero_auditeur) for r in cohort.rows] == [(5, "100001"),
                                                                        (6, "100002")]
    second = cohort.rows[1]
    assert second.date_debut == dt.date(2026, 9, 14) and second.structure_code_postal == "01000"
    assert second.invalid == set()


def test_csv_as_a_french_excel_exports_it() -> None:
    cohort = read_cohort(FIXTURES / "cohorte-excel-fr.csv")
    assert cohort.sheet == "cohorte-excel-fr" and cohort.findings == []
    first, second = cohort.rows
    assert (first.row_number, second.row_number) == (2, 3)  # the address spans two lines
    assert first.adresse == "12 rue des Lilas\n75020 Paris"
    assert first.gratification_horaire == 4.35 and first.date_debut == dt.date(2026, 9, 14)
    assert second.prenom == "Éloïse" and second.structure_nom == "Foyer « L’Escale »; Lyon"
    assert second.structure_code_postal == "01000" and second.telephone == "06 12 34 56 78"
    assert (second.heures_hebdo, second.gratification_horaire) == (17.5, 4.5)
    assert all(not r.invalid for r in cohort.rows)


def _csv_text(delimiter: str, rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(LABELS)
    for row in rows:
        writer.writerow([as_excel_shows(row[c.key]) for c in COLUMNS])
    return buffer.getvalue()


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ";"), ("utf-8", ","), ("utf-8", "\t"),
])
def test_csv_encodings_and_separators(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = tmp_path / "cohorte.csv"
    text = "\r\n" + _csv_text(delimiter, [valid_row(prenom="Éloïse", heures_hebdo="17,5")])
    path.write_bytes(text.encode(encoding))
    cohort = read_cohort(path)
    assert cohort.header_row == 2
    row = cohort.rows[0]
    assert (row.row_number, row.prenom, row.civilite) == (3, "Éloïse", "Mme")
    assert row.heures_hebdo == 17.5 and row.date_fin == dt.date(2027, 1, 15)
    assert row.invalid == set()


def test_csv_with_excel_separator_hint(tmp_path: Path) -> None:
    path = tmp_path / "cohorte.csv"
    path.write_text("sep=,\n" + _csv_text(",", [valid_row()]), encoding="utf-8")
    cohort = read_cohort(path)
    assert cohort.header_row == 1 and cohort.rows[0].row_number == 2
    assert cohort.rows[0].nom == "Martin"


def test_a_large_workbook_reads_every_row(tmp_path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cohorte")
    sheet.append(LABELS)
    base = valid_row()
    for index in range(1000):
        values = dict(base, numero_auditeur=str(index), date_debut=f"{index % 28 + 1}/09/2026")
        sheet.append([values[c.key] for c in COLUMNS])
    path = tmp_path / "grand.xlsx"
    book.save(path)
    rows = read_cohort(path).rows
    assert len(rows) == 1000 and rows[-1].row_number == 1001
    assert rows[-1].date_debut == dt.date(2026, 9, 999 % 28 + 1)
    assert all(not r.invalid for r in rows)
