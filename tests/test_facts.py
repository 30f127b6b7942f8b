"""Findings carry their facts as data (issue 8): every finding of every code has the facts the
catalogue names for it, and every date, amount, number of hours or days its French message
quotes is one of its facts. Run over the sample, the test workbooks, the cases, and a workbook
holding one defect per row, so that every code of the catalogue is met."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from openpyxl import load_workbook
from workbooks import LABELS, valid_row, write_workbook

from generator.catalogue import CODES
from generator.cohort.reader import read_cohort
from generator.errors import InputError
from generator.findings import Fact, Finding
from generator.process import DOCUMENT_KEYS
from generator.rules.report import check

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
_DATE = re.compile(r"\b(\d{1,2})(?:er)? (" + "|".join(MONTHS) + r") (\d{4})")
_NUMBER = r"(\d{1,3}(?:[\u00a0\u202f ]\d{3})*(?:,\d+)?|\d+(?:,\d+)?)"
_QUANTITIES = (re.compile(_NUMBER + r"\s?€"), re.compile(_NUMBER + r" heures\b"),
               re.compile(r"\b(\d+) jours?\b"))
DATES = (dt.date(2026, 11, 28), dt.date(2027, 3, 1))


def quoted(message: str) -> list[dt.date | float]:
    """The dates, euros, hours and days a French message quotes."""
    found: list[dt.date | float] = [dt.date(int(year), MONTHS.index(month) + 1, int(day))
                                    for day, month, year in _DATE.findall(message)]
    for pattern in _QUANTITIES:
        found += [float(re.sub(r"[\u00a0\u202f ]", "", text).replace(",", "."))
                  for text in pattern.findall(message)]
    return found


def _values(facts: dict[str, Fact]) -> set[dt.date | float]:
    values: set[dt.date | float] = set()
    for fact in facts.values():
        for value in fact if isinstance(fact, tuple) else (fact,):
            if isinstance(value, dt.date):
                values.add(value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                values.add(round(abs(float(value)), 2))  # « 3 jours avant »: -3
    return values


def assert_facts(finding: Finding) -> None:
    named = set(CODES[finding.code].facts)
    assert named <= set(finding.facts), (finding.code, named - set(finding.facts))
    values = _values(dict(finding.facts))
    missing = [value for value in quoted(finding.message)
               if (round(value, 2) if isinstance(value, float) else value) not in values]
    assert not missing, (finding.code, missing, finding.message, dict(finding.facts))


# --- one defect per row ----------------------------------------------------------------------
def _n(number: int, **overrides: object) -> dict[str, object]:
    return valid_row(**{"numero_auditeur": f"{200000 + number}", "nom": f"Nom{number:02d}",
                        **overrides})


NO_HOST = {key: None for key in (
    "structure_nom", "structure_type", "structure_adresse", "structure_code_postal",
    "structure_ville", "structure_siret", "structure_representant",
    "structure_representant_fonction", "action_collective", "tuteur_civilite", "tuteur_nom",
    "tuteur_prenom", "tuteur_fonction", "tuteur_email", "tuteur_telephone", "date_debut",
    "date_fin", "heures_total", "heures_hebdo", "gratification_horaire", "objectifs",
    "activites", "date_definition", "date_accord", "date_convention", "structure_telephone",
    "enseignant_referent", "cpam")}
DEFECTS: list[dict[str, object]] = [
    _n(1, date_debut="bientôt"),
    _n(2, heures_total="beaucoup"),
    _n(3, modalite="le samedi"),
    _n(4, email="pas-une-adresse"),
    _n(5, telephone="123"),
    _n(6, structure_code_postal="ABCDE"),
    _n(7, structure_siret="12345678901234"),
    _n(8, prenom=None, nom=None),
    _n(9), _n(9),  # STUDENT-DUPLICATE
    _n(10, experience_mois=24, experience_attestee="oui", **NO_HOST),
    _n(11, experience_mois=24, experience_attestee="oui"),
    _n(12, **NO_HOST),
    _n(13, experience_mois=24, experience_attestee="non"),
    _n(14, heures_total=400),
    _n(15, date_fin=dt.date(2026, 9, 1)),
    _n(16, heures_hebdo=50),
    _n(17, date_fin=dt.date(2026, 10, 30)),
    _n(18, date_fin=dt.date(2027, 6, 30)),
    _n(19, date_debut=dt.date(2026, 11, 11), date_fin=dt.date(2027, 3, 12)),
    _n(20, tuteur_email=None),
    _n(21, action_collective=None),
    _n(22, gratification_horaire=None),
    _n(23, date_accord=dt.date(2026, 5, 1)),
    _n(24, date_accord=None),
    _n(25, date_convention=None, date_debut=dt.date(2026, 12, 7),
       date_fin=dt.date(2027, 4, 9)),
    _n(26, carte_auditeur="non", date_convention=None, date_debut=dt.date(2026, 12, 7),
       date_fin=dt.date(2027, 4, 9)),
    _n(27, enseignant_referent=None),
    _n(28, date_evaluation=dt.date(2026, 12, 1)),
    _n(29, date_evaluation=dt.date(2027, 1, 20)),
    _n(30, heures_effectuees=500, date_evaluation=dt.date(2027, 1, 20), stage_valide="oui"),
    _n(31, heures_effectuees=560, gratification_totale=100,
       date_evaluation=dt.date(2027, 1, 20), stage_valide="oui"),
    {"structure_nom": "une ligne sans auditeur"},
    _n(32),  # below it: the row above is inside the table, so it is reported
]


def _defects(tmp: Path) -> Path:
    """Every defect above in one workbook, with an unknown column, a column missing, a hidden
    row, two merged rows and parameters below the law."""
    labels = [label for label in LABELS if label != "CPAM"] + ["Colonne de l'équipe"]
    path = write_workbook(tmp / "defauts.xlsx", DEFECTS, headers=labels,
                          params={"Gratification horaire minimale (€)": 3,
                                  "Signataire de l'établissement": None})
    book = load_workbook(path)
    sheet = book["Cohorte"]
    sheet.row_dimensions[3].hidden = True
    column = labels.index("Observations") + 1
    sheet.merge_cells(start_row=4, end_row=5, start_column=column, end_column=column)
    book.save(path)
    return path


# --- files the reader refuses ---------------------------------------------------------------
def _no_sheet(tmp: Path) -> Path:
    path = write_workbook(tmp / "feuilles.xlsx", [valid_row()], sheet="Feuil1")
    book = load_workbook(path)
    book.create_sheet("Feuil2").append(["des", "données"])
    book.save(path)
    return path


def _empty(tmp: Path) -> Path:
    (tmp / "vide.xlsx").write_bytes(b"")
    return tmp / "vide.xlsx"


REFUSED: dict[str, Callable[[Path], Path]] = {
    "FILE-UNREADABLE": _empty,
    "FILE-NO-SHEET": _no_sheet,
    "FILE-NO-HEADER": lambda tmp: write_workbook(tmp / "titres.xlsx", [valid_row()],
                                                 title_rows=12),
    "FILE-DUPLICATE-COLUMN": lambda tmp: write_workbook(tmp / "double.xlsx", [valid_row()],
                                                        headers=[*LABELS, "Nom"]),
    "FILE-MISSING-COLUMN": lambda tmp: write_workbook(
        tmp / "sans-numero.xlsx", [valid_row()],
        headers=[label for label in LABELS if label != "Nom"]),
    "FILE-BAD-PARAMETER": lambda tmp: write_workbook(
        tmp / "parametre.xlsx", [valid_row()], params={"Heures de stage requises": "beaucoup"}),
}

FIXTURES = sorted(path for folder in ("fixtures", "fixtures/cases", "fixtures/sources")
                  for path in (ROOT / "tests" / folder).iterdir()
                  if path.suffix in {".xlsx", ".ods", ".csv"})


def _findings(path: Path) -> list[Finding]:
    try:
        cohort = read_cohort(path)
    except InputError:
        return []
    # as `gen check` sees it, and as a document command does (the signatory's warning)
    return [finding for today in DATES for documents in (None, frozenset(DOCUMENT_KEYS))
            for finding in check(cohort, today, documents).findings]


@pytest.mark.parametrize("path", [SAMPLE, *FIXTURES], ids=lambda path: path.name)
def test_the_findings_of_each_workbook_carry_their_facts(path: Path) -> None:
    for finding in _findings(path):
        assert_facts(finding)


@pytest.mark.parametrize("code", list(REFUSED))
def test_a_refused_file_s_finding_carries_its_facts(code: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_cohort(REFUSED[code](tmp_path))
    assert caught.value.finding.code == code
    assert_facts(caught.value.finding)


def test_every_code_of_the_catalogue_is_met_with_its_facts(tmp_path: Path) -> None:
    findings = _findings(_defects(tmp_path)) + [
        finding for path in [SAMPLE, *FIXTURES] for finding in _findings(path)]
    for finding in findings:
        assert_facts(finding)
    met = {finding.code for finding in findings} | set(REFUSED)
    assert met == set(CODES), sorted(set(CODES) - met)
