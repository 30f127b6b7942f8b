"""A report as people read it: grouped by student, each finding a short heading line with
its message wrapped whole beneath (on a terminal of any width, 80 columns included; plain
lines when piped), and the summary line. (Kept out of cli.py so that the command stays a few
lines.)"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.console import RenderableType
from rich.padding import Padding
from rich.text import Text

from generator.findings import SEVERITY_ORDER, Finding, Severity
from generator.process import DOCUMENTS
from generator.rules.report import Report
from generator.rules.wording import format_count

SEVERITY_LABELS = {Severity.ERROR: "erreur", Severity.WARNING: "avertissement",
                   Severity.INFO: "information"}
FILE_TITLE = "Fichier"  # the group of the findings about the whole file (row None)
SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "dark_orange",
                   Severity.INFO: "cyan"}


def summary_line(report: Report) -> str:
    """« Bilan : 2 erreurs, 1 avertissement, 0 information sur 12 lignes. Prêts : … »"""
    counts = report.summary()
    rows = len(report.cohort.rows)
    ready = ", ".join(f"{DOCUMENTS[document].short} {count}"
                      for document, count in report.readiness().items())
    return (f"Bilan : {format_count(counts['error'], 'erreur')}, "
            f"{format_count(counts['warning'], 'avertissement')}, "
            f"{format_count(counts['info'], 'information')} sur {format_count(rows, 'ligne')}. "
            f"Prêts pour : {ready}.")


def _groups(report: Report) -> Iterator[tuple[str, list[Finding]]]:
    """(title, findings): the file first, then the students with errors, those with warnings,
    those with information only; in row order within each."""
    file_level = report.for_row(None)
    if file_level:
        yield FILE_TITLE, file_level
    rows = {row.row_number: row for row in report.cohort.rows}
    groups: list[tuple[int, str, list[Finding]]] = []
    for number in dict.fromkeys(f.row for f in report.findings if f.row is not None):
        findings = report.for_row(number)
        row = rows.get(number)
        student = f" — {row.numero_auditeur}" if row is not None and row.numero_auditeur else ""
        name = f" — {row.full_name}" if row is not None and row.full_name else ""
        worst = min(SEVERITY_ORDER[f.severity] for f in findings)
        groups.append((worst, f"Ligne {number}{student}{name}", findings))
    for _worst, title, findings in sorted(groups, key=lambda group: group[0]):
        yield title, findings


def beneath_column(finding: Finding) -> str:
    """The message as read beside its column's name: without the « Courriel » : that opens a
    cell's message, which the line already names (« Courriel : « Courriel » : … » read
    twice)."""
    opening = f"« {finding.column} » : "
    if finding.column and finding.message.startswith(opening):
        return finding.message[len(opening):]
    return finding.message


def group_lines(title: str, findings: Iterable[Finding]) -> list[str]:
    """Plain text of one group: its title line (« Fichier », « Ligne 7 — … »), then one line
    per finding: « avertissement · CODE · Colonne : message »."""
    lines = [title]
    for finding in findings:
        column = f" · {finding.column}" if finding.column else ""
        lines.append(f"  {SEVERITY_LABELS[finding.severity]} · {finding.code}{column} : "
                     f"{beneath_column(finding)}")
    return lines


def file_lines(findings: Iterable[Finding]) -> list[tuple[str, bool]]:
    """The file-level findings of a document run as `gen check` words them, under its
    « Fichier » title: (line, is a problem), an information being no problem (hidden by
    --quiet, printed on stdout). No finding: no line."""
    findings = list(findings)
    if not findings:
        return []
    title, *lines = group_lines(FILE_TITLE, findings)
    problems = [finding.severity != Severity.INFO for finding in findings]
    return [(title, any(problems)), *zip(lines, problems, strict=True)]


def text_lines(report: Report) -> list[str]:
    """Plain text: one title line per student, one line per finding, the summary."""
    lines: list[str] = []
    for title, findings in _groups(report):
        lines += group_lines(title, findings)
    return lines + [line for line, _style in _closing(report, bool(lines))]


def rich_renderables(report: Report) -> list[RenderableType]:
    """For a terminal: per student a bold title; per finding a heading line (severity in
    colour, column, code) and its message beneath, wrapped to the terminal's width and never
    cut (a table's narrow column would cut the address a message asks to use); then the
    summary."""
    items: list[RenderableType] = []
    for title, findings in _groups(report):
        items.append(Text(title, style="bold"))
        for finding in findings:
            heading = Text("  ")
            heading.append(SEVERITY_LABELS[finding.severity],
                           style=SEVERITY_STYLES[finding.severity])
            if finding.column:
                heading.append(f" · {finding.column}", style="bold")
            heading.append(f" · {finding.code}", style="dim")
            items.append(heading)
            items.append(Padding(Text(beneath_column(finding)), (0, 0, 0, 4)))
    return items + [Text(line, style=style) for line, style in _closing(report, bool(items))]


def _closing(report: Report, shown: bool) -> list[tuple[str, str]]:
    """The last lines (text, rich style) after the `shown` findings, if any: the summary, and
    « Aucun problème trouvé. » before it when nothing was shown. A sheet without a student
    (as `gen init` makes it) says so and what to do instead: « aucun problème sur 0 ligne »
    would read as a checked cohort."""
    if not report.cohort.rows:
        cohort = report.cohort
        empty = (f"La feuille « {cohort.sheet} » n'a encore aucun auditeur : remplissez-y une "
                 f"ligne par auditeur, sous les en-têtes (à partir de la ligne "
                 f"{cohort.header_row + 1}), puis relancez « gen check {cohort.path} ».")
        return [(empty, "bold"), *([(summary_line(report), "bold")] if shown else [])]
    return [*([] if shown else [("Aucun problème trouvé.", "green")]),
            (summary_line(report), "bold")]
