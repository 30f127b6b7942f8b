"""One document for every row of a cohort that is ready for it: gating by the row's step and
findings, the template prepared once, safe unique file names, atomic writes, a manifest.

Layout: `<output>/<folder>/<N° auditeur>_<NOM>_<Prénom>.docx` and `<output>/<folder>/manifest.csv`
(one per run and document), with the folders of `process.DOCUMENTS`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.atomic import write_atomic
from generator.cohort.model import Row
from generator.cohort.reader import read_cohort
from generator.documents.checking import check_context, ensure_usable
from generator.documents.context import example_context
from generator.documents.engine import Template
from generator.documents.naming import cohort_stems
from generator.documents.outputs import ASIDE, edited_by_hand, last_written, set_aside
from generator.documents.sources import template_file
from generator.documents.workers import Job, Written, render_all
from generator.findings import Finding
from generator.frenchdates import format_count, join_sentences
from generator.neutral import csv_cells
from generator.process import DOCUMENT_KEYS, DOCUMENTS, DocumentKind
from generator.rules.report import Report, check, select_rows

GENERATED, SKIPPED, FAILED, KEPT = "generated", "skipped", "failed", "kept"
MANIFEST = "manifest.csv"
# The manifest opens in a French spreadsheet as journal.csv does: `;`, BOM, French words.
MANIFEST_FIELDS = ("Ligne", "Auditeur", "Fichier", "SHA-256", "Statut", "Motif")
MANIFEST_STATUS = {GENERATED: "produit", SKIPPED: "non produit", FAILED: "échec",
                   KEPT: "conservé"}
EDITED_REASON = ("modifié à la main depuis le dernier lancement : conservé tel quel (--force "
                 "pour le remplacer)")


EXEMPT_REASON = "dispensé de stage (expérience attestée) : aucun document"


@dataclass(frozen=True)
class BatchItem:
    """What became of one row; `due` tells a row that has reached the document (a skip or a
    failure of a due document is a problem) from one that has not yet."""

    row: int
    student: str  # "PAR1234 Léa MARTIN"
    file: Path | None
    sha256: str
    status: str  # generated, skipped, failed
    reason: str  # French, empty for a plain success
    due: bool = True
    findings: tuple[Finding, ...] = ()  # the errors that blocked it (or that --force passed)


@dataclass
class BatchResult:
    document: str
    report: Report  # the check the batch was gated by (rows, derived values, parameters)
    folder: Path
    manifest: Path
    items: list[BatchItem] = field(default_factory=list)
    set_aside: list[Path] = field(default_factory=list)  # moved to anciens/ (outputs.py)

    @property
    def written(self) -> list[Path]:
        """The documents written by this run, in row order (for a PDF conversion after)."""
        return [item.file for item in self.items if item.status == GENERATED and item.file]

    def count(self, status: str) -> int:
        return sum(item.status == status for item in self.items)

    @property
    def problems(self) -> list[BatchItem]:
        """Due documents skipped (errors) or failed: these make the exit status 1."""
        return [item for item in self.items if item.due and item.status != GENERATED]


def prepare_templates(documents: Iterable[str], templates: Path | None = None
                      ) -> dict[str, Template]:
    """Each document's template from the team folder `templates` (the shipped one for a file
    it lacks: `sources.template_file`), loaded once and passed through the whole check (`gen
    templates check`): TemplateError listing what to fix, or naming the missing files, before
    any row is rendered."""
    names = {document: DOCUMENTS[document].template for document in documents}
    prepared = ensure_usable([template_file(name, templates) for name in names.values()],
                             {name: example_context for name in names.values()})
    return {document: prepared[name] for document, name in names.items()}


def load_template(document: str, templates: Path | None = None) -> Template:
    """One document's template, checked against the keys the program provides (the short
    check: a missing key names the first one; `generate` alone uses it)."""
    kind = DOCUMENTS[document]
    template = Template.load(template_file(kind.template, templates))
    check_context(template, example_context())
    return template


def _student(row: Row) -> str:
    return " ".join(part for part in (row.numero_auditeur or f"ligne {row.row_number}",
                                      row.full_name) if part)


def _reasons(findings: Iterable[Finding]) -> str:
    return join_sentences([finding.message for finding in findings])


def generate(report: Report, document: str, output: Path, templates: Path | None = None,
             only: set[str] | None = None, force: bool = False,
             progress: Callable[[int, int], None] | None = None,
             template: Template | None = None) -> BatchResult:
    """Render `document` for every selected row ready for it into `<output>/<folder>/`, write
    the folder's manifest.csv and return what became of each row. A row that fails is
    reported and the batch goes on; a broken template stops it before it starts. `template`:
    one already checked (`run` checks every template before writing)."""
    kind = DOCUMENTS[document]
    template = template or load_template(document, templates)
    cohort = report.cohort
    rows = select_rows(cohort.rows, only)
    folder = output / kind.folder
    folder.mkdir(parents=True, exist_ok=True)
    stems = cohort_stems(cohort.rows)
    ready = {row.row_number for row in report.ready(document)}
    result = BatchResult(document, report, folder, folder / MANIFEST)
    before = last_written(result.manifest)
    gates = [_gate(report, kind, row, row.row_number in ready, force) for row in rows]
    if not force:  # a document edited by hand since the last run is kept (outputs.py)
        gates = [_kept(row, folder / f"{stems[row.row_number]}.docx", before, gate)
                 for row, gate in zip(rows, gates, strict=True)]
    jobs = [Job(row, report.derived[row.row_number], folder / f"{stems[row.row_number]}.docx")
            for row, gate in zip(rows, gates, strict=True) if not isinstance(gate, BatchItem)]
    skipped = len(rows) - len(jobs)

    def rendered(done: int, _total: int) -> None:
        if progress:  # over the rows: the skipped ones are done at once
            progress(skipped + done, len(rows))

    written = iter(zip(jobs, render_all(template, cohort.params, report.today, jobs, rendered),
                       strict=True))
    for row, gate in zip(rows, gates, strict=True):
        result.items.append(gate if isinstance(gate, BatchItem) else _item(row, gate,
                                                                            *next(written)))
    if progress and rows and not jobs:
        progress(len(rows), len(rows))
    write_atomic(result.manifest, manifest_bytes(result))
    if not only:  # a partial run (--only) leaves the other rows' documents alone
        result.set_aside = set_aside(folder, before,
                                     {item.file.name for item in result.items if item.file})
    return result


def _kept(row: Row, path: Path, before: dict[str, str], gate: BatchItem | tuple[Finding, ...]
          ) -> BatchItem | tuple[Finding, ...]:
    """A row to render whose document was edited by hand since the last run: its item
    (kept, the sum the last run wrote recorded again so that the next run keeps it too)."""
    if isinstance(gate, BatchItem) or not edited_by_hand(path, before):
        return gate
    return BatchItem(row.row_number, _student(row), path, before[path.name], KEPT,
                     EDITED_REASON)


def _gate(report: Report, kind: DocumentKind, row: Row, ready: bool, force: bool
          ) -> BatchItem | tuple[Finding, ...]:
    """A row that gets no document: its item (skipped). A row to render: the errors that
    --force lets through (usually none)."""
    student = _student(row)
    if report.derived[row.row_number].exempt:
        return BatchItem(row.row_number, student, None, "", SKIPPED, EXEMPT_REASON, due=False)
    if not ready:
        return BatchItem(row.row_number, student, None, "", SKIPPED, kind.not_due, due=False)
    blocking = tuple(report.blocking(row, kind.key))
    if blocking and not force:
        return BatchItem(row.row_number, student, None, "", SKIPPED,
                         "erreur : " + _reasons(blocking), findings=blocking)
    return blocking


def _item(row: Row, blocking: tuple[Finding, ...], job: Job, written: Written) -> BatchItem:
    student = _student(row)
    if written.error:
        return BatchItem(row.row_number, student, None, "", FAILED, written.error)
    reason = "généré malgré les erreurs (--force) : " + _reasons(blocking) if blocking else ""
    return BatchItem(row.row_number, student, job.path, written.sha256, GENERATED, reason,
                     findings=blocking)


def manifest_bytes(result: BatchResult) -> bytes:
    """The manifest as CSV for a French spreadsheet (UTF-8 with BOM, `;`-separated, French
    headers and statuses, `MANIFEST_STATUS`): one line per selected row."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(MANIFEST_FIELDS)
    for item in result.items:
        writer.writerow(csv_cells((item.row, item.student,
                                     item.file.name if item.file else "", item.sha256,
                                     MANIFEST_STATUS[item.status], item.reason)))
    return stream.getvalue().encode("utf-8-sig")


def run(cohort_path: Path, documents: Iterable[str], output: Path, today: dt.date,
        templates: Path | None = None, only: set[str] | None = None, force: bool = False,
        progress: Callable[[str], Callable[[int, int], None] | None] | None = None
        ) -> list[BatchResult]:
    """`gen <document>` and `gen all`: check every template (each loaded once), read the
    cohort, check it for each document, then generate each document in turn. Everything that
    can stop the run (broken template, unreadable workbook, missing column, unknown --only) is
    raised before the first file is written. `progress(title)` gives a document's progress
    callback."""
    wanted = set(documents)
    documents = [document for document in DOCUMENT_KEYS if document in wanted]
    loaded = prepare_templates(documents, templates)
    cohort = read_cohort(cohort_path)
    reports = {document: check(cohort, today, frozenset({document})) for document in documents}
    select_rows(cohort.rows, only)
    return [generate(reports[document], document, output, only=only, force=force,
                     progress=progress(DOCUMENTS[document].title) if progress else None,
                     template=loaded[document])
            for document in documents]


def summary_lines(results: list[BatchResult]) -> list[tuple[str, bool]]:
    """The end-of-run table and its details, in French: (line, is a problem). Problems are
    each skipped or failed document that was due and each document forced past errors; rows
    not yet at the document's step are counted by reason."""
    width = max([len(DOCUMENTS[r.document].title) for r in results] + [8])
    lines: list[tuple[str, bool]] = [
        (f"{'Document':<{width}}  Générés  Ignorés  Échecs  Dossier", False)]
    for result in results:
        lines.append((f"{DOCUMENTS[result.document].title:<{width}}  "
                      f"{result.count(GENERATED):>8}  {result.count(SKIPPED):>7}  "
                      f"{result.count(FAILED):>6}  {result.folder}", False))
    for result in results:
        title = DOCUMENTS[result.document].title
        not_due: dict[str, int] = {}
        for item in result.items:
            where = f"{title}, ligne {item.row} ({item.student})"
            if item.status == FAILED:
                lines.append((f"! {where} : échec — {item.reason}", True))
            elif item.status in (SKIPPED, KEPT) and item.due:
                lines.append((f"! {where} : document non généré — {item.reason}", True))
            elif item.status == GENERATED and item.findings:
                lines.append((f"! {where} : {item.reason}", True))
            elif item.status == SKIPPED:
                not_due[item.reason] = not_due.get(item.reason, 0) + 1
        for reason, count in not_due.items():
            lines.append((f"  {title} : {format_count(count, 'ligne')} sans document — {reason}",
                          False))
        if result.set_aside:
            moved = len([path for path in result.set_aside if path.suffix == ".docx"])
            lines.append((f"  {title} : {format_count(moved, 'document')} d'un lancement "
                          f"précédent, plus produit{'s' if moved > 1 else ''}, déplacé"
                          f"{'s' if moved > 1 else ''} dans {result.folder / ASIDE}", False))
    return lines
