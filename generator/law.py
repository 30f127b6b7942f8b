"""Amounts fixed by French law, dated: the hourly gratification minimum of an internship.

Code de l'éducation, art. L124-6: an internship of more than two months (308 hours of presence)
is paid a gratification; art. D124-8: its hourly minimum is 15 % of the hourly social-security
ceiling (plafond horaire de la sécurité sociale, Code de la sécurité sociale art. D242-17),
which changes each 1 January. Add a line each January when the ceiling is published.
"""

from __future__ import annotations

import bisect
import datetime as dt

# (in force from, euros per hour of presence) — D124-8: 15 % of the hourly ceiling.
GRATIFICATION_MINIMUM: tuple[tuple[dt.date, float], ...] = (
    (dt.date(2022, 1, 1), 3.90),  # ceiling 26 €/h
    (dt.date(2023, 1, 1), 4.05),  # ceiling 27 €/h
    (dt.date(2024, 1, 1), 4.35),  # ceiling 29 €/h (unchanged in 2025)
    (dt.date(2026, 1, 1), 4.50),  # ceiling 30 €/h
)
_STARTS = [start for start, _amount in GRATIFICATION_MINIMUM]


def legal_gratification_minimum(on: dt.date) -> float:
    """The legal hourly gratification minimum (euros per hour) in force on ``on``
    (L124-6, D124-8). A date before the table's first line gets its first amount."""
    index = bisect.bisect_right(_STARTS, on) - 1
    return GRATIFICATION_MINIMUM[max(index, 0)][1]


def gratification_minimum(on: dt.date, parameter: float | None) -> float:
    """The hourly minimum a convention signed on ``on`` must pay: the legal one, raised by the
    workbook's « Gratification horaire minimale (€) » when that is higher (a parameter may only
    raise the law's minimum, never lower it)."""
    legal = legal_gratification_minimum(on)
    return max(legal, parameter) if parameter is not None else legal
