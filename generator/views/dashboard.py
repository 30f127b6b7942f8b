"""`gen dashboard`: the cohort at a glance in one self-contained HTML page.

The page holds « Cette semaine » (deadlines due within 7 days or late, reminders due today),
the count of students at each step, the timeline of every internship and the table of every
student with their findings (the messages of `gen check`) and links to the documents already
generated, with filters and a search box. It needs no server and makes no request: Vega,
Vega-Lite and vega-embed are inlined, as are the styles and the page's own script; a
Content-Security-Policy lets only those scripts run (by hash) and forbids any connection.

Every text from the workbook goes through Jinja's autoescaping (HTML) or its ``tojson``
filter (the charts' data, inside a non-executed JSON script element).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import os
import urllib.parse
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from generator.cohort.model import Row
from generator.documents.naming import cohort_stems
from generator.findings import SEVERITY_ORDER, Finding
from generator.frenchdates import format_count, format_date
from generator.process import (
    DOCUMENT_KINDS,
    EXEMPT,
    INTERNSHIP_STEPS,
    REASONS,
    STEP_KEYS,
    STEP_LABELS,
)
from generator.reminders.plan import plan
from generator.rules.report import Report
from generator.views import charts
from generator.views.deadlines import IMMERSION, Deadline, deadlines, this_week
from generator.views.output import write_view
from generator.views.terminal import SEVERITY_LABELS, summary_line

NO_MODALITY = "modalité non renseignée"
NO_FINDING = "none"  # the severity filter's value for a row without any finding


@dataclass(frozen=True)
class Link:
    label: str  # « convention (PDF) »
    href: str  # relative to the page, percent-encoded


@dataclass(frozen=True)
class StudentLine:
    """One student as the table shows them."""

    row: Row
    step: str  # a key of process.STEPS
    group: str  # the modality, how the timeline groups rows
    severity: str  # the worst finding's severity, NO_FINDING without any
    findings: tuple[Finding, ...]
    documents: tuple[Link, ...]

    @property
    def step_label(self) -> str:
        return STEP_LABELS[self.step]

    @property
    def label(self) -> str:
        """« PAR26113 · Lucas BERNARD »: how the timeline names the student."""
        return f"{self.row.student} · {self.row.full_name}"

    @property
    def period(self) -> str:
        """« du 14 décembre 2026 au 9 avril 2027 », or empty without both dates."""
        start, end = self.row.date_debut, self.row.date_fin
        return f"du {format_date(start)} au {format_date(end)}" if start and end else ""

    @property
    def search(self) -> str:
        """What the search box matches: number, name, structure and tutor, lower-case."""
        row = self.row
        return " ".join(p for p in (row.student, row.full_name, row.structure_nom,
                                    row.tuteur_nom, row.tuteur_prenom) if p).casefold()


def _worst(findings: list[Finding]) -> str:
    if not findings:
        return NO_FINDING
    return str(min(findings, key=lambda f: SEVERITY_ORDER[f.severity]).severity)


def _links(row: Row, stem: str, documents: Path, page_folder: Path) -> tuple[Link, ...]:
    """The documents already written for the row (.docx, .pdf), as links from the page."""
    found: list[Link] = []
    for kind in DOCUMENT_KINDS:
        for suffix, what in ((".docx", ""), (".pdf", " (PDF)")):
            path = documents / kind.folder / f"{stem}{suffix}"
            if path.is_file():
                relative = Path(os.path.relpath(path, page_folder)).as_posix()
                found.append(Link(kind.short + what, urllib.parse.quote(relative)))
    return tuple(found)


def student_lines(report: Report, documents: Path, page_folder: Path) -> list[StudentLine]:
    """Every student of the cohort, in row order; ``documents``: the folder the document
    commands wrote to (their ``-o``), ``page_folder``: where the page is written."""
    stems = cohort_stems(report.cohort.rows)
    lines = []
    for row in report.cohort.rows:
        derived = report.derived[row.row_number]
        findings = report.for_row(row.row_number)
        lines.append(StudentLine(
            row, derived.step, row.modalite or NO_MODALITY, _worst(findings), tuple(findings),
            _links(row, stems[row.row_number], documents, page_folder)))
    return lines


def _iso(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00"  # no zone: the browser reads it as a local date


def timeline_records(lines: list[StudentLine], all_deadlines: list[Deadline]
                     ) -> list[dict[str, Any]]:
    """The timeline's data (see `charts.timeline`): a bar per student with an internship (not
    exempt, both dates, the end not before the start) and a marker per dated deadline of
    theirs."""
    markers: dict[int, list[Deadline]] = {}
    for deadline in all_deadlines:
        if deadline.kind in charts.MARKER_KINDS:
            markers.setdefault(deadline.row.row_number, []).append(deadline)
    records: list[dict[str, Any]] = []
    for line in lines:
        start, end = line.row.date_debut, line.row.date_fin
        if line.step == EXEMPT or start is None or end is None or end < start:
            continue
        common = {"student": line.label, "group": line.group, "step": line.step,
                  "step_label": line.step_label, "severity": line.severity,
                  "search": line.search}
        records.append({**common, "type": "bar", "start": _iso(start), "end": _iso(end),
                        "structure": line.row.structure_nom or "", "period": line.period})
        for deadline in markers.get(line.row.row_number, ()):
            records.append({**common, "type": "marker", "date": _iso(deadline.date),
                            "marker": deadline.title, "when": format_date(deadline.date)})
    return records


def _delay(deadline: Deadline, today: dt.date) -> str:
    days = (deadline.date - today).days
    if days == 0:
        return "aujourd'hui"
    if days < 0:
        return f"en retard de {format_count(-days, 'jour')}"
    return f"dans {format_count(days, 'jour')}"


@functools.cache
def _asset(name: str) -> str:
    return resources.files("generator.views").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def _vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script, as vl-convert ships them (offline)."""
    import vl_convert

    return vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")


@functools.cache
def _vega_locales() -> dict[str, Any]:
    import vl_convert

    return {"timeFormatLocale": vl_convert.get_time_format_locale("fr-FR"),
            "formatLocale": vl_convert.get_format_locale("fr-FR")}


def _vega(spec: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite specification compiled to Vega."""
    import vl_convert

    return dict(vl_convert.vegalite_to_vega(spec))


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined,
                                trim_blocks=True, lstrip_blocks=True)


def render_dashboard(report: Report, title: str, documents: Path, page_folder: Path) -> str:
    """The page as HTML text (see the module's docstring). ``title``: the workbook's name."""
    today = report.today
    lines = student_lines(report, documents, page_folder)
    all_deadlines = deadlines(report)
    week = this_week(all_deadlines, today)
    reminders = plan(report.cohort.rows, report.derived, today, report.findings).reminders
    counts = {step: sum(1 for line in lines if line.step == step) for step in STEP_KEYS}
    bundle, page_script = _vega_bundle(), _asset("dashboard.js")
    data = {  # compiled to Vega here: the browser has less to do
        "timeline": _vega(charts.timeline(timeline_records(lines, all_deadlines), today)),
        "steps": _vega(charts.step_counts(counts)),
        "options": {"actions": False, "renderer": "svg", "mode": "vega", **_vega_locales()},
    }
    by_row = {line.row.row_number: line for line in lines}
    template = _environment().from_string(_asset("dashboard.html"))
    return template.render(
        title=title, today=format_date(today, weekday=True), summary=summary_line(report),
        file_findings=report.for_row(None), severity_labels=SEVERITY_LABELS,
        lines=lines, counts=counts, steps=INTERNSHIP_STEPS, exempt=EXEMPT,
        step_labels=STEP_LABELS,
        modalities=sorted({line.group for line in lines}),
        week=[(d, _delay(d, today), by_row[d.row.row_number], d.late(today),
               d.kind == IMMERSION) for d in week],
        reminders=[(r, REASONS[r.reason].label, by_row[r.row.row_number]) for r in reminders],
        data=data, style=_asset("dashboard.css"), bundle=bundle, page_script=page_script,
        script_hashes=" ".join(_script_hash(s) for s in (bundle, page_script)),
        step_colours=charts.STEP_COLOURS, format_date=format_date, format_count=format_count,
    )


def write_dashboard(report: Report, path: Path, documents: Path | None = None) -> int:
    """Write the page to ``path`` (temporary file, then rename) and give the number of
    students shown. ``documents``: where the document commands wrote (default: the page's
    folder, as `gen all -o output` and `gen dashboard -o output/tableau.html` do). Raises
    GenError when the file cannot be written."""
    folder = path.parent.resolve()
    html = render_dashboard(report, report.cohort.path.name,
                            (documents or path.parent).resolve(), folder)
    write_view(path, html.encode("utf-8"))
    return len(report.cohort.rows)
