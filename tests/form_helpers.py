"""Filling evaluation forms as tutors do, for the tests."""

from __future__ import annotations

from pathlib import Path

from data.build_returns import fill
from generator.documents import form

# What a tutor answers: every field, a multi-line comment, accents and a typed « & ».
ANSWERS = {
    "heures": "548,5",
    "absences": "Deux jours en février (maladie)\nAucune interruption",
    "commentaires": "Stagiaire investie & curieuse.\nTrès bonne posture.",
    "decision": form.VALIDATED,
    "motif": "",
    "tuteur": "Karim Bernard",
    "date": "12/05/2027",
    **{field.key: form.RATINGS[index % 4] for index, field in enumerate(form.RATING_FIELDS)},
}


def fill_as_word(source: Path, answers: dict[str, str], destination: Path) -> None:
    """What Word writes when a tutor fills the controls (data/build_returns.py)."""
    destination.write_bytes(fill(source.read_bytes(), answers))
