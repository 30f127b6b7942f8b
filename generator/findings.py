"""A finding: what is wrong (or worth knowing), where and what to do; a value, not an error."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One finding. ``row`` is the spreadsheet row as Excel shows it (None: the whole file);
    ``column`` the header as written in the workbook (or cohort.md's label)."""

    code: str
    severity: Severity
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    student: str | None = None
    key: str | None = None  # the column key, for code that needs it (documents gating)

    def as_json(self) -> dict[str, object]:
        # built by hand: dataclasses.asdict deep-copies, too slow for 10,000-row reports
        return {"code": self.code, "severity": str(self.severity), "row": self.row,
                "student": self.student, "column": self.column, "value": self.value,
                "message": self.message}


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(str(f.severity) for f in findings)
    return {s.value: counts.get(s.value, 0) for s in Severity}
