"""The report: derived step, readiness and gating of documents, order of findings, summary,
JSON, exit status; and the French formatting of dates, hours and amounts."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from rules_helpers import TODAY, clean_row, codes, cohort_of, invalid, run, searching_row

import generator
from generator.catalogue import CODES
from generator.cohort.model import Row
from generator.findings import Finding, Severity
from generator.frenchdates import (
    format_count,
    format_date,
    format_euros,
    format_hours,
    format_list,
    join_sentences,
)
from generator.process import APPROVAL, CONVENTION, DEFINITION, DOCUMENTS, EVALUATION
from generator.rules.registry import all_rules
from generator.rules.report import check
from generator.views.json_report import finding_json, report_json, report_json_text

NOT_YET = {"date_definition": None, "date_accord": None, "date_convention": None,
           "date_debut": dt.date(2027, 3, 1), "date_fin": dt.date(2027, 7, 2)}


@pytest.mark.parametrize(("values", "step"), [
    ({"structure_nom": None}, "search"),
    ({"structure_nom": None, "experience_mois": 12, "experience_attestee": True}, "exempt"),
    (NOT_YET, "definition"),
    ({**NOT_YET, "date_definition": dt.date(2026, 11, 2)}, "approval"),
    ({**NOT_YET, "date_definition": dt.date(2026, 11, 2), "date_accord": dt.date(2026, 11, 9)},
     "convention"),
    ({}, "ongoing"),
    ({"date_fin": TODAY}, "ongoing"),
    ({"date_fin": TODAY - dt.timedelta(days=1)}, "evaluation"),
    ({"date_fin": TODAY - dt.timedelta(days=1), "date_evaluation": TODAY}, "done"),
])
def test_step(values: dict[str, object], step: str) -> None:
    assert run(clean_row(**values)).derived[2].step == step


def test_derived_deadlines() -> None:
    derived = run(clean_row()).derived[2]
    assert derived.convention_deadline == dt.date(2026, 9, 2)
    assert derived.immersion_end == dt.date(2026, 9, 29)
    assert derived.evening and derived.full_time and derived.stage_required


def test_ready_follows_the_workflow_dates_and_leaves_exempt_rows_out() -> None:
    report = run(
        searching_row(2),
        clean_row(3, **NOT_YET),
        clean_row(4, **{**NOT_YET, "date_definition": dt.date(2026, 11, 2)}),
        clean_row(5),
        searching_row(6, experience_mois=20, experience_attestee=True),
    )
    ready = {d: [r.row_number for r in report.ready(d)]
             for d in (DEFINITION, APPROVAL, CONVENTION, EVALUATION)}
    assert ready == {DEFINITION: [3, 4, 5], APPROVAL: [4, 5], CONVENTION: [5], EVALUATION: [5]}


def test_blocking_errors_are_those_on_the_documents_fields() -> None:
    row = clean_row(structure_siret=None, telephone=None)
    invalid(row, "telephone", "12")
    report = run(row)
    assert report.blocking(row, DEFINITION) == []
    assert [f.key for f in report.blocking(row, CONVENTION)] == ["structure_siret"]
    assert report.blocking(row, EVALUATION) == []  # the warning on the phone blocks nothing


def test_a_late_convention_does_not_block_the_convention() -> None:
    row = clean_row(date_convention=None)
    report = run(row, today=dt.date(2026, 10, 1))
    assert codes(report) == ["CONVENTION-DEADLINE"]
    assert report.blocking(row, CONVENTION) == []


def test_a_duplicate_blocks_every_document_and_an_exempt_row_gets_none() -> None:
    first, second = clean_row(2, numero_auditeur="X"), clean_row(3, numero_auditeur="X")
    exempt = searching_row(4, experience_mois=12, experience_attestee=True)
    report = run(first, second, exempt)
    for document in (DEFINITION, APPROVAL, CONVENTION, EVALUATION):
        assert [f.code for f in report.blocking(first, document)] == ["STUDENT-DUPLICATE"]
        assert [f.code for f in report.blocking(exempt, document)] == ["STAGE-EXEMPT"]
    assert report.readiness() == dict.fromkeys(DOCUMENTS, 0)


def test_findings_come_file_first_then_by_row_errors_before_warnings_before_info() -> None:
    headers = {k: v for k, v in cohort_of().headers.items() if k != "tuteur_telephone"}
    rows = [
        clean_row(3, experience_mois=12, date_evaluation=dt.date(2027, 1, 20),
                  heures_total=600.0, tuteur_telephone="0123456789"),
        clean_row(2, heures_total=500.0, date_fin=dt.date(2027, 1, 29)),
    ]
    cohort = cohort_of(*rows, headers=headers)
    cohort.findings.append(Finding("FILE-UNKNOWN-COLUMN", Severity.INFO, "inconnue",
                                   column="Remarques"))
    report = check(cohort, dt.date(2027, 2, 1))
    assert [(f.row, f.severity) for f in report.findings] == sorted(
        ((f.row, f.severity) for f in report.findings),
        key=lambda p: (p[0] or 0, ["error", "warning", "info"].index(p[1])))
    assert report.findings[0].code == "FILE-UNKNOWN-COLUMN"
    assert codes(report, 3) == ["STAGE-EXPERIENCE-UNPROVEN", "STAGE-HOURS", "DEGREE-PENDING"]
    assert codes(report, 2) == ["STAGE-HOURS", "STAGE-FULL-TIME", "EVALUATION-DUE"]


def test_summary_json_and_exit_status() -> None:
    report = run(clean_row(2, heures_total=600.0), clean_row(3, heures_total=500.0))
    assert report.summary() == {"error": 1, "warning": 1, "info": 0}
    assert report.exit_status == 1
    data = report_json(report, "cohorte.xlsx")
    assert list(data) == ["file", "today", "rows", "findings", "summary"]
    assert (data["file"], data["today"], data["rows"]) == ("cohorte.xlsx", "2026-11-28", 2)
    assert data["findings"][0] == {  # type: ignore[index]
        "code": "STAGE-HOURS", "severity": "warning", "row": 2, "student": "PAR0002",
        "column": "Heures totales", "value": "600", "message": report.findings[0].message,
        "facts": {"hours": 600.0, "required_hours": 560}}
    json.dumps(data)  # serialisable as it is
    assert run(clean_row(heures_total=600.0)).exit_status == 0


def test_no_row_and_no_finding() -> None:
    report = run()
    assert report.findings == [] and report.exit_status == 0
    assert report_json(report, "vide.xlsx")["rows"] == 0


@pytest.mark.parametrize("block", [1, 2, 1000])
def test_json_text_is_json_dumps_of_the_report_in_pieces(block: int,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr("generator.views.json_report.JSON_BLOCK", block)
    for report in (run(), run(clean_row(2, heures_total=600.0), clean_row(3, nom="Élise « 2 »",
                                                                          heures_total=500.0),
                          clean_row(4, heures_total=600.0))):
        pieces = list(report_json_text(report, "cohorte é.xlsx"))
        assert len(pieces) == 2 + -(-len(report.findings) // block)
        assert "".join(pieces) == json.dumps(report_json(report, "cohorte é.xlsx"),
                                             ensure_ascii=False)


def test_every_rule_code_is_unique_and_declared_once() -> None:
    rule_codes = [r.code for r in all_rules()]
    assert len(rule_codes) == len(set(rule_codes))
    assert {"CELL-REQUIRED", "STUDENT-DUPLICATE", "STAGE-CALENDAR", "DEGREE-PENDING",
            "CONVENTION-PIECES", "WORKFLOW-NO-APPROVAL"} <= set(rule_codes)


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2027, 3, 1), "1er mars 2027"), (dt.date(2026, 9, 14), "14 septembre 2026"),
    (dt.date(2026, 8, 15), "15 août 2026"), (dt.date(2026, 12, 31), "31 décembre 2026"),
])
def test_format_date(day: dt.date, text: str) -> None:
    assert format_date(day) == text


def test_format_date_with_the_weekday_hours_and_euros() -> None:
    assert format_date(dt.date(2026, 9, 14), weekday=True) == "lundi 14 septembre 2026"
    assert [format_hours(h) for h in (560.0, 17.5, 7.25, 0.0, 1 / 3)] == [
        "560", "17,5", "7,25", "0", "0,33"]
    assert [format_euros(a) for a in (4.35, 10, 1234.5)] == ["4,35 €", "10,00 €", "1234,50 €"]


def test_format_count_and_list() -> None:
    assert [format_count(n, "jour") for n in (0, 1, 2, 12)] == [
        "0 jour", "1 jour", "2 jours", "12 jours"]
    assert [format_list(items) for items in (["a"], ["a", "b"], ["a", "b", "c"])] == [
        "a", "a et b", "a, b et c"]
    # sentences keep their own stop and are never joined by « ; »
    assert join_sentences(["Sous ce minimum.", "Aucun enseignant référent", " "]) == \
        "Sous ce minimum. Aucun enseignant référent."


def test_every_code_is_in_the_catalogue_with_its_severities() -> None:
    """One catalogue: each rule's code and severities, and the reader's codes, are in it."""
    for registered in all_rules():
        entry = CODES[registered.code]
        assert set(registered.severities) <= set(entry.severities), registered.code
        assert entry.title and entry.todo
    assert [r.code for r in all_rules()] == [c for c in CODES if c in
                                             {r.code for r in all_rules()}]
    source = "\n".join(path.read_text(encoding="utf-8")
                       for path in Path(generator.__file__).parent.rglob("*.py"))
    raised = set(re.findall(r'"((?:FILE|CELL|STAGE|STUDENT|WORKFLOW|CONVENTION|EVALUATION|'
                            r'DEGREE|ROW)-[A-Z-]+)"', source))
    assert raised <= set(CODES)


@pytest.mark.parametrize(("row", "code", "facts"), [
    (clean_row(heures_total=500.0), "STAGE-HOURS", {"hours": 500.0, "required_hours": 560}),
    (clean_row(date_fin=dt.date(2026, 9, 1)), "STAGE-DATES",
     {"start": dt.date(2026, 9, 14), "end": dt.date(2026, 9, 1)}),
    (clean_row(heures_hebdo=50.0, date_fin=dt.date(2027, 9, 30)), "STAGE-WEEKLY-HOURS",
     {"weekly_hours": 50.0, "legal_max_hours": 48, "full_time_hours": 35}),
    (clean_row(date_fin=dt.date(2026, 12, 1)), "STAGE-CALENDAR",
     {"start": dt.date(2026, 9, 14), "end": dt.date(2026, 12, 1), "weekly_hours": 35.0,
      "presence_days": 5, "hours_per_day": 7.0, "hours_reachable": 392.0, "hours": 560.0,
      "earliest_end": dt.date(2027, 1, 6)}),
])
def test_findings_carry_the_facts_their_message_quotes(row: Row, code: str,
                                                        facts: dict[str, object]) -> None:
    (finding,) = [f for f in run(row).for_row(2) if f.code == code]
    assert dict(finding.facts) == facts
    assert finding_json(finding)["facts"] == {
        name: value.isoformat() if isinstance(value, dt.date) else value
        for name, value in facts.items()}


def test_a_late_convention_names_its_deadline_and_delay_as_facts() -> None:
    row = clean_row(date_definition=dt.date(2026, 6, 1), date_accord=dt.date(2026, 6, 10),
                    date_convention=None)
    finding = next(f for f in check(cohort_of(row), dt.date(2026, 9, 10)).for_row(2)
                   if f.code == "CONVENTION-DEADLINE")
    assert finding.facts["deadline"] == dt.date(2026, 9, 2)
    assert finding.facts["days_late"] == 8 and finding.facts["delay_days"] == 12
