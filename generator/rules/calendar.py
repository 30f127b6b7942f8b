"""Calendar rules: can the internship reach its hours between its dates, does a full-time
internship last about four months, does it start on a working day."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from generator.rules import workdays
from generator.rules.registry import ERROR, WARNING, Hit, RowContext, rule
from generator.rules.wording import (
    WEEKDAYS,
    format_count,
    format_date,
    format_hours,
    format_list,
)

_EPSILON = 1e-6  # hours are floats: 559.9999999 reached is 560 reached


@functools.cache  # a cohort has a few presence patterns
def describe_days(days: tuple[int, ...]) -> str:
    """« du lundi au vendredi », « le lundi, le mardi et le jeudi »."""
    if len(days) > 2 and days == tuple(range(days[0], days[-1] + 1)):
        return f"du {WEEKDAYS[days[0]]} au {WEEKDAYS[days[-1]]}"
    return format_list([f"le {WEEKDAYS[d]}" for d in days])


def calendar_short(ctx: RowContext) -> bool:
    """The hours reachable between the dates fall short of the total (STAGE-CALENDAR)."""
    reachable, total = ctx.derived.hours_reachable, ctx.row.heures_total
    return reachable is not None and total is not None and reachable < total - _EPSILON


@rule("STAGE-CALENDAR", ERROR)
def stage_calendar(ctx: RowContext) -> Iterator[Hit]:
    """The total hours cannot be reached between start and end, holidays excluded."""
    if not calendar_short(ctx):
        return
    row, derived = ctx.row, ctx.derived
    assert row.date_debut and row.date_fin and row.heures_total and derived.hours_per_day
    assert derived.hours_reachable is not None and row.heures_hebdo is not None
    days = derived.presence_days
    holidays = ("jours fériés d'Alsace-Moselle exclus"
                if ctx.params.calendrier_feries == workdays.ALSACE_MOSELLE
                else "jours fériés exclus")
    advice = (f"Reportez la date de fin au {format_date(derived.earliest_end)} au moins, ou "
              f"augmentez les heures par semaine." if derived.earliest_end
              else "Allongez la période ou augmentez les heures par semaine.")
    yield Hit("date_fin", (
        f"Du {format_date(row.date_debut)} au {format_date(row.date_fin)}, à "
        f"{format_hours(row.heures_hebdo)} heures par semaine sur "
        f"{format_count(len(days), 'jour')} ({describe_days(days)}, soit "
        f"{format_hours(derived.hours_per_day)} heures par jour), {holidays}, "
        f"le stage n'atteint que {format_hours(derived.hours_reachable)} heures sur les "
        f"{format_hours(row.heures_total)} prévues. {advice}"),
        facts={"start": row.date_debut, "end": row.date_fin, "weekly_hours": row.heures_hebdo,
               "presence_days": len(days), "hours_per_day": derived.hours_per_day,
               "hours_reachable": derived.hours_reachable, "hours": row.heures_total,
               "earliest_end": derived.earliest_end})


@rule("STAGE-FULL-TIME", WARNING)
def stage_full_time(ctx: RowContext) -> Iterator[Hit]:
    """Full time lasts about four months: the end within 14 days of start + 4 months."""
    row, params = ctx.row, ctx.params
    start, end = row.date_debut, row.date_fin
    if not ctx.derived.full_time or start is None or end is None or end <= start:
        return
    if calendar_short(ctx):
        return  # an end too early to reach the hours is STAGE-CALENDAR's finding
    try:
        expected = workdays.add_months(start, params.temps_plein_mois)
    except (ValueError, OverflowError):  # past year 9999: nothing sensible to compare
        return
    gap = (end - expected).days
    if abs(gap) <= params.tolerance_temps_plein_jours:
        return
    direction = "après" if gap > 0 else "avant"
    yield Hit("date_fin", (
        f"Stage à temps plein ({format_hours(row.heures_hebdo or 0)} heures par semaine) : il "
        f"dure normalement {params.temps_plein_mois} mois, soit une fin vers le "
        f"{format_date(expected)} ; la date de fin ({format_date(end)}) tombe "
        f"{format_count(abs(gap), 'jour')} {direction}. Vérifiez la date de fin ou les heures "
        f"par semaine (un temps partiel "
        f"s'étale sur une période plus longue)."),
        facts={"expected_end": expected, "end": end, "gap_days": gap,
               "months": params.temps_plein_mois, "weekly_hours": row.heures_hebdo})


@rule("STAGE-PUBLIC-HOLIDAY", WARNING)
def stage_public_holiday(ctx: RowContext) -> Iterator[Hit]:
    """The internship starts on a weekend (not a listed presence day) or a public holiday."""
    start = ctx.row.date_debut
    if start is None:
        return
    holiday = workdays.holiday_name(ctx.params.calendrier_feries, start)
    if holiday:
        why = f"un jour férié ({holiday})"
    elif start.weekday() >= 5 and start.weekday() not in ctx.derived.presence_days:
        why = "un week-end"
    else:
        return
    yield Hit("date_debut", (
        f"Le stage commence le {format_date(start, weekday=True)}, {why}. Vérifiez la date de "
        f"début avec la structure d'accueil (le premier jour de présence)."),
        facts={"start": start, "holiday": holiday or None})
