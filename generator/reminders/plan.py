"""Who and why: from the checked cohort and today, the reminders to send (documents.md).

The reasons, their recipients and the cells they read are declared in `process.py`; when each
is due is a derived fact (`Derived.reminders_due`, computed once in `rules/derived.py`), never
recomputed here. A reason whose cells are unreadable (CELL-… on a date it reads) or whose
student number is missing or duplicated is not planned but reported as skipped, with the
reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.cohort.columns import BY_KEY
from generator.cohort.model import Row
from generator.findings import Finding
from generator.frenchdates import agreed
from generator.process import (
    EVALUATION,
    INCOMPLETE_EVALUATION,
    REMINDER_REASONS,
    STUDENT,
    TUTOR,
)
from generator.process import REASONS as REASON_TABLE
from generator.reminders.journal import Identity, identity
from generator.rules.derived import Derived
from generator.rules.report import select_rows

REASON_LABELS = {reason.key: reason.label for reason in REMINDER_REASONS}
# The columns every reason reads: without them no reminder can be trusted.
WORKFLOW_KEYS = frozenset({"date_debut", "date_fin", "date_definition", "date_accord",
                           "date_convention", "date_evaluation"})


@dataclass(frozen=True)
class Recipient:
    """Who the letter and the e-mail go to."""

    role: str  # STUDENT or TUTOR
    civilite: str | None  # "M." / "Mme"
    prenom: str | None
    nom: str | None
    email: str | None
    address: tuple[str, ...]  # postal address lines (empty: unknown)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.prenom, (self.nom or "").upper()) if p)

    @property
    def display(self) -> str:
        return " ".join(p for p in (self.civilite, self.full_name) if p)

    @property
    def role_word(self) -> str:
        """The role as the user reads it, in the recipient's gender: « tutrice »."""
        return agreed(self.role, self.civilite)


@dataclass(frozen=True)
class Reminder:
    """One (recipient, reason) as of `today`, with the facts its letter needs."""

    row: Row
    derived: Derived
    reason: str
    recipient: Recipient
    deadline: dt.date  # the date the reason is about (start, convention deadline, end)
    today: dt.date
    missing_pieces: tuple[str, ...] = ()
    # Prior steps still to do, for a convention reminder (definition, approval).
    prerequisites: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        """Days from today to the deadline: positive = left, 0 = today, negative = overdue."""
        return (self.deadline - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def student(self) -> str:
        return self.row.numero_auditeur or ""

    @property
    def identity(self) -> Identity:
        """What the journal compares: (student, recipient, reason, deadline)."""
        return identity(self.student, self.recipient.email or "", self.reason, self.deadline)


@dataclass(frozen=True)
class Notice:
    """One letter and one e-mail: every point due today for one recipient about one student
    (one letter per recipient per run; issue 9). The lead point's template words them all
    (`process.ReminderReason.covers`); each point keeps its own journal identity, so a point
    already sent is never sent again."""

    points: tuple[Reminder, ...]  # the lead first, then the points it covers

    @property
    def lead(self) -> Reminder:
        return self.points[0]

    @property
    def reason(self) -> str:
        """The lead's reason: its template words the letter."""
        return self.lead.reason

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every point's reason, in the order of the process."""
        return tuple(sorted((point.reason for point in self.points), key=_ORDER.__getitem__))

    @property
    def recipient(self) -> Recipient:
        return self.lead.recipient

    @property
    def row(self) -> Row:
        return self.lead.row

    @property
    def student(self) -> str:
        return self.lead.student

    @property
    def identities(self) -> tuple[Identity, ...]:
        return tuple(point.identity for point in self.points)


_ORDER = {reason.key: index for index, reason in enumerate(REMINDER_REASONS)}


def notices(reminders: Iterable[Reminder]) -> list[Notice]:
    """The reminders gathered into letters: per student and recipient, the point whose letter
    covers all the others leads one letter listing them (`ReminderReason.covers`); points no
    single letter covers keep one letter each (none can be due together today)."""
    groups: dict[tuple[int, str], list[Reminder]] = {}
    for reminder in reminders:
        groups.setdefault((reminder.row.row_number, reminder.recipient.role), []).append(
            reminder)
    found: list[Notice] = []
    for points in groups.values():
        reasons = {point.reason for point in points}
        lead = next((point for point in points if reasons - {point.reason}
                     <= set(REASON_TABLE[point.reason].covers)), None)
        if lead is None:
            found += [Notice((point,)) for point in points]
        else:
            found.append(Notice((lead, *(point for point in points if point is not lead))))
    return found


@dataclass(frozen=True)
class Skip:
    """A reminder that applies but is not planned, and why (French)."""

    row: Row
    reason: str
    message: str


@dataclass
class Plan:
    today: dt.date
    reminders: list[Reminder] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the whole file (French)
    # what reading the file found about it as a whole (FILE-…: unknown columns, merged cells…)
    file_findings: list[Finding] = field(default_factory=list)


def student_recipient(row: Row) -> Recipient:
    """The student as the recipient of a reminder."""
    address = tuple(line.strip() for line in (row.adresse or "").splitlines() if line.strip())
    return Recipient(STUDENT, row.civilite, row.prenom, row.nom, row.email, address)


def _tutor(row: Row) -> Recipient:
    lines = [row.structure_nom or ""]
    lines += (row.structure_adresse or "").splitlines()
    lines.append(" ".join(p for p in (row.structure_code_postal, row.structure_ville) if p))
    address = tuple(line.strip() for line in lines if line.strip())
    return Recipient(TUTOR, row.tuteur_civilite, row.tuteur_prenom, row.tuteur_nom,
                     row.tuteur_email, address if row.structure_nom else ())


def reasons_for(row: Row, derived: Derived, today: dt.date) -> list[Reminder]:
    """The reminders a row calls for today (`derived.reminders_due`), before any gating (see
    `plan`)."""
    found: list[Reminder] = []
    for key, deadline in derived.reminders_due:
        reason = REASON_TABLE[key]
        recipient = _tutor(row) if reason.recipient == TUTOR else student_recipient(row)
        prior = tuple(p for p in reason.prerequisites
                      if getattr(row, REASON_TABLE[p].done_when or "") is None)
        pieces = derived.missing_pieces if reason.lists_pieces else ()
        found.append(Reminder(row, derived, key, recipient, deadline, today,
                              missing_pieces=pieces, prerequisites=prior))
    return found


def _unusable(row: Row, reason: str, duplicates: set[int], force: bool) -> str | None:
    """Why a reminder cannot be trusted for this row, or None."""
    if not row.numero_auditeur:
        return "le N° auditeur est vide : la relance ne peut pas être suivie dans le journal."
    if row.row_number in duplicates:
        return (f"le N° auditeur {row.numero_auditeur} figure sur plusieurs lignes : "
                "corrigez le doublon avant de relancer.")
    bad = [key for key in REASON_TABLE[reason].reads if key in row.invalid or key in row.uncached]
    if bad and not force:
        cells = ", ".join(f"{BY_KEY[key].label} « {row.raw.get(key, '')} »" for key in bad)
        return f"cellule illisible, la relance pourrait être fausse : {cells}."
    if REASON_TABLE[reason].recipient == TUTOR and not row.tuteur_nom:
        return "le tuteur n'est pas renseigné (Nom tuteur) : à qui adresser la relance ?"
    return None


def plan(
    rows: Iterable[Row],
    derived: dict[int, Derived],
    today: dt.date,
    findings: Iterable[Finding] = (),
    only: Iterable[str] = (),
    reasons: Iterable[str] = (),
    force: bool = False,
    incomplete: Mapping[str, tuple[str, ...]] | None = None,
) -> Plan:
    """The reminders due as of `today` for the checked rows (`derived` keyed by row number).

    `only` keeps those students (N° auditeur, `report.select_rows`: GenError for one absent),
    `reasons` those reasons (empty: all); `force` plans a reminder despite unreadable cells (a
    missing or duplicated N° auditeur still skips it: the journal could not tell it apart).
    `incomplete`: N° auditeur (case-folded) → what the returned evaluation form lacks (`gen
    collect`); such a student's tutor gets « evaluation-incomplete » instead of « evaluation ».
    """
    wanted_reasons = set(reasons)
    duplicates = {f.row for f in findings if f.code == "STUDENT-DUPLICATE" and f.row is not None}
    result = Plan(today)
    for row in select_rows(list(rows), only):
        row_derived = derived.get(row.row_number)
        if row_derived is None:
            continue
        for reminder in reasons_for(row, row_derived, today):
            lacking = (incomplete or {}).get((row.numero_auditeur or "").strip().casefold())
            if reminder.reason == EVALUATION and lacking is not None:
                reminder = dataclasses.replace(reminder, reason=INCOMPLETE_EVALUATION,
                                               missing_pieces=lacking)
            if wanted_reasons and reminder.reason not in wanted_reasons:
                continue
            why = _unusable(row, reminder.reason, duplicates, force)
            if why is None:
                result.reminders.append(reminder)
            else:
                result.skipped.append(Skip(row, reminder.reason, why))
    return result
