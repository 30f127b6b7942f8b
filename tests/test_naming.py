"""Output file names: safe on Windows, macOS and Linux, accents kept, unique in a folder even
without case."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.documents.naming import (
    MAX_STEM_BYTES,
    NameAllocator,
    safe_name,
    student_stem,
)

WINDOWS_FORBIDDEN = set('<>:"/\\|?*')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
            *(f"LPT{i}" for i in range(1, 10))}


def assert_safe(name: str, max_bytes: int = MAX_STEM_BYTES) -> None:
    assert name
    assert not WINDOWS_FORBIDDEN & set(name)
    assert ".." not in name
    assert name == name.strip(" .")
    assert all(not unicodedata.category(c).startswith("C") for c in name)
    assert name.split(".")[0].upper() not in RESERVED
    assert len(name.encode("utf-8")) <= max_bytes
    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(("text", "expected"), [
    ("a/b", "a-b"),
    ("a\\b", "a-b"),
    ("..", "sans-nom"),
    ("../../etc/passwd", "etc-passwd"),
    ("Jean..Pierre", "Jean.Pierre"),
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("Lpt1", "_Lpt1"),
    ("CONSTANT", "CONSTANT"),
    ("Anne Marie", "Anne-Marie"),
    ("Jean.", "Jean"),
    ("Zoé\tLe\nGoff", "Zoé-Le-Goff"),
    ("Ana\u200bïs", "Anaïs"),
    ("", "sans-nom"),
])
def test_safe_name(text: str, expected: str) -> None:
    assert safe_name(text) == expected
    assert_safe(safe_name(text))


def test_nfd_accents_become_nfc_and_are_kept() -> None:
    decomposed = unicodedata.normalize("NFD", "Hélène_Çelik")
    assert decomposed != "Hélène_Çelik"
    assert safe_name(decomposed) == "Hélène_Çelik"


def test_a_300_character_name_is_cut_on_a_character_boundary() -> None:
    name = safe_name("é" * 300)
    assert name == "é" * (MAX_STEM_BYTES // 2)
    assert len(safe_name("x" * 300, max_bytes=251).encode()) == 251
    # a 3-byte character never cut in half
    assert safe_name("€" * 100, max_bytes=10) == "€" * 3


@given(st.text(max_size=400))
def test_any_text_gives_a_safe_name(text: str) -> None:
    assert_safe(safe_name(text))


def test_two_students_with_the_same_name_get_distinct_files(tmp_path: Path) -> None:
    names = NameAllocator()
    first = names.allocate(student_stem("PAR1", "Martin", "Léa", "ligne 2"))
    second = names.allocate(student_stem("PAR1", "Martin", "Léa", "ligne 3"))
    assert first == "PAR1_MARTIN_Léa"
    assert second == "PAR1_MARTIN_Léa-2"


def test_numbers_differing_only_by_case_do_not_collide_in_a_folder(tmp_path: Path) -> None:
    names = NameAllocator()
    stems = [names.allocate(student_stem(number, "Dupont", "Jean", "x"))
             for number in ("par12", "PAR12", "Par12")]
    assert len({stem.casefold() for stem in stems}) == 3
    for stem in stems:  # each really is a distinct file, even here
        (tmp_path / f"{stem}.docx").write_bytes(stem.encode())
    assert len(list(tmp_path.iterdir())) == 3


def test_nfc_and_nfd_spellings_of_one_name_collide() -> None:
    names = NameAllocator()
    first = names.allocate("Émile")
    second = names.allocate(unicodedata.normalize("NFD", "ÉMILE"))
    assert (first, second) == ("Émile", "ÉMILE-2")


def test_a_suffix_stays_within_the_limit() -> None:
    names = NameAllocator(max_bytes=20)
    stems = [names.allocate("x" * 300) for _ in range(12)]
    assert len(set(stems)) == 12
    assert all(len(stem.encode()) <= 20 for stem in stems)
    assert stems[11] == "x" * 17 + "-12"


@pytest.mark.parametrize(("parts", "expected"), [
    (("PAR1234", "Dupont", "Léa"), "PAR1234_DUPONT_Léa"),
    (("../x", "CON", "a/b"), "x_CON_a-b"),
    ((None, "Dupont", None), "ligne-7_DUPONT"),
    (("CON", None, None), "_CON"),
])
def test_student_stem(parts: tuple[str | None, str | None, str | None], expected: str) -> None:
    stem = NameAllocator().allocate(student_stem(*parts, "ligne 7"))
    assert stem == expected
    assert_safe(stem)
    assert_safe(f"{stem}.docx", MAX_STEM_BYTES + 5)
