"""Evaluation rules: the tutor's evaluation form comes back after the end, then the jury
records the decision."""

from __future__ import annotations

from collections.abc import Iterator

from generator.rules.registry import INFO, WARNING, Hit, RowContext, rule
from generator.rules.wording import format_date, format_list


@rule("EVALUATION-DUE", WARNING)
def evaluation_due(ctx: RowContext) -> Iterator[Hit]:
    """The internship has ended and no evaluation has come back (or it came back incomplete:
    `gen collect` did not record it). Only under a convention: without one the internship
    cannot have taken place (L124-1; CONVENTION-DEADLINE says so), and the form the tutor
    would be reminded of is issued for an established convention (documents.md)."""
    row = ctx.row
    end = ctx.end
    if (end is not None and end < ctx.today and ctx.blank("date_evaluation")
            and row.date_convention is not None):
        tutor = " ".join(p for p in (row.tuteur_prenom, row.tuteur_nom) if p) or "le tuteur"
        state = "n'est pas revenue"
        if ctx.incomplete_form is not None:
            lacking = format_list(ctx.incomplete_form)
            state = f"est revenue incomplète{f' (il manque : {lacking})' if lacking else ''}"
        yield Hit("date_evaluation", (
            f"Le stage est terminé depuis le {format_date(end)} et la fiche "
            f"d'évaluation {state}. Relancez {tutor}"
            f"{f' ({row.tuteur_email})' if row.tuteur_email else ''}, puis notez la date de "
            f"réception dans « {ctx.label('date_evaluation')} »."),
            facts={"end": end, "tutor": tutor, "tutor_email": row.tuteur_email,
                   "incomplete": ctx.incomplete_form is not None})


@rule("EVALUATION-EARLY", WARNING, needs="date_evaluation")
def evaluation_early(ctx: RowContext) -> Iterator[Hit]:
    """An evaluation received during the internship."""
    row = ctx.row
    received, start, end = row.date_evaluation, row.date_debut, ctx.end
    if received is None or start is None or end is None:
        return
    if start <= received < end:
        yield Hit("date_evaluation", (
            f"L'évaluation est notée reçue le {format_date(received)}, avant la fin du stage "
            f"({format_date(end)}). Vérifiez la date : le tuteur évalue le stage à son terme."),
            facts={"date_evaluation": received, "end": end})


@rule("DEGREE-PENDING", INFO, needs="date_evaluation")
def degree_pending(ctx: RowContext) -> Iterator[Hit]:
    """Evaluation received, decision not recorded yet."""
    row = ctx.row
    if row.date_evaluation is not None and ctx.blank("stage_valide"):
        yield Hit("stage_valide", (
            f"Fiche d'évaluation reçue le {format_date(row.date_evaluation)} ; "
            f"« {ctx.label('stage_valide')} » est vide. Reportez la décision (oui ou non) "
            f"lorsqu'elle est connue."), facts={"date_evaluation": row.date_evaluation})
