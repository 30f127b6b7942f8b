"""Calendar: presence days, holidays (metropolitan France, Alsace-Moselle), the hours reachable
and the earliest end (checked against a day-by-day count), STAGE-CALENDAR, STAGE-FULL-TIME,
STAGE-PUBLIC-HOLIDAY."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_helpers import clean_row, codes, only, params, run

from generator.findings import Severity
from generator.rules import workdays

ALSACE = params(calendrier_feries="Alsace-Moselle")


def _day_by_day(region: str, days: tuple[int, ...], start: dt.date, end: dt.date) -> int:
    subdiv = "57" if region == "Alsace-Moselle" else None
    calendar = holidays.France(years=range(start.year, end.year + 1), subdiv=subdiv)
    count, day = 0, start
    while day <= end:
        count += day.weekday() in days and day not in calendar
        day += dt.timedelta(days=1)
    return count


@pytest.mark.parametrize(("text", "days"), [
    (None, (0, 1, 2, 3, 4)), ("", (0, 1, 2, 3, 4)),
    ("lundi, mardi", (0, 1)), ("Lun/Mer/Ven", (0, 2, 4)), ("mardi et jeudi", (1, 3)),
    ("MERCREDI  vendredi", (2, 4)), ("lundi, samedi", (0, 5)), ("du lundi au jeudi", (0, 1, 2, 3)),
    ("les lundis", (0,)), ("jeu. ven.", (3, 4)), ("à définir", (0, 1, 2, 3, 4)),
])
def test_presence_days(text: str | None, days: tuple[int, ...]) -> None:
    assert workdays.parse_presence_days(text) == days


weekday_sets = st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s)))
starts = st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31))
regions = st.sampled_from(["métropole", "Alsace-Moselle"])


@settings(max_examples=60, deadline=None)
@given(regions, weekday_sets, starts, st.integers(0, 400))
def test_working_days_match_a_day_by_day_count(region: str, days: tuple[int, ...],
                                               start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    assert workdays.working_days(region, days, start, end) == _day_by_day(region, days, start,
                                                                          end)


@settings(max_examples=60, deadline=None)
@given(regions, weekday_sets, starts, st.integers(1, 150))
def test_earliest_end_is_the_first_day_reaching_the_count(region: str, days: tuple[int, ...],
                                                          start: dt.date, needed: int) -> None:
    end = workdays.earliest_end(region, days, start, needed)
    assert _day_by_day(region, days, start, end) == needed
    assert _day_by_day(region, days, start, end - dt.timedelta(days=1)) == needed - 1


def test_the_clean_row_reaches_its_hours() -> None:
    derived = run(clean_row()).derived[2]
    assert derived.earliest_end == dt.date(2027, 1, 6)
    assert derived.hours_per_day == 7.0
    assert derived.hours_reachable == 7.0 * _day_by_day("métropole", (0, 1, 2, 3, 4),
                                                        dt.date(2026, 9, 14),
                                                        dt.date(2027, 1, 15))


def test_stage_calendar_one_day_short() -> None:
    assert "STAGE-CALENDAR" not in codes(run(clean_row(date_fin=dt.date(2027, 1, 6))))
    report = run(clean_row(date_fin=dt.date(2027, 1, 5)))
    finding = only(report, "STAGE-CALENDAR")
    assert finding.severity == Severity.ERROR and finding.key == "date_fin"
    assert "553 heures" in finding.message  # 79 days of 7 hours
    assert "6 janvier 2027" in finding.message  # the earliest end that reaches 560


def test_stage_calendar_part_time_on_listed_days() -> None:
    # 14 h a week on Monday and Tuesday: 7 h a day, 80 presence days needed
    row = clean_row(heures_hebdo=14.0, jours_presence="lundi, mardi",
                    date_fin=dt.date(2027, 6, 1))
    report = run(row)
    finding = only(report, "STAGE-CALENDAR")
    assert "le lundi et le mardi" in finding.message
    derived = report.derived[2]
    end = derived.earliest_end
    assert end is not None and end.weekday() in (0, 1)
    assert _day_by_day("métropole", (0, 1), dt.date(2026, 9, 14), end) == 80
    assert "STAGE-CALENDAR" not in codes(run(clean_row(heures_hebdo=14.0,
                                                       jours_presence="lundi, mardi",
                                                       date_fin=end)))


def test_alsace_moselle_counts_good_friday_and_26_december() -> None:
    # Monday–Friday from 14/12/2026 to 02/04/2027: 26/12/2026 is a Saturday, but Good Friday
    # (26/03/2027) is a working day only outside Alsace-Moselle.
    row = clean_row(date_debut=dt.date(2026, 12, 14), date_fin=dt.date(2027, 4, 2),
                    heures_hebdo=35.0, date_convention=dt.date(2026, 11, 1))
    metropole = run(row).derived[2]
    alsace = run(row, params=ALSACE).derived[2]
    assert metropole.hours_reachable is not None and alsace.hours_reachable is not None
    assert metropole.hours_reachable - alsace.hours_reachable == 7.0
    # 26/12/2025 is a Friday: one more day lost in Alsace-Moselle
    row = clean_row(date_debut=dt.date(2025, 12, 22), date_fin=dt.date(2025, 12, 31))
    assert run(row).derived[2].hours_reachable == 7 * 7.0  # 8 weekdays, 25/12 off
    assert run(row, params=ALSACE).derived[2].hours_reachable == 6 * 7.0


@pytest.mark.parametrize(("end", "fires"), [
    (dt.date(2027, 1, 28), False),  # 14/01/2027 + 14 days
    (dt.date(2027, 1, 29), True),  # + 15 days
])
def test_stage_full_time_fourteen_days_either_way(end: dt.date, fires: bool) -> None:
    assert ("STAGE-FULL-TIME" in codes(run(clean_row(date_fin=end)))) == fires


def test_stage_full_time_too_short_with_hours_reached() -> None:
    # 45 h a week reach 560 h well before 4 months: an end 15 days early is only FULL-TIME
    row = clean_row(heures_hebdo=45.0, date_fin=dt.date(2026, 12, 30))
    report = run(row)
    assert "STAGE-FULL-TIME" in codes(report)
    assert "14 janvier 2027" in only(report, "STAGE-FULL-TIME").message
    assert "STAGE-FULL-TIME" not in codes(run(clean_row(heures_hebdo=45.0,
                                                       date_fin=dt.date(2026, 12, 31))))


def test_an_end_too_early_to_reach_the_hours_is_only_stage_calendar() -> None:
    report = run(clean_row(date_fin=dt.date(2026, 12, 18)))
    assert "STAGE-CALENDAR" in codes(report)
    assert "STAGE-FULL-TIME" not in codes(report)


def test_part_time_is_not_held_to_four_months() -> None:
    row = clean_row(heures_hebdo=20.0, date_fin=dt.date(2027, 6, 30))
    assert "STAGE-FULL-TIME" not in codes(run(row))


@pytest.mark.parametrize(("start", "presence", "region", "fires", "why"), [
    (dt.date(2026, 9, 14), None, "métropole", False, ""),  # a Monday
    (dt.date(2026, 11, 11), None, "métropole", True, "Armistice"),
    (dt.date(2026, 9, 12), None, "métropole", True, "week-end"),  # a Saturday
    (dt.date(2026, 9, 12), "samedi, lundi", "métropole", False, ""),
    (dt.date(2025, 12, 26), None, "métropole", False, ""),
    (dt.date(2025, 12, 26), None, "Alsace-Moselle", True, "Saint-Étienne"),
    (dt.date(2027, 3, 26), None, "métropole", False, ""),
    (dt.date(2027, 3, 26), None, "Alsace-Moselle", True, "Vendredi saint"),
])
def test_stage_public_holiday(start: dt.date, presence: str | None, region: str, fires: bool,
                              why: str) -> None:
    row = clean_row(date_debut=start, date_fin=start + dt.timedelta(days=130),
                    jours_presence=presence, date_convention=start - dt.timedelta(days=30))
    report = run(row, params=params(calendrier_feries=region))
    found = [f for f in report.for_row(2) if f.code == "STAGE-PUBLIC-HOLIDAY"]
    assert bool(found) == fires
    if fires:
        assert why in found[0].message and found[0].key == "date_debut"


@pytest.mark.parametrize("region", ["France métropolitaine", "Alsace-Moselle"])
def test_holidays_loaded_alone_are_the_package_calendar(region: str) -> None:
    subdiv = "57" if region == "Alsace-Moselle" else None
    for year in (2026, 2027, 2030):
        expected = holidays.France(years=year, subdiv=subdiv)
        found = {day for day in expected if workdays.holiday_name(region, day)}
        assert found == set(expected)
        assert workdays.holiday_name(region, dt.date(year, 7, 14)) == "Fête nationale"


def test_only_france_is_loaded() -> None:
    import subprocess
    import sys

    code = ("import sys, datetime\nfrom generator.rules import workdays\n"
            "workdays.holiday_name('France métropolitaine', datetime.date(2026, 5, 1))\n"
            "print(sum(name.startswith('holidays.countries.') for name in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "0"
