"""Shared fixtures: the sample cohort, the reference date, LibreOffice."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cohorte-exemple.xlsx"
TEMPLATES = ROOT / "templates"
# The sample cohort is written as of this day: every step of the process is represented.
SAMPLE_TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture
def sample_today() -> dt.date:
    return SAMPLE_TODAY


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's binary. Skipped with a reason on a developer's machine without it; in CI
    (CI=true) its absence is a failure, so that no PDF test is ever skipped there."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found and shutil.which("pdftotext"):
        return found
    message = "LibreOffice absent : apt-get install libreoffice-writer-nogui poppler-utils"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _fixed_generation_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents carry their generation time (core properties): fixed here, as the
    reproducible-builds convention lets a user fix it, so that two runs of a test give the
    same bytes. Tests of the generation time itself remove it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
