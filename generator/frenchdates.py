"""Dates, hours, amounts, counts and lists written the French way, for messages and
documents."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from babel.numbers import format_currency

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


def format_amount(value: float) -> str:
    """An amount as a document prints it, French typography (Babel, locale fr_FR): two
    decimals, thousands set apart by a narrow no-break space, a no-break space before the
    euro sign (« 4,50 € », « 2 520,00 € »): a line never breaks inside it."""
    return format_currency(value, "EUR", locale="fr_FR")


def format_euros(value: float) -> str:
    """An amount as messages print it (terminal, JSON, CSV, the annotated workbook): as
    `format_amount`, with plain spaces and no thousands separator, so that it can be typed
    back or searched for (« 4,35 € », « 2520,00 € »)."""
    return format_amount(value).replace("\u202f", "").replace("\xa0", " ")


# A space typed before « : ; ! ? » » or after « « » (a space, not its absence: « http://… »,
# « 10h30 » stay as typed), outside template tags ({{ … }}, {% … %}: « != » is code).
_SPACED = re.compile(r"(\{[{%].*?[%}]\})| +([:;!?»])(?!=)|(«) +")


def typeset(text: str) -> str:
    """French typography in a text a document prints (Imprimerie nationale): the space
    before « : ; ! ? » » and after « « » made a no-break space, so that a line never starts
    with a colon or leaves a guillemet alone; template tags are left as they are."""
    return _SPACED.sub(lambda match: match.group(1) or (
        f"\xa0{match.group(2)}" if match.group(2) else "«\xa0"), text)


def format_count(count: int, word: str) -> str:
    """« 0 jour », « 1 jour », « 3 jours »: the word in the plural from 2 on, as French does."""
    return f"{count} {word}{'s' if count > 1 else ''}"


_FEMININE = {"auditeur": "auditrice", "tuteur": "tutrice"}


def agreed(noun: str, civilite: str | None) -> str:
    """The noun in the gender of the person it names: « auditrice », « tutrice » for a
    « Mme », else the noun as given."""
    return _FEMININE.get(noun, noun) if civilite == "Mme" else noun


def format_list(items: Sequence[str]) -> str:
    """« a », « a et b », « a, b et c »: noun phrases inside one sentence."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def join_sentences(sentences: Sequence[str]) -> str:
    """Whole sentences one after the other, each ended by its own stop (« . » added to one
    that has none), separated by a space: never « …minimum. ; Aucun… »."""
    ended = (text if text.endswith((".", "!", "?", "…")) else f"{text}."
             for text in (sentence.strip() for sentence in sentences) if text)
    return " ".join(ended)
