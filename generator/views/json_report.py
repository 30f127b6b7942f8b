"""The JSON view of a check: what `gen check --format json` prints (cli.md; a contract: keys
are only ever added). Facts are JSON values: dates in ISO format (AAAA-MM-JJ), tuples as
lists."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping

from generator.findings import Finding, summarize
from generator.rules.report import Report


def finding_json(finding: Finding) -> dict[str, object]:
    """One finding as cli.md's object: code, severity, row, student, column, value, message,
    facts."""
    return json.loads(_encode(_fields(finding)))


def _fields(finding: Finding) -> dict[str, object]:
    """The finding's object for `_encode`, which turns its facts into JSON values."""
    # built by hand: dataclasses.asdict deep-copies, too slow for 10,000-row reports
    return {"code": finding.code, "severity": finding.severity, "row": finding.row,
            "student": finding.student, "column": finding.column, "value": finding.value,
            "message": finding.message, "facts": finding.facts}


def _json_value(value: object) -> object:
    """What the encoder cannot write itself: a finding's facts (a read-only mapping) and the
    dates among them (AAAA-MM-JJ). Tuples it writes as lists, StrEnums as their text."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} n'a pas de forme JSON")


_encode = json.JSONEncoder(ensure_ascii=False, default=_json_value).encode


JSON_BLOCK = 1000  # findings turned into JSON text at a time


def report_json(report: Report, file: str) -> dict[str, object]:
    """The whole check: the workbook's name as given (``file``), the day checked, the number
    of student rows, every finding in the report's order, and the count per severity."""
    return {**_head(report, file), "findings": [finding_json(f) for f in report.findings],
            "summary": report.summary()}


def report_json_text(report: Report, file: str) -> Iterator[str]:
    """`report_json(report, file)` as the text `json.dumps(…, ensure_ascii=False)` gives, in
    pieces of at most JSON_BLOCK findings: a 20,000-row report is never held whole as objects
    and as one string (it would double the run's peak memory)."""
    yield _encode(_head(report, file))[:-1] + ', "findings": ['
    for start in range(0, len(report.findings), JSON_BLOCK):
        block = [_fields(f) for f in report.findings[start:start + JSON_BLOCK]]
        yield (", " if start else "") + _encode(block)[1:-1]
    yield '], "summary": ' + _encode(report.summary()) + "}"


def _head(report: Report, file: str) -> dict[str, object]:
    return {"file": file, "today": report.today.isoformat(), "rows": len(report.cohort.rows)}


def refused_json(file: str, today: dt.date, finding: Finding) -> dict[str, object]:
    """The same object for a workbook that could not be read: no row, its one FILE-…
    finding."""
    return {"file": file, "today": today.isoformat(), "rows": 0,
            "findings": [finding_json(finding)], "summary": summarize([finding])}
