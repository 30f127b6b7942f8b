"""The hand-written business-day counting of `rules/workdays.py` against numpy's
`busday_count` / `busday_offset`, on random cases with the French public holidays.

    python bench/workdays_numpy.py [CASES] [--seed S]   (CASES: 3000 by default)

Prints how many cases agree (working days between two dates, and the earliest end of a given
number of days), then both times side by side and their ratio. They agree; numpy is about ten
times slower per call, so `rules/workdays.py` keeps its arithmetic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.rules import workdays  # noqa: E402

REGIONS = ("métropole", workdays.ALSACE_MOSELLE)


@functools.cache
def _calendar(region: str, weekdays: tuple[int, ...], first: int, last: int
              ) -> np.busdaycalendar:
    """The presence days of ``weekdays`` and the holidays of years ``first`` to ``last``."""
    holidays = [day for year in range(first, last + 1)
                for day in workdays.holidays_of_year(region, year)]
    return np.busdaycalendar(weekmask=[day in weekdays for day in range(7)],
                             holidays=holidays)


def numpy_working_days(region: str, weekdays: tuple[int, ...], start: dt.date,
                       end: dt.date) -> int:
    if end < start:
        return 0
    return int(np.busday_count(start, end + dt.timedelta(days=1),
                               busdaycal=_calendar(region, weekdays, start.year, end.year)))


def numpy_earliest_end(region: str, weekdays: tuple[int, ...], start: dt.date,
                       needed: int) -> dt.date:
    # the span is not known before counting: holidays of enough years to hold `needed` days
    years = needed // (50 * len(weekdays)) + 2
    day = np.busday_offset(start, needed - 1, roll="forward",
                           busdaycal=_calendar(region, weekdays, start.year, start.year + years))
    return dt.date.fromisoformat(str(day))


def _cases(count: int, rng: random.Random) -> list[tuple[str, tuple[int, ...], dt.date,
                                                         dt.date, int]]:
    cases = []
    for _ in range(count):
        weekdays = tuple(sorted(rng.sample(range(7), rng.randint(1, 6))))
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 4 * 365))
        end = start + dt.timedelta(days=rng.randrange(-10, 400))
        cases.append((rng.choice(REGIONS), weekdays, start, end, rng.randint(1, 150)))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", nargs="?", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    cases = _cases(args.cases, random.Random(args.seed))
    mismatches = 0
    for region, weekdays, start, end, needed in cases:
        ours = (workdays.working_days(region, weekdays, start, end),
                workdays.earliest_end(region, weekdays, start, needed))
        theirs = (numpy_working_days(region, weekdays, start, end),
                  numpy_earliest_end(region, weekdays, start, needed))
        if ours != theirs:
            mismatches += 1
            print("désaccord", region, weekdays, start, end, needed, ours, theirs)
    print(f"{len(cases)} cas, {len(cases) - mismatches} identiques, {mismatches} différents")
    workdays.working_days.cache_clear()
    workdays.earliest_end.cache_clear()
    _calendar.cache_clear()
    timings = {}
    for name, count_days, end_of in (
            ("boucle écrite à la main", workdays.working_days, workdays.earliest_end),
            ("numpy busday_*", numpy_working_days, numpy_earliest_end)):
        began = time.perf_counter()
        for region, weekdays, start, end, needed in cases:
            count_days(region, weekdays, start, end)
            end_of(region, weekdays, start, needed)
        timings[name] = time.perf_counter() - began
        print(f"{name:<24} {timings[name] * 1e6 / len(cases):8.1f} µs par cas")
    hand, numpy_time = timings.values()
    print(f"numpy / boucle : {numpy_time / hand:.2f}")


if __name__ == "__main__":
    main()
