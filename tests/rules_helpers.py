"""Test helpers for the rules: typed rows built directly (no workbook), and a check over them.

    report = run(clean_row(heures_total=500))
    assert codes(report) == ["STAGE-HOURS"]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from generator.cohort.columns import BY_KEY, COLUMNS
from generator.cohort.model import Cohort, Row
from generator.cohort.params import Params
from generator.findings import Finding
from generator.rules.report import Report, check

# As of this day the clean row is mid-internship (step `ongoing`) and nothing fires.
TODAY = dt.date(2026, 11, 28)
ALL_HEADERS = {c.key: c.label for c in COLUMNS}


def clean_row(row_number: int = 2, /, **values: object) -> Row:
    """A complete, valid row of an evening-class student whose convention is established and
    whose full-time internship (560 h at 35 h a week) runs 14/09/2026 → 15/01/2027 (earliest
    end 06/01/2027). ``values`` override the typed attributes."""
    row = Row(
        row_number=row_number, numero_auditeur=f"PAR{row_number:04d}", civilite="Mme",
        nom="Martin", prenom="Claire", email="claire.martin@example.org",
        telephone="06 12 34 56 78", adresse="12 rue des Lilas\n75020 Paris",
        modalite="cours du soir", experience_mois=0, experience_attestee=False,
        memoire_sur_stage=True, structure_nom="Association Tremplin",
        structure_type="association", structure_adresse="5 avenue de la République",
        structure_code_postal="93100", structure_ville="Montreuil",
        structure_siret="73282932000074", structure_representant="Jean Dupont",
        structure_representant_fonction="Directeur",
        action_collective="Atelier collectif de recherche d'emploi", tuteur_civilite="M.",
        tuteur_nom="Bernard", tuteur_prenom="Luc",
        tuteur_fonction="Conseiller en insertion professionnelle",
        tuteur_email="luc.bernard@example.org", date_debut=dt.date(2026, 9, 14),
        date_fin=dt.date(2027, 1, 15), heures_total=560.0, heures_hebdo=35.0,
        gratification_horaire=4.5, objectifs="Diagnostic de territoire",
        activites="Entretiens individuels", date_definition=dt.date(2026, 5, 4),
        date_accord=dt.date(2026, 5, 18), date_convention=dt.date(2026, 6, 15),
        exemplaires_convention=3, attestation_assurance=True, carte_auditeur=True,
        enseignant_referent="Mme Isabelle Fontaine",
    )
    unknown = set(values) - {f.name for f in dataclasses.fields(Row)}
    assert not unknown, unknown
    return dataclasses.replace(row, **values)  # type: ignore[arg-type]


def searching_row(row_number: int = 2, /, **values: object) -> Row:
    """A student without a host structure yet: identity only."""
    base: dict[str, object] = {c.key: None for c in COLUMNS if not c.identity}
    base.update(values)
    return clean_row(row_number, **base)


def invalid(row: Row, key: str, text: str) -> Row:
    """The row with ``key`` holding ``text``, a value not of the column's type."""
    setattr(row, key, None)
    row.invalid.add(key)
    row.raw[key] = text
    return row


def cohort_of(*rows: Row, params: Params | None = None,
              headers: dict[str, str] | None = None) -> Cohort:
    return Cohort(path=Path("cohorte.xlsx"), params=params or Params(), rows=list(rows),
                  headers=dict(ALL_HEADERS if headers is None else headers))


def run(*rows: Row, today: dt.date = TODAY, params: Params | None = None,
        headers: dict[str, str] | None = None,
        documents: frozenset[str] | None = None) -> Report:
    return check(cohort_of(*rows, params=params, headers=headers), today, documents)


def params(**values: object) -> Params:
    return dataclasses.replace(Params(), **values)  # type: ignore[arg-type]


def codes(report: Report, row: int | None = 2) -> list[str]:
    """The codes found on one row (None: the file-level ones), in report order."""
    return [f.code for f in report.for_row(row)]


def only(report: Report, code: str, row: int | None = 2) -> Finding:
    """The one finding of ``code`` on ``row``."""
    found = [f for f in report.for_row(row) if f.code == code]
    assert len(found) == 1, [(f.code, f.message) for f in report.for_row(row)]
    return found[0]


def without(headers: dict[str, str], *keys: str) -> dict[str, str]:
    assert all(key in BY_KEY for key in keys)
    return {k: v for k, v in headers.items() if k not in keys}
