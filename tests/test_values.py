"""Property tests of the normalisers: every spelling a French user types reads the same."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import luhn

from generator.cohort import values
from generator.cohort.columns import COLUMNS, Column
from generator.cohort.headers import HEADER_KEYS

DATES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
SHORT_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                "oct.", "nov.", "déc."]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
EDGES = st.sampled_from(["", " ", "\u00a0", "\t", "\n", " \u202f"])


@st.composite
def mixed_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if flip else c.lower() for c, flip in zip(text, flips, strict=True))


# --- dates ---

def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


@st.composite
def date_spellings(draw: st.DrawFn, day: dt.date) -> object:
    d, m, y = day.day, day.month, day.year
    words_day = "1er" if d == 1 and draw(st.booleans()) else str(d)
    month = draw(st.sampled_from([MONTHS[m - 1], SHORT_MONTHS[m - 1]]))
    weekday = draw(st.sampled_from(["", WEEKDAYS[day.weekday()] + " "]))
    separator = draw(st.sampled_from(["/", "-", "."]))
    spelling = draw(st.sampled_from([
        day, dt.datetime(y, m, d, 0, 0), dt.datetime(y, m, d, 14, 30), _serial(day),
        float(_serial(day)), _serial(day) + 0.25, str(_serial(day)),
        f"{d:02d}{separator}{m:02d}{separator}{y}", f"{d}{separator}{m}{separator}{y}",
        f"{d:02d}/{m:02d}/{y} 00:00", day.isoformat(), f"{y}/{m:02d}/{d:02d}",
        f"{day.isoformat()} 00:00:00", f"{day.isoformat()}T00:00:00",
        f"{weekday}{words_day} {month} {y}",
    ]))
    if isinstance(spelling, str):
        spelling = draw(mixed_case(spelling))
        return draw(EDGES) + spelling + draw(EDGES)
    return spelling


@given(DATES.flatmap(lambda day: st.tuples(st.just(day), date_spellings(day))))
def test_every_date_spelling_reads_the_date(case: tuple[dt.date, object]) -> None:
    day, spelling = case
    assert values.date(spelling) == day


@given(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2069, 12, 31)))
def test_two_digit_years_pivot_at_1970(day: dt.date) -> None:
    assert values.date(day.strftime("%d/%m/%y")) == day


@given(DATES)
def test_a_date_reads_back_from_its_text(day: dt.date) -> None:
    assert values.date(values.text(day)) == day


@pytest.mark.parametrize("month", range(1, 13))
@given(year=st.integers(1950, 2100), day=st.integers(1, 28), short=st.booleans())
def test_every_french_month_name(month: int, year: int, day: int, short: bool) -> None:
    name = (SHORT_MONTHS if short else MONTHS)[month - 1]
    assert values.date(f"{day} {name} {year}") == dt.date(year, month, day)
    assert values.date(f"{day} {name.upper()} {year}") == dt.date(year, month, day)


def test_first_of_the_month() -> None:
    assert values.date("1er mars 2027") == dt.date(2027, 3, 1)
    assert values.date("Lundi 1er Mars 2027") == dt.date(2027, 3, 1)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1))
def test_words_without_a_number_are_not_dates(word: str) -> None:
    with pytest.raises(ValueError):
        values.date(word)


@pytest.mark.parametrize("bad", ["31/02/2026", "14/13/2026", "32 mars 2027", "14 brumaire 2026",
                                 "2026-02-30", 0, -5, "demain"])
def test_impossible_dates_are_errors(bad: object) -> None:
    with pytest.raises(ValueError):
        values.date(bad)


@pytest.mark.parametrize("empty", [None, "", "  ", "\u00a0", float("nan")])
def test_empty_date(empty: object) -> None:
    assert values.date(empty) is None


# --- booleans, civilité ---

YES = ["oui", "o", "x", "vrai", "yes", "y", "1", "true", "ok", "✓", "reçu", "reçue", "fournie"]
NO = ["non", "n", "faux", "no", "0", "false"]


@given(st.sampled_from([(s, True) for s in YES] + [(s, False) for s in NO]).flatmap(
    lambda case: st.tuples(mixed_case(case[0]), st.just(case[1]), EDGES,
                           st.sampled_from(["", "."]))))
def test_boolean_spellings(case: tuple[str, bool, str, str]) -> None:
    spelling, expected, edge, dot = case
    assert values.boolean(edge + spelling + dot + edge) is expected


@pytest.mark.parametrize(("raw", "expected"), [(True, True), (False, False), (1, True),
                                               (0.0, False), ("", None), ("-", None)])
def test_boolean_cells(raw: object, expected: bool | None) -> None:
    assert values.boolean(raw) is expected


CIVILITES = {"M.": ["m", "m.", "mr", "mr.", "monsieur"],
             "Mme": ["mme", "mme.", "madame", "mlle", "melle", "mademoiselle"]}


@given(st.sampled_from([(s, c) for c, spellings in CIVILITES.items() for s in spellings])
       .flatmap(lambda case: st.tuples(mixed_case(case[0]), st.just(case[1]), EDGES)))
def test_civilite_spellings(case: tuple[str, str, str]) -> None:
    spelling, expected, edge = case
    assert values.civilite(edge + spelling + edge) == expected


@pytest.mark.parametrize("bad", ["Dr", "Me", "Mx", "Madam"])
def test_other_titles_are_not_civilites(bad: str) -> None:
    with pytest.raises(ValueError):
        values.civilite(bad)


# --- phone ---

FRENCH_NUMBERS = st.tuples(st.integers(1, 9), st.text(alphabet="0123456789", min_size=8,
                                                       max_size=8))


@st.composite
def phone_spellings(draw: st.DrawFn, national: str) -> object:
    pairs = [national[i:i + 2] for i in range(0, 10, 2)]
    separator = draw(st.sampled_from(["", " ", ".", "-", "\u00a0", "\u202f", "/"]))
    spelling = draw(st.sampled_from([
        separator.join(pairs), f"+33 {national[1]} {separator.join(pairs[1:])}",
        f"+33{national[1:]}", f"+33 (0){national[1]} {' '.join(pairs[1:])}",
        f"0033 {national[1:]}", f"0033 (0){national[1:]}", national,
        int(national), float(national), national[1:],
    ]))
    if isinstance(spelling, str):
        return draw(EDGES) + spelling + draw(EDGES)
    return spelling


@given(FRENCH_NUMBERS.map(lambda p: f"0{p[0]}{p[1]}").flatmap(
    lambda national: st.tuples(st.just(national), phone_spellings(national))))
def test_any_french_number_in_any_spelling(case: tuple[str, object]) -> None:
    national, spelling = case
    canonical = " ".join(national[i:i + 2] for i in range(0, 10, 2))
    assert values.phone(spelling) == canonical


@pytest.mark.parametrize("bad", ["01 23 45 67", "00 12 34 56 78", "+44 20 7946 0958",
                                 "01 23 45 67 89 10", "appeler le matin"])
def test_not_french_numbers(bad: str) -> None:
    with pytest.raises(ValueError):
        values.phone(bad)


# --- SIRET ---

def _with_key(body: str) -> str:
    return body + luhn.calc_check_digit(body)


# A SIREN (8 digits and its Luhn key), then the establishment's NIC (4 digits and the key of
# all 14): what INSEE issues.
SIRETS = st.tuples(st.text(alphabet="0123456789", min_size=8, max_size=8),
                   st.text(alphabet="0123456789", min_size=4, max_size=4)).map(
    lambda parts: _with_key(_with_key(parts[0]) + parts[1]))
LA_POSTE_SIREN = "356000000"


@given(SIRETS, st.sampled_from(["", " ", ".", "\u00a0"]), st.booleans())
def test_valid_sirets_are_accepted(siret: str, separator: str, as_number: bool) -> None:
    spelled: object = separator.join([siret[:3], siret[3:6], siret[6:9], siret[9:]])
    if as_number:
        spelled = int(siret)  # Excel drops leading zeros: they come back
    assert values.siret(spelled) == siret


@given(SIRETS, st.integers(0, 13), st.integers(1, 9))
def test_one_altered_digit_is_rejected(siret: str, position: int, shift: int) -> None:
    altered = siret[:position] + str((int(siret[position]) + shift) % 10) + siret[position + 1:]
    assume(not altered.startswith(LA_POSTE_SIREN))
    with pytest.raises(ValueError):
        values.siret(altered)


@given(st.text(alphabet="0123456789", min_size=4, max_size=4))
def test_la_poste_establishments_use_the_digit_sum(nic: str) -> None:
    body = LA_POSTE_SIREN + nic
    last = next(d for d in "0123456789" if sum(map(int, body + d)) % 5 == 0)
    assert values.siret(body + last) == body + last


@pytest.mark.parametrize("bad", ["1234567890123", "123456789012345", "7328293200007A"])
def test_siret_must_have_fourteen_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        values.siret(bad)


# --- postcode, numbers ---

@given(st.integers(1000, 9999), st.sampled_from([int, float, str]))
def test_four_digit_postcodes_get_their_zero_back(number: int, kind: type) -> None:
    assert values.postcode(kind(number)) == f"0{number}"


@given(st.integers(10000, 99999))
def test_five_digit_postcodes(number: int) -> None:
    assert values.postcode(number) == values.postcode(f" {number} ") == str(number)


@pytest.mark.parametrize("bad", [123, "123", "750011", "75 0A1"])
def test_bad_postcodes(bad: object) -> None:
    with pytest.raises(ValueError):
        values.postcode(bad)


@given(st.integers(0, 10**7), st.integers(0, 99), st.sampled_from(["", " h", " €", "€", "h"]))
def test_french_decimals(units: int, cents: int, unit: str) -> None:
    grouped = f"{units:,}".replace(",", "\u202f")
    assert values.number(f"{grouped},{cents:02d}{unit}") == pytest.approx(units + cents / 100)


@given(st.integers(0, 99), st.integers(0, 59), st.sampled_from(["h", "H", " h ", "h", "h"]))
def test_hours_and_minutes(hours: int, minutes: int, mark: str) -> None:
    assert values.number(f"{hours}{mark}{minutes:02d}") == pytest.approx(hours + minutes / 60)


@pytest.mark.parametrize("cell", ["Claire Dupont <claire.dupont@exemple.fr>",
                                  "<claire.dupont@exemple.fr>", "mailto:claire.dupont@exemple.fr"])
def test_an_address_written_with_its_name(cell: str) -> None:
    assert values.email(cell) == "claire.dupont@exemple.fr"


# --- headers ---

APOSTROPHES = st.sampled_from(["'", "’", "‘", "ʼ"])
GAPS = st.sampled_from([" ", "  ", "\n", "\r\n", " \n", "\u00a0", "\t"])
ACCENTED = {"e": "éèêë", "a": "àâ", "i": "îï", "o": "ô", "u": "ùû", "c": "ç"}


@st.composite
def header_spellings(draw: st.DrawFn, label: str) -> str:
    words = label.split(" ")
    text = words[0] + "".join(draw(GAPS) + word for word in words[1:])
    text = text.replace("'", draw(APOSTROPHES))
    letters = []
    for char in values.fold(text) if draw(st.booleans()) else text:  # accents dropped or kept
        if char in ACCENTED and draw(st.integers(0, 5)) == 0:
            char = draw(st.sampled_from(ACCENTED[char]))  # or added where there were none
        letters.append(char)
    text = draw(mixed_case("".join(letters)))
    return draw(EDGES) + text + draw(st.sampled_from(["", "*", " *", " :", "*\n"]))


@given(st.sampled_from(COLUMNS).flatmap(
    lambda column: st.tuples(st.just(column), header_spellings(column.label))))
def test_header_spellings_fold_to_the_column(case: tuple[Column, str]) -> None:
    column, spelling = case
    assert values.header(spelling) == values.header(column.label)
    assert HEADER_KEYS[values.header(spelling)] == column.key


@pytest.mark.parametrize("spelling", ["N° auditeur", "No auditeur", "n° AUDITEUR", "Nº auditeur",
                                      "N°auditeur", "No. auditeur", "Numéro auditeur",
                                      "Num. auditeur", "N° d'auditeur", "Numéro d’auditeur *"])
def test_numero_auditeur_spellings(spelling: str) -> None:
    assert HEADER_KEYS[values.header(spelling)] == "numero_auditeur"


@pytest.mark.parametrize("label", ["Nom", "Nom tuteur", "Notes", "Numéros utiles"])
def test_words_starting_like_numero_are_left_alone(label: str) -> None:
    assert values.header(label) == values.fold(label)


def test_every_label_folds_to_a_distinct_header() -> None:
    folded = [values.header(c.label) for c in COLUMNS]
    assert len(set(folded)) == len(COLUMNS)
