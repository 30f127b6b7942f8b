"""PDF copies of generated documents, through LibreOffice: one process per core for the whole
run, with progress per document.

Starting LibreOffice costs seconds, converting a document a fraction of that: the documents
are shared between as many `soffice` processes as the machine has cores (a process converts
one document at a time), each started once with its own throw-away profile (two processes
never fight over a profile lock). While they run, each process's output folder is watched:
every PDF that appears is a document converted (the progress), and a process that converts
nothing for too long is stopped. A process that crashes or is stopped costs the document it
was on; it is started again on the rest of its share. Each PDF is then checked to exist and
hold text; whatever went wrong is reported per document, never as a silent success.

LibreOffice never outlives gen: each process runs under a watchdog (`office_guard.py`) that
ends it when gen ends, SIGKILL included; Ctrl+C and SIGTERM stop the conversion in order
(LibreOffice stopped, temporary copies removed) and end the command as « Interrompu. ».
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from generator.atomic import work_folder, write_atomic
from generator.documents import compose
from generator.documents.batch import FAILED, BatchResult, manifest_bytes
from generator.documents.pdfform import BOOKMARK_DESTINATIONS, make_fillable
from generator.errors import GenError
from generator.frenchdates import format_count

PACKAGE = "libreoffice-writer-nogui"
STARTUP_SECONDS = 90  # a first start with a fresh profile is slow on a busy machine
SECONDS_PER_DOCUMENT = 20  # the longest a document may take before the process is stopped
DOCUMENTS_PER_PROCESS = 3  # fewer, and a second process costs more to start than it saves
_POLL_SECONDS = 0.1
_GUARD = Path(__file__).with_name("office_guard.py")

Progress = Callable[[int, int], None]  # (documents converted so far, total)


class LibreOfficeMissing(GenError):
    """`soffice` cannot be found: the French message names the package to install."""

    code = "PDF-NO-LIBREOFFICE"


@dataclass(frozen=True)
class PdfResult:
    """The outcome for one document: `pdf` when it was written and checked, else `error`."""

    source: Path
    pdf: Path | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.pdf is not None and self.error is None


def find_soffice() -> str:
    """The LibreOffice binary, or LibreOfficeMissing with the package to install."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise LibreOfficeMissing(
        "LibreOffice est introuvable : il est nécessaire pour produire les PDF (--pdf). "
        f"Installez le paquet {PACKAGE} (par exemple : sudo apt-get install {PACKAGE}) puis "
        "relancez la commande, ou relancez-la sans --pdf.")


def convert(documents: Sequence[Path], *, soffice: str | None = None,
            workers: int | None = None, progress: Progress | None = None) -> list[PdfResult]:
    """Convert each .docx of `documents` to a PDF beside it (same name, `.pdf`); one result
    per document, in order. `workers`: LibreOffice processes (default: one per core, at
    least DOCUMENTS_PER_PROCESS documents each); `progress(done, total)` after each document.

    Raises LibreOfficeMissing when there is no LibreOffice; any other failure is reported in
    that document's result.
    """
    binary = soffice or find_soffice()
    sources = [Path(document) for document in documents]
    count = max(1, workers or office_count(len(sources)))
    with _sigterm_interrupts(), work_folder("pdf") as work_text:
        work = Path(work_text)
        staged = _stage(sources, work / "in")
        offices = [_Office(binary, work / f"office{number}",
                           [copy for copy in staged[number::count] if copy is not None])
                   for number in range(count)]
        missing = sum(copy is None for copy in staged)
        _drive([office for office in offices if office.pending], missing, len(sources),
               progress)
        produced = {copy: office for office in offices for copy in office.inputs}
        return [_collect(source, copy, produced[copy] if copy else None)
                for source, copy in zip(sources, staged, strict=True)]


def office_count(documents: int) -> int:
    """LibreOffice processes for `documents`: one per usable core, each with at least
    DOCUMENTS_PER_PROCESS documents."""
    return max(1, min(_cores(), documents // DOCUMENTS_PER_PROCESS))


def _cores() -> int:
    """The cores this process may use (at least 1)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def convert_batches(results: Sequence[BatchResult], extra: Sequence[Path] = (), *,
                    soffice: str | None = None, progress: Progress | None = None
                    ) -> list[PdfResult]:
    """`--pdf`: convert every document the batches wrote, and the `extra` documents (the
    tutor packs' cover letters), in as few LibreOffice processes as possible. A document
    whose PDF failed becomes a failure of its batch (status, reason, manifest), so that the
    summary and the exit status report it; the results of the `extra` documents are for the
    caller to report."""
    documents = [path for result in results for path in result.written]
    converted = convert([*documents, *extra], soffice=soffice, progress=progress)
    failed = {r.source: r.error for r in converted[:len(documents)] if not r.ok}
    for result in results:
        if not any(item.file in failed for item in result.items):
            continue
        result.items = [
            dataclasses.replace(item, status=FAILED, reason=f"document .docx écrit, mais "
                                f"{failed[item.file]}")
            if item.file in failed else item for item in result.items]
        write_atomic(result.manifest, manifest_bytes(result))
    return converted


def summary_lines(converted: Sequence[PdfResult], results: Sequence[BatchResult] = ()
                  ) -> list[tuple[str, bool]]:
    """French lines for the end of a run (True: a problem): how many PDF were made, and each
    failure the batches' own summary does not already show."""
    done = sum(result.ok for result in converted)
    lines = [(f"PDF : {done} sur {len(converted)} produit{'s' if done > 1 else ''}", False)]
    in_batches = {item.file for result in results for item in result.items}
    lines += [(f"! PDF de « {result.source.name} » : {result.error}", True)
              for result in converted if not result.ok and result.source not in in_batches]
    return lines


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While converting, SIGTERM stops gen as Ctrl+C does (KeyboardInterrupt), so that the
    LibreOffice processes are stopped and the temporary copies removed before it ends."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stage(sources: list[Path], folder: Path) -> list[Path | None]:
    """Numbered copies of the documents (None: unreadable): documents of different folders
    may share a name (one per student and document), and --outdir takes one folder."""
    folder.mkdir()
    staged: list[Path | None] = []
    for index, source in enumerate(sources):
        copy = folder / f"{index:05d}.docx"
        try:
            shutil.copyfile(source, copy)
        except OSError:
            staged.append(None)
            continue
        staged.append(copy)
    return staged


class _Office:
    """One LibreOffice process converting its share of the documents, in order, into its own
    output folder; started again on the rest of its share when it crashes or hangs."""

    def __init__(self, binary: str, folder: Path, inputs: list[Path]) -> None:
        self.binary = binary
        self.profile, self.outputs = folder / "profile", folder / "out"
        self.outputs.mkdir(parents=True)
        self.inputs = inputs
        self.pending = list(inputs)  # handed to the current process, or to the next one
        self.failures: dict[Path, str] = {}  # input → why its process stopped on it
        self.process: subprocess.Popen[bytes] | None = None
        self.errors = folder / "stderr.txt"
        self.limit = 0
        self.deadline = 0.0
        self.seen = 0

    def output(self, source: Path) -> Path:
        return self.outputs / (source.stem + ".pdf")

    def done(self) -> int:
        """Documents finished: a PDF written (or being written), or failed."""
        present = set(os.listdir(self.outputs))
        return len(self.failures) + sum(f"{copy.stem}.pdf" in present for copy in self.inputs)

    def start(self) -> None:
        # The input filter is forced: a damaged .docx must fail, not be read as plain text.
        command = [self.binary, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                   f"-env:UserInstallation={self.profile.as_uri()}",
                   "--infilter=MS Word 2007 XML",
                   "--convert-to", f"pdf:writer_pdf_Export:{BOOKMARK_DESTINATIONS}",
                   "--outdir", str(self.outputs), *map(str, self.pending)]
        with open(self.errors, "wb") as errors:
            # under its watchdog, in a session of its own: killing that process group stops
            # the watchdog, the launcher and the office process; the pipe is the watchdog's
            # sign that gen is alive
            self.process = subprocess.Popen([sys.executable, "-I", str(_GUARD), *command],
                                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                            stderr=errors, start_new_session=True)
        self.limit = STARTUP_SECONDS + SECONDS_PER_DOCUMENT
        self.deadline = time.monotonic() + self.limit
        self.seen = self.done()

    def poll(self) -> bool:
        """Watch the process; False once its whole share is done."""
        if self.process is None:
            return False
        done = self.done()
        if done > self.seen:  # a document converted: the next one has its own time
            self.seen, self.limit = done, SECONDS_PER_DOCUMENT
            self.deadline = time.monotonic() + self.limit
        code = self.process.poll()
        if code is None and time.monotonic() < self.deadline:
            return True
        self.stop()
        if code is None:
            self._restart(f"LibreOffice ne répond plus (aucun document converti en "
                          f"{format_count(self.limit, 'seconde')})")
        elif code != 0:
            detail = self.errors.read_text("utf-8", "replace").strip().splitlines()
            self._restart(f"LibreOffice s'est arrêté avec le code {code}"
                          + (f" ({detail[-1]})" if detail else ""))
        else:
            self.process = None  # what it did not convert, it could not
        return self.process is not None

    def _restart(self, reason: str) -> None:
        """The process stopped on the first document it had not converted: that one fails,
        the rest of the share goes to a new process."""
        remaining = [copy for copy in self.pending if not self.output(copy).exists()]
        if remaining:
            self.failures[remaining[0]] = reason
        self.pending = remaining[1:]
        self.process = None
        if self.pending:
            self.start()

    def stop(self) -> None:
        """Kill the process group (watchdog, launcher, office process) if it still runs."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if self.process.stdin is not None:
            self.process.stdin.close()


def _drive(offices: list[_Office], already: int, total: int, progress: Progress | None
           ) -> None:
    """Run the offices side by side until each has done its share, reporting progress."""
    reported = -1
    try:
        for office in offices:
            office.start()
        while True:
            running = [office.poll() for office in offices]
            done = already + sum(office.done() for office in offices)
            if progress and done != reported:
                progress(done, total)
                reported = done
            if not any(running):
                break
            time.sleep(_POLL_SECONDS)
    finally:
        for office in offices:
            office.stop()
    if progress and reported != total and total:
        progress(total, total)


def _collect(source: Path, copy: Path | None, office: _Office | None) -> PdfResult:
    if copy is None or office is None:
        return PdfResult(source, None, "le document .docx est introuvable ou illisible")
    produced = office.output(copy)
    destination = source.with_suffix(".pdf")
    reason = office.failures.get(copy, "LibreOffice n'a pas pu convertir ce document")
    problem = check_pdf(produced) if produced.is_file() else f"PDF non produit : {reason}"
    if problem:
        # A PDF left by an earlier run belongs to an older document: never pass it off.
        destination.unlink(missing_ok=True)
        return PdfResult(source, None, problem)
    try:
        data = make_fillable(produced.read_bytes(), source)  # the evaluation form's fields
    except Exception as error:  # noqa: BLE001 — a PDF without its fields is still a PDF
        return PdfResult(source, None, f"champs du formulaire PDF impossibles à ajouter "
                                       f"({type(error).__name__})")
    write_atomic(destination, data)
    return PdfResult(source, destination)


def combined_pdfs(files: Sequence[tuple[Sequence[Path], Path]], *,
                  soffice: str | None = None, converted: Sequence[PdfResult] = ()
                  ) -> list[PdfResult]:
    """`--pdf` of combined print files (`compose.combine`), each given as (its parts, .docx
    in order; the combined .docx): every part converted on its own, all in one LibreOffice
    run, so that each numbers its pages from 1 with its own total (LibreOffice prints Word's
    SECTIONPAGES without computing it), then merged into the PDF beside the combined file,
    written atomically. The combined .docx then gets each part's page total, its own PDF's
    page count (`compose.store_totals`): printed from LibreOffice too, it reads « Page 2 / 2 ».
    One result per file; a part that fails is its French error.

    A part whose bytes are those of a document in `converted` (the PDFs this run already
    made) is not converted a second time: that document's PDF is its own, the same pages
    (an evaluation form's fields, added to its PDF, are removed by `merge_pdfs` as from
    every part). LibreOffice is started only for the other parts.

    Raises LibreOfficeMissing when a part needs LibreOffice and there is none."""
    made: dict[bytes | None, Path] = {
        _digest(result.source): result.pdf for result in converted
        if result.ok and result.pdf is not None}
    made.pop(None, None)  # a document that can no longer be read matches no part
    with work_folder("assemble") as work:
        groups: list[list[PdfResult | Path]] = []  # each part's PDF, or its copy to convert
        staged: list[Path] = []
        for number, (parts, _combined) in enumerate(files):
            groups.append([])
            for index, part in enumerate(parts):
                pdf = made.get(_digest(part))
                if pdf is not None:
                    groups[-1].append(PdfResult(part, pdf))
                    continue
                copy = Path(work) / f"{number:04d}-{index:03d}_{part.name}"
                shutil.copyfile(part, copy)
                staged.append(copy)
                groups[-1].append(copy)
        fresh = dict(zip(staged, convert(staged, soffice=soffice), strict=True)) \
            if staged else {}
        results = []
        for (parts, combined), group in zip(files, groups, strict=True):
            outcomes = [item if isinstance(item, PdfResult) else fresh[item] for item in group]
            failed = [(part, outcome) for part, outcome in zip(parts, outcomes, strict=True)
                      if not outcome.ok]
            if failed:
                part, outcome = failed[0]
                results.append(PdfResult(combined, None, f"{part.name} : {outcome.error}"))
                continue
            destination = combined.with_suffix(".pdf")
            totals = merge_pdfs([outcome.pdf for outcome in outcomes if outcome.pdf],
                                destination)
            try:
                compose.store_totals(combined, parts, totals)
            except GenError as error:  # the .docx keeps its parts' numbers without totals
                results.append(PdfResult(combined, None, str(error)))
                continue
            results.append(PdfResult(combined, destination))
    return results


def _digest(path: Path) -> bytes | None:
    """The SHA-256 of the file at `path` (None when it cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return None


def merge_pdfs(pdfs: Sequence[Path], destination: Path) -> list[int]:
    """One PDF of `pdfs` in order, written atomically, without form fields: several
    evaluation forms would share their fields' names, and a print file is printed, not
    filled. Returns the number of pages each of `pdfs` brought, in order."""
    writer = PdfWriter()
    pages = []
    for path in pdfs:
        before = len(writer.pages)
        writer.append(str(path), import_outline=False)
        pages.append(len(writer.pages) - before)
    writer.remove_annotations(subtypes="/Widget")
    if "/AcroForm" in writer.root_object:
        del writer.root_object["/AcroForm"]
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomic(destination, buffer.getvalue())
    return pages


def check_pdf(path: Path) -> str | None:
    """Why the file at `path` is not a usable PDF showing text, or None when it is.

    Its first page must show text: its content stream holds a text-showing operator (Tj or
    TJ, PDF 32000-1, 9.4.3). A document LibreOffice could not read comes out as blank pages;
    looking for the operators costs a millisecond, extracting the text forty."""
    try:
        data = path.read_bytes()
    except OSError:
        return "PDF introuvable"
    if not data.startswith(b"%PDF-"):
        return "le fichier produit n'est pas un PDF"
    try:
        pages = PdfReader(io.BytesIO(data)).pages
        contents = pages[0].get_contents() if len(pages) else None
        shown = contents.get_data() if contents is not None else b""
    except Exception:  # noqa: BLE001 — pypdf raises many kinds of error on a damaged file
        return "le PDF produit est illisible"
    if b"Tj" not in shown and b"TJ" not in shown:
        return "le PDF produit ne contient aucun texte"
    return None
