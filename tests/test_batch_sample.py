"""The team's templates on the sample cohort: every document of every type opens, is well-formed
XML, keeps no template tag and shows its student, structure, dates in French, hours and every
activity; and no cell text, however odd, breaks a convention."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest
from conftest import SAMPLE, SAMPLE_TODAY  # the module-scoped run cannot take the fixtures
from engine_helpers import assert_no_leftover_tag, assert_well_formed, docx_text, open_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cohort.model import Row
from generator.cohort.params import Params
from generator.cohort.reader import read_cohort
from generator.documents.batch import DOCUMENTS, GENERATED, BatchResult, load_template, run
from generator.documents.context import (
    EXAMPLE_TODAY,
    build_context,
    example_derived,
    example_row,
)
from generator.frenchdates import typeset

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def french(day: dt.date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def hours(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def activities(cell: str | None) -> list[str]:
    """The lines of the cell, without the bullet or number a person typed."""
    items = []
    for line in (cell or "").splitlines():
        item = line.strip().lstrip("-–•*").strip()
        if item[:1].isdigit() and item[1:3].strip()[:1] in (".", ")"):
            item = item.split(item[1:3].strip()[:1], 1)[1].strip()
        if item:
            items.append(item)
    return items


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[int, Row],
                                                                  list[BatchResult]]:
    output = tmp_path_factory.mktemp("sortie")
    results = run(SAMPLE, DOCUMENTS, output, SAMPLE_TODAY)
    rows = {row.row_number: row for row in read_cohort(SAMPLE).rows}
    return rows, results


# The attestation states what was done, not the planned hours and activities (its own test:
# tests/test_attestation.py).
@pytest.mark.parametrize("document", [d for d in DOCUMENTS if d != "attestation"])
def test_each_document_of_the_sample(sample_run: tuple[dict[int, Row], list[BatchResult]],
                                     document: str) -> None:
    rows, results = sample_run
    result = next(r for r in results if r.document == document)
    generated = [item for item in result.items if item.status == GENERATED]
    assert len(generated) >= 5, f"{document} : trop peu de documents pour tester"
    for item in generated:
        assert item.file is not None
        data = item.file.read_bytes()
        assert_well_formed(data)
        open_docx(data)
        text = docx_text(data).replace("\u00a0", " ")  # French typography: « 560 heures »
        assert_no_leftover_tag(text)
        row = rows[item.row]
        assert row.date_debut and row.date_fin and row.heures_total and row.structure_nom
        expected = [f"{row.prenom} {(row.nom or '').upper()}", row.structure_nom,
                    french(row.date_debut), french(row.date_fin),
                    f"{hours(row.heures_total)} heures"]
        if document != "bordereau":  # the registrar's checklist lists pieces, not activities
            expected += activities(row.activites)
        for fragment in expected:
            assert fragment in text, f"{item.file.name} : « {fragment} » absent"


@pytest.fixture(scope="module")
def convention() -> object:
    return load_template("convention")


def _expected(text: str) -> str:
    """The text as a document shows it: line separators as breaks, a tab as a space, other
    control characters (and U+FFFE, U+FFFF) gone."""
    shown = []
    for char in text.replace("\r\n", "\n"):
        if char in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029":
            shown.append("\n")
        elif char == "\t":
            shown.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cs") and char not in "\ufffe\uffff":
            shown.append(char)
    return "".join(shown)


PIECES = st.sampled_from(["&", "<", ">", '"', "'", "{{", "}}", "{%", "%}", "{{ 7 * 7 }}",
                          "{% for x in y %}", "{%p if a %}", "]]>", "\n", "\r\n", "\t", "\x00",
                          "\x0b", "\u2028", "😀", "é", "e\u0301", "\u200b", "\ufffe"])
CELL_TEXT = st.one_of(
    st.lists(st.one_of(st.text(max_size=20), PIECES), max_size=40).map("".join),
    st.text(min_size=4000, max_size=5000),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(text=CELL_TEXT)
def test_no_cell_text_breaks_a_convention(convention: object, text: str) -> None:
    row = dataclasses.replace(example_row(), action_collective=text, structure_nom=text[:300])
    context = build_context(row, example_derived(), Params(), EXAMPLE_TODAY)
    data = convention.render(context)  # type: ignore[attr-defined]
    assert_well_formed(data)
    shown = docx_text(data)
    assert _expected(typeset(text)) in shown  # as typed, in French typography
    assert _expected(typeset(text[:300])) in shown
