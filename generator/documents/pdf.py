"""PDF copies of generated documents, through LibreOffice, converted in batches.

Starting LibreOffice costs seconds, converting a document a fraction of that: the documents
are handed to as few `soffice` processes as possible (one per chunk), each with its own
throw-away profile (two conversions never fight over a profile lock) and a timeout scaled to
its chunk. Each PDF is then checked to exist and hold text; whatever went wrong is reported
per document, never as a silent success.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.atomic import write_atomic
from generator.documents.batch import FAILED, BatchResult, manifest_bytes
from generator.documents.pdfform import BOOKMARK_DESTINATIONS, make_fillable
from generator.errors import GenError

PACKAGE = "libreoffice-writer-nogui"
CHUNK_SIZE = 100  # documents per process: bounds the damage of one crash or hang
STARTUP_SECONDS = 90  # a first start with a fresh profile is slow on a busy machine
SECONDS_PER_DOCUMENT = 20

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
            chunk_size: int = CHUNK_SIZE, progress: Progress | None = None) -> list[PdfResult]:
    """Convert each .docx of `documents` to a PDF beside it (same name, `.pdf`), in as few
    LibreOffice processes as possible; one result per document, in order.

    Raises LibreOfficeMissing when there is no LibreOffice; any other failure is reported in
    that document's result.
    """
    binary = soffice or find_soffice()
    sources = [Path(document) for document in documents]
    results: list[PdfResult] = []
    for start in range(0, len(sources), max(1, chunk_size)):
        results.extend(_convert_chunk(binary, sources[start:start + chunk_size]))
        if progress:
            progress(len(results), len(sources))
    return results


def convert_batches(results: Sequence[BatchResult], extra: Sequence[Path] = (), *,
                    soffice: str | None = None, progress: Progress | None = None
                    ) -> list[PdfResult]:
    """`--pdf`: convert every document the batches wrote, and the `extra` documents (evaluation
    packs), in as few LibreOffice processes as possible. A document whose PDF failed becomes
    a failure of its batch (status, reason, manifest), so that the summary and the exit status
    report it; the results of the `extra` documents are for the caller to report."""
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


def _convert_chunk(binary: str, sources: list[Path]) -> list[PdfResult]:
    with tempfile.TemporaryDirectory(prefix="gen-pdf-") as work_text:
        work = Path(work_text)
        inputs, outputs, profile = work / "in", work / "out", work / "profile"
        inputs.mkdir()
        # Numbered copies: documents of different folders may share a name (one per student
        # and document), and --outdir takes one folder for the whole chunk.
        staged: list[Path | None] = []
        for index, source in enumerate(sources):
            copy = inputs / f"{index:05d}.docx"
            try:
                shutil.copyfile(source, copy)
            except OSError:
                staged.append(None)
                continue
            staged.append(copy)
        present = [copy for copy in staged if copy is not None]
        failure = _run(binary, present, outputs, profile) if present else None
        return [_collect(source, copy, outputs, failure) for source, copy in zip(sources, staged,
                                                                                 strict=True)]


def _run(binary: str, inputs: list[Path], outputs: Path, profile: Path) -> str | None:
    """Run one LibreOffice over `inputs`; a French reason when it did not end normally."""
    timeout = STARTUP_SECONDS + SECONDS_PER_DOCUMENT * len(inputs)
    # The input filter is forced: a damaged .docx must fail, not be read as plain text.
    command = [binary, "--headless", "--norestore", "--nolockcheck", "--nodefault",
               f"-env:UserInstallation={profile.as_uri()}", "--infilter=MS Word 2007 XML",
               "--convert-to", f"pdf:writer_pdf_Export:{BOOKMARK_DESTINATIONS}",
               "--outdir", str(outputs),
               *map(str, inputs)]
    # Its own session, so that a timeout kills the launcher and the office process with it.
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        return f"LibreOffice n'a pas terminé la conversion en {timeout} secondes"
    if process.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        reason = f" ({detail[-1]})" if detail else ""
        return f"LibreOffice s'est arrêté avec le code {process.returncode}{reason}"
    return None


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _collect(source: Path, copy: Path | None, outputs: Path, failure: str | None) -> PdfResult:
    if copy is None:
        return PdfResult(source, None, "le document .docx est introuvable ou illisible")
    produced = outputs / (copy.stem + ".pdf")
    destination = source.with_suffix(".pdf")
    reason = failure or "LibreOffice n'a pas pu convertir ce document"
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


def check_pdf(path: Path) -> str | None:
    """Why the file at `path` is not a usable PDF holding text, or None when it is."""
    try:
        data = path.read_bytes()
    except OSError:
        return "PDF introuvable"
    if not data.startswith(b"%PDF-"):
        return "le fichier produit n'est pas un PDF"
    text = pdf_text(path)
    if text is None:  # no pdftotext: a PDF without a font holds no text
        return None if b"/Font" in data else "le PDF produit ne contient aucun texte"
    if not text.strip():
        return "le PDF produit ne contient aucun texte"
    return None


def pdf_text(path: Path) -> str | None:
    """The text of a PDF through pdftotext (poppler-utils), or None without pdftotext."""
    binary = shutil.which("pdftotext")
    if binary is None:
        return None
    completed = subprocess.run([binary, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                               timeout=60, check=False)
    if completed.returncode != 0:
        return ""
    return completed.stdout.decode("utf-8", "replace")

