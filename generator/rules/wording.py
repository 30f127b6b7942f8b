"""The French wording of dates, hours and amounts in the rules' messages, memoised.

Checking 10,000 rows writes some 20,000 messages that repeat a few hundred dates and hour
counts; these are pure functions of their argument, so each distinct value is worded once.
Rules take all their French wording from here, counts and lists included (not memoised:
they are cheap and their arguments vary).
"""

from __future__ import annotations

import functools

from generator import frenchdates
from generator.frenchdates import WEEKDAYS, agreed, format_count, format_list

# typed=True: 560 and 560.0 are worded apart, exactly as the functions themselves would
format_date = functools.lru_cache(maxsize=4096, typed=True)(frenchdates.format_date)
format_hours = functools.lru_cache(maxsize=4096, typed=True)(frenchdates.format_hours)
format_euros = functools.lru_cache(maxsize=1024, typed=True)(frenchdates.format_euros)

__all__ = ["WEEKDAYS", "agreed", "format_count", "format_date", "format_euros", "format_hours",
           "format_list"]
