"""The typed cohort: one `Row` per student, the parameters, and what reading found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.cohort.columns import BY_KEY
from generator.cohort.params import Params
from generator.findings import Finding


@dataclass(slots=True)  # 20,000 rows: a __dict__ each would cost about 40 MB
class Row:
    """A student's row, values typed (None: empty or not of its type — see `invalid`)."""

    row_number: int  # as Excel shows it
    numero_auditeur: str | None = None
    civilite: str | None = None
    nom: str | None = None
    prenom: str | None = None
    email: str | None = None
    telephone: str | None = None
    adresse: str | None = None
    modalite: str | None = None
    experience_mois: int | None = None
    experience_attestee: bool | None = None
    memoire_sur_stage: bool | None = None
    structure_nom: str | None = None
    structure_type: str | None = None
    structure_adresse: str | None = None
    structure_code_postal: str | None = None
    structure_ville: str | None = None
    structure_siret: str | None = None
    structure_representant: str | None = None
    structure_representant_fonction: str | None = None
    action_collective: str | None = None
    tuteur_civilite: str | None = None
    tuteur_nom: str | None = None
    tuteur_prenom: str | None = None
    tuteur_fonction: str | None = None
    tuteur_email: str | None = None
    tuteur_telephone: str | None = None
    date_debut: dt.date | None = None
    date_fin: dt.date | None = None
    heures_total: float | None = None
    heures_hebdo: float | None = None
    jours_presence: str | None = None
    gratification_horaire: float | None = None
    objectifs: str | None = None
    activites: str | None = None
    date_definition: dt.date | None = None
    date_accord: dt.date | None = None
    date_convention: dt.date | None = None
    exemplaires_convention: int | None = None
    attestation_assurance: bool | None = None
    carte_auditeur: bool | None = None
    date_evaluation: dt.date | None = None
    stage_valide: bool | None = None
    enseignant_referent: str | None = None
    enseignant_referent_email: str | None = None
    heures_effectuees: float | None = None
    gratification_totale: float | None = None
    structure_telephone: str | None = None
    date_naissance: dt.date | None = None
    cpam: str | None = None
    conges_jours: int | None = None
    observations: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # unknown columns, by header
    raw: dict[str, str] = field(default_factory=dict)  # key → the cell as text, for messages
    invalid: set[str] = field(default_factory=set)  # keys whose cell is not of its type
    uncached: set[str] = field(default_factory=set)  # keys holding a never-computed formula

    def filled(self, key: str) -> bool:
        return getattr(self, key) is not None

    @property
    def student(self) -> str:
        """How the row is named in messages: its N° auditeur, else its row number."""
        return self.numero_auditeur or f"ligne {self.row_number}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.prenom, (self.nom or "").upper()) if p)


@dataclass
class Cohort:
    path: Path
    params: Params
    rows: list[Row]
    headers: dict[str, str]  # key → header as written in the workbook
    sheet: str = "Cohorte"
    header_row: int = 1
    findings: list[Finding] = field(default_factory=list)  # from reading: FILE-…, CELL-…
    positions: dict[str, int] = field(default_factory=dict)  # key → column number (1 = A)

    def header(self, key: str) -> str:
        """The column as the user sees it: their header, else cohort.md's label."""
        return self.headers.get(key) or BY_KEY[key].label
