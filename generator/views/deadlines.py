"""The cohort's deadlines (échéances), read from the derived facts of a checked cohort: what
the dashboard's « Cette semaine » lists and the calendar exports.

| kind         | date (derived, never recomputed)     | done when                       |
|--------------|--------------------------------------|---------------------------------|
| `search`     | search limit (« Date limite de recherche », 1 March) | a host structure is found |
| `convention` | `convention_deadline` (start − 12 days) | `date_convention` filled     |
| `immersion`  | `immersion_end` (start + 15 days)     | a milestone: never late         |
| `evaluation` | `evaluation_return_by` (end + 15 days) | `date_evaluation` filled       |

Exempt students have none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from generator.cohort.model import Row
from generator.cohort.params import Params
from generator.frenchdates import format_date, format_list
from generator.process import APPROVAL, CONVENTION, DEFINITION, EVALUATION, SEARCH
from generator.rules.derived import Derived
from generator.rules.report import Report
from generator.rules.stage import search_limit

# A deadline's kind is the step it closes (process.py), or the immersion's end: the kinds
# name the calendar's events (their UIDs), so they never change.
IMMERSION = "immersion"
KINDS = (SEARCH, CONVENTION, IMMERSION, EVALUATION)
TITLES = {
    SEARCH: "Date limite de recherche d'une structure",
    CONVENTION: "Date limite de la convention",
    IMMERSION: "Fin de la phase d'immersion",
    EVALUATION: "Retour de la fiche d'évaluation",
}
WEEK_DAYS = 7  # « Cette semaine »: today and the next 7 days


@dataclass(frozen=True)
class Deadline:
    """One dated deadline of one student; ``todo`` says in French what to do (or what was
    done, when ``done``)."""

    kind: str  # one of KINDS
    date: dt.date
    row: Row
    todo: str
    done: bool = False

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    def late(self, today: dt.date) -> bool:
        """Past and not done; an immersion end is a milestone, never late."""
        return not self.done and self.kind != IMMERSION and self.date < today

    def due_within(self, today: dt.date, days: int = WEEK_DAYS) -> bool:
        """Still to do and falling between today and ``today + days`` (both included), or
        already late."""
        if self.done or self.date > today + dt.timedelta(days=days):
            return False
        return self.date >= today or self.late(today)


def _convention_todo(row: Row, derived: Derived, params: Params, deadline: dt.date) -> str:
    by = f"avant le {format_date(deadline)}"
    if derived.step == DEFINITION:
        return ("Remettre la définition du stage pratique à la coordinatrice, puis obtenir "
                f"l'accord pédagogique et faire établir la convention {by}.")
    if derived.step == APPROVAL:
        return f"Obtenir l'accord pédagogique, puis faire établir la convention {by}."
    if derived.evening:
        pieces = (f" ; il manque {format_list(list(derived.missing_pieces))}"
                  if derived.missing_pieces else "")
        return (f"Déposer le dossier de convention à la scolarité ({params.scolarite_soir_email})"
                f" {by}{pieces}.")
    return f"Faire établir la convention par {params.gestionnaire_jour} {by}."


def _tutor(row: Row) -> str:
    name = " ".join(p for p in (row.tuteur_civilite, row.tuteur_prenom,
                                (row.tuteur_nom or "").upper()) if p)
    contact = f", {row.tuteur_email}" if row.tuteur_email else ""
    return f" ({name}{contact})" if name else ""


def row_deadlines(row: Row, derived: Derived, params: Params, today: dt.date
                  ) -> Iterator[Deadline]:
    """The deadlines of one row, in the order of the process."""
    if derived.exempt:
        return
    if derived.step == SEARCH:
        yield Deadline(SEARCH, search_limit(params.date_limite_recherche, today), row,
                       "Trouver une structure d'accueil et un tuteur, puis remettre la "
                       "définition du stage pratique.")
    if derived.convention_deadline is not None:
        deadline = derived.convention_deadline
        if row.date_convention is not None:
            yield Deadline(CONVENTION, deadline, row,
                           f"Convention établie le {format_date(row.date_convention)}.", True)
        else:
            yield Deadline(CONVENTION, deadline, row,
                           _convention_todo(row, derived, params, deadline))
    if derived.immersion_end is not None:
        yield Deadline(IMMERSION, derived.immersion_end, row,
                       f"Fin des {params.immersion_jours} jours d'immersion : faire le point "
                       "avec le tuteur sur les activités et l'action collective à venir.")
    if derived.evaluation_return_by is not None:
        if row.date_evaluation is not None:
            yield Deadline(EVALUATION, derived.evaluation_return_by, row,
                           f"Évaluation reçue le {format_date(row.date_evaluation)}.", True)
        else:
            yield Deadline(EVALUATION, derived.evaluation_return_by, row,
                           f"Obtenir la fiche d'évaluation remplie par le tuteur{_tutor(row)}"
                           " ; relancer avec « gen reminders ».")


def deadlines(report: Report) -> list[Deadline]:
    """Every deadline of every row of a checked cohort, row by row."""
    params, today = report.cohort.params, report.today
    return [deadline for row in report.cohort.rows
            for deadline in row_deadlines(row, report.derived[row.row_number], params, today)]


def this_week(all_deadlines: list[Deadline], today: dt.date, days: int = WEEK_DAYS
              ) -> list[Deadline]:
    """The deadlines still to do within ``days`` days, and every late one; oldest first."""
    due = [d for d in all_deadlines if d.due_within(today, days)]
    return sorted(due, key=lambda d: (d.date, KINDS.index(d.kind), d.row.row_number))
