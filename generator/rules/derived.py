"""Derived facts, computed once per row and shared by rules, documents and reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The steps of the process, in order (rules.md, "Derived values").
STEPS = ("exempt", "search", "definition", "approval", "convention", "ongoing", "evaluation",
         "done")


@dataclass(frozen=True)
class Derived:
    step: str  # one of STEPS
    stage_required: bool  # false when exempt (experience attested)
    exempt: bool  # STAGE-EXEMPT: no internship rule runs, no document
    optional: bool  # STAGE-OPTIONAL: exempt but a structure is filled
    convention_deadline: dt.date | None  # date_debut − delai_convention_jours
    immersion_end: dt.date | None  # date_debut + immersion_jours
    presence_days: tuple[int, ...]  # weekdays (0 = Monday) of presence
    hours_per_day: float | None  # heures_hebdo ÷ presence days a week
    hours_reachable: float | None  # between date_debut and date_fin, holidays excluded
    earliest_end: dt.date | None  # first date reaching heures_total (None: not computable)
    full_time: bool | None  # heures_hebdo ≥ 35
    evening: bool  # cours du soir
    missing_pieces: tuple[str, ...]  # evening classes: pieces the registrar still lacks
