"""A sheet laid out otherwise than one student per row, read as the user sees it and said once
in plain words: cells merged over several students' rows (their value is each row's), rows
that are not students although they hold values, and hidden or filtered-out rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from generator.cohort.formats import Grid
from generator.cohort.headers import Table
from generator.cohort.model import Row
from generator.cohort.students import Selection
from generator.findings import Finding, Severity
from generator.frenchdates import format_count, format_list

_SHOWN_COLUMNS = 4  # columns named in a message before « … »


def spread_merged(grid: Grid, header_index: int, table: Table) -> list[Finding]:
    """Give each row under a vertically merged range the range's value (Excel shows it on
    every row the range covers; only its first cell holds it), and say so once.

    Only ranges wholly below the header row and over known or unknown columns are spread,
    down their first column; a range merged across columns only is left as it is."""
    spans: dict[tuple[int, int], list[str]] = defaultdict(list)
    for merged in sorted(grid.layout.merged, key=lambda m: m.first_column):
        if merged.first_row <= header_index + 1 or merged.last_row == merged.first_row:
            continue
        column = merged.first_column
        if column >= len(grid.columns):
            continue
        grid.pad(merged.last_row, column + 1)
        cells = grid.columns[column]
        value = cells[merged.first_row - 1]
        for index in range(merged.first_row, merged.last_row):
            if cells[index] == "":
                cells[index] = value
        header = (table.headers.get(table.keys[column]) if column in table.keys
                  else table.unknown.get(column))
        spans[(merged.first_row, merged.last_row)].append(header or merged.reference)
    return [_merged_finding(first, last, names) for (first, last), names in sorted(spans.items())]


def _merged_finding(first: int, last: int, names: list[str]) -> Finding:
    rows = f"{first} et {last}" if last == first + 1 else f"{first} à {last}"
    shown = [f"« {name} »" for name in names[:_SHOWN_COLUMNS]] + (
        [f"{len(names) - _SHOWN_COLUMNS} autres"] if len(names) > _SHOWN_COLUMNS else [])
    return Finding(
        "FILE-MERGED-CELLS", Severity.INFO,
        f"Lignes {rows} : cellules fusionnées sur plusieurs lignes dans "
        f"{'la colonne' if len(names) == 1 else 'les colonnes'} {format_list(shown)}. La "
        f"valeur affichée vaut pour chacune des lignes {rows}, et c'est ainsi qu'elle est lue. "
        f"Si ce n'est pas le cas, défusionnez ces cellules et remplissez chaque ligne.",
        facts={"first_row": first, "last_row": last, "columns": tuple(names)})


def left_out_findings(selection: Selection, table: Table, grid: Grid) -> list[Finding]:
    """One finding per reason a row holding values is not read as a student."""
    findings = []
    if selection.totals:
        findings.append(Finding(
            "FILE-NOT-STUDENTS", Severity.INFO,
            f"{_rows(selection.totals).capitalize()} : ligne de total, qui n'est pas lue comme "
            f"un auditeur.", facts={"rows": tuple(selection.totals), "totals": True}))
    if selection.anonymous:
        person = ", ".join(f"ni « {table.headers[key]} »" for key in
                           ("numero_auditeur", "nom", "prenom", "email")
                           if key in table.headers)
        count = len(selection.anonymous)
        read = "Elles ne sont pas lues" if count > 1 else "Elle n'est pas lue"
        findings.append(Finding(
            "FILE-NOT-STUDENTS", Severity.INFO,
            f"{_rows(selection.anonymous).capitalize()} : des valeurs, mais {person}. "
            f"{read} comme "
            f"{'des auditeurs' if count > 1 else 'un auditeur'} (valeurs par défaut d'un "
            f"modèle, par exemple). S'il s'agit d'un auditeur, renseignez son N° auditeur et "
            f"son nom.{_filled_down(selection.anonymous, grid)}",
            facts={"rows": tuple(selection.anonymous), "totals": False}))
    return findings


def _filled_down(numbers: Sequence[int], grid: Grid) -> str:
    """A sentence on the rows read once although repeated down to the sheet's end."""
    reached = grid.layout.filled_down
    return "".join(f" La ligne {number} est recopiée jusqu'à la ligne {reached[number]} "
                   f"(une colonne remplie jusqu'en bas) ; ces copies sont lues une seule fois."
                   for number in numbers if number in reached)


def hidden_findings(grid: Grid, rows: Sequence[Row]) -> list[Finding]:
    """ROW-HIDDEN for each student's row the workbook hides (or a filter leaves out)."""
    hidden = grid.layout.hidden
    if not hidden:
        return []
    return [Finding("ROW-HIDDEN", Severity.INFO,
                    f"La ligne {row.row_number} est masquée (ou exclue par un filtre) dans le "
                    f"classeur : elle est contrôlée comme les autres. Affichez-la pour la "
                    f"voir.", row=row.row_number, student=row.numero_auditeur)
            for row in rows if row.row_number in hidden]


def _rows(numbers: Sequence[int]) -> str:
    """« ligne 4 », « lignes 4 à 300 », « lignes 4, 7 et 9 à 12 (6 lignes) »."""
    ranges: list[tuple[int, int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    if len(numbers) == 1:
        return f"ligne {numbers[0]}"
    parts = [str(a) if a == b else f"{a} et {b}" if b == a + 1 and len(ranges) == 1
             else f"{a} à {b}" for a, b in ranges]
    if len(parts) > 6:
        parts = [*parts[:5], "…"]
    count = f" ({format_count(len(numbers), 'ligne')})" if len(ranges) > 1 else ""
    return f"lignes {format_list(parts)}{count}"
