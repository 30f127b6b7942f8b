"""A finding: what is wrong (or worth knowing), where and what to do; a value, not an error."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One finding. ``row`` is the spreadsheet row as Excel shows it (None: the whole file);
    ``column`` the header as written in the workbook (or cohort.md's label); ``facts`` the
    numbers, dates and names the message quotes, as data (hours as floats, dates as
    `datetime.date`, days as ints), named per code in `catalogue.CODES`."""

    code: str
    severity: Severity
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    student: str | None = None
    key: str | None = None  # the column key, for code that needs it (documents gating)
    facts: Mapping[str, Fact] = field(default_factory=dict, compare=False)


Fact = str | int | float | bool | dt.date | tuple[str | int, ...] | None


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(str(f.severity) for f in findings)
    return {s.value: counts.get(s.value, 0) for s in Severity}
