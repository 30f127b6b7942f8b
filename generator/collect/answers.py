"""A returned form's raw answers → the typed evaluation, and what is missing from it.

Complete (issue: « every item rated, a decision, hours, date ») means every rating field holds
one of the five ratings, the decision is « Stage validé » or « Stage non validé », the hours
are a number, the date a date; a reason is also required when the internship is not
validated. What is missing or unreadable is named in French, field by field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.cohort import values
from generator.documents import form
from generator.frenchdates import format_hours


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
            missing.append(f"« {field.label} » sans appréciation")
        elif not ratings[field.key]:
            missing.append(f"« {field.label} » : « {raw} » n'est pas une appréciation de la "
                           "liste")
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
    if not raw:
        missing.append("les heures effectuées")
        return None
    try:
        hours = values.number(raw)
    except ValueError:
        hours = None
    if hours is None:
        missing.append(f"les heures effectuées (« {raw} » n'est pas un nombre d'heures)")
    return hours


def _date(raw: str, missing: list[str]) -> dt.date | None:
    if not raw:
        missing.append("la date de l'évaluation")
        return None
    try:
        day = values.date(raw)
    except ValueError:
        day = None
    if day is None:
        missing.append(f"la date de l'évaluation (« {raw} » n'est pas une date)")
    return day


def hours_text(hours: float) -> str:
    return f"{format_hours(hours)} heures"
