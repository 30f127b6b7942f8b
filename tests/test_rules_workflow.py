"""The process: workflow order, the convention deadline and pieces, the evaluation."""

from __future__ import annotations

import datetime as dt

import pytest
from rules_helpers import clean_row, codes, invalid, only, params, run, searching_row

from generator.findings import Severity

START = dt.date(2026, 9, 14)
DEADLINE = dt.date(2026, 9, 2)  # START - 12 days


def before_convention(**values: object) -> dict[str, object]:
    """A row at step `convention`: approved, convention not established yet."""
    return {"date_convention": None, **values}


@pytest.mark.parametrize(("values", "key"), [
    ({"date_definition": dt.date(2026, 5, 19)}, "date_accord"),  # définition after accord
    ({"date_convention": dt.date(2026, 5, 17)}, "date_convention"),  # accord after convention
    ({"date_evaluation": dt.date(2026, 9, 13), "stage_valide": True}, "date_evaluation"),
])
def test_workflow_order(values: dict[str, object], key: str) -> None:
    report = run(clean_row(**values))
    finding = only(report, "WORKFLOW-ORDER")
    assert finding.key == key and finding.severity == Severity.ERROR


def test_workflow_order_allows_the_same_day() -> None:
    row = clean_row(date_definition=dt.date(2026, 5, 18), date_convention=dt.date(2026, 5, 18))
    assert codes(run(row)) == []


def test_a_convention_after_the_start_is_the_deadline_not_the_order() -> None:
    report = run(clean_row(date_convention=dt.date(2026, 9, 20)))
    assert codes(report) == ["CONVENTION-DEADLINE"]


def test_workflow_no_approval() -> None:
    report = run(clean_row(date_accord=None))
    finding = only(report, "WORKFLOW-NO-APPROVAL")
    assert finding.key == "date_accord" and "accord pédagogique" in finding.message
    assert codes(report) == ["WORKFLOW-NO-APPROVAL"]
    # an unreadable approval date is CELL-DATE only
    assert codes(run(invalid(clean_row(), "date_accord", "mai"))) == ["CELL-DATE"]


@pytest.mark.parametrize(("established", "fires"), [
    (DEADLINE, False), (DEADLINE + dt.timedelta(days=1), True),
])
def test_convention_deadline_exactly_12_days_before(established: dt.date, fires: bool) -> None:
    report = run(clean_row(date_convention=established))
    found = [f for f in report.for_row(2) if f.code == "CONVENTION-DEADLINE"]
    assert bool(found) == fires
    if fires:
        assert found[0].severity == Severity.ERROR
        assert "2 septembre 2026" in found[0].message
        assert "15 septembre 2026" in found[0].message  # the earliest possible start


@pytest.mark.parametrize(("today", "expected"), [
    (DEADLINE - dt.timedelta(days=15), None),
    (DEADLINE - dt.timedelta(days=14), Severity.WARNING),  # both ends of the window
    (DEADLINE, Severity.WARNING),
    (DEADLINE + dt.timedelta(days=1), Severity.ERROR),
])
def test_convention_deadline_without_a_convention(today: dt.date,
                                                  expected: Severity | None) -> None:
    report = run(clean_row(**before_convention()), today=today)
    found = [f for f in report.for_row(2) if f.code == "CONVENTION-DEADLINE"]
    assert [f.severity for f in found] == ([expected] if expected else [])
    if found:
        assert "2 septembre 2026" in found[0].message
        assert found[0].key == "date_convention"


def test_the_alert_window_and_the_delay_are_parameters() -> None:
    today = DEADLINE - dt.timedelta(days=20)
    row = clean_row(**before_convention())
    assert "CONVENTION-DEADLINE" not in codes(run(row, today=today))
    assert "CONVENTION-DEADLINE" in codes(run(row, today=today,
                                              params=params(fenetre_alerte_jours=20)))
    report = run(clean_row(date_convention=DEADLINE),
                 params=params(delai_convention_jours=13))
    assert "13 jours" in only(report, "CONVENTION-DEADLINE").message


def test_no_deadline_finding_while_searching() -> None:
    assert codes(run(searching_row(date_debut=START))) == ["STAGE-NO-STRUCTURE"]


def test_convention_pieces_lists_what_is_missing() -> None:
    row = clean_row(**before_convention(exemplaires_convention=2, attestation_assurance=None))
    report = run(row, today=DEADLINE - dt.timedelta(days=20))
    finding = only(report, "CONVENTION-PIECES")
    assert finding.severity == Severity.WARNING
    assert "3 exemplaires de la convention (2 remis)" in finding.message
    assert "l'attestation d'assurance responsabilité civile" in finding.message
    assert "carte d'auditeur" not in finding.message
    assert finding.key == "exemplaires_convention"
    assert report.derived[2].missing_pieces == (
        "3 exemplaires de la convention (2 remis)",
        "l'attestation d'assurance responsabilité civile")


def test_convention_pieces_is_an_error_once_the_deadline_is_past() -> None:
    row = clean_row(**before_convention(carte_auditeur=False))
    finding = only(run(row, today=DEADLINE + dt.timedelta(days=1)), "CONVENTION-PIECES")
    assert finding.severity == Severity.ERROR
    assert "la copie de la carte d'auditeur" in finding.message
    assert only(run(row, today=DEADLINE), "CONVENTION-PIECES").severity == Severity.WARNING


def test_convention_pieces_is_an_error_when_the_convention_is_said_established() -> None:
    finding = only(run(clean_row(exemplaires_convention=None)), "CONVENTION-PIECES")
    assert finding.severity == Severity.ERROR
    assert "(aucun remis)" in finding.message


def test_convention_pieces_only_for_evening_classes_from_the_convention_step() -> None:
    assert codes(run(clean_row(modalite="cours du jour", carte_auditeur=None))) == []
    at_approval = clean_row(date_accord=None, date_convention=None, carte_auditeur=None,
                            date_debut=dt.date(2027, 3, 1), date_fin=dt.date(2027, 7, 2))
    assert "CONVENTION-PIECES" not in codes(run(at_approval))


@pytest.mark.parametrize(("today", "fires"), [
    (dt.date(2027, 1, 15), False), (dt.date(2027, 1, 16), True),
])
def test_evaluation_due_the_day_after_the_end(today: dt.date, fires: bool) -> None:
    report = run(clean_row(), today=today)
    assert codes(report) == (["EVALUATION-DUE"] if fires else [])
    if fires:
        assert "luc.bernard@example.org" in only(report, "EVALUATION-DUE").message
        assert report.derived[2].step == "evaluation"


def test_no_evaluation_due_without_a_convention() -> None:
    # no internship takes place without a convention (L124-1): its lack is the error to see
    report = run(clean_row(date_convention=None), today=dt.date(2027, 2, 1))
    assert "EVALUATION-DUE" not in codes(report)
    assert "CONVENTION-DEADLINE" in codes(report)


@pytest.mark.parametrize(("received", "code"), [
    (START, "EVALUATION-EARLY"), (dt.date(2027, 1, 14), "EVALUATION-EARLY"),
    (dt.date(2027, 1, 15), None), (START - dt.timedelta(days=1), "WORKFLOW-ORDER"),
])
def test_evaluation_early(received: dt.date, code: str | None) -> None:
    report = run(clean_row(date_evaluation=received, stage_valide=True))
    assert codes(report) == ([code] if code else [])


def test_degree_pending() -> None:
    today = dt.date(2027, 2, 1)
    report = run(clean_row(date_evaluation=dt.date(2027, 1, 20)), today=today)
    finding = only(report, "DEGREE-PENDING")
    assert finding.severity == Severity.INFO and finding.key == "stage_valide"
    assert report.derived[2].step == "done"
    row = clean_row(date_evaluation=dt.date(2027, 1, 20), stage_valide=False)
    assert codes(run(row, today=today)) == []
