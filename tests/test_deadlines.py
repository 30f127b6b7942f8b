"""The cohort's deadlines, from the derived facts: what « Cette semaine » and the calendar say."""

from __future__ import annotations

import datetime as dt

from generator.rules.report import Report
from generator.views.deadlines import deadlines, this_week
from tests.rules_helpers import clean_row, params, run, searching_row


def _week(report: Report, today: dt.date) -> list[tuple[str, str, dt.date, bool]]:
    return [(d.kind, d.row.student, d.date, d.late(today))
            for d in this_week(deadlines(report), today)]


def test_a_searching_student_is_due_by_the_search_limit() -> None:
    today = dt.date(2027, 2, 25)
    report = run(searching_row(2), clean_row(3, date_evaluation=dt.date(2027, 1, 20)),
                 today=today)
    assert _week(report, today) == [("search", "PAR0002", dt.date(2027, 3, 1), False)]
    later = dt.date(2027, 3, 10)
    late = _week(run(searching_row(2), today=later), later)
    assert late == [("search", "PAR0002", dt.date(2027, 3, 1), True)]


def test_a_met_deadline_is_done_and_an_immersion_end_is_never_late() -> None:
    today = dt.date(2026, 9, 30)  # after the immersion end (29/09), convention established
    report = run(clean_row(), today=today)
    found = {d.kind: d for d in deadlines(report)}
    assert found["convention"].done and found["convention"].date == dt.date(2026, 9, 2)
    assert found["immersion"].date == dt.date(2026, 9, 29)
    assert not found["immersion"].late(today)
    assert found["evaluation"].date == dt.date(2027, 1, 30)  # end 15/01/2027 + 15 days
    assert _week(report, today) == []


def test_an_open_convention_says_what_to_do_at_each_step() -> None:
    today = dt.date(2026, 9, 1)
    report = run(clean_row(2, date_convention=None, carte_auditeur=False),
                 clean_row(3, date_convention=None, date_accord=None),
                 clean_row(4, date_convention=None, modalite="cours du jour"), today=today)
    todo = {d.row.student: d.todo for d in this_week(deadlines(report), today)
            if d.kind == "convention"}
    assert todo["PAR0002"].startswith("Déposer le dossier de convention à la scolarité "
                                      "(pascale.bonnet@lecnam.net) avant le 2 septembre 2026")
    assert "la copie de la carte d'auditeur" in todo["PAR0002"]
    assert todo["PAR0003"].startswith("Obtenir l'accord pédagogique")
    assert todo["PAR0004"] == ("Faire établir la convention par Sandrine NACREON avant le "
                               "2 septembre 2026.")


def test_the_delays_are_the_workbook_parameters() -> None:
    report = run(clean_row(), params=params(delai_retour_evaluation_jours=30,
                                            immersion_jours=10, delai_convention_jours=20))
    dates = {d.kind: d.date for d in deadlines(report)}
    assert dates == {"convention": dt.date(2026, 8, 25), "immersion": dt.date(2026, 9, 24),
                     "evaluation": dt.date(2027, 2, 14)}


def test_an_exempt_student_has_no_deadline() -> None:
    exempt = searching_row(experience_mois=24, experience_attestee=True)
    assert deadlines(run(exempt)) == []
