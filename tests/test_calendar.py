"""`gen calendar`: the deadlines as an .ics that Outlook and Thunderbird import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from icalendar import Calendar

from generator.cli import cli
from generator.cohort.columns import BY_KEY
from tests.conftest import SAMPLE, SAMPLE_TODAY
from tests.workbooks import valid_row, write_workbook


def _run(cohort: Path, output: Path, today: dt.date = SAMPLE_TODAY) -> Calendar:
    result = CliRunner().invoke(cli, ["calendar", str(cohort), "-o", str(output),
                                      "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    assert "événements écrits" in result.output
    return Calendar.from_ical(output.read_bytes())


def _events(calendar: Calendar) -> dict[str, dict[str, object]]:
    return {str(e["uid"]): {"summary": str(e["summary"]), "start": e.decoded("dtstart"),
                            "end": e.decoded("dtend"), "description": str(e["description"])}
            for e in calendar.walk("VEVENT")}


def test_the_sample_calendar_parses_and_its_uids_are_stable(tmp_path: Path) -> None:
    first = _events(_run(SAMPLE, tmp_path / "a.ics"))
    second = _events(_run(SAMPLE, tmp_path / "b.ics", SAMPLE_TODAY + dt.timedelta(days=1)))
    assert set(first) == set(second)  # importing again updates, never duplicates
    assert len(first) == len({e["summary"] for e in first.values()})
    for event in first.values():
        start = event["start"]
        assert type(start) is dt.date  # an all-day event, not a datetime
        assert event["end"] == start + dt.timedelta(days=1)


def test_each_event_names_the_student_and_what_to_do(tmp_path: Path) -> None:
    events = {e["summary"]: e for e in _events(_run(SAMPLE, tmp_path / "e.ics")).values()}
    convention = events["Date limite de la convention — Lucas BERNARD (PAR26113)"]
    assert convention["start"] == dt.date(2026, 12, 2)  # start 14/12/2026 − 12 days
    assert "Faire établir la convention par Sandrine NACREON avant le 2 décembre 2026" in str(
        convention["description"])
    immersion = events["Fin de la phase d'immersion — Julien MOREL (PAR26126)"]
    assert immersion["start"] == dt.date(2026, 12, 3)  # start 18/11/2026 + 15 days
    evaluation = events["Retour de la fiche d'évaluation — Pauline ROLLAND (PAR26127)"]
    assert evaluation["start"] == dt.date(2026, 10, 24)  # end 09/10/2026 + 15 days
    assert "fiche d'évaluation" in str(evaluation["description"])
    # a deadline met stays, marked: the team's calendar is updated, not left stale
    assert "✓ Retour de la fiche d'évaluation — Laura SIMON (PAR26129)" in events
    search = events["Date limite de recherche d'une structure — 4 sans structure"]
    assert search["start"] == dt.date(2027, 3, 1)
    for student in ("Inès BOUAZIZ (PAR26103)", "Mamadou DIALLO (PAR26106)"):
        assert student in str(search["description"])
    # the exempt students have no deadline
    assert not [s for s in events if "PAR26101" in s or "PAR26102" in s]


def test_a_changed_date_updates_the_same_event(tmp_path: Path) -> None:
    before = _events(_run(write_workbook(tmp_path / "a.xlsx", [valid_row()]),
                          tmp_path / "a.ics"))
    moved = valid_row(date_debut=dt.date(2026, 9, 21), date_fin=dt.date(2027, 1, 22))
    after = _events(_run(write_workbook(tmp_path / "b.xlsx", [moved]), tmp_path / "b.ics"))
    assert set(before) == set(after)
    changed = [uid for uid in before if before[uid]["start"] != after[uid]["start"]]
    assert len(changed) == 3  # convention deadline, immersion end, evaluation return


def _csv(path: Path, row: dict[str, object]) -> Path:
    """A French Excel CSV (`;`, dd/mm/yyyy) of one row: it may hold any character."""
    cells = {BY_KEY[key].label: value.strftime("%d/%m/%Y") if isinstance(value, dt.date)
             else "" if value is None else str(value) for key, value in row.items()}
    lines = [";".join(cells), ";".join(f'"{v}"' for v in cells.values())]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    return path


def test_cell_text_cannot_break_the_file(tmp_path: Path) -> None:
    hostile = valid_row(nom="Martin\x0b<script>alert(1)</script>",
                        prenom="Zoé;\nBEGIN:VEVENT", date_convention=None)
    output = tmp_path / "e.ics"
    events = _events(_run(_csv(tmp_path / "c.csv", hostile), output))
    assert len(events) == 3
    text = output.read_bytes().decode("utf-8")
    assert "\x0b" not in text
    assert text.split("\r\n").count("BEGIN:VEVENT") == 3  # the typed one stays text


def test_an_unwritable_output_is_one_french_line(tmp_path: Path) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("")
    result = CliRunner().invoke(cli, ["calendar", str(SAMPLE), "-o",
                                      str(blocker / "e.ics")])
    assert result.exit_code == 2
    assert result.output.startswith("Erreur : Impossible d'écrire")
    assert "Traceback" not in result.output
