"""Cell rules: CELL-… from values not of their type, CELL-REQUIRED by step or by document,
formulas never computed, FILE-MISSING-COLUMN; one mistake, one finding."""

from __future__ import annotations

import pytest
from rules_helpers import (
    ALL_HEADERS,
    clean_row,
    codes,
    invalid,
    only,
    run,
    searching_row,
    without,
)

from generator.errors import InputError
from generator.findings import Severity
from generator.process import CONVENTION, DEFINITION, EVALUATION


@pytest.mark.parametrize(("key", "text", "code", "severity", "hint"), [
    ("date_debut", "31/02/2026", "CELL-DATE", Severity.ERROR, "jj/mm/aaaa"),
    ("heures_total", "beaucoup", "CELL-NUMBER", Severity.ERROR, "nombre positif"),
    ("exemplaires_convention", "2,5", "CELL-NUMBER", Severity.ERROR, "nombre entier"),
    ("civilite", "Docteur", "CELL-CHOICE", Severity.ERROR, "« M. » ou « Mme »"),
    ("modalite", "à distance", "CELL-CHOICE", Severity.ERROR, "« cours du soir »"),
    ("attestation_assurance", "peut-être", "CELL-CHOICE", Severity.ERROR, "« oui » ou « non »"),
    ("email", "claire.martin@", "CELL-EMAIL", Severity.ERROR, "adresse électronique"),
    ("telephone", "12 34", "CELL-PHONE", Severity.WARNING, "10 chiffres"),
    ("structure_code_postal", "930", "CELL-POSTCODE", Severity.ERROR, "5 chiffres"),
    ("structure_siret", "73282932000075", "CELL-SIRET", Severity.ERROR, "clé de contrôle"),
    ("structure_siret", "7328293200", "CELL-SIRET", Severity.ERROR, "en compte 10"),
])
def test_a_value_not_of_its_type_gives_its_cell_code(key: str, text: str, code: str,
                                                     severity: Severity, hint: str) -> None:
    assert codes(run(clean_row())) == []
    report = run(invalid(clean_row(), key, text))
    finding = only(report, code)
    assert finding.severity == severity
    assert (finding.key, finding.value, finding.student) == (key, text, "PAR0002")
    assert finding.column == ALL_HEADERS[key]
    assert text in finding.message and hint in finding.message
    # one mistake, one finding: not also CELL-REQUIRED, nor a rule reading the value
    assert codes(report) == [code]


def test_the_column_is_named_as_the_user_wrote_it() -> None:
    headers = {**ALL_HEADERS, "date_debut": "Début du stage"}
    finding = only(run(invalid(clean_row(), "date_debut", "bientôt"), headers=headers),
                   "CELL-DATE")
    assert finding.column == "Début du stage"
    assert "« Début du stage »" in finding.message


def test_an_invalid_date_counts_as_empty_for_every_other_rule() -> None:
    # the end date unreadable: no STAGE-CALENDAR, STAGE-DATES, EVALUATION-DUE…
    report = run(invalid(clean_row(), "date_fin", "fin janvier"), today=TODAY_AFTER_END)
    assert codes(report) == ["CELL-DATE"]
    # no convention date readable, deadline past: no CONVENTION-DEADLINE cascade either
    report = run(invalid(clean_row(), "date_convention", "??"))
    assert codes(report) == ["CELL-DATE"]


TODAY_AFTER_END = clean_row().date_fin.replace(year=2027, month=3)  # type: ignore[union-attr]


@pytest.mark.parametrize(("step_values", "key", "fires"), [
    ({}, "nom", True),  # identity: at every step
    ({}, "objectifs", False),  # a student still searching needs identity only
    ({"structure_nom": "Asso"}, "objectifs", True),  # definition step: definition fields
    ({"structure_nom": "Asso"}, "structure_siret", False),  # …not yet the convention's
    ({"structure_nom": "Asso", "date_definition": TODAY_AFTER_END}, "date_debut", True),
])
def test_cell_required_depends_on_the_step(step_values: dict[str, object], key: str,
                                           fires: bool) -> None:
    row = searching_row(**step_values, **{key: None})
    found = [f for f in run(row).for_row(2) if f.code == "CELL-REQUIRED" and f.key == key]
    assert bool(found) == fires


def test_from_the_convention_on_every_document_field_is_required() -> None:
    report = run(clean_row(structure_siret=None, tuteur_civilite=None))
    assert [f.key for f in report.for_row(2)] == ["structure_siret", "tuteur_civilite"]
    message = report.for_row(2)[1].message
    # the accord certifies what the definition states: it needs the tutor too
    assert ("définition du stage pratique, l'accord pédagogique, la convention de stage et la "
            "fiche d'évaluation") in message


def test_a_formula_never_computed_asks_to_open_and_save_the_file() -> None:
    row = clean_row(heures_total=None)
    row.uncached.add("heures_total")
    row.raw["heures_total"] = "=35*16"
    finding = only(run(row), "CELL-REQUIRED")
    assert finding.key == "heures_total"
    assert "Excel ou LibreOffice" in finding.message
    assert codes(run(row)) == ["CELL-REQUIRED"]  # not also STAGE-CALENDAR etc.


@pytest.mark.parametrize(("key", "code"), [
    ("tuteur_nom", "STAGE-TUTOR"), ("tuteur_prenom", "STAGE-TUTOR"),
    ("tuteur_fonction", "STAGE-TUTOR"), ("tuteur_email", "STAGE-TUTOR"),
    ("action_collective", "STAGE-COLLECTIVE-ACTION"), ("date_accord", "WORKFLOW-NO-APPROVAL"),
])
def test_a_specific_rule_replaces_cell_required(key: str, code: str) -> None:
    report = run(clean_row(**{key: None}))
    assert codes(report) == [code]
    assert only(report, code).key == key


def test_a_missing_document_column_is_reported_once_not_per_row() -> None:
    """A column a document states is absent: an error once, naming the documents that
    cannot be produced at all (their commands stop), and no row counted ready for them."""
    headers = without(ALL_HEADERS, "objectifs", "telephone")
    report = run(clean_row(2, objectifs=None), clean_row(3, objectifs=None), headers=headers)
    assert codes(report, None) == ["FILE-MISSING-COLUMN"]
    finding = only(report, "FILE-MISSING-COLUMN", None)
    assert (finding.severity, finding.row, finding.column) == (Severity.ERROR, None,
                                                               "Objectifs")
    assert "aucun de ces documents ne peut être produit" in finding.message
    assert "définition, accord pédagogique, convention et bordereau" in finding.message
    assert codes(report, 2) == codes(report, 3) == []
    assert report.exit_status == 1
    assert report.readiness()["convention"] == 0


def test_a_missing_column_no_row_needs_yet_is_not_reported() -> None:
    report = run(searching_row(), headers=without(ALL_HEADERS, "objectifs"))
    assert codes(report, None) == []


def test_the_closest_header_is_named() -> None:
    cohort_headers = without(ALL_HEADERS, "objectifs")
    row = clean_row(objectifs=None, extra={"Objectif": "Diagnostic"})
    finding = only(run(row, headers=cohort_headers), "FILE-MISSING-COLUMN", None)
    assert "« Objectif »" in finding.message


def test_evening_pieces_columns_are_needed_from_the_convention_on() -> None:
    headers = without(ALL_HEADERS, "carte_auditeur")
    report = run(clean_row(carte_auditeur=None), headers=headers)
    assert codes(report, None) == ["FILE-MISSING-COLUMN"]
    assert codes(run(clean_row(modalite="cours du jour", carte_auditeur=None),
                     headers=headers), None) == []


def test_a_generating_command_needs_its_documents_columns() -> None:
    headers = without(ALL_HEADERS, "structure_siret")
    with pytest.raises(InputError) as caught:
        run(clean_row(), headers=headers, documents=frozenset({CONVENTION}))
    assert caught.value.code == "FILE-MISSING-COLUMN"
    assert "SIRET structure" in str(caught.value)
    # the definition does not need that column
    run(clean_row(), headers=headers, documents=frozenset({DEFINITION}))


def test_a_generating_command_requires_its_documents_fields_only() -> None:
    row = clean_row(structure_siret=None, objectifs=None)
    definition = run(row, documents=frozenset({DEFINITION}))
    assert [f.key for f in definition.for_row(2)] == ["objectifs"]
    evaluation = run(row, documents=frozenset({EVALUATION}))
    assert codes(evaluation) == []
    convention = run(row, documents=frozenset({CONVENTION}))
    assert [f.key for f in convention.for_row(2)] == ["structure_siret", "objectifs"]
    # a row that has not reached the document is not asked for its fields
    early = run(clean_row(date_accord=None, date_convention=None, structure_siret=None),
                documents=frozenset({CONVENTION}))
    assert "CELL-REQUIRED" not in codes(early)


def test_an_exempt_row_needs_identity_only() -> None:
    row = searching_row(experience_mois=12, experience_attestee=True, nom=None,
                        heures_total=100.0)
    report = run(row)
    assert codes(report) == ["CELL-REQUIRED", "STAGE-EXEMPT"]
    assert only(report, "CELL-REQUIRED").key == "nom"
