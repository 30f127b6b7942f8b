"""Presence days, public holidays and the hours an internship calendar can reach.

Counting is arithmetic over weeks (a few operations per row), and each year's holidays are
computed once per process: checking 10,000 rows must stay fast. numpy's `busday_count` and
`busday_offset` give the same answers (`bench/workdays_numpy.py`, 3,000 random cases) in
fewer lines, but about ten times slower per call, and the earliest end would need a guessed
span of years of holidays: the arithmetic stays.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import importlib.util
import math
import re
from pathlib import Path
from typing import Any

from generator.cohort.values import fold

WEEKDAYS_MONDAY_TO_FRIDAY: tuple[int, ...] = (0, 1, 2, 3, 4)
_DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_TOKEN = re.compile(r"[a-z]+")
_SEPARATORS = {"et", "le", "les", "du", "de", "chaque"}
_RANGE_WORDS = {"au", "a", "jusqu'au"}
ALSACE_MOSELLE = "Alsace-Moselle"


def _weekday(token: str) -> int | None:
    for index, name in enumerate(_DAY_NAMES):
        if token in (name, name + "s", name[:3]):
            return index
    return None


@functools.lru_cache(maxsize=1024)  # a cohort repeats a few spellings
def parse_presence_days(text: str | None) -> tuple[int, ...]:
    """Weekdays (0 = Monday) named in ``jours_presence``: French names or their first three
    letters, separated by commas, spaces, « / » or « et »; « du lundi au jeudi » is a range.
    Empty or no day named: Monday to Friday."""
    if not text:
        return WEEKDAYS_MONDAY_TO_FRIDAY
    days: set[int] = set()
    previous: int | None = None
    in_range = False
    for token in _TOKEN.findall(fold(text)):
        if token in _RANGE_WORDS and previous is not None:
            in_range = True
            continue
        day = _weekday(token)
        if day is None:
            if token not in _SEPARATORS:
                in_range = False
            continue
        if in_range and previous is not None:
            days.update(range(previous, day + 1) if previous <= day else ())
        days.add(day)
        previous, in_range = day, False
    return tuple(sorted(days)) or WEEKDAYS_MONDAY_TO_FRIDAY


@functools.cache
def _france() -> Any:
    """`holidays`' calendar of France, loaded alone: the package's `countries` module
    imports every country's (a third of a second before the first line of output), while
    France's own module needs only the package's core. Any other layout of the package: its
    documented `holidays.France`."""
    import holidays

    path = Path(holidays.__file__).parent / "countries" / "france.py"
    spec = importlib.util.spec_from_file_location("holidays.countries.france", path)
    if spec is None or spec.loader is None or not path.is_file():
        return holidays.France
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.France


@functools.cache
def holidays_of_year(region: str, year: int) -> dict[dt.date, str]:
    """Public holidays of France (Code du travail L3133-1), with Good Friday and St Stephen's
    Day in Alsace-Moselle (L3134-13; `holidays`' subdivision 57)."""
    subdiv = "57" if region == ALSACE_MOSELLE else None
    return dict(_france()(years=year, subdiv=subdiv, language="fr"))


def holiday_name(region: str, day: dt.date) -> str | None:
    """The French name of the public holiday on ``day`` (None: a working day)."""
    return holidays_of_year(region, day.year).get(day)


@functools.cache
def _holiday_ordinals(region: str, year: int, weekdays: tuple[int, ...]) -> tuple[int, ...]:
    """Sorted ordinals of the year's holidays that fall on a presence day."""
    return tuple(sorted(d.toordinal() for d in holidays_of_year(region, year)
                        if d.weekday() in weekdays))


@functools.cache
def _holidays_between_years(region: str, weekdays: tuple[int, ...], first: int,
                            last: int) -> tuple[int, ...]:
    """The presence-day holidays of years ``first`` to ``last``, one sorted tuple (rows of a
    cohort share a few year spans)."""
    return tuple(ordinal for year in range(first, last + 1)
                 for ordinal in _holiday_ordinals(region, year, weekdays))


def holidays_on_presence(region: str, weekdays: tuple[int, ...], start: dt.date,
                         end: dt.date) -> int:
    """How many public holidays fall on a presence day between ``start`` and ``end``."""
    if end < start:
        return 0
    ordinals = _holidays_between_years(region, weekdays, start.year, end.year)
    return (bisect.bisect_right(ordinals, end.toordinal())
            - bisect.bisect_left(ordinals, start.toordinal()))


def _offsets(start: dt.date, weekdays: tuple[int, ...]) -> tuple[int, ...]:
    """Days from ``start`` to each presence day of its first week, in order."""
    return _week_offsets(start.weekday(), weekdays)


@functools.cache
def _week_offsets(first: int, weekdays: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted((day - first) % 7 for day in weekdays))


def presence_days_between(start: dt.date, end: dt.date, weekdays: tuple[int, ...]) -> int:
    """Presence days from ``start`` to ``end``, both included, holidays not removed."""
    if end < start:
        return 0
    weeks, rest = divmod((end - start).days + 1, 7)
    return weeks * len(weekdays) + sum(1 for offset in _offsets(start, weekdays) if offset < rest)


def nth_presence_day(start: dt.date, n: int, weekdays: tuple[int, ...]) -> dt.date:
    """The ``n``-th (from 1) presence day from ``start`` on, holidays not removed."""
    weeks, index = divmod(n - 1, len(weekdays))
    return start + dt.timedelta(days=7 * weeks + _offsets(start, weekdays)[index])


@functools.lru_cache(maxsize=4096)  # pure, and the rows of a cohort share dates
def working_days(region: str, weekdays: tuple[int, ...], start: dt.date, end: dt.date) -> int:
    """Presence days between ``start`` and ``end`` (both included) that are not holidays."""
    if end < start:
        return 0
    return (presence_days_between(start, end, weekdays)
            - holidays_on_presence(region, weekdays, start, end))


def days_needed(total_hours: float, hours_per_day: float) -> int:
    """Presence days needed to reach ``total_hours`` (a rounding crumb is not a day)."""
    return max(1, math.ceil(total_hours / hours_per_day - 1e-9))


@functools.lru_cache(maxsize=4096)
def earliest_end(region: str, weekdays: tuple[int, ...], start: dt.date,
                 needed_days: int) -> dt.date:
    """The first date on which ``needed_days`` non-holiday presence days are done."""
    end = nth_presence_day(start, needed_days, weekdays)
    while True:
        # Each holiday met pushes the end by one presence day; the count only grows, so this
        # settles after a step or two, on a day that is not a holiday.
        skipped = holidays_on_presence(region, weekdays, start, end)
        moved = nth_presence_day(start, needed_days + skipped, weekdays)
        if moved == end:
            return end
        end = moved


def shift(day: dt.date | None, days: int) -> dt.date | None:
    """``day`` plus ``days`` (negative: minus); None when there is no day or the result falls
    outside the calendar (a date in year 9999 plus two weeks)."""
    if day is None:
        return None
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, kept within the target month (31 January + 1 → 28/29 Feb).
    Raises ValueError past year 9999."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day <= 28:  # every month has that day: no calendar lookup
        return dt.date(year, month, day.day)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
