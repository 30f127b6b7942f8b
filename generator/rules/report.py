"""`check`: every rule over a cohort, and the `Report` that commands read (gating, JSON)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.catalogue import RANK
from generator.cohort.columns import BY_KEY, COLUMNS, IDENTITY_KEYS
from generator.cohort.model import Cohort, Row
from generator.collector import collector_paused
from generator.errors import GenError, InputError
from generator.findings import SEVERITY_ORDER, Finding, Severity, summarize
from generator.frenchdates import format_list
from generator.process import (
    BLOCKS_EVERY_DOCUMENT,
    CONVENTION,
    DOCUMENTS,
    documents_of_step,
)
from generator.rules import cells
from generator.rules.derived import Derived, derive
from generator.rules.parameters import parameter_findings
from generator.rules.registry import RowContext, all_rules

# Evening classes collect these pieces from step `convention` on: their columns are needed.
PIECE_KEYS = frozenset({"exemplaires_convention", "attestation_assurance", "carte_auditeur"})
# Codes computed here from the typed rows; a reader's copy of them would be a duplicate.
_OWN_ROW_CODES = frozenset({"CELL-REQUIRED", *cells.CELL_TYPES})


def is_ready(row: Row, derived: Derived, document: str) -> bool:
    """The row has reached ``document`` (its `ready_when` column filled) and is not exempt."""
    return not derived.exempt and getattr(row, DOCUMENTS[document].ready_when) is not None


def select_rows(rows: list[Row], only: Iterable[str] | None) -> list[Row]:
    """The rows named by --only (N° auditeur, compared without case or edge spaces), for
    every command; an unknown number raises GenError before anything is written."""
    if not only:
        return rows
    wanted = {number.strip().casefold(): number for number in only}
    found = {(row.numero_auditeur or "").strip().casefold() for row in rows}
    unknown = sorted(number for folded, number in wanted.items() if folded not in found)
    if unknown:
        raise GenError("N° auditeur absent du classeur : " + ", ".join(unknown) + " (--only).")
    return [row for row in rows if (row.numero_auditeur or "").strip().casefold() in wanted]


@dataclass
class Report:
    """The findings of one check, the derived facts of every row, and how commands use them."""

    cohort: Cohort
    today: dt.date
    findings: list[Finding]
    derived: dict[int, Derived]  # by row_number
    documents: frozenset[str] | None = None  # None: `gen check`
    _by_row: dict[int | None, list[Finding]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_row: dict[int | None, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            by_row[finding.row].append(finding)
        self._by_row = dict(by_row)

    def for_row(self, row_number: int | None) -> list[Finding]:
        """The findings of one row (None: the file-level ones), in report order."""
        return list(self._by_row.get(row_number, ()))

    def blocking(self, row: Row, document: str) -> list[Finding]:
        """Why ``document`` cannot be generated for ``row`` (empty: it can): errors on a field
        the document states or certifies (its `needs`), errors that block every document;
        exempt rows get no document."""
        if self.derived[row.row_number].exempt:
            exempt = [f for f in self.for_row(row.row_number) if f.code == "STAGE-EXEMPT"]
            return exempt or [Finding(
                "STAGE-EXEMPT", Severity.INFO,
                "Auditeur dispensé de stage (expérience attestée) : aucun document de stage.",
                row=row.row_number, student=row.numero_auditeur)]
        kind = DOCUMENTS[document]
        needed = kind.needs.union(kind.states)
        return [f for f in self.for_row(row.row_number) if f.severity == Severity.ERROR
                and (f.key in needed or f.code in BLOCKS_EVERY_DOCUMENT)]

    def ready(self, document: str) -> list[Row]:
        """The rows that have reached ``document``'s step, exempt rows left out."""
        return [row for row in self.cohort.rows
                if is_ready(row, self.derived[row.row_number], document)]

    def issuable(self, document: str) -> list[Row]:
        """The rows that have reached ``document`` with nothing blocking it: those its
        command writes (without --force). None when the file lacks a column the document
        needs: its command stops before writing anything."""
        if DOCUMENTS[document].needs & absent_columns(self.cohort):
            return []
        return [row for row in self.ready(document) if not self.blocking(row, document)]

    def readiness(self) -> dict[str, int]:
        """For each document kind, how many rows its command would write (« Prêts pour »)."""
        return {document: len(self.issuable(document)) for document in DOCUMENTS}

    def summary(self) -> dict[str, int]:
        return summarize(self.findings)

    @property
    def exit_status(self) -> int:
        return 1 if any(f.severity == Severity.ERROR for f in self.findings) else 0


def absent_columns(cohort: Cohort) -> frozenset[str]:
    """Keys whose column the file lacks. A cohort built in code, without headers, lacks none."""
    if not cohort.headers:
        return frozenset()
    return frozenset(BY_KEY) - frozenset(cohort.headers)


def _missing_columns(cohort: Cohort, keys: Iterable[str]) -> list[Finding]:
    """FILE-MISSING-COLUMN for each absent column some row needs: an error naming the
    documents that cannot be produced at all without it (their command stops, exit 2), a
    warning for a column no document states; each names the closest header found."""
    findings = []
    for key in (column.key for column in COLUMNS if column.key in set(keys)):
        kinds = [kind.short for kind in DOCUMENTS.values() if key in kind.needs]
        if kinds:
            findings += cells.missing_columns(
                cohort, [key], Severity.ERROR,
                f"aucun de ces documents ne peut être produit, pour personne : "
                f"{format_list(kinds)}")
        else:
            findings += cells.missing_columns(cohort, [key])
    return findings


@functools.cache
def _keys_of(documents: frozenset[str]) -> frozenset[str]:
    keys = set(IDENTITY_KEYS)
    for document in documents:
        keys |= DOCUMENTS[document].needs
    return frozenset(keys)


def _row_documents(row: Row, derived: Derived, documents: frozenset[str] | None
                   ) -> frozenset[str]:
    """The documents a row is checked for: those it is ready for among ``documents`` (a
    command), or for `gen check` (None) those of its step and those it is ready for, so that
    « Prêts pour » counts what the commands will write."""
    ready = frozenset(d for d in documents or DOCUMENTS if is_ready(row, derived, d))
    return ready if documents is not None else ready | documents_of_step(derived.step)


def check(cohort: Cohort, today: dt.date, documents: frozenset[str] | None = None,
          incomplete: Mapping[str, tuple[str, ...]] | None = None) -> Report:
    """Run every rule over ``cohort`` as of ``today``.

    ``incomplete``: N° auditeur (case-folded) → what the tutor's returned form lacks, for the
    forms the last `gen collect` found incomplete (`collect.retours.incomplete_returns`).

    ``documents`` None is `gen check`: each row must have what the documents of its step need.
    Given the documents a command generates, the required cells are theirs, and a column they
    need that the file lacks raises InputError (FILE-MISSING-COLUMN)."""
    with collector_paused():
        return _check(cohort, today, documents, incomplete or {})


def _check(cohort: Cohort, today: dt.date, documents: frozenset[str] | None,
           incomplete: Mapping[str, tuple[str, ...]]) -> Report:
    params = cohort.params
    absent = absent_columns(cohort)
    if documents is not None:
        # without the column that makes a row due for a document (« Heures effectuées » for
        # the attestation, in a workbook older than it), no row is due: nothing is lacking
        possible = frozenset(d for d in documents if DOCUMENTS[d].ready_when not in absent)
        lacking = absent & _keys_of(possible)
        if lacking:  # one error naming every absent column, so that one pass fixes them
            found = cells.missing_columns(cohort, lacking, Severity.ERROR)
            raise InputError(dataclasses.replace(
                found[0], message=" ".join(f.message for f in found)))
    derived = {row.row_number: derive(row, params, today) for row in cohort.rows}
    contexts: list[RowContext] = []
    required_of: dict[frozenset[str], frozenset[str]] = {}  # rows share a few document sets
    pieces = conventions = False
    for row in cohort.rows:
        facts = derived[row.row_number]
        row_documents = _row_documents(row, facts, documents)
        required = required_of.get(row_documents)
        if required is None:
            required = required_of[row_documents] = _keys_of(row_documents) - absent
        # the signatory warning is for the run that writes conventions, not for `gen check`
        conventions = conventions or (documents is not None and CONVENTION in row_documents)
        pieces = pieces or (facts.evening and CONVENTION in row_documents)
        contexts.append(RowContext(
            row, facts, params, today, row_documents, required, cohort,
            incomplete.get((row.numero_auditeur or "").strip().casefold())))
    needed = set(PIECE_KEYS if pieces else ()).union(*map(_keys_of, required_of))
    file_level = [f for f in cohort.findings if f.row is None]
    file_level += _missing_columns(cohort, (needed & absent) - set(IDENTITY_KEYS))
    file_level += parameter_findings(params, today, conventions)
    return Report(cohort, today, file_level + _row_findings(cohort, contexts), derived,
                  frozenset(documents) if documents is not None else None)


def _row_findings(cohort: Cohort, contexts: list[RowContext]) -> list[Finding]:
    """Every rule over every row, row by row; within a row errors, then warnings, then
    information, each severity in the catalogue's order (rules.md)."""
    rules = all_rules()
    by_row: dict[int, list[Finding]] = defaultdict(list)
    for finding in cohort.findings:
        if finding.row is not None and finding.code not in _OWN_ROW_CODES:
            by_row[finding.row].append(finding)
    for cross_row in (r for r in rules if r.cohort_check is not None):
        for finding in cross_row.findings(contexts):
            by_row[finding.row or 0].append(finding)
    # This loop runs rules × rows times: which rules a row runs is settled once (an exempt
    # row skips the internship rules), and it goes row by row, not rule by rule, so that a
    # row's objects stay in the processor's cache for all its rules. The order in which the
    # rules run does not matter: a row's findings are sorted below.
    for_all = [(r.check, r, r.needs) for r in rules if r.check is not None]
    for_exempt = [(r.check, r, r.needs) for r in rules if r.check is not None
                  and not r.internship]
    for ctx in contexts:
        row = ctx.row
        found = by_row[row.row_number]
        for row_check, registered, needs in for_exempt if ctx.derived.exempt else for_all:
            if needs is not None and not getattr(row, needs):
                continue
            for hit in row_check(ctx):
                found.append(registered.finding(ctx, hit))
    ordered: list[Finding] = []
    for row_number in sorted(by_row):
        found = by_row[row_number]
        if len(found) > 1:
            found.sort(key=lambda f: (SEVERITY_ORDER[f.severity], RANK.get(f.code, -1)))
        ordered.extend(found)
    return ordered
