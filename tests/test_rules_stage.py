"""Internship rules: duplicates, exemption, search, experience, hours, dates, weekly hours,
tutor, collective action, gratification — each firing on one defect, silent on the clean row,
and at its boundaries."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from rules_helpers import (
    TODAY,
    clean_row,
    codes,
    invalid,
    only,
    params,
    run,
    searching_row,
)

from generator.findings import Severity


def test_the_clean_row_has_no_finding() -> None:
    assert run(clean_row()).findings == []


def test_student_duplicate_flags_both_rows_and_names_the_other() -> None:
    report = run(clean_row(2, numero_auditeur="PAR1234"), clean_row(3),
                 clean_row(4, numero_auditeur="par 1234"))
    assert codes(report, 2) == codes(report, 4) == ["STUDENT-DUPLICATE"]
    assert codes(report, 3) == []
    assert "ligne 4" in only(report, "STUDENT-DUPLICATE", 2).message
    assert "ligne 2" in only(report, "STUDENT-DUPLICATE", 4).message
    assert only(report, "STUDENT-DUPLICATE", 2).severity == Severity.ERROR


def test_stage_exempt_runs_no_other_internship_rule() -> None:
    row = searching_row(experience_mois=12, experience_attestee=True, heures_total=100.0,
                        heures_hebdo=60.0, date_debut=dt.date(2026, 12, 1),
                        date_fin=dt.date(2026, 11, 1))
    report = run(row)
    assert codes(report) == ["STAGE-EXEMPT"]
    assert only(report, "STAGE-EXEMPT").severity == Severity.INFO
    assert report.derived[2].step == "exempt"
    assert report.exit_status == 0


def test_eleven_months_of_experience_do_not_exempt() -> None:
    report = run(searching_row(experience_mois=11, experience_attestee=True))
    assert codes(report) == ["STAGE-NO-STRUCTURE"]
    assert report.derived[2].stage_required


def test_stage_optional_when_exempt_but_a_structure_is_filled() -> None:
    report = run(clean_row(experience_mois=24, experience_attestee=True, heures_total=500.0))
    assert codes(report) == ["STAGE-HOURS", "STAGE-OPTIONAL"]  # every rule still runs
    assert only(report, "STAGE-OPTIONAL").severity == Severity.WARNING
    assert not report.derived[2].stage_required


@pytest.mark.parametrize(("today", "severity"), [
    (dt.date(2026, 10, 1), Severity.INFO),
    (dt.date(2027, 3, 1), Severity.INFO),  # the limit day itself
    (dt.date(2027, 3, 2), Severity.WARNING),
    (dt.date(2027, 8, 31), Severity.WARNING),
    (dt.date(2027, 9, 1), Severity.INFO),  # a new academic year
])
def test_stage_no_structure_becomes_a_warning_past_1_march(today: dt.date,
                                                           severity: Severity) -> None:
    finding = only(run(searching_row(), today=today), "STAGE-NO-STRUCTURE")
    assert finding.severity == severity
    assert "1er mars" in finding.message


def test_the_search_limit_is_a_parameter() -> None:
    report = run(searching_row(), today=dt.date(2027, 2, 16),
                 params=params(date_limite_recherche=(15, 2)))
    finding = only(report, "STAGE-NO-STRUCTURE")
    assert finding.severity == Severity.WARNING
    assert "15 février 2027" in finding.message


@pytest.mark.parametrize(("months", "attested", "fires"), [
    (11, None, False), (12, None, True), (12, False, True), (30, None, True),
    (12, True, False),
])
def test_stage_experience_unproven(months: int, attested: bool | None, fires: bool) -> None:
    report = run(clean_row(experience_mois=months, experience_attestee=attested))
    assert ("STAGE-EXPERIENCE-UNPROVEN" in codes(report)) == fires


def test_an_unreadable_attestation_is_not_also_unproven() -> None:
    row = invalid(clean_row(experience_mois=12), "experience_attestee", "bof")
    assert codes(run(row)) == ["CELL-CHOICE"]


@pytest.mark.parametrize(("hours", "expected"), [
    (559.5, Severity.ERROR), (560.0, None), (561.0, Severity.WARNING),
])
def test_stage_hours_at_560(hours: float, expected: Severity | None) -> None:
    row = clean_row(heures_total=hours, date_fin=dt.date(2027, 2, 15))
    found = [f for f in run(row).for_row(2) if f.code == "STAGE-HOURS"]
    assert [f.severity for f in found] == ([expected] if expected else [])


def test_the_required_hours_are_a_parameter() -> None:
    report = run(clean_row(heures_total=560.0), params=params(heures_requises=600.0))
    assert "600 heures requises" in only(report, "STAGE-HOURS").message


@pytest.mark.parametrize("end", [dt.date(2026, 9, 14), dt.date(2026, 9, 1)])
def test_stage_dates_only_when_the_end_is_not_after_the_start(end: dt.date) -> None:
    report = run(clean_row(date_fin=end))
    # not also STAGE-CALENDAR or STAGE-FULL-TIME: nothing fires as a consequence
    assert codes(report) == ["STAGE-DATES"]
    assert only(report, "STAGE-DATES").key == "date_fin"


@pytest.mark.parametrize(("weekly", "expected"), [
    (0.0, Severity.ERROR), (20.0, None), (35.0, None), (35.5, Severity.WARNING),
    (48.0, Severity.WARNING), (48.5, Severity.ERROR),
])
def test_stage_weekly_hours(weekly: float, expected: Severity | None) -> None:
    row = clean_row(heures_hebdo=weekly, date_fin=dt.date(2027, 9, 30))
    found = [f for f in run(row).for_row(2) if f.code == "STAGE-WEEKLY-HOURS"]
    assert [f.severity for f in found] == ([expected] if expected else [])


def test_stage_tutor_email_warns_before_the_convention_and_blocks_from_it() -> None:
    """rules.md: e-mail missing is an error from step convention on, a warning before."""
    at_definition = clean_row(date_definition=None, date_accord=None, date_convention=None,
                              date_debut=dt.date(2027, 3, 1), date_fin=dt.date(2027, 7, 2),
                              tuteur_email=None)
    warned = only(run(at_definition), "STAGE-TUTOR")
    assert (warned.key, warned.severity) == ("tuteur_email", Severity.WARNING)
    at_approval = dataclasses.replace(at_definition, date_definition=dt.date(2026, 12, 1))
    assert only(run(at_approval), "STAGE-TUTOR").severity == Severity.WARNING
    at_convention = dataclasses.replace(at_approval, date_accord=dt.date(2026, 12, 10))
    blocked = only(run(at_convention), "STAGE-TUTOR")
    assert (blocked.key, blocked.severity) == ("tuteur_email", Severity.ERROR)
    assert "STAGE-TUTOR" not in codes(run(searching_row(tuteur_email=None)))
    at_definition.tuteur_nom = None
    found = [f for f in run(at_definition).for_row(2) if f.code == "STAGE-TUTOR"]
    assert [(f.key, f.severity) for f in found] == [
        ("tuteur_nom", Severity.ERROR), ("tuteur_email", Severity.WARNING)]
    assert "professionnel de la structure" in found[0].message


def test_stage_tutor_names_each_missing_field() -> None:
    report = run(clean_row(tuteur_nom=None, tuteur_email=None))
    assert [(f.code, f.column) for f in report.for_row(2)] == [
        ("STAGE-TUTOR", "Nom tuteur"), ("STAGE-TUTOR", "Courriel tuteur")]


def test_stage_collective_action() -> None:
    finding = only(run(clean_row(action_collective=None)), "STAGE-COLLECTIVE-ACTION")
    assert finding.severity == Severity.ERROR
    assert "action collective" in finding.message
    assert "STAGE-COLLECTIVE-ACTION" not in codes(run(searching_row()))


@pytest.mark.parametrize(("hours", "amount", "fires"), [
    (308.0, None, False), (309.0, None, True), (560.0, 4.5, False), (560.0, 4.49, True),
    (560.0, 0.0, True), (560.0, 10.0, False),
])
def test_stage_gratification(hours: float, amount: float | None, fires: bool) -> None:
    # the clean row's convention is established (15/06/2026): 4,50 € in force, an error
    row = clean_row(heures_total=hours, gratification_horaire=amount)
    found = [f for f in run(row).for_row(2) if f.code == "STAGE-GRATIFICATION"]
    assert bool(found) == fires
    if fires:
        assert found[0].severity == Severity.ERROR
        assert "308 heures" in found[0].message and "4,50 €" in found[0].message


def test_stage_gratification_is_a_warning_before_the_convention_step() -> None:
    row = clean_row(gratification_horaire=None, date_accord=None, date_convention=None)
    finding = only(run(row, today=dt.date(2026, 5, 20)), "STAGE-GRATIFICATION")
    assert finding.severity == Severity.WARNING and "4,50 €" in finding.message


def test_the_minimum_is_the_one_in_force_on_the_convention_date() -> None:
    signed_2025 = clean_row(gratification_horaire=4.35, date_convention=dt.date(2025, 12, 31),
                            date_accord=dt.date(2025, 12, 1), date_definition=dt.date(2025, 11, 3))
    assert "STAGE-GRATIFICATION" not in codes(run(signed_2025))
    signed_2026 = clean_row(gratification_horaire=4.35, date_convention=dt.date(2026, 1, 2),
                            date_accord=dt.date(2025, 12, 1), date_definition=dt.date(2025, 11, 3))
    finding = only(run(signed_2026), "STAGE-GRATIFICATION")
    assert "4,50 €" in finding.message and "4,35 €" in finding.message
    # an amount was typed: the message says it is too low, not that it is missing
    assert "2 janvier 2026" in finding.message and "manque" not in finding.message


def test_stage_gratification_follows_its_parameters() -> None:
    row = clean_row(gratification_horaire=None)
    assert "STAGE-GRATIFICATION" not in codes(run(row, params=params(
        gratification_obligatoire=False)))
    finding = only(run(clean_row(gratification_horaire=4.5),
                       params=params(gratification_minimale=5.0)), "STAGE-GRATIFICATION")
    assert "5,00 €" in finding.message and "4,50 €" in finding.message


def test_a_parameter_below_the_law_is_raised_with_a_file_warning() -> None:
    report = run(clean_row(gratification_horaire=4.5), params=params(gratification_minimale=4.0))
    assert "STAGE-GRATIFICATION" not in codes(report)
    (raised,) = report.for_row(None)
    assert raised.code == "FILE-PARAMETER-RAISED" and raised.severity == Severity.WARNING
    assert "4,00 €" in raised.message and "4,50 €" in raised.message


def test_an_unreadable_gratification_is_only_a_cell_finding() -> None:
    row = invalid(clean_row(), "gratification_horaire", "selon accord")
    assert codes(run(row)) == ["CELL-NUMBER"]


def test_messages_give_the_value_found_and_what_to_do() -> None:
    finding = only(run(clean_row(heures_total=500.0)), "STAGE-HOURS")
    assert finding.value == "500"
    assert "500 heures" in finding.message and "560" in finding.message
    assert finding.column == "Heures totales" and finding.row == 2
    assert TODAY.year == 2026


def test_a_convention_needs_an_enseignant_referent() -> None:
    row = clean_row(enseignant_referent=None)
    finding = only(run(row), "CONVENTION-REFERENT")
    assert finding.severity == Severity.ERROR and "Responsable du tutorat" in finding.message
    assert "CONVENTION-REFERENT" not in codes(run(row, params=params(
        responsable_tutorat="M. Marc LEFEBVRE")))
    assert "CONVENTION-REFERENT" not in codes(run(clean_row(
        enseignant_referent=None, date_accord=None, date_convention=None),
        today=dt.date(2026, 5, 20)))
