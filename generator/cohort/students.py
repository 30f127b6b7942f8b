"""Which lines below the header row are students' rows.

A row is a student when it says who the student is: a N° auditeur, a surname, a first name or
an e-mail address. A line holding none of them is not one, whatever else it holds (a note in
Observations, a total in an unknown column, defaults filled down a template's 300 rows); nor
is an Excel table's totals row, a « Total » line, or a line repeating the header row. The
lines left out while holding values are named once, so that nothing vanishes silently."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.cohort import values
from generator.cohort.formats import Grid
from generator.cohort.headers import HEADER_KEYS, MIN_KNOWN_HEADERS, Table, filled

# The cells that say who a student is. Civilité and Modalité are identity columns too, but a
# template often fills them in advance: alone, they make no student.
PERSON_KEYS = ("numero_auditeur", "nom", "prenom", "email")
# What a totals line holds in its first cells, folded (« Total », « TOTAL GÉNÉRAL »).
_TOTAL_LABELS = frozenset({"total", "totaux", "total general", "sous-total", "sous total",
                           "somme", "ensemble"})
_TOTAL_INITIALS = "TtSsEe"


@dataclass
class Selection:
    """For each row from the first below the header, whether it is a student's; and the rows
    left out although they hold values, by reason (« totals », « no identity »)."""

    keep: list[bool]
    totals: list[int] = field(default_factory=list)  # row numbers as Excel shows them
    anonymous: list[int] = field(default_factory=list)  # values, but nobody named


def student_rows(grid: Grid, start: int, table: Table) -> Selection:
    """Which rows from index `start` (0 = row 1) to the grid's end are students' rows."""
    keep = _kept(grid, start, _person_columns(table))
    _drop_repeated_headers(grid, start, table, keep)
    selection = Selection(keep)
    _drop_totals(grid, start, table, selection)
    _name_anonymous(grid, start, table, selection)
    return selection


def _person_columns(table: Table) -> list[int]:
    return sorted(table.positions[key] - 1 for key in PERSON_KEYS if key in table.positions)


def _drop_totals(grid: Grid, start: int, table: Table, selection: Selection) -> None:
    """An Excel table's totals row (the table says which), and a row whose N° auditeur or
    Nom reads « Total » with no first name or e-mail, are not students."""
    keep = selection.keep
    for number in sorted(grid.layout.totals):
        if number > start and keep[number - start - 1]:
            keep[number - start - 1] = False
            selection.totals.append(number)
    others = [grid.columns[table.positions[key] - 1] for key in ("prenom", "email")
              if key in table.positions]
    for key in ("numero_auditeur", "nom"):
        if key not in table.positions:
            continue
        column = grid.columns[table.positions[key] - 1]
        for offset, cell in enumerate(column[start:]):
            # cheap test first: the labels start with one of these letters
            if (isinstance(cell, str) and cell[:1] in _TOTAL_INITIALS and keep[offset]
                    and values.fold(cell).rstrip(" :") in _TOTAL_LABELS
                    and not any(filled(other[start + offset]) for other in others)):
                keep[offset] = False
                selection.totals.append(start + offset + 1)
    selection.totals.sort()


def _name_anonymous(grid: Grid, start: int, table: Table, selection: Selection) -> None:
    """The rows left out that hold a value in a known column (Observations aside: a note
    below the table is no student)."""
    columns = [grid.columns[index] for index, key in sorted(table.keys.items())
               if key != "observations"]
    totals = set(selection.totals)
    for offset, kept in enumerate(selection.keep):
        row = start + offset
        if (not kept and row + 1 not in totals and any(filled(c[row]) for c in columns)
                and not _is_header_copy(grid, row, table)):
            selection.anonymous.append(row + 1)


def _is_header_copy(grid: Grid, row: int, table: Table) -> bool:
    numero = table.positions["numero_auditeur"] - 1
    return HEADER_KEYS.get(values.header(grid.columns[numero][row])) == "numero_auditeur"


def _kept(grid: Grid, start: int, indices: list[int]) -> list[bool]:
    """For each row from index `start`, whether it is kept: a cell of the columns `indices`
    is filled, or holds a formula never computed.

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
    person = set(indices)
    for number, index in grid.uncached:
        if number > start and index in person:
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
