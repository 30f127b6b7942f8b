"""`gen <documents>` and `gen all` as one library call: the batches, then the evaluation packs
(`--packs`), then the PDF copies of everything written (`--pdf`), and the end-of-run lines.

Everything that can stop the run is raised before the first file is written: LibreOffice
missing (`--pdf`), the cover letter's template unusable (`--packs`), then what `batch.run`
checks (documents' templates, the workbook, `--only`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.atomic import work_folder
from generator.documents import batch, packs, pdf
from generator.findings import Finding
from generator.process import EVALUATION

# (stage title) → that stage's progress callback (done, total), or None: no progress shown
ProgressFactory = Callable[[str], Callable[[int, int], None] | None]


@dataclass(frozen=True)
class Produced:
    """What a document run wrote: each document's batch and the French end-of-run lines
    (line, is a problem)."""

    results: list[batch.BatchResult]
    after: list[tuple[str, bool]]  # the packs' and the PDF's lines

    @property
    def file_findings(self) -> list[Finding]:
        """The findings about the whole file (row None: FILE-…, the parameters) of the checks
        the batches were gated by, each once (`gen all` checks the file once per document),
        in report order: a parameter warning concerns the documents it was found for (the
        signatory's, `rules.parameters`, only a run writing conventions)."""
        return list(dict.fromkeys(finding for result in self.results
                                  for finding in result.report.for_row(None)))

    @property
    def lines(self) -> list[tuple[str, bool]]:
        """The batches' summary, then the packs' and the PDF's lines (summed up last: a
        document whose PDF failed is a failure of its batch)."""
        return batch.summary_lines(self.results) + self.after

    @property
    def failed(self) -> bool:
        """A due document skipped or failed, or a PDF that failed: the exit status is 1. A
        document forced past its errors (--force) is printed as a problem but was written."""
        return (any(result.problems for result in self.results)
                or any(problem for _, problem in self.after))


def produce(cohort_path: Path, documents: Iterable[str], output: Path, today: dt.date, *,
            templates: Path | None = None, only: set[str] | None = None, force: bool = False,
            with_pdf: bool = False, with_packs: bool = False,
            progress: ProgressFactory | None = None) -> Produced:
    """Write `documents` (keys of `process.DOCUMENTS`) for the ready rows of the workbook at
    `cohort_path` under `output` (see `batch.run`), then, with `with_packs`, one pack per
    tutor of the evaluation forms just written, and, with `with_pdf`, a PDF beside every
    .docx written (packs' combined documents included).

    Raises GenError (LibreOfficeMissing, TemplateError, unreadable workbook, unknown --only)
    before any file is written; a row's failure is in its batch's items, never raised.
    """
    soffice = pdf.find_soffice() if with_pdf else None
    letter = packs.load_letter(templates) if with_packs else None
    results = batch.run(cohort_path, documents, output, today, templates, only, force,
                        progress=progress)
    after: list[tuple[str, bool]] = []
    written: list[packs.PackResult] = []
    for result in results if letter else []:
        if result.document == EVALUATION:
            written = packs.write_batch_packs(
                result, output, templates,
                progress=progress("Dossiers tuteurs") if progress else None, letter=letter)
            after += packs.summary_lines(written, result)
    if soffice:
        with work_folder("packs") as scratch:
            # each form numbers its own pages: a pack's PDF is made of its documents' own,
            # the forms' those of the batch, the cover letters converted in the same run
            parts = [packs.pack_parts(pack, Path(scratch) / str(number))
                     for number, pack in enumerate(written)]
            letters = [group[0] for group in parts]  # pack_parts: the cover letter first
            made = pdf.convert_batches(results, letters, soffice=soffice,
                                       progress=progress("PDF") if progress else None)
            converted = made[:len(made) - len(letters)]
            converted += pdf.combined_pdfs(
                [(group, pack.combined) for group, pack in zip(parts, written, strict=True)],
                soffice=soffice, converted=made)
        after += pdf.summary_lines(converted, results)
    return Produced(results, after)
