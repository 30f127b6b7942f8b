"""Who and why: each reason on the day it triggers and the day before, both window ends
included, the windows read from the parameters, and the skips reported."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from rules_helpers import clean_row

from generator.cohort.model import Row
from generator.cohort.params import Params
from generator.findings import Finding, Severity
from generator.process import STUDENT, TUTOR
from generator.reminders.plan import Plan, plan
from generator.rules.derived import derive

TODAY = dt.date(2027, 2, 1)
DAY = dt.timedelta(days=1)
PARAMS = Params()
DEFINITION, APPROVAL, CONVENTION, PIECES, EVALUATION = (
    "definition", "approval", "convention", "pieces", "evaluation")


def _plan(row: Row, today: dt.date = TODAY, params: Params = PARAMS,
          findings: tuple[Finding, ...] = (), force: bool = False) -> Plan:
    return plan([row], {row.row_number: derive(row, params, today)}, today, findings,
                force=force)


def _reasons(row: Row, today: dt.date = TODAY, params: Params = PARAMS) -> list[str]:
    return [r.reason for r in _plan(row, today, params).reminders]


def _starting(start: dt.date, **values: object) -> Row:
    """A row whose internship starts on `start` and lasts like the clean row's."""
    return clean_row(date_debut=start, date_fin=start + dt.timedelta(days=123), **values)


def _no_definition(start: dt.date) -> Row:
    return _starting(start, date_definition=None, date_accord=None, date_convention=None)


def _no_approval(deadline: dt.date, **values: object) -> Row:
    return _starting(deadline + 12 * DAY, date_accord=None, date_convention=None, **values)


def _no_convention(deadline: dt.date, **values: object) -> Row:
    return _starting(deadline + 12 * DAY, date_convention=None, **values)


# --- definition: no date_definition and date_debut within 45 days --------------------------
@pytest.mark.parametrize("days", [0, 1, 44, 45])
def test_definition_triggers_within_the_window_both_ends_included(days: int) -> None:
    reminders = _plan(_no_definition(TODAY + days * DAY)).reminders
    definition = [r for r in reminders if r.reason == DEFINITION]
    assert len(definition) == 1
    assert definition[0].deadline == TODAY + days * DAY
    assert definition[0].days == days
    assert definition[0].recipient.role == STUDENT
    assert definition[0].recipient.email == "claire.martin@example.org"


def test_definition_the_day_before_it_triggers() -> None:
    row = _no_definition(TODAY + 45 * DAY)
    assert DEFINITION in _reasons(row, TODAY)
    assert DEFINITION not in _reasons(row, TODAY - DAY)  # 46 days before the start


def test_definition_not_once_the_start_is_past_nor_once_handed() -> None:
    assert DEFINITION not in _reasons(_no_definition(TODAY - DAY))
    assert DEFINITION not in _reasons(clean_row(date_debut=TODAY + 10 * DAY))


def test_definition_window_is_the_workbook_parameter() -> None:
    row = _no_definition(TODAY + 60 * DAY)
    assert DEFINITION not in _reasons(row)
    assert DEFINITION in _reasons(row, params=Params(relance_definition_jours=60))


# --- approval: date_definition, no date_accord, convention_deadline within 14 days ----------
@pytest.mark.parametrize("days", [0, 14])
def test_approval_triggers_at_both_window_ends(days: int) -> None:
    reminders = [r for r in _plan(_no_approval(TODAY + days * DAY)).reminders
                 if r.reason == APPROVAL]
    assert len(reminders) == 1
    assert reminders[0].deadline == TODAY + days * DAY  # the derived convention deadline
    assert reminders[0].deadline == reminders[0].derived.convention_deadline


def test_approval_the_day_before_it_triggers() -> None:
    row = _no_approval(TODAY + 14 * DAY)
    assert APPROVAL in _reasons(row, TODAY)
    assert APPROVAL not in _reasons(row, TODAY - DAY)


def test_approval_not_without_definition_nor_with_approval_nor_once_past() -> None:
    assert APPROVAL not in _reasons(_no_approval(TODAY, date_definition=None))
    assert APPROVAL not in _reasons(_no_convention(TODAY))
    assert APPROVAL not in _reasons(_no_approval(TODAY - DAY))  # the convention one says it


def test_alert_window_is_the_workbook_parameter() -> None:
    row = _no_approval(TODAY + 20 * DAY)
    assert _reasons(row) == []
    assert _reasons(row, params=Params(fenetre_alerte_jours=20)) == [APPROVAL, CONVENTION]
    assert _reasons(row, params=Params(fenetre_alerte_jours=19)) == []


def test_the_deadline_follows_the_minimum_delay_parameter() -> None:
    row = _starting(TODAY + 30 * DAY, date_convention=None)
    assert CONVENTION not in _reasons(row)  # deadline in 18 days
    reminders = _plan(row, params=Params(delai_convention_jours=16)).reminders
    assert [r.deadline for r in reminders if r.reason == CONVENTION] == [TODAY + 14 * DAY]


# --- convention: no date_convention, deadline within 14 days or past -------------------------
@pytest.mark.parametrize("days", [14, 1, 0, -1, -30])
def test_convention_triggers_within_the_window_or_past(days: int) -> None:
    reminders = [r for r in _plan(_no_convention(TODAY + days * DAY)).reminders
                 if r.reason == CONVENTION]
    assert len(reminders) == 1
    assert reminders[0].days == days
    assert reminders[0].overdue is (days < 0)
    assert reminders[0].prerequisites == ()


def test_convention_the_day_before_it_triggers() -> None:
    row = _no_convention(TODAY + 14 * DAY)
    assert CONVENTION in _reasons(row, TODAY)
    assert CONVENTION not in _reasons(row, TODAY - DAY)


def test_convention_names_the_steps_still_to_do_first() -> None:
    row = _starting(TODAY + 15 * DAY, date_definition=None, date_accord=None,
                    date_convention=None)
    (convention,) = [r for r in _plan(row).reminders if r.reason == CONVENTION]
    assert convention.prerequisites == (DEFINITION, APPROVAL)
    assert _reasons(row) == [DEFINITION, CONVENTION]


def test_no_convention_reminder_once_established() -> None:
    assert CONVENTION not in _reasons(clean_row(date_debut=TODAY, date_fin=TODAY + 123 * DAY))


# --- pieces: evening classes, step convention on, pieces missing -----------------------------
def test_pieces_lists_what_is_missing() -> None:
    row = _no_convention(TODAY + 40 * DAY, exemplaires_convention=1, carte_auditeur=False)
    (pieces,) = _plan(row).reminders
    assert pieces.reason == PIECES
    assert pieces.missing_pieces == ("3 exemplaires de la convention (1 remis)",
                                     "la copie de la carte d'auditeur")
    assert pieces.deadline == row.date_debut - 12 * DAY


def test_pieces_the_step_before_it_triggers_and_other_cases() -> None:
    missing = {"exemplaires_convention": None, "attestation_assurance": None}
    assert PIECES in _reasons(_no_convention(TODAY + 40 * DAY, **missing))
    # The day before the approval (step `approval`), no pieces reminder yet.
    assert PIECES not in _reasons(_no_approval(TODAY + 40 * DAY, **missing))
    assert PIECES not in _reasons(_no_convention(TODAY + 40 * DAY, modalite="cours du jour",
                                                 **missing))
    assert PIECES not in _reasons(_no_convention(TODAY + 40 * DAY))  # nothing missing
    finished = clean_row(date_debut=TODAY - 200 * DAY, date_fin=TODAY - 77 * DAY,
                         date_evaluation=TODAY - 70 * DAY, **missing)
    assert PIECES not in _reasons(finished)


# --- evaluation: date_fin past, no date_evaluation; to the tutor ------------------------------
def test_evaluation_triggers_the_day_after_the_end_to_the_tutor() -> None:
    row = clean_row(date_debut=TODAY - 124 * DAY, date_fin=TODAY - DAY)
    (evaluation,) = _plan(row).reminders
    assert evaluation.reason == EVALUATION
    assert evaluation.recipient.role == TUTOR
    assert evaluation.recipient.email == "luc.bernard@example.org"
    assert evaluation.recipient.display == "M. Luc BERNARD"
    assert evaluation.recipient.address == ("Association Tremplin", "5 avenue de la République",
                                            "93100 Montreuil")
    # the date every document gives the tutor: the end + « Délai de retour de l'évaluation »
    assert evaluation.deadline == derive(row, PARAMS, TODAY).evaluation_return_by
    assert evaluation.deadline == row.date_fin + 15 * DAY
    assert evaluation.days == 14


def test_evaluation_stays_due_once_its_return_date_is_past() -> None:
    row = clean_row(date_debut=TODAY - 200 * DAY, date_fin=TODAY - 40 * DAY)
    (evaluation,) = _plan(row).reminders
    assert evaluation.deadline == TODAY - 25 * DAY and evaluation.overdue


def test_evaluation_the_day_before_it_triggers() -> None:
    row = clean_row(date_debut=TODAY - 123 * DAY, date_fin=TODAY)
    assert EVALUATION not in _reasons(row, TODAY)  # the last day of the internship
    assert EVALUATION in _reasons(row, TODAY + DAY)


def test_no_evaluation_reminder_without_a_convention() -> None:
    # the letter encloses the form, issued under a convention only; the student is told no
    # internship may take place without one: the tutor is not asked to evaluate it
    row = clean_row(date_debut=TODAY - 124 * DAY, date_fin=TODAY - DAY, date_convention=None)
    assert EVALUATION not in _reasons(row)
    assert "convention" in _reasons(row)


def test_no_evaluation_reminder_once_received() -> None:
    row = clean_row(date_debut=TODAY - 124 * DAY, date_fin=TODAY - DAY, date_evaluation=TODAY)
    assert _reasons(row) == []


# --- who gets nothing, and what is reported ---------------------------------------------------
def test_exempt_student_gets_nothing() -> None:
    row = _no_definition(TODAY + 10 * DAY)
    row = dataclasses.replace(row, structure_nom=None, experience_mois=24,
                              experience_attestee=True)
    assert _reasons(row) == []


def test_an_unreadable_date_skips_the_reminder_with_the_reason() -> None:
    row = _no_definition(TODAY + 10 * DAY)
    row = dataclasses.replace(row, invalid={"date_definition"},
                              raw={"date_definition": "31/02/2027"})
    result = _plan(row)
    assert DEFINITION not in [r.reason for r in result.reminders]
    (skip,) = [s for s in result.skipped if s.reason == DEFINITION]
    assert "Définition remise le" in skip.message and "31/02/2027" in skip.message
    assert DEFINITION in [r.reason for r in _plan(row, force=True).reminders]


def test_a_duplicated_student_number_skips_both_rows() -> None:
    row = _no_definition(TODAY + 10 * DAY)
    duplicate = Finding("STUDENT-DUPLICATE", Severity.ERROR, "doublon", row=row.row_number,
                        key="numero_auditeur")
    result = _plan(row, findings=(duplicate,), force=True)
    assert result.reminders == []
    assert {s.reason for s in result.skipped} == {DEFINITION, CONVENTION}
    assert all("plusieurs lignes" in s.message for s in result.skipped)


def test_only_and_reasons_filter_the_plan() -> None:
    first = _no_definition(TODAY + 10 * DAY)
    second = dataclasses.replace(_no_convention(TODAY), row_number=3, numero_auditeur="PAR0003")
    derived = {r.row_number: derive(r, PARAMS, TODAY) for r in (first, second)}
    only = plan([first, second], derived, TODAY, only=["PAR0003"])
    assert [(r.student, r.reason) for r in only.reminders] == [("PAR0003", CONVENTION)]
    by_reason = plan([first, second], derived, TODAY, reasons=[CONVENTION])
    assert [(r.student, r.reason) for r in by_reason.reminders] == [
        ("PAR0002", CONVENTION), ("PAR0003", CONVENTION)]


def test_identity_is_student_recipient_reason_deadline() -> None:
    (reminder,) = [r for r in _plan(_no_convention(TODAY)).reminders]
    assert reminder.identity == ("PAR0002", "claire.martin@example.org", CONVENTION,
                                 TODAY.isoformat())


def test_when_each_reason_is_due_is_declared_once() -> None:
    """process.py declares the reasons and their windows; the derived values read the
    declaration and the reminders read the derived values: no reason named elsewhere."""
    import inspect
    from pathlib import Path

    from generator.process import REASON_KEYS
    from generator.rules import derived
    folder = Path(__file__).parent.parent / "generator" / "reminders"
    sources = {"reminders_due": inspect.getsource(derived.reminders_due)}
    sources |= {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.py")}
    for name, text in sources.items():
        named = [key for key in REASON_KEYS if f'"{key}"' in text or f"'{key}'" in text]
        assert not named, (name, named)


@pytest.mark.parametrize("modalite", ["cours du soir", "cours du jour"])
def test_every_situation_gives_one_letter_per_recipient(modalite: str) -> None:
    """Whatever the dates and the steps done, the points due the same day for one person
    make one letter (a reason's letter covers the others: `ReminderReason.covers`)."""
    import itertools

    from generator.reminders.plan import notices
    seen: set[tuple[str, ...]] = set()
    for start, defined, approved, established, card in itertools.product(
            range(-20, 60, 3), (True, False), (True, False), (True, False), (True, False)):
        begin = TODAY + start * DAY
        row = clean_row(modalite=modalite, date_debut=begin, date_fin=begin + 120 * DAY,
                        date_definition=TODAY - 60 * DAY if defined else None,
                        date_accord=TODAY - 50 * DAY if defined and approved else None,
                        date_convention=TODAY - 40 * DAY if defined and approved
                        and established else None,
                        carte_auditeur=card)
        letters = notices(_plan(row).reminders)
        roles = [letter.recipient.role for letter in letters]
        assert len(roles) == len(set(roles)), (start, defined, approved, established, card)
        seen |= {letter.reasons for letter in letters}
    if modalite == "cours du soir":  # the combinations this grid reaches
        assert {(APPROVAL, CONVENTION), (DEFINITION, CONVENTION),
                (CONVENTION, PIECES)} <= seen
