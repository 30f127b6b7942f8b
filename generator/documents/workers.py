"""A batch's documents rendered and written on every core when the batch is large enough to
pay for the workers' start.

Rendering a row is a pure function of the row, its derived values, the parameters and the
day (`render_and_write`): the workers receive the template, the parameters and the day once,
when they start, then only the rows. Each worker writes its documents itself and sends back
a checksum, so that memory stays flat however large the batch: no document's bytes cross
between processes or wait in a list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from generator.atomic import write_atomic
from generator.cohort.model import Row
from generator.cohort.params import Params
from generator.documents.context import build_context
from generator.documents.engine import Template
from generator.errors import GenError
from generator.rules.derived import Derived

# Below this many documents one process is as fast: starting a worker costs about as much
# as rendering fifty documents.
PARALLEL_FROM = 100
_CHUNKS_PER_WORKER = 8  # small enough to keep the workers even, large enough to be cheap
_INTERRUPTED = ("le rendu a été interrompu (un processus de rendu s'est arrêté) : "
                "relancez la commande")


@dataclass(frozen=True)
class Job:
    """One document to write: the row, its derived values and the file to write."""

    row: Row
    derived: Derived
    path: Path


@dataclass(frozen=True)
class Written:
    """What became of a job: the document's SHA-256 when written, else a French reason."""

    sha256: str = ""
    error: str = ""


def render_and_write(template: Template, params: Params, today: dt.date, job: Job) -> Written:
    """Build the row's context, render the template and write the file atomically; any
    failure is returned as a French reason, never raised (one row never stops a batch)."""
    try:
        data = template.render(build_context(job.row, job.derived, params, today))
        write_atomic(job.path, data)
    except GenError as error:
        return Written(error=str(error))
    except OSError as error:
        return Written(error=f"écriture impossible de « {job.path.name} » : "
                             f"{error.strerror or error}")
    except Exception as error:  # noqa: BLE001 — one row's surprise must not stop the batch
        return Written(error=f"erreur inattendue ({type(error).__name__} : {error})")
    return Written(sha256=hashlib.sha256(data).hexdigest())


def worker_count(documents: int) -> int:
    """How many processes render `documents`: one per usable core from PARALLEL_FROM
    documents on, at least PARALLEL_FROM / 2 documents each, on Linux (workers are forked:
    elsewhere a worker would start by importing the whole program again, and macOS's system
    libraries are not safe to fork); else 1."""
    if documents < PARALLEL_FROM or sys.platform != "linux":
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), documents // (PARALLEL_FROM // 2)))


def render_all(template: Template, params: Params, today: dt.date, jobs: Sequence[Job],
               progress: Callable[[int, int], None] | None = None,
               workers: int | None = None) -> list[Written]:
    """Every job's outcome, in the jobs' order; `progress(done, total)` after each document.
    `workers`: how many processes (default `worker_count`); with more than one, the jobs
    are rendered by a pool of forked processes, each given the template once."""
    count = worker_count(len(jobs)) if workers is None else workers
    total = len(jobs)
    results: list[Written] = []

    def done(written: Written) -> None:
        results.append(written)
        if progress:
            progress(len(results), total)

    if count <= 1 or not jobs:
        for job in jobs:
            done(render_and_write(template, params, today, job))
        return results
    chunk = max(1, total // (count * _CHUNKS_PER_WORKER))
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(count, mp_context=context, initializer=_start,
                                 initargs=(template, params, today)) as pool:
            for written in pool.map(_render, jobs, chunksize=chunk):
                done(written)
    except BrokenProcessPool:
        # A worker died (killed, out of memory): what it had not reported is not known to be
        # written; the batch reports it instead of stopping.
        for _ in range(total - len(results)):
            done(Written(error=_INTERRUPTED))
    return results


# The worker's own state, set once by `_start` in each worker process.
_prepared: tuple[Template, Params, dt.date] | None = None


def _start(template: Template, params: Params, today: dt.date) -> None:
    global _prepared
    _prepared = (template, params, today)


def _render(job: Job) -> Written:
    if _prepared is None:  # pragma: no cover — `_start` runs before any job
        raise RuntimeError("worker not started")
    template, params, today = _prepared
    return render_and_write(template, params, today, job)
