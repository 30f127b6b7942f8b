"""Evaluation packs: a tutor's evaluation forms, with a cover letter, sent in one go.

A tutor is recognised by the same e-mail, or the same name in the same structure (a tutor who
left the e-mail blank on one row is still one tutor). Each pack is
`<output>/evaluations/packs/<structure>_<tutor>.zip` holding the cover letter
(`templates/lettre-tuteur.docx`) and the forms, plus `<structure>_<tutor>.docx` beside it:
the same documents combined into one file to print at once, each on a new page.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.atomic import work_folder, write_atomic
from generator.cohort.model import Row
from generator.cohort.params import Params
from generator.cohort.values import fold
from generator.documents.batch import GENERATED, BatchItem, BatchResult
from generator.documents.checking import ensure_usable
from generator.documents.compose import combine
from generator.documents.context import (
    EXAMPLE_TODAY,
    build_context,
    example_derived,
    example_row,
)
from generator.documents.engine import Template
from generator.documents.naming import NameAllocator, safe_name
from generator.documents.package import document_title
from generator.documents.sources import template_file
from generator.frenchdates import format_count, format_date, format_list
from generator.rules.derived import Derived

LETTER_TEMPLATE = "lettre-tuteur.docx"
PACKS_FOLDER = Path("evaluations") / "packs"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PackMember:
    """One student of a pack: the row, its derived values and its evaluation form (.docx)."""

    row: Row
    derived: Derived
    form: Path


@dataclass(frozen=True)
class Pack:
    """A tutor's students, sorted by name; `stem` names the zip and the combined document."""

    stem: str
    members: tuple[PackMember, ...]

    @property
    def tutor(self) -> Row:
        return self.members[0].row


@dataclass(frozen=True)
class PackResult:
    pack: Pack
    archive: Path  # the .zip: cover letter + forms
    combined: Path  # the same documents in one .docx
    documents: tuple[str, ...]  # the zip's member names, in order


def pack_parts(pack: PackResult, scratch: Path) -> list[Path]:
    """The documents of a pack's combined file, in order: the cover letter, taken from its
    zip into `scratch` (it exists nowhere else), then the forms where the batch wrote them."""
    scratch.mkdir(parents=True, exist_ok=True)
    letter = scratch / pack.documents[0]
    with zipfile.ZipFile(pack.archive) as archive:
        letter.write_bytes(archive.read(pack.documents[0]))
    return [letter, *(member.form for member in pack.pack.members)]


def group_by_tutor(members: Sequence[PackMember]) -> list[Pack]:
    """Group the members by tutor: same e-mail, or same name and structure (transitively)."""
    parent = list(range(len(members)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first_seen: dict[tuple[str, ...], int] = {}
    for index, member in enumerate(members):
        for key in _identity_keys(member.row):
            if key in first_seen:
                parent[root(index)] = root(first_seen[key])
            else:
                first_seen[key] = index
    groups: dict[int, list[PackMember]] = {}
    for index, member in enumerate(members):
        groups.setdefault(root(index), []).append(member)
    allocator = NameAllocator()
    packs = []
    for group in sorted(groups.values(), key=lambda g: _pack_title(g[0].row).casefold()):
        ordered = sorted(group, key=lambda m: (fold(m.row.nom or ""), fold(m.row.prenom or ""),
                                               m.row.row_number))
        packs.append(Pack(allocator.allocate(_pack_title(ordered[0].row)), tuple(ordered)))
    return packs


def _identity_keys(row: Row) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    if row.tuteur_email:
        keys.append(("email", row.tuteur_email.strip().casefold()))
    name = fold(f"{row.tuteur_prenom or ''} {row.tuteur_nom or ''}")
    if name:
        keys.append(("name", name, fold(row.structure_nom or "")))
    if not keys:  # nobody to recognise: a pack of its own
        keys.append(("row", str(row.row_number)))
    return keys


def _pack_title(row: Row) -> str:
    tutor = "_".join(p for p in ((row.tuteur_nom or "").upper(), row.tuteur_prenom or "") if p)
    return f"{row.structure_nom or 'structure'}_{tutor or 'tuteur'}"


def return_date(pack: Pack) -> dt.date | None:
    """When the forms are due back: the latest `evaluation_return_by` of the pack's students
    (each is the end date + « Délai de retour de l'évaluation (jours) », the date the
    convention and the form print too); None when no end date is known."""
    dates = [m.derived.evaluation_return_by for m in pack.members
             if m.derived.evaluation_return_by]
    return max(dates) if dates else None


def cover_context(pack: Pack, params: Params, today: dt.date) -> dict[str, Any]:
    """What the cover letter may use: `tuteur`, `structure`, `formation`, `etablissement`,
    `aujourdhui`, and `dossier` (the students, the dates, where and when to send the forms)."""
    contexts = [build_context(member.row, member.derived, params, today)
                for member in pack.members]
    base = contexts[0]  # the tutor and the structure: the first student's
    students = []
    for member, context in zip(pack.members, contexts, strict=True):
        students.append({**context["auditeur"],  # type: ignore[dict-item]
                         "debut": context["dates"]["debut"],  # type: ignore[index]
                         "fin": context["dates"]["fin"],  # type: ignore[index]
                         "heures_total": context["stage"]["heures_total"],  # type: ignore[index]
                         "retour": context["dates"]["retour_evaluation"],  # type: ignore[index]
                         "retour_depasse": _past(member.derived.evaluation_return_by, today),
                         "fiche": member.form.name})
    address = params.scolarite_adresse or params.etablissement_adresse
    due = return_date(pack)
    return {
        "aujourdhui": base["aujourdhui"],
        "formation": base["formation"],
        "etablissement": base["etablissement"],
        "tuteur": base["tuteur"],
        "structure": base["structure"],
        "dossier": {
            "auditeurs": students,
            "nombre": len(students),
            "pluriel": len(students) > 1,
            "noms": format_list([str(student["nom_complet"]) for student in students]),
            "designation": _designation([bool(student["feminin"]) for student in students]),
            "date_retour": format_date(due) if due else "",
            # a student's date is past (a pack sent late, or again): « dès que possible »
            "retour_depasse": any(student["retour_depasse"] for student in students),
            "retour_courriel": params.referent_email,
            "retour_destinataire": params.coordinatrice or "la coordination de la licence",
            "retour_adresse": address,
            "retour_adresse_lignes": [line.strip() for line in address.replace(",", "\n")
                                      .splitlines() if line.strip()],
            "signataire": params.coordinatrice,
            "signataire_fonction": ("La coordinatrice de la licence" if params.coordinatrice
                                    else "L'équipe pédagogique de la licence"),
        },
    }


def _past(day: dt.date | None, today: dt.date) -> bool:
    return day is not None and day < today


def _designation(feminine: list[bool]) -> str:
    """How the students are called after their names: auditrice(s), auditeur(s) (a mixed
    group takes the masculine plural, as French grammar has it)."""
    word = "auditrice" if all(feminine) else "auditeur"
    return word + ("s" if len(feminine) > 1 else "")


def example_cover_context() -> dict[str, Any]:
    """The cover letter's context for two example students (`gen templates check`)."""
    second = example_row()
    second.row_number, second.numero_auditeur = 3, "PAR67890"
    second.prenom, second.nom, second.civilite = "Yanis", "Moreau", "M."
    folder = Path("evaluations")
    pack = Pack("example", (
        PackMember(example_row(), example_derived(), folder / "PAR12345_DUPONT_Claire.docx"),
        PackMember(second, example_derived(), folder / "PAR67890_MOREAU_Yanis.docx")))
    return cover_context(pack, Params(), EXAMPLE_TODAY)


def load_letter(templates: Path | None = None) -> Template:
    """The cover letter's template from the team folder `templates` (else the shipped one),
    loaded once and
    checked against the pack keys; TemplateError in French when it cannot be used."""
    return ensure_usable([template_file(LETTER_TEMPLATE, templates)],
                         {LETTER_TEMPLATE: example_cover_context})[LETTER_TEMPLATE]


def write_packs(members: Sequence[PackMember], params: Params, today: dt.date,
                output: Path, templates: Path | None, progress: Progress | None = None,
                letter: Template | None = None) -> list[PackResult]:
    """Write one zip and one combined .docx per tutor into `output/evaluations/packs/`.

    `templates` is the team folder (None: the shipped `lettre-tuteur.docx`), `letter` that
    template when `load_letter` already gave it. Raises TemplateError when the letter's
    template cannot be used; each file is written atomically.
    """
    packs = group_by_tutor(members)
    if not packs:
        return []
    letter = letter or load_letter(templates)
    folder = Path(output) / PACKS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for index, pack in enumerate(packs, start=1):
        results.append(_write_pack(pack, letter, params, today, folder))
        if progress:
            progress(index, len(packs))
    return results


def _write_pack(pack: Pack, letter: Template, params: Params, today: dt.date,
                folder: Path) -> PackResult:
    cover = cover_context(pack, params, today)
    letter_data = letter.render(cover)
    names = [f"00_{safe_name('Lettre au tuteur ' + pack.stem)}.docx"]
    names += [f"{number:02d}_{member.form.name}"
              for number, member in enumerate(pack.members, start=1)]
    with work_folder("pack") as work_text:
        letter_path = Path(work_text) / names[0]
        letter_path.write_bytes(letter_data)
        parts = [letter_path, *(member.form for member in pack.members)]
        combined = folder / f"{pack.stem}.docx"
        combine(parts, combined, document_title("Dossier du tuteur", cover))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(names[0], letter_data)
        for name, member in zip(names[1:], pack.members, strict=True):
            archive.write(member.form, name)
    archive_path = folder / f"{pack.stem}.zip"
    write_atomic(archive_path, buffer.getvalue())
    return PackResult(pack, archive_path, combined, tuple(names))


def write_batch_packs(result: BatchResult, output: Path, templates: Path | None = None,
                      progress: Progress | None = None, letter: Template | None = None
                      ) -> list[PackResult]:
    """`gen evaluations --packs`: the packs of the forms an evaluation batch just wrote, as of
    the batch's day (`letter`: the cover letter's template, when `load_letter` already gave
    it)."""
    report = result.report
    rows = {row.row_number: row for row in report.cohort.rows}
    received = set(already_received(result))
    members = [PackMember(rows[item.row], report.derived[item.row], item.file)
               for item in result.items if item.status == GENERATED and item.file
               and item not in received]
    if not members:
        return []
    return write_packs(members, report.cohort.params, report.today, output,
                       templates, progress, letter)


def already_received(result: BatchResult) -> list[BatchItem]:
    """The forms an evaluation batch wrote whose evaluation is already back (« Évaluation
    reçue le » filled in): a pack does not ask the tutor for them again."""
    rows = {row.row_number: row for row in result.report.cohort.rows}
    return [item for item in result.items if item.status == GENERATED and item.file
            and rows[item.row].date_evaluation is not None]


def summary_lines(packs: Sequence[PackResult], result: BatchResult | None = None
                  ) -> list[tuple[str, bool]]:
    """French lines for the end of a run: one per pack, then, with the evaluation `result`
    they come from, one naming the forms left out of every pack and why (False: none is a
    problem)."""
    lines = [(f"Dossiers tuteurs : {len(packs)} dans {packs[0].archive.parent}", False)
             if packs else ("Dossiers tuteurs : aucune fiche d'évaluation à regrouper", False)]
    for pack in packs:
        count = len(pack.pack.members)
        row = pack.pack.tutor
        tutor = " ".join(p for p in (row.tuteur_prenom, (row.tuteur_nom or "").upper()) if p)
        lines.append((f"  {pack.archive.name} : lettre et {count} "
                      f"fiche{'s' if count > 1 else ''} pour {tutor or 'le tuteur'}", False))
    if result is not None and (received := already_received(result)):
        column = result.report.cohort.header("date_evaluation")
        plural = "s" if len(received) > 1 else ""
        lines.append((f"Hors des dossiers tuteurs : {format_count(len(received), 'fiche')} "
                      f"d'évaluation déjà reçue{plural} (colonne « {column} » remplie), "
                      f"écrite{plural} mais non redemandée{plural} au tuteur : "
                      f"{format_list([item.student for item in received])}", False))
    return lines
