"""The legal hourly gratification minimum, dated (Code de l'éducation L124-6, D124-8)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.law import gratification_minimum, legal_gratification_minimum


@pytest.mark.parametrize(("day", "minimum"), [
    (dt.date(2023, 6, 1), 4.05), (dt.date(2024, 1, 1), 4.35), (dt.date(2025, 12, 31), 4.35),
    (dt.date(2026, 1, 1), 4.50), (dt.date(2026, 1, 2), 4.50), (dt.date(2031, 5, 1), 4.50),
])
def test_the_minimum_in_force_on_a_day(day: dt.date, minimum: float) -> None:
    assert legal_gratification_minimum(day) == minimum


def test_a_parameter_only_raises_the_legal_minimum() -> None:
    day = dt.date(2026, 3, 1)
    assert gratification_minimum(day, None) == 4.50
    assert gratification_minimum(day, 4.00) == 4.50
    assert gratification_minimum(day, 5.10) == 5.10
