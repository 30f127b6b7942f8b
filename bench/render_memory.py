"""Rendering's memory as the batch grows: the same conventions rendered on every core for a
small batch and for one eight times larger, each in a whole new process, side by side.

    python bench/render_memory.py [SMALL] [LARGE]        (500 and 4000 documents by default)

Each run reads a 300-row workbook, then renders SMALL or LARGE conventions (the ready rows
again and again, each to its own file) through `render_all` on two workers. Printed: the peak
resident memory of the main process and of the largest worker, and the ratio large / small
(flat: close to 1). The reading's own peak is bench/check.py's business.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 28)


def _child(workbook: Path, count: int) -> None:
    from generator.cohort.reader import read_cohort
    from generator.documents.batch import load_template
    from generator.documents.workers import Job, render_all
    from generator.rules.report import check

    report = check(read_cohort(workbook), TODAY, frozenset({"convention"}))
    rows = report.ready("convention")
    with tempfile.TemporaryDirectory(prefix="bench-memoire-") as folder:
        jobs = [Job(rows[index % len(rows)], report.derived[rows[index % len(rows)].row_number],
                    Path(folder) / f"{index}.docx") for index in range(count)]
        written = render_all(load_template("convention"), report.cohort.params, TODAY, jobs,
                             workers=2)
        if not all(outcome.sha256 for outcome in written):
            sys.exit("un document n'a pas été écrit")
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(main_peak, worker_peak)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _child(Path(sys.argv[2]), int(sys.argv[3]))
        return
    from render import _rows
    from workbooks import write_workbook

    sizes = [int(argument) for argument in sys.argv[1:3]] or [500, 4000]
    with tempfile.TemporaryDirectory(prefix="bench-memoire-") as folder:
        workbook = write_workbook(Path(folder) / "cohorte.xlsx", _rows(300))
        peaks = {}
        for size in sizes:
            out = subprocess.run([sys.executable, __file__, "--child", str(workbook), str(size)],
                                 capture_output=True, text=True, check=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
            peaks[size] = tuple(int(value) for value in out.split())
    small, large = sizes
    print(f"{'documents':>10} {'processus principal':>20} {'plus gros travailleur':>22}")
    for size in sizes:
        print(f"{size:>10} {peaks[size][0]:>16} Mio {peaks[size][1]:>18} Mio")
    print(f"rapport {large} / {small} : processus principal "
          f"{peaks[large][0] / peaks[small][0]:.2f}, travailleur "
          f"{peaks[large][1] / peaks[small][1]:.2f}  (plat : proche de 1)")


if __name__ == "__main__":
    main()
