"""The rule registry: every rule is one function, its code and severities declared beside it.

A row rule receives a `RowContext` and yields `Hit`s; the registry turns each hit into a
`Finding` carrying the rule's code, the row, the student and the column as the user wrote it.
A cohort rule (duplicates) sees every row at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from generator.catalogue import CODES, RANK
from generator.cohort import values
from generator.cohort.model import Cohort, Row
from generator.cohort.params import Params
from generator.findings import Fact, Finding, Severity
from generator.rules.derived import Derived

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_NO_FACTS: Mapping[str, Fact] = MappingProxyType({})


class Hit(NamedTuple):  # a named tuple: cheap to build, thousands per run
    """What a rule found; ``severity`` None means the rule's first declared severity,
    ``value`` None means the cell's text as written; ``facts`` what the message quotes."""

    key: str | None
    message: str
    severity: Severity | None = None
    value: str | None = None
    facts: Mapping[str, Fact] = _NO_FACTS


@dataclass(slots=True)  # not frozen: built once per row, frozen dataclasses build slowly
class RowContext:
    """What a row rule may read: the row, its derived facts, the run's parameters and date,
    and the cells this row must have filled (its step's documents, or those being generated,
    minus the columns absent from the file)."""

    row: Row
    derived: Derived
    params: Params
    today: dt.date
    documents: frozenset[str]  # the documents this row is checked for
    required: frozenset[str]
    cohort: Cohort
    # what the tutor's form lacked when `gen collect` read it incomplete (None: no such form)
    incomplete_form: tuple[str, ...] | None = None

    def blank(self, key: str) -> bool:
        """The cell holds nothing at all: not a value of the wrong type (a CELL-… finding
        already speaks for it) nor a formula never computed."""
        row = self.row
        return getattr(row, key) is None and key not in row.invalid and key not in row.uncached

    def missing(self, key: str) -> bool:
        """A required cell that is blank: what CELL-REQUIRED and the specific rules report."""
        return key in self.required and self.blank(key)

    @property
    def end(self) -> dt.date | None:
        """``date_fin``, unless it is not after ``date_debut`` (STAGE-DATES): rules that read
        the end then stay silent rather than reason on a wrong date."""
        start, end = self.row.date_debut, self.row.date_fin
        return None if start is not None and end is not None and end <= start else end

    def has_column(self, key: str) -> bool:
        """The file has the column (a cohort built in code has them all)."""
        return not self.cohort.headers or key in self.cohort.headers

    def label(self, key: str) -> str:
        return self.cohort.header(key)


RowCheck = Callable[[RowContext], Iterable[Hit]]
CohortCheck = Callable[[Sequence[RowContext]], Iterable[tuple[RowContext, Hit]]]


@dataclass(frozen=True)
class Rule:
    code: str
    severities: tuple[Severity, ...]
    check: RowCheck | None = None
    cohort_check: CohortCheck | None = None
    internship: bool = True  # an internship rule: does not run on exempt rows
    # A Row attribute that must be filled (a date) or non-empty (a set, e.g. "invalid") for
    # the rule to have anything to say: other rows are skipped without calling it.
    needs: str | None = None

    def findings(self, contexts: Sequence[RowContext]) -> list[Finding]:
        """A cohort rule's findings over every row. (Row rules are run by
        `report._row_findings`, row by row, skipping what ``internship`` and ``needs`` say.)"""
        assert self.cohort_check is not None
        return [self.finding(ctx, hit) for ctx, hit in self.cohort_check(contexts)]

    def finding(self, ctx: RowContext, hit: Hit) -> Finding:
        key, message, severity, value, facts = hit
        severity = severity or self.severities[0]
        assert severity in self.severities, (self.code, severity)
        row = ctx.row
        if value is None and key is not None:
            value = row.raw.get(key)
            if value is None:  # a row built in code: its typed value, as Excel shows it
                value = values.text(getattr(row, key, None))
        # a column the file lacks is named in the message, not as the finding's cell
        headers = ctx.cohort.headers
        column = ctx.label(key) if key and (not headers or key in headers) else None
        # by position: thousands per run, and keywords cost more
        return Finding(self.code, severity, message, row.row_number, column, value,
                       row.numero_auditeur, key, facts)


RULES: list[Rule] = []


def _severities(code: str, severities: tuple[Severity, ...]) -> tuple[Severity, ...]:
    """Those declared beside the rule, else the catalogue's (KeyError: a code missing from
    `catalogue.CODES`)."""
    return severities or CODES[code].severities


def rule(code: str, *severities: Severity, internship: bool = True,
         needs: str | None = None) -> Callable[[RowCheck], RowCheck]:
    """Register a row rule under ``code`` (a code of `catalogue.CODES`); the first severity
    is the default of its hits. ``needs``: the Row attribute (``"invalid"``,
    ``"date_evaluation"``…) without which the rule has nothing to say (empty or None: the
    rule is not called). Any module of `generator.rules` is imported by `all_rules`: a new
    module of rules needs no import list."""

    def register(check: RowCheck) -> RowCheck:
        RULES.append(Rule(code, _severities(code, severities), check=check,
                          internship=internship, needs=needs))
        return check

    return register


def cohort_rule(code: str, *severities: Severity) -> Callable[[CohortCheck], CohortCheck]:
    """Register a cross-row rule under ``code``: it sees every row."""

    def register(check: CohortCheck) -> CohortCheck:
        RULES.append(Rule(code, _severities(code, severities), cohort_check=check,
                          internship=False))
        return check

    return register


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the catalogue's order: the modules of the `generator.rules` package are
    imported first, so that each registers its rules."""
    package = importlib.import_module(__package__ or "generator.rules")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return tuple(sorted(RULES, key=lambda registered: RANK[registered.code]))
