"""A returned form's raw answers → the typed evaluation, and what is missing from it.

Complete (issue: « every item rated, a decision, hours, date ») means every rating field holds
one of the five ratings, the decision is « Stage validé » or « Stage non validé », the hours
are a number, the date a date; a reason is also required when the internship is not
validated. What is missing or unreadable is named in French, field by field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from generator.cohort import values
from generator.documents import form
from generator.frenchdates import format_hours

T = TypeVar("T")


@dataclass(frozen=True)
class Evaluation:
    ratings: dict[str, str]  # rating key → one of form.RATINGS ("" unanswered)
    validated: bool | None  # the tutor's decision
    hours: float | None  # hours actually done
    signed_on: dt.date | None  # the date the tutor wrote
    texts: dict[str, str]  # absences, commentaires, motif, tuteur: as typed
    missing: tuple[str, ...]  # French: each field missing or unreadable

    @property
    def complete(self) -> bool:
        return not self.missing


_RATING_OF = {values.fold(rating): rating for rating in form.RATINGS}
_DECISION_OF = {values.fold(decision): decision for decision in form.DECISIONS}


def evaluate(answers: dict[str, str]) -> Evaluation:
    """Type the answers of one form (keys of form.FIELDS; an absent key is unanswered)."""
    missing: list[str] = []
    ratings: dict[str, str] = {}
    for field in form.RATING_FIELDS:
        raw = answers.get(field.key, "")
        ratings[field.key] = _RATING_OF.get(values.fold(raw), "")
        if not raw:
            missing.append(f"l'appréciation de « {field.label} »")
        elif not ratings[field.key]:
            missing.append(f"l'appréciation de « {field.label} » (« {raw} » n'est pas une "
                           "appréciation de la liste)")
    decision = _DECISION_OF.get(values.fold(answers.get("decision", "")))
    if decision is None:
        missing.append("la décision (stage validé ou non validé)")
    hours = _hours(answers.get("heures", ""), missing)
    signed_on = _date(answers.get("date", ""), missing)
    texts = {key: answers.get(key, "") for key in ("absences", "commentaires", "motif",
                                                   "tuteur")}
    if decision == form.NOT_VALIDATED and not texts["motif"]:
        missing.append("le motif de la non-validation")
    validated = None if decision is None else decision == form.VALIDATED
    return Evaluation(ratings, validated, hours, signed_on, texts, tuple(missing))


def _hours(raw: str, missing: list[str]) -> float | None:
    return _parsed(raw, values.number, "les heures effectuées", "un nombre d'heures", missing)


def _date(raw: str, missing: list[str]) -> dt.date | None:
    return _parsed(raw, values.date, "la date de l'évaluation", "une date", missing)


def _parsed(raw: str, parse: Callable[[str], T | None], what: str, kind: str,
            missing: list[str]) -> T | None:
    """`raw` read by `parse`; when empty or unreadable, None and `what` (with the value that
    is not `kind`) appended to `missing`."""
    if not raw:
        missing.append(what)
        return None
    try:
        value = parse(raw)
    except ValueError:
        value = None
    if value is None:
        missing.append(f"{what} (« {raw} » n'est pas {kind})")
    return value


def hours_text(hours: float) -> str:
    return f"{format_hours(hours)} heures"
