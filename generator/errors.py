"""The few "cannot go on" exceptions; bad data is reported as findings, never raised."""

from __future__ import annotations

from generator.findings import Finding


class GenError(Exception):
    """Work cannot go on; the message is one French line for the user (exit status 2)."""

    code = "GEN-ERROR"


class InputError(GenError):
    """The workbook cannot be used at all (a FILE-… finding carries the detail)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding
        self.code = finding.code


class TemplateError(GenError):
    """A template cannot be used: unknown key, split tag, broken block."""

    code = "TEMPLATE-ERROR"
