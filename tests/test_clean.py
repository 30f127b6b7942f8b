"""The one cleaning step for everything written, and invisible characters shown in messages."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.clean import clean_cells, clean_text, one_line, show_invisible
from generator.cohort import values

# What XML 1.0 accepts (https://www.w3.org/TR/xml/#charsets), C1 controls left out as well.
_XML_LEGAL = re.compile("[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def test_vertical_tab_is_a_line_break_and_controls_go() -> None:
    assert clean_text("Entretiens individuels\x0bAnimation d'ateliers") == \
        "Entretiens individuels\nAnimation d'ateliers"
    assert clean_text("a\x00b\x07c\x1bd\x7fe\x85f\tg\ufffeh\ud800i") == "abcde\nf\tghi"
    assert clean_text("un\r\ndeux\rtrois\u2028quatre") == "un\ndeux\ntrois\nquatre"


def test_edges_trimmed_of_every_kind_of_whitespace() -> None:
    assert clean_text("\u00a0\u202f\u200b\ufeff\t ROUX\x0b\u3000\u2060\n") == "ROUX"
    assert clean_text("  garde  ", trim=False) == "  garde  "
    assert values.text("Petit\x0b") == "Petit"
    assert values.text("\u200banna.roux@example.org\x0b") == "anna.roux@example.org"


def test_one_line_for_headers_and_csv() -> None:
    assert one_line("Association \x0bTremplin\r\n  Paris\t") == "Association Tremplin Paris"


def test_clean_cells_leave_numbers_and_dates() -> None:
    assert clean_cells((3, None, "a\x0b", 2.5)) == [3, None, "a", 2.5]


def test_show_invisible_names_what_one_cannot_see() -> None:
    assert show_invisible("anna.roux@exa\x0bmple.org") == "anna.roux@exa⟨VT⟩mple.org"
    assert show_invisible("a\tb\u00a0c\u200bd\x01") == \
        "a⟨tab⟩b⟨espace insécable⟩c⟨espace invisible⟩d⟨U+0001⟩"
    assert show_invisible("Élodie Ça va") == "Élodie Ça va"


@given(st.text())
def test_anything_cleaned_is_xml_legal_and_trimmed(text: str) -> None:
    cleaned = clean_text(text)
    assert _XML_LEGAL.fullmatch(cleaned)
    assert cleaned == cleaned.strip()
    assert "\r" not in cleaned
    assert "\n" not in one_line(text) and "\t" not in one_line(text)


@given(st.text())
def test_shown_text_has_nothing_invisible(text: str) -> None:
    shown = show_invisible(text)
    assert all(char.isprintable() for char in shown)
