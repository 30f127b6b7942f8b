"""`gen attestations`: the attestation de stage of the arrêté du 29 décembre 2014 (D124-9),
its duration counted as L124-18 counts it, and the rules on what it certifies."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from engine_helpers import docx_text
from workbooks import valid_row, write_workbook

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.rules.attestation import LegalDuration, legal_duration
from generator.rules.report import check

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cohorte-exemple.xlsx"


@pytest.mark.parametrize(("hours", "expected"), [
    (560, LegalDuration(80, 3, 14)),  # the degree's 560 hours: 80 days, 3 months and 14 days
    (548.5, LegalDuration(78, 3, 12)),  # 548,5 h: 78 whole days (546 h), the half-day lost
    (154, LegalDuration(22, 1, 0)),  # 22 days of 7 hours: exactly one month
    (153.9, LegalDuration(21, 0, 21)),  # a minute short of the 22nd day
    (7, LegalDuration(1, 0, 1)),
    (6.5, LegalDuration(0, 0, 0)),  # less than 7 hours is no day
    (308, LegalDuration(44, 2, 0)),  # the gratification threshold: two months
])
def test_duration_follows_l124_18(hours: float, expected: LegalDuration) -> None:
    assert legal_duration(hours) == expected


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--today", "2026-11-28"])
    return result.exit_code, result.stdout, result.stderr


def test_the_attestation_states_every_mention_of_the_model(tmp_path: Path) -> None:
    code, _out, err = run("attestations", str(SAMPLE), "-o", str(tmp_path), "--only",
                          "PAR26129")
    assert code == 0, err
    (path,) = (tmp_path / "attestations").glob("PAR26129_*.docx")
    text = re.sub(r"\s+", " ", docx_text(path).replace("\u00a0", " "))
    for mention in (
            "ATTESTATION DE STAGE", "à remettre au stagiaire à l'issue du stage",
            "Organisme d'accueil", "Nom ou dénomination", "Centre social", "Téléphone",
            "Certifie que", "Le stagiaire", "SIMON Laura", "Sexe F", "Étudiant en",
            "Licence professionnelle « Intervention sociale", "Au sein de",
            "Conservatoire national des arts et métiers",
            "a effectué un stage prévu dans le cadre de ses études",
            "Durée du stage", "du 9 mars 2026 au 7 août 2026",
            "Représentant une durée totale de 560 heures de présence effective, soit 80 jours "
            "de stage, soit 3 mois et 14 jours.",
            "présence effective du stagiaire dans l'organisme", "article L. 124-13",
            "L. 124-18", "au moins égale à 7 heures de présence",
            "au moins égale à 22 jours de présence",
            "Montant de la gratification versée au stagiaire",
            "pour un montant total de 2 520,00 €",
            "droits à retraite", "loi n° 2014-40 du 20 janvier 2014", "deux trimestres",
            "L. 351-17", "D. 124-9", "Fait à",
            "Nom, fonction et signature du représentant de l'organisme d'accueil"):
        assert mention in text, mention
    assert "à vérifier" not in text  # the amount was typed, not computed
    assert "Né(e) le" not in text and "né(e) le" not in text  # no date of birth: not printed


def _workbook(tmp_path: Path, **overrides: object) -> Path:
    values: dict[str, object] = {
        "date_debut": dt.date(2026, 3, 2), "date_fin": dt.date(2026, 8, 28),
        "date_convention": dt.date(2026, 2, 1), "date_evaluation": dt.date(2026, 9, 10),
        "stage_valide": "oui", "heures_effectuees": 560,
        "structure_telephone": "01 40 00 00 00", "gratification_horaire": 4.5}
    row = valid_row(**{**values, **overrides})
    return write_workbook(tmp_path / "cohorte.xlsx", [row])


def test_a_computed_total_is_flagged_for_the_host_and_the_birth_date_printed(
        tmp_path: Path) -> None:
    workbook = _workbook(tmp_path, date_naissance=dt.date(1994, 4, 12))
    code, _out, err = run("attestations", str(workbook), "-o", str(tmp_path / "out"))
    assert code == 0, err
    (path,) = (tmp_path / "out" / "attestations").glob("*.docx")
    text = docx_text(path)
    assert "2\u202f520,00\u00a0€" in text
    assert "à vérifier par l'organisme d'accueil" in text
    assert "né(e) le 12 avril 1994" in text


def test_hours_below_the_requirement_and_a_low_total_are_warnings(tmp_path: Path) -> None:
    workbook = _workbook(tmp_path, heures_effectuees=500, gratification_totale=1000)
    findings = {f.code: f for f in check(read_cohort(workbook), dt.date(2026, 11, 28)).findings}
    assert findings["ATTESTATION-HOURS"].severity.value == "warning"
    assert "500 heures effectuées, moins que les 560 heures requises" in \
        findings["ATTESTATION-HOURS"].message
    assert findings["ATTESTATION-GRATIFICATION"].severity.value == "warning"
    assert "1000,00 €" in findings["ATTESTATION-GRATIFICATION"].message


def test_no_attestation_before_the_hours_are_known(tmp_path: Path) -> None:
    workbook = _workbook(tmp_path, heures_effectuees=None)
    code, out, _err = run("attestations", str(workbook), "-o", str(tmp_path / "out"))
    assert code == 0
    assert "heures effectuées pas encore connues" in out
    assert not list((tmp_path / "out" / "attestations").glob("*.docx"))
