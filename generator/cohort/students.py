"""Which lines below the header row are students' rows: a line holding nothing of a student
(blank, spaces only, a note in Observations, a total in an unknown column) or repeating the
header row is not read as one."""

from __future__ import annotations

from collections.abc import Sequence

from generator.cohort import values
from generator.cohort.formats import Grid
from generator.cohort.headers import HEADER_KEYS, MIN_KNOWN_HEADERS, Table, filled

# Free text that says nothing of a student: a row holding only these (a note or a total
# below the table, a group title in Observations) is not a student's row.
_NOTE_KEYS = frozenset({"observations"})


def student_rows(grid: Grid, start: int, table: Table) -> list[bool]:
    """For each row from index `start` (0 = row 1) to the grid's end, whether it is a
    student's row."""
    keep = _kept(grid, start, _student_columns(table))
    _drop_repeated_headers(grid, start, table, keep)
    return keep


def _student_columns(table: Table) -> list[int]:
    """The indices of the columns whose content makes a row a student's: the known columns
    but Observations; unknown columns (a « Total » column, the team's notes) do not."""
    return sorted(index for index, key in table.keys.items() if key not in _NOTE_KEYS)


def _kept(grid: Grid, start: int, indices: list[int]) -> list[bool]:
    """For each row from index `start`, whether it is kept: a cell of the columns `indices`
    is filled, or it holds a formula never computed.

    Column by column, each pass looking only at the rows still undecided: the first filled
    column (N° auditeur, usually) settles nearly every row in one pass.
    """
    height = grid.height - start
    undecided: Sequence[int] = range(height)
    for column in (grid.columns[index] for index in indices):
        undecided = [i for i in undecided if not filled(column[start + i])]
        if not undecided:
            break
    keep = [True] * height
    for i in undecided:
        keep[i] = False
    for number, _ in grid.uncached:
        if number > start:
            keep[number - start - 1] = True
    return keep


def _drop_repeated_headers(grid: Grid, start: int, table: Table, keep: list[bool]) -> None:
    """Unmark the rows that repeat the header row (two lists pasted one below the other):
    their N° auditeur cell is a header and at least three known headers stand in the columns
    they name. A header in another layout is left as a row: its findings show the problem."""
    numero = table.positions["numero_auditeur"] - 1  # an identity column: always there
    for offset, cell in enumerate(grid.columns[numero][start:]):
        # cheap test first: a student's number starts with a digit, a header with a letter
        if not (isinstance(cell, str) and cell[:1].isalpha() and keep[offset]):
            continue
        if HEADER_KEYS.get(values.header(cell)) != "numero_auditeur":
            continue
        row = grid.row(start + offset)
        same = sum(1 for index, key in table.keys.items()
                   if HEADER_KEYS.get(values.header(row[index])) == key)
        if same >= MIN_KNOWN_HEADERS:
            keep[offset] = False
