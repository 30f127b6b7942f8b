"""Reminder letters: one per recipient and student (`plan.Notice`), rendered from the lead
point's `templates/relance-<reason>.docx` and listing every point due; one combined .docx to
print them all at once.

The context is the documents' one (`build_context`) plus a `relance` namespace holding the
reminder's facts, already worded: dates in French, lists split, the recipient's address lines,
and whom to send what to (templates/README.md, section "Relances").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.atomic import work_folder, write_atomic
from generator.cohort.params import Params
from generator.documents.checking import ensure_usable
from generator.documents.compose import combine
from generator.documents.context import (
    EXAMPLE_PARAMS,
    EXAMPLE_TODAY,
    build_context,
    example_context,
    example_derived,
    example_row,
)
from generator.documents.engine import Template
from generator.documents.fields import addressed, salutation
from generator.documents.naming import NameAllocator, student_stem
from generator.documents.sources import template_file
from generator.frenchdates import format_date
from generator.process import (
    APPROVAL,
    CONVENTION,
    CONVENTION_OFFICE,
    COORDINATOR,
    DEFINITION,
    DOCUMENTS,
    REASON_WORDS,
    REASONS,
    REMINDER_REASONS,
)
from generator.reminders.plan import REASON_LABELS, Notice, Reminder, student_recipient
from generator.rules.report import is_ready

COMBINED_NAME = "lettres-a-imprimer.docx"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Letter:
    notice: Notice
    path: Path
    data: bytes
    form: bytes | None = None  # the tutor's evaluation form, for an evaluation reminder




def delay_text(days: int) -> str:
    """How far the date is from today, in words: « dans 3 jours », « aujourd'hui », « il y a
    2 jours »."""
    if days == 0:
        return "aujourd'hui"
    if days == 1:
        return "demain"
    if days == -1:
        return "hier"
    return f"dans {days} jours" if days > 0 else f"il y a {-days} jours"


def _title(civilite: str | None) -> str:
    return {"Mme": "Madame", "M.": "Monsieur"}.get(civilite or "", "")


def _lines(text: str) -> list[str]:
    """Address lines: those typed, and « rue…, 75003 Paris » split before the postcode."""
    text = re.sub(r",\s*(?=\d{5}\b)", "\n", text)
    return [line.strip() for line in text.splitlines() if line.strip()]


def _to_phrase(whom: str) -> str:
    """« à … » with French contraction: « au service… », « aux… », « à la coordinatrice… »."""
    for article, contracted in (("le ", "au "), ("les ", "aux ")):
        if whom.startswith(article):
            return contracted + whom[len(article):]
    return f"à {whom}"


def _send_to(reminder: Reminder, params: Params) -> dict[str, Any]:
    """Whom the recipient sends what to: the coordinator (definition, approval), the registrar
    (evening classes) or the day-class officer (convention, pieces), the referent (evaluation).
    `avec` follows « prendre contact avec », `a_qui` a verb (« remettre … au service… »)."""
    address = _lines(params.etablissement_adresse)
    contact = REASONS[reminder.reason].contact
    if contact == COORDINATOR:
        role = "coordinatrice de la licence"
        name = params.coordinatrice
        whom = f"{name}, {role}" if name else f"la {role}"
        found = {"nom": name or f"la {role}", "fonction": role, "email": params.referent_email}
    elif contact == CONVENTION_OFFICE and reminder.derived.evening:
        whom = "le service de la scolarité des cours du soir"
        found = {"nom": "le service de la scolarité", "fonction": "scolarité des cours du soir",
                 "email": params.scolarite_soir_email}
        address = _lines(params.scolarite_adresse or params.etablissement_adresse)
    elif contact == CONVENTION_OFFICE:
        role = "gestionnaire des conventions des cours du jour"
        whom = f"{params.gestionnaire_jour}, {role}"
        found = {"nom": params.gestionnaire_jour, "fonction": role, "email": ""}
    else:
        whom = f"l'équipe administrative de la licence {params.code_formation}"
        found = {"nom": whom, "fonction": "référent stage", "email": params.referent_email}
    return {**found, "avec": whom, "a_qui": _to_phrase(whom), "adresse_lignes": address}


def relance_context(notice: Notice, params: Params) -> dict[str, Any]:
    """The `relance` namespace of a letter's context (documented in templates/README.md);
    the student, tutor, structure, dates and degree are in the documents' own namespaces.
    The dates and the prior steps are the lead point's; the row's situation (started,
    convention established or prepared) is decided here once, for the templates to choose
    among complete sentences."""
    reminder = notice.lead
    row, derived = reminder.row, reminder.derived
    recipient = reminder.recipient
    days = reminder.days
    coordinator = params.coordinatrice
    pieces = [piece for point in notice.points for piece in point.missing_pieces]
    return {
        "motif": reminder.reason,
        "motif_libelle": REASON_LABELS[reminder.reason],
        "points": [REASON_LABELS[reason] for reason in notice.reasons],
        "plusieurs_points": len(notice.points) > 1,
        "pieces_dues": any(REASONS[point.reason].lists_pieces for point in notice.points),
        "stage_commence": row.date_debut is not None and row.date_debut <= reminder.today,
        "convention_etablie": row.date_convention is not None,
        # `gen conventions` prepares it from the approval on (process.DOCUMENT_KINDS)
        "convention_preparee": is_ready(row, derived, CONVENTION),
        "limite_convention_depassee": derived.convention_deadline is not None
        and derived.convention_deadline < reminder.today,
        "date_limite": format_date(reminder.deadline),
        "jours": abs(days),
        "jours_restants": max(days, 0),
        "jours_retard": max(-days, 0),
        "en_retard": days < 0,
        "delai": delay_text(days),
        "pieces_manquantes": list(dict.fromkeys(pieces)),
        "pieces_dossier": pieces_list(params),
        "prealables": [REASON_LABELS[reason] for reason in reminder.prerequisites],
        "definition_manquante": DEFINITION in reminder.prerequisites,
        "accord_manquant": APPROVAL in reminder.prerequisites,
        "fenetre_jours": str(params.fenetre_alerte_jours),
        "relance_definition_jours": str(params.relance_definition_jours),
        "destinataire": {
            "qualite": recipient.role_word,
            "civilite": _title(recipient.civilite),
            "formule": salutation(recipient.civilite),
            "prenom_nom": recipient.full_name,
            "nom_complet": addressed(recipient.civilite, recipient.full_name),
            "adresse_lignes": list(recipient.address),
            "email": recipient.email or "",
        },
        "envoi": _send_to(reminder, params),
        "signataire": coordinator,
        "signataire_fonction": ("La coordinatrice de la licence" if coordinator
                                else f"L'équipe administrative de la licence "
                                     f"{params.code_formation}"),
    }


def pieces_list(params: Params) -> list[str]:
    """The pieces the evening-class registrar needs (the seed's list)."""
    return [f"les {params.exemplaires_soir} exemplaires de la convention de stage, signés",
            "l'accord pédagogique",
            "une attestation d'assurance responsabilité civile",
            "la copie de la carte d'auditeur"]


def letter_context(notice: Notice, params: Params) -> dict[str, Any]:
    """Everything a relance template may use: the documents' context plus `relance`."""
    reminder = notice.lead
    context = dict(build_context(reminder.row, reminder.derived, params, reminder.today))
    context["relance"] = relance_context(notice, params)
    return context


def example_reminder(reason: str = CONVENTION) -> Reminder:
    """A reminder built on the documents' example student, every list non-empty."""
    row, derived = example_row(), example_derived()
    deadline = derived.convention_deadline or EXAMPLE_TODAY
    return Reminder(row, derived, reason, student_recipient(row), deadline, EXAMPLE_TODAY,
                    missing_pieces=derived.missing_pieces, prerequisites=(DEFINITION, APPROVAL))


def example_letter_context() -> dict[str, Any]:
    """Every key a relance template may use, with example values (`gen templates check`)."""
    return letter_context(Notice((example_reminder(),)), EXAMPLE_PARAMS)


def template_contexts() -> dict[str, Callable[[], Mapping[str, Any]]]:
    """Template file pattern → example context, for `gen templates check` and `ensure`."""
    enclosed = {_enclosed(reason.key) for reason in REMINDER_REASONS if reason.encloses}
    return {"relance-*.docx": example_letter_context,
            **{name: example_context for name in sorted(enclosed)}}


def _enclosed(reason: str) -> str:
    """The template of the document a reason's letter encloses ("" when none)."""
    encloses = REASONS[reason].encloses
    return DOCUMENTS[encloses].template if encloses else ""


def ensure_templates(templates: Path | None, reasons: Iterable[str]) -> dict[str, Template]:
    """Before anything is written: the letters' templates (and those of the documents they
    enclose, process.ReminderReason.encloses) exist and pass `gen templates check`; else
    TemplateError in French. Gives the checked templates by file name, each loaded once
    (`templates`: the team folder, the shipped template for a file it lacks)."""
    wanted = sorted(set(reasons))
    names = [REASONS[reason].template for reason in wanted]
    names += sorted({_enclosed(reason) for reason in wanted} - {""})
    return ensure_usable([template_file(name, templates) for name in names], template_contexts())


def reminder_stem(notice: Notice, kind: str | None = None) -> str:
    """`<N° auditeur>_<NOM>_<Prénom>_<motif>[_<motif>…]`, each point's motif in French
    (`REASON_WORDS`), in the order of the process (not yet made safe)."""
    row = notice.row
    stem = student_stem(row.numero_auditeur, row.nom, row.prenom, f"ligne {row.row_number}")
    return f"{stem}_{kind or '_'.join(REASON_WORDS[reason] for reason in notice.reasons)}"


def render_letter(notice: Notice, params: Params, prepared: Mapping[str, Template]
                  ) -> tuple[bytes, bytes | None]:
    """One notice's letter, rendered from its lead's template (`prepared`: `ensure_templates`),
    and the form it encloses (the tutor's evaluation form; None when none)."""
    context = letter_context(notice, params)
    data = prepared[REASONS[notice.reason].template].render(context)
    enclosed = _enclosed(notice.reason)
    # The letter's context holds the documents' one: the form ignores `relance`.
    return data, prepared[enclosed].render(context) if enclosed else None


def write_letters(notices: Sequence[Notice], params: Params, prepared: Mapping[str, Template],
                  folder: Path, progress: Progress | None = None) -> list[Letter]:
    """Render and write one letter per notice into `folder` (each written atomically), named
    `<N° auditeur>_<NOM>_<Prénom>_<motif>.docx`; an evaluation reminder's letter also carries
    the tutor's evaluation form (rendered, not written: it is attached and printed with it).
    `prepared`: the checked templates (`ensure_templates`, before anything is written)."""
    names = NameAllocator()
    Path(folder).mkdir(parents=True, exist_ok=True)
    letters: list[Letter] = []
    for index, notice in enumerate(notices, start=1):
        data, form = render_letter(notice, params, prepared)
        path = Path(folder) / f"{names.allocate(reminder_stem(notice))}.docx"
        write_atomic(path, data)
        letters.append(Letter(notice, path, data, form))
        if progress:
            progress(index, len(notices))
    return letters


def combine_letters(letters: Sequence[Letter], destination: Path) -> Path | None:
    """One .docx of all letters to print at once, each starting on a new page, an evaluation
    letter followed by the form it encloses (None: no letter)."""
    if not letters:
        return None
    with work_folder("relances") as scratch:
        combine(letter_parts(letters, Path(scratch)), destination,
                "Lettres de relance à imprimer")
    return destination


def letter_parts(letters: Sequence[Letter], scratch: Path) -> list[Path]:
    """The documents of the combined letters, in order: each letter, then the form it
    encloses, written into `scratch` (a letter's form exists only in memory)."""
    parts: list[Path] = []
    for index, letter in enumerate(letters):
        parts.append(letter.path)
        if letter.form is not None:
            form = scratch / f"fiche-{index}.docx"
            form.write_bytes(letter.form)
            parts.append(form)
    return parts
