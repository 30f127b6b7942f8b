"""The dashboard's two charts as Vega-Lite specifications, built with altair: the timeline
(one bar per internship, coloured by step, markers for its deadlines, a line for today, rows
grouped by modality) and the count of students at each step.

The timeline reads four variables that the page's filters set (`etape`, `modalite`,
`gravite`, `recherche`), so that a filter narrows the chart as it narrows the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import altair as alt

from generator.process import INTERNSHIP_STEPS, STEP_KEYS, STEP_LABELS
from generator.views.deadlines import CONVENTION, EVALUATION, IMMERSION, TITLES

# One colour per step of `process.STEPS`, in its order: from grey (exempt, nothing yet)
# through warm (paperwork) to blue (under way) and green (done); the same in the chart, its
# legend and the count of steps.
STEP_COLOURS = dict(zip(STEP_KEYS, (
    "#bab0ac", "#9d9d9d", "#edc948", "#f28e2b", "#e15759", "#4e79a7", "#b07aa1", "#59a14f"),
    strict=True))
MARKER_KINDS = (CONVENTION, IMMERSION, EVALUATION)
MARKER_SHAPES = {CONVENTION: "triangle-down", IMMERSION: "circle", EVALUATION: "square"}
MARKER_COLOURS = {CONVENTION: "#8e1b10", IMMERSION: "#ffffff", EVALUATION: "#4a235a"}
FILTERS = ("etape", "modalite", "gravite", "recherche")
ROW_HEIGHT = 18  # pixels per student in the timeline
WIDTH = 1000  # pixels: fits a 1366-pixel screen and an A4 landscape page
# Keeps a record when every filter the page sets lets it through (empty: no filter).
_FILTER = ("(etape == '' || datum.step == etape) && (modalite == '' || datum.group == modalite)"
           " && (gravite == '' || datum.severity == gravite)"
           " && (recherche == '' || indexof(datum.search, recherche) >= 0)")


def _step_scale(steps: Sequence[str]) -> alt.Scale:
    return alt.Scale(domain=[STEP_LABELS[s] for s in steps],
                     range=[STEP_COLOURS[s] for s in steps])


def timeline(records: list[dict[str, Any]], today: dt.date) -> dict[str, Any]:
    """The Gantt chart. ``records``: one per bar (``type`` "bar": ``start``, ``end``) and one
    per marker (``type`` "marker": ``date``, ``marker``; a layer draws only the records
    holding its fields, so that all layers share one data source), each with ``student`` (the row's
    label, unique), ``group``, ``step`` (a key of STEPS), ``step_label``, ``severity``,
    ``search`` (lower-case text the search box matches) and ``tooltip`` fields already in
    French. Dates are ISO strings."""
    steps = INTERNSHIP_STEPS
    base = alt.Chart().encode(
        y=alt.Y("student:N", title=None, sort=None,
                axis=alt.Axis(labelLimit=230, ticks=False, domain=False)))
    date_axis = alt.Axis(format="%b %Y", title=None, grid=True, labelAngle=0, orient="top")
    bars = base.mark_bar(height=ROW_HEIGHT - 6, cornerRadius=3).encode(
        x=alt.X("start:T", axis=date_axis),
        x2="end:T",
        color=alt.Color("step_label:N", scale=_step_scale(steps), title="Étape",
                        legend=alt.Legend(orient="top", direction="horizontal",
                                          columns=4)),
        tooltip=[alt.Tooltip("student:N", title="Auditeur"),
                 alt.Tooltip("structure:N", title="Structure"),
                 alt.Tooltip("step_label:N", title="Étape"),
                 alt.Tooltip("period:N", title="Période")],
    )
    markers = base.mark_point(size=60, filled=True, stroke="#111", strokeWidth=0.8,
                              opacity=1).encode(
        x=alt.X("date:T"),
        shape=alt.Shape("marker:N", title="Repères", scale=alt.Scale(
            domain=[TITLES[k] for k in MARKER_KINDS],
            range=[MARKER_SHAPES[k] for k in MARKER_KINDS]),
            legend=alt.Legend(orient="top", direction="horizontal")),
        fill=alt.Fill("marker:N", title="Repères", scale=alt.Scale(
            domain=[TITLES[k] for k in MARKER_KINDS],
            range=[MARKER_COLOURS[k] for k in MARKER_KINDS])),
        tooltip=[alt.Tooltip("student:N", title="Auditeur"),
                 alt.Tooltip("marker:N", title="Repère"),
                 alt.Tooltip("when:N", title="Date")],
    )
    # one rule per group: the group's records folded into one
    today_line = alt.Chart().transform_aggregate(students="distinct(student)").mark_rule(
        color="#c0392b", strokeWidth=2, strokeDash=[5, 3]).encode(
        x=alt.datum(alt.DateTime(year=today.year, month=today.month, date=today.day)))
    layered = alt.layer(bars, markers, today_line).properties(
        width=WIDTH - 260, height=alt.Step(ROW_HEIGHT))
    chart = layered.facet(
        row=alt.Row("group:N", title=None, sort="ascending",
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start",
                                      labelOrient="top", labelFontSize=13,
                                      labelFontWeight="bold")),
        data=alt.Data(values=records),
    ).resolve_scale(y="independent").add_params(
        *(alt.param(name=name, value="") for name in FILTERS)
    ).transform_filter(_FILTER).configure_view(stroke=None)
    return chart.to_dict(validate=False)


def step_counts(counts: dict[str, int]) -> dict[str, Any]:
    """The students at each step of the process, in its order (exempt students left out:
    the page shows them apart). ``counts``: step key → number of students."""
    steps = INTERNSHIP_STEPS
    values = [{"step_label": STEP_LABELS[s], "count": counts.get(s, 0)} for s in steps]
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("step_label:N", sort=[STEP_LABELS[s] for s in steps], title=None,
                axis=alt.Axis(labelLimit=260, ticks=False, domain=False)),
        x=alt.X("count:Q", title="Auditeurs", axis=alt.Axis(tickMinStep=1, format="d")))
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        color=alt.Color("step_label:N", scale=_step_scale(steps), legend=None),
        tooltip=[alt.Tooltip("step_label:N", title="Étape"),
                 alt.Tooltip("count:Q", title="Auditeurs")])
    labels = base.mark_text(align="left", dx=4, fontWeight="bold").encode(text="count:Q")
    chart = alt.layer(bars, labels).properties(width=360, height=alt.Step(24)).configure_view(
        stroke=None)
    return chart.to_dict(validate=False)
