"""The French wording of dates, hours and amounts in the rules' messages, memoised.

Checking 10,000 rows writes some 20,000 messages that repeat a few hundred dates and hour
counts; these are pure functions of their argument, so each distinct value is worded once.
"""

from __future__ import annotations

import functools

from generator import frenchdates
from generator.frenchdates import WEEKDAYS

# typed=True: 560 and 560.0 are worded apart, exactly as the functions themselves would
format_date = functools.lru_cache(maxsize=4096, typed=True)(frenchdates.format_date)
format_hours = functools.lru_cache(maxsize=4096, typed=True)(frenchdates.format_hours)
format_euros = functools.lru_cache(maxsize=1024, typed=True)(frenchdates.format_euros)

__all__ = ["WEEKDAYS", "format_date", "format_euros", "format_hours"]
