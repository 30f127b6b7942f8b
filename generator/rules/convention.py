"""Convention rules: established at least 12 days before the start, and, for evening classes,
with every piece the registrar needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.rules import workdays
from generator.rules.derived import pieces_missing
from generator.rules.registry import ERROR, WARNING, Hit, RowContext, rule
from generator.rules.wording import format_date

# From step `convention` on, the pieces are collected (rules.md, CONVENTION-PIECES).
CONVENTION_STEPS = frozenset({"convention", "ongoing", "evaluation", "done"})


def _days(count: int) -> str:
    return f"{count} jour{'s' if count > 1 else ''}"


def _deadline_rule(delay: int, start: dt.date, deadline: dt.date) -> str:
    return (f"la convention doit être établie au moins {_days(delay)} avant le début du "
            f"stage ({format_date(start)}), soit le {format_date(deadline)} au plus tard")


@rule("CONVENTION-DEADLINE", ERROR, WARNING)
def convention_deadline(ctx: RowContext) -> Iterator[Hit]:
    """Late convention: error; none yet and the deadline within the alert window: warning."""
    row, params, today = ctx.row, ctx.params, ctx.today
    deadline, start = ctx.derived.convention_deadline, row.date_debut
    if deadline is None or start is None:
        return
    delay = params.delai_convention_jours
    if row.date_convention is not None:
        if row.date_convention > deadline:
            earliest = workdays.shift(row.date_convention, delay)
            postpone = (f"Reportez le début du stage au {format_date(earliest)} au plus tôt, ou "
                        f"vérifiez" if earliest else "Vérifiez")
            yield Hit("date_convention", (
                f"Convention établie le {format_date(row.date_convention)}, trop tard : "
                f"{_deadline_rule(delay, start, deadline)}. {postpone} la date de la "
                f"convention."))
        return
    if not ctx.blank("date_convention") or ctx.derived.step == "search":
        return  # not a date: CELL-DATE speaks for it; no structure: STAGE-NO-STRUCTURE does
    left = (deadline - today).days
    if left < 0:
        yield Hit("date_convention", (
            f"Aucune convention établie et la date limite est dépassée de {_days(-left)} : "
            f"{_deadline_rule(delay, start, deadline)}. Faites établir la convention sans "
            f"attendre, ou reportez le début du stage."))
    elif left <= params.fenetre_alerte_jours:
        when = "aujourd'hui" if left == 0 else f"dans {_days(left)}"
        yield Hit("date_convention", (
            f"Convention à faire établir {when} : {_deadline_rule(delay, start, deadline)}. "
            f"Relancez l'auditeur."), WARNING)


@rule("CONVENTION-PIECES", WARNING, ERROR)
def convention_pieces(ctx: RowContext) -> Iterator[Hit]:
    """Evening classes: the pieces the registrar still lacks; an error once the deadline is
    past or the convention is said to be established."""
    row, derived = ctx.row, ctx.derived
    if not derived.evening or derived.step not in CONVENTION_STEPS:
        return
    missing = pieces_missing(row, ctx.params)
    if not missing:
        return
    deadline = derived.convention_deadline
    labels = [label for _key, label in missing]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " et " + labels[-1]
    registrar = ctx.params.scolarite_soir_email
    text = (f"Cours du soir : pour la convention, la scolarité ({registrar}) attend encore "
            f"{listed}.")
    if row.date_convention is not None:
        severity = ERROR
        text += (f" La convention est pourtant notée établie le "
                 f"{format_date(row.date_convention)} : complétez le dossier ou corrigez les "
                 f"cellules concernées.")
    elif deadline is not None and ctx.today > deadline:
        severity = ERROR
        text += (f" La date limite ({format_date(deadline)}) est dépassée : à remettre sans "
                 f"attendre.")
    else:
        severity = WARNING
        text += (f" À remettre avant le {format_date(deadline)}." if deadline
                 else " À remettre au plus tôt.")
    yield Hit(missing[0][0], text, severity)
