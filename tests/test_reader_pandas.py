"""The table read through pandas: cells kept as typed, exact row numbers, CSV quirks, and the
JSON of `gen check` written directly as json.dumps would write it."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from openpyxl import load_workbook
from workbooks import LABELS, valid_row, write_workbook

from generator.cohort.formats import Grid, open_book
from generator.cohort.reader import read_cohort

NA_SPELLINGS = ["NA", "N/A", "null", "None", "nan", "-NaN", "#N/A N/A", "", " "]


def test_text_that_pandas_would_take_for_missing_stays_text(tmp_path: Path) -> None:
    rows = [valid_row(numero_auditeur=str(i), observations=text, nom=text or "Martin")
            for i, text in enumerate(NA_SPELLINGS, start=1)]
    cohort = read_cohort(write_workbook(tmp_path / "c.xlsx", rows))
    assert [r.observations for r in cohort.rows] == [*NA_SPELLINGS[:-2], None, None]
    assert [r.nom for r in cohort.rows][:3] == ["NA", "N/A", "null"]


def test_cells_keep_their_python_types(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row(observations=12.5, nom="01000",
                                                          experience_mois=3.0)])
    grid = open_book(path).grid("Cohorte")
    assert [type(cell) for cell in grid.row(1)[:2]] == [str, str]
    row = read_cohort(path).rows[0]
    assert (row.observations, row.nom, row.experience_mois) == ("12,5", "01000", 3)
    assert row.date_debut == dt.date(2026, 9, 14) and row.raw["date_debut"] == "14/09/2026"


def test_grid_views_agree(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row(), valid_row(numero_auditeur="2")],
                          title_rows=2)
    grid = open_book(path).grid("Cohorte")
    assert grid.height == 5 and len(grid.columns) == len(LABELS)
    assert grid.cells[2] == grid.row(2) and grid.cells[2][0] == "N° auditeur"
    assert [list(r) for r in grid.rows(3, width=2)] == [["100001", "Mme"], ["2", "Mme"]]
    grid.pad(7, len(LABELS) + 1)
    assert grid.height == 7 and grid.columns[-1] == [""] * 7 and grid.row(6)[0] == ""


def test_leading_empty_columns_and_rows_with_formulas_past_the_values(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [valid_row()])
    book = load_workbook(path)
    sheet = book["Cohorte"]
    sheet.insert_rows(1, 2)
    sheet.insert_cols(1, 2)
    sheet["C6"] = "=C5+1"  # N° auditeur, two rows below the last value, never computed
    book.save(path)
    cohort = read_cohort(path)
    assert cohort.header_row == 3 and cohort.positions["numero_auditeur"] == 3
    assert [(r.row_number, r.uncached) for r in cohort.rows] == [(4, set()),
                                                                (6, {"numero_auditeur"})]


def test_reading_leaves_no_reference_cycle(tmp_path: Path) -> None:
    """pandas' parser would keep the rows it parsed in a cycle until the collector runs."""
    rows = [valid_row(numero_auditeur=str(i)) for i in range(200)]
    path = write_workbook(tmp_path / "c.xlsx", rows)
    gc.collect()
    collecting = gc.isenabled()
    gc.disable()
    try:
        assert len(read_cohort(path).rows) == 200
        assert gc.collect() < 50  # the 200 parsed rows are not waiting for the collector
    finally:
        if collecting:
            gc.enable()


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_csv_ragged_rows_blank_lines_and_na_text(tmp_path: Path) -> None:
    path = _csv(tmp_path / "c.csv", [
        "N° auditeur;Civilité;Nom;Prénom;Courriel;Modalité;Observations",
        "1;Mme;NA;Claire",  # shorter than the header
        "",
        "2;M.;Martin;N/A;;;vu;en trop;encore",  # longer than the header
        '3;M.;"Durand; fils";"Luc',
        'Marie";;;null',
    ])
    cohort = read_cohort(path)
    assert [(r.row_number, r.numero_auditeur, r.nom, r.prenom, r.observations)
            for r in cohort.rows] == [(2, "1", "NA", "Claire", None),
                                      (4, "2", "Martin", "N/A", "vu"),
                                      (5, "3", "Durand; fils", "Luc\nMarie", "null")]
    grid = open_book(path).grid("c")
    assert len(grid.columns) == 9 and grid.row(3)[8] == "encore"


def test_csv_of_a_single_line_and_of_nothing_but_the_separator_hint(tmp_path: Path) -> None:
    single = open_book(_csv(tmp_path / "un.csv", ["N° auditeur;Nom;Prénom"])).grid("un")
    assert single.cells == [["N° auditeur", "Nom", "Prénom"]]
    (tmp_path / "rien.csv").write_text("sep=;\n", encoding="utf-8")
    assert open_book(tmp_path / "rien.csv").grid("rien") == Grid("rien", [])
