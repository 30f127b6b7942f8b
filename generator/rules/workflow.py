"""Workflow rules: définition → accord pédagogique → convention → évaluation, in that order."""

from __future__ import annotations

from collections.abc import Iterator

from generator.rules.registry import ERROR, Hit, RowContext, rule
from generator.rules.wording import format_date


@rule("WORKFLOW-ORDER", ERROR)
def workflow_order(ctx: RowContext) -> Iterator[Hit]:
    """Définition after accord, accord after convention, evaluation before the start.
    (A convention after the start is CONVENTION-DEADLINE.)"""
    row = ctx.row
    if row.date_definition and row.date_accord and row.date_definition > row.date_accord:
        yield Hit("date_accord", (
            f"L'accord pédagogique ({format_date(row.date_accord)}) précède la remise de la "
            f"définition du stage ({format_date(row.date_definition)}) : l'accord est donné "
            f"sur la définition remise. Vérifiez ces deux dates."),
            facts={"date_definition": row.date_definition, "date_accord": row.date_accord})
    if row.date_accord and row.date_convention and row.date_accord > row.date_convention:
        yield Hit("date_convention", (
            f"La convention ({format_date(row.date_convention)}) est notée établie avant "
            f"l'accord pédagogique ({format_date(row.date_accord)}) : la convention n'est "
            f"établie qu'après l'accord. Vérifiez ces deux dates."),
            facts={"date_accord": row.date_accord, "date_convention": row.date_convention})
    if row.date_evaluation and row.date_debut and row.date_evaluation < row.date_debut:
        yield Hit("date_evaluation", (
            f"L'évaluation est notée reçue le {format_date(row.date_evaluation)}, avant le "
            f"début du stage ({format_date(row.date_debut)}). Vérifiez la date de réception "
            f"de la fiche d'évaluation."),
            facts={"date_evaluation": row.date_evaluation, "start": row.date_debut})


@rule("WORKFLOW-NO-APPROVAL", ERROR)
def workflow_no_approval(ctx: RowContext) -> Iterator[Hit]:
    """A convention without a pedagogical approval."""
    row = ctx.row
    if row.date_convention is not None and row.date_accord is None and ctx.blank("date_accord"):
        yield Hit("date_accord", (
            f"La convention est notée établie le {format_date(row.date_convention)}, mais "
            f"« {ctx.label('date_accord')} » est vide : la convention n'est établie qu'après "
            f"l'accord pédagogique de la coordinatrice. Indiquez la date de l'accord."),
            facts={"date_convention": row.date_convention})
