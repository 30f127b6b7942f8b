"""`gen calendar`: the cohort's deadlines as an iCalendar file (RFC 5545) that Outlook and
Thunderbird import.

Each deadline is an all-day event (DTSTART as a date, DTEND the next day, free time) naming the
student and what to do. UIDs are stable (a hash of the degree's code, the student's number and
the kind of deadline): importing a newer file updates the events instead of duplicating them,
and a deadline that was met stays, marked « ✓ ». The search limit is one event for the cohort,
naming every student still without a structure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from pathlib import Path

from icalendar import Calendar, Event

from generator.frenchdates import format_date
from generator.rules.report import Report
from generator.views.deadlines import SEARCH, TITLES, Deadline, deadlines
from generator.views.output import write_view

PRODID = "-//Cnam LP110//gen calendar//FR"


def _clean(text: str) -> str:
    """Cell text made safe for a property value: control characters (vertical tabs, carriage
    returns…) become spaces, except the line breaks that icalendar escapes itself."""
    return "".join(" " if unicodedata.category(c) == "Cc" and c != "\n" else c for c in text)


def _uid(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@stages.lp110"


def _student(deadline: Deadline) -> str:
    row = deadline.row
    return f"{row.full_name} ({row.student})" if row.full_name else row.student


def _event(uid: str, day: dt.date, summary: str, description: str, stamp: dt.datetime
           ) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)  # a date: an all-day event
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", _clean(summary))
    event.add("description", _clean(description))
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    event.add("categories", ["Stages"])
    return event


def _row_event(code: str, deadline: Deadline, stamp: dt.datetime) -> Event:
    row = deadline.row
    mark = "✓ " if deadline.done else ""
    lines = [deadline.todo]
    if row.structure_nom:
        lines.append(f"Structure d'accueil : {row.structure_nom}")
    if row.email:
        lines.append(f"Courriel de l'auditeur : {row.email}")
    return _event(_uid(code, row.student, deadline.kind), deadline.date,
                  f"{mark}{deadline.title} — {_student(deadline)}", "\n".join(lines), stamp)


def _search_event(code: str, searching: list[Deadline], stamp: dt.datetime) -> Event:
    day = searching[0].date
    names = "\n".join(f"- {_student(d)}" for d in searching)
    return _event(_uid(code, SEARCH, str(day.year)), day,
                  f"{TITLES[SEARCH]} — {len(searching)} sans structure",
                  f"Auditeurs encore sans structure d'accueil au {format_date(day)} : "
                  f"les contacter pour faire le point sur leur recherche.\n{names}", stamp)


def build_calendar(report: Report, stamp: dt.datetime | None = None) -> Calendar:
    """The calendar of every deadline of a checked cohort (see the module's docstring);
    ``stamp`` is the DTSTAMP of every event (default: now, UTC)."""
    params = report.cohort.params
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _clean(f"Échéances des stages {params.code_formation}"))
    all_deadlines = deadlines(report)
    searching = [d for d in all_deadlines if d.kind == SEARCH]
    if searching:
        calendar.add_component(_search_event(params.code_formation, searching, stamp))
    for deadline in all_deadlines:
        if deadline.kind != SEARCH:
            calendar.add_component(_row_event(params.code_formation, deadline, stamp))
    return calendar


def write_calendar(report: Report, path: Path) -> int:
    """Write the calendar to ``path`` (temporary file, then rename); the number of events.
    Raises GenError when the file cannot be written."""
    calendar = build_calendar(report)
    write_view(path, calendar.to_ical())
    return len(calendar.walk("VEVENT"))

