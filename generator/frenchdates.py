"""Dates, hours and amounts written the French way, for messages and documents."""

from __future__ import annotations

import datetime as dt

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def format_date(day: dt.date, weekday: bool = False) -> str:
    """« 14 septembre 2026 », « 1er mars 2027 »; with ``weekday``: « lundi 14 septembre 2026 »."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def format_number(value: float, decimals: int = 2) -> str:
    """« 560 », « 17,5 », « 17,25 »: no useless decimals, a decimal comma."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{round(value, decimals):.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if text != "-0" else "0"


def format_hours(value: float) -> str:
    """Hours as the team writes them: « 560 », « 17,5 » (the unit is added by the caller)."""
    return format_number(value, 2)


def format_euros(value: float) -> str:
    """« 4,35 € », « 10,00 € »: always two decimals."""
    return f"{value:.2f} €".replace(".", ",")
