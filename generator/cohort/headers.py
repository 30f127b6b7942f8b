"""The header row: which row holds the headers, and which column each header names.

Headers match cohort.md's labels through `values.header` (case, accents, spaces, line
breaks, typographic apostrophes and a trailing `*` do not matter) and a few synonyms.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from generator.clean import EDGES
from generator.cohort import values
from generator.cohort.columns import BY_KEY, COLUMNS, IDENTITY_KEYS
from generator.cohort.formats import Grid
from generator.cohort.layout import column_letters
from generator.errors import InputError
from generator.findings import Finding, Severity

HEADER_SEARCH_ROWS = 10  # cohort.md: the header row is among the first 10
MIN_KNOWN_HEADERS = 3

# Other spellings met in real workbooks, by folded header (values.header) → key.
SYNONYMS: dict[str, str] = {
    "n° d'auditeur": "numero_auditeur", "n° auditeur cnam": "numero_auditeur",
    "identifiant auditeur": "numero_auditeur",
    "civ": "civilite", "nom de famille": "nom",
    "e-mail": "email", "email": "email", "mail": "email", "adresse e-mail": "email",
    "adresse electronique": "email", "tel": "telephone", "tel.": "telephone",
    "telephone portable": "telephone", "date debut": "date_debut", "debut": "date_debut",
    "date fin": "date_fin", "fin": "date_fin", "siret": "structure_siret",
    "n° siret": "structure_siret", "e-mail tuteur": "tuteur_email",
    "email tuteur": "tuteur_email",
}
HEADER_KEYS: dict[str, str] = {**SYNONYMS, **{values.header(c.label): c.key for c in COLUMNS}}


def filled(cell: object) -> bool:
    """Whether a cell holds something: not empty, not only whitespace, invisible spaces or
    controls (`generator.clean.EDGES`)."""
    if cell is None or cell == "":
        return False
    return not isinstance(cell, str) or bool(cell.strip(EDGES))


@dataclass
class Table:
    """How the header row maps the sheet's columns."""

    keys: dict[int, str]  # column index → key
    headers: dict[str, str]  # key → header as written (one line)
    positions: dict[str, int]  # key → column number (1 = A)
    unknown: dict[int, str]  # column index → header as written, for unknown columns


def column_name(index: int) -> str:
    """« colonne » and its letters as Excel shows them (0 → « colonne A »)."""
    return f"colonne {column_letters(index)}"


def _one_line(cell: object) -> str:
    return " ".join((values.text(cell) or "").split())


def find_header_row(grid: Grid) -> int:
    """The index (0 = row 1) of the first row among the first 10 holding at least three known
    headers, N° auditeur among them; else FILE-NO-HEADER."""
    for index, row in enumerate(grid.rows(0, HEADER_SEARCH_ROWS)):
        keys = {HEADER_KEYS.get(values.header(cell)) for cell in row if filled(cell)}
        keys.discard(None)
        if len(keys) >= MIN_KNOWN_HEADERS and "numero_auditeur" in keys:
            return index
    raise InputError(Finding(
        "FILE-NO-HEADER", Severity.ERROR,
        f"La feuille « {grid.name} » n'a pas de ligne d'en-têtes parmi ses "
        f"{HEADER_SEARCH_ROWS} premières lignes (il en faut une avec au moins "
        f"{MIN_KNOWN_HEADERS} en-têtes connus, dont « N° auditeur ») : ajoutez les en-têtes "
        f"des colonnes, par exemple en partant du modèle créé par gen init.",
        facts={"sheet": grid.name, "rows_searched": HEADER_SEARCH_ROWS,
               "known_headers_needed": MIN_KNOWN_HEADERS}))


def map_headers(grid: Grid, header_index: int) -> Table:
    """Each header of the row → its column key, or kept as unknown; FILE-DUPLICATE-COLUMN
    when two headers name one column, FILE-MISSING-COLUMN when an identity column is absent."""
    table = Table({}, {}, {}, {})
    for index, cell in enumerate(grid.row(header_index)):
        if not filled(cell):
            continue
        written = _one_line(cell)
        key = HEADER_KEYS.get(values.header(cell))
        if key is None:
            if written in table.unknown.values():  # two unknown columns with one header
                written = f"{written} ({column_name(index)})"
            table.unknown[index] = written
        elif key in table.headers:
            first = table.positions[key] - 1
            raise InputError(Finding(
                "FILE-DUPLICATE-COLUMN", Severity.ERROR,
                f"Feuille « {grid.name} », ligne {header_index + 1} : les en-têtes "
                f"« {table.headers[key]} » ({column_name(first)}) et « {written} » "
                f"({column_name(index)}) désignent la même colonne « {BY_KEY[key].label} » : "
                f"supprimez ou renommez l'une des deux.",
                column=written, key=key,  # file level: row null (cli.md)
                facts={"sheet": grid.name, "header_row": header_index + 1,
                       "headers": (table.headers[key], written),
                       "column_letters": (column_name(first), column_name(index))}))
        else:
            table.keys[index] = key
            table.headers[key] = written
            table.positions[key] = index + 1
    missing = [key for key in IDENTITY_KEYS if key not in table.headers]
    if missing:
        raise InputError(_missing_columns(grid, header_index, missing, table))
    return table


def _missing_columns(grid: Grid, header_index: int, missing: list[str], table: Table
                     ) -> Finding:
    """FILE-MISSING-COLUMN naming each absent identity column and the closest header found."""
    candidates = {values.header(h): h for h in table.unknown.values()}
    parts, closest = [], []
    for key in missing:
        label = BY_KEY[key].label
        close = difflib.get_close_matches(values.header(label), list(candidates), n=1,
                                          cutoff=0.6)
        hint = (f"l'en-tête le plus proche est « {candidates[close[0]]} » : renommez-le "
                f"« {label} »" if close else "aucun en-tête approchant : ajoutez la colonne")
        parts.append(f"« {label} » ({hint})")
        closest.append(candidates[close[0]] if close else "")
    plural = "les colonnes obligatoires" if len(parts) > 1 else "la colonne obligatoire"
    return Finding(
        "FILE-MISSING-COLUMN", Severity.ERROR,
        f"Feuille « {grid.name} », ligne {header_index + 1} : il manque {plural} "
        f"{' ; '.join(parts)}.",
        column=BY_KEY[missing[0]].label, key=missing[0],  # file level: row null
        facts={"sheet": grid.name, "header_row": header_index + 1,
               "missing_columns": tuple(BY_KEY[key].label for key in missing),
               "closest_headers": tuple(closest)})


