"""Convention rules: established at least 12 days before the start, and, for evening classes,
with every piece the registrar needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.cohort.params import where_parameters_are_set
from generator.findings import Fact
from generator.process import CONVENTION, SEARCH, reached
from generator.rules import workdays
from generator.rules.derived import pieces_missing
from generator.rules.registry import ERROR, WARNING, Hit, RowContext, rule
from generator.rules.wording import agreed, format_count, format_date, format_list


def _deadline_rule(delay: int, start: dt.date, deadline: dt.date) -> str:
    return (f"la convention doit être établie au moins {format_count(delay, 'jour')} avant "
            f"le début du stage ({format_date(start)}), soit le {format_date(deadline)} au "
            f"plus tard")


@rule("CONVENTION-DEADLINE", ERROR, WARNING)
def convention_deadline(ctx: RowContext) -> Iterator[Hit]:
    """Late convention: error; none yet and the deadline within the alert window: warning."""
    row, params, today = ctx.row, ctx.params, ctx.today
    deadline, start = ctx.derived.convention_deadline, row.date_debut
    if deadline is None or start is None:
        return
    delay = params.delai_convention_jours
    facts: dict[str, Fact] = {"deadline": deadline, "start": start, "delay_days": delay,
                              "date_convention": row.date_convention}
    if row.date_convention is not None:
        if row.date_convention > deadline:
            earliest = workdays.shift(row.date_convention, delay)
            postpone = (f"Reportez le début du stage au {format_date(earliest)} au plus tôt, ou "
                        f"vérifiez" if earliest else "Vérifiez")
            yield Hit("date_convention", (
                f"Convention établie le {format_date(row.date_convention)}, trop tard : "
                f"{_deadline_rule(delay, start, deadline)}. {postpone} la date de la "
                f"convention."), facts={**facts, "earliest_start": earliest})
        return
    if not ctx.blank("date_convention") or ctx.derived.step == SEARCH:
        return  # not a date: CELL-DATE speaks for it; no structure: STAGE-NO-STRUCTURE does
    left = (deadline - today).days
    if left < 0:
        yield Hit("date_convention", (
            f"Aucune convention établie et la date limite est dépassée de "
            f"{format_count(-left, 'jour')} : "
            f"{_deadline_rule(delay, start, deadline)}. Faites établir la convention sans "
            f"attendre, ou reportez le début du stage."),
            facts={**facts, "days_late": -left})
    elif left <= params.fenetre_alerte_jours:
        when = "aujourd'hui" if left == 0 else f"dans {format_count(left, 'jour')}"
        yield Hit("date_convention", (
            f"Convention à faire établir {when} : {_deadline_rule(delay, start, deadline)}. "
            f"Relancez l'{agreed('auditeur', ctx.row.civilite)}."), WARNING,
            facts={**facts, "days_left": left})


@rule("CONVENTION-PIECES", WARNING, ERROR)
def convention_pieces(ctx: RowContext) -> Iterator[Hit]:
    """Evening classes: the pieces the registrar still lacks; an error once the deadline is
    past or the convention is said to be established."""
    row, derived = ctx.row, ctx.derived
    if not derived.evening or not reached(derived.step, CONVENTION) or not derived.missing_pieces:
        return
    deadline = derived.convention_deadline
    registrar = ctx.params.scolarite_soir_email
    text = (f"Cours du soir : pour la convention, la scolarité ({registrar}) attend encore "
            f"{format_list(derived.missing_pieces)}.")
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
    # the finding sits on the first missing piece's column (Derived keeps only the labels)
    yield Hit(pieces_missing(row, ctx.params)[0][0], text, severity,
              facts={"missing_pieces": derived.missing_pieces, "deadline": deadline,
                     "date_convention": row.date_convention})


@rule("CONVENTION-REFERENT", ERROR)
def convention_referent(ctx: RowContext) -> Iterator[Hit]:
    """From the convention step on, the convention names the Cnam's enseignant référent
    (Code de l'éducation D124-4, 3°: the teacher who follows the intern): the row's column,
    else the parameter « Responsable du tutorat ». Neither: the convention is not produced."""
    if (reached(ctx.derived.step, CONVENTION) and ctx.row.enseignant_referent is None
            and not ctx.params.responsable_tutorat
            and "enseignant_referent" not in ctx.row.invalid):
        yield Hit("enseignant_referent", (
            "Aucun enseignant référent : la convention doit nommer l'enseignant du Cnam qui "
            "suit le stagiaire. Renseignez la colonne « Enseignant référent » de cette ligne, "
            "ou, pour toute la cohorte, le paramètre « Responsable du tutorat » "
            f"{where_parameters_are_set(ctx.params)}."))
