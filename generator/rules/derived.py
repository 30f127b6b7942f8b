"""Derived facts, computed once per row and shared by rules, documents and reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.cohort.model import Row
from generator.cohort.params import Params
from generator.law import gratification_minimum, legal_gratification_minimum
from generator.process import REMINDER_REASONS, STEP_KEYS, step_of
from generator.rules import workdays

EVENING = "cours du soir"
STEPS = STEP_KEYS  # the steps of the process, in order (process.py)


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
    # euros per hour: the minimum in force on date_convention, else today (L124-6, D124-8)
    gratification_minimum: float = 0.0
    # the law's own minimum on that date, never raised by a parameter: 15 % of the hourly
    # social-security ceiling, also the franchise of Code de la sécurité sociale L412-8, 2°
    # (up to it the establishment declares a work accident, above it the host does)
    gratification_legal_minimum: float = 0.0
    evaluation_return_by: dt.date | None = None  # date_fin + delai_retour_evaluation_jours
    # The reminders due today (process.REMINDER_REASONS, in their order): (reason, the date
    # it is about — start, convention deadline or end).
    reminders_due: tuple[tuple[str, dt.date], ...] = ()


def pieces_missing(row: Row, params: Params) -> tuple[tuple[str, str], ...]:
    """Evening classes: (column key, French label) of each piece the registrar still lacks.
    A cell that is not of its type is left to its CELL-… finding, not counted as missing."""
    if row.modalite != EVENING:
        return ()
    missing: list[tuple[str, str]] = []
    copies = row.exemplaires_convention
    if "exemplaires_convention" not in row.invalid and (copies or 0) < params.exemplaires_soir:
        handed = f"{copies} remis" if copies else "aucun remis"
        missing.append(("exemplaires_convention",
                        f"{params.exemplaires_soir} exemplaires de la convention ({handed})"))
    if row.date_accord is None and "date_accord" not in row.invalid:
        missing.append(("date_accord", "l'accord pédagogique"))
    if row.attestation_assurance is not True and "attestation_assurance" not in row.invalid:
        missing.append(("attestation_assurance",
                        "l'attestation d'assurance responsabilité civile"))
    if row.carte_auditeur is not True and "carte_auditeur" not in row.invalid:
        missing.append(("carte_auditeur", "la copie de la carte d'auditeur"))
    return tuple(missing)


def experience_exempts(row: Row, params: Params) -> bool:
    """Enough attested experience in insertion: the internship is not required."""
    return ((row.experience_mois or 0) >= params.experience_dispense_mois
            and row.experience_attestee is True)


def reminders_due(row: Row, step: str, dates: dict[str, dt.date | None], pieces: bool,
                  params: Params, today: dt.date) -> tuple[tuple[str, dt.date], ...]:
    """The reminders a (not exempt) row calls for on ``today``, with the date each is about,
    as `process.REMINDER_REASONS` declares them (documents.md, "Reminders"; both ends of a
    window included, its number of days the workbook's parameter). ``dates``: the derived
    dates a reason may be about (`convention_deadline`, `evaluation_return_by`), beside the
    row's own date columns; ``pieces``: evening classes with pieces still missing."""
    due: list[tuple[str, dt.date]] = []
    for reason in REMINDER_REASONS:
        about = dates[reason.about] if reason.about in dates else getattr(row, reason.about)
        after = getattr(row, reason.after) if reason.after else None
        if (reason.instead_of is not None or about is None
                or (reason.done_when and getattr(row, reason.done_when) is not None)
                or any(getattr(row, key) is None for key in reason.requires)
                or (reason.steps and step not in reason.steps)
                or (reason.lists_pieces and not pieces)
                or (reason.after and (after is None or after >= today))):
            continue
        left = (about - today).days
        if left < 0 and not reason.overdue:
            continue
        if reason.window is not None and left > getattr(params, reason.window):
            continue
        due.append((reason.key, about))
    return tuple(due)


def derive(row: Row, params: Params, today: dt.date) -> Derived:
    """Every derived fact of a row, computed once (rules.md, "Derived values")."""
    qualifies = experience_exempts(row, params)
    exempt = qualifies and row.structure_nom is None
    start, end = row.date_debut, row.date_fin
    pieces = pieces_missing(row, params)
    days = workdays.parse_presence_days(row.jours_presence)
    weekly = row.heures_hebdo
    per_day = weekly / len(days) if weekly else None
    region = params.calendrier_feries
    reachable = earliest = None
    if start is not None and per_day is not None:
        if end is not None and end > start:
            # to the minute, as every number of hours is compared and printed
            reachable = round(per_day * workdays.working_days(region, days, start, end)
                              * 60) / 60
        if row.heures_total is not None:
            try:
                needed = workdays.days_needed(row.heures_total, per_day)
                earliest = workdays.earliest_end(region, days, start, needed)
            except OverflowError:  # beyond year 9999 (a total of hours typed wrong)
                earliest = None
    step = step_of(row, exempt, today)
    deadline = workdays.shift(start, -params.delai_convention_jours)
    return_by = workdays.shift(row.date_fin, params.delai_retour_evaluation_jours)
    evening = row.modalite == EVENING
    signed = row.date_convention or today  # the amounts in force are those of this date
    return Derived(
        step=step,
        stage_required=not qualifies,
        exempt=exempt,
        optional=qualifies and row.structure_nom is not None,
        convention_deadline=deadline,
        immersion_end=workdays.shift(start, params.immersion_jours),
        evaluation_return_by=return_by,
        presence_days=days,
        hours_per_day=per_day,
        hours_reachable=reachable,
        earliest_end=earliest,
        full_time=weekly >= params.heures_temps_plein if weekly is not None else None,
        evening=evening,
        missing_pieces=tuple(label for _key, label in pieces) if pieces else (),
        reminders_due=() if exempt else reminders_due(
            row, step, {"convention_deadline": deadline, "evaluation_return_by": return_by},
            evening and bool(pieces), params, today),
        gratification_minimum=gratification_minimum(signed, params.gratification_minimale),
        gratification_legal_minimum=legal_gratification_minimum(signed),
    )
