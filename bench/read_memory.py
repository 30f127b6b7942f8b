"""Peak memory of `gen check` at 2,000 and 20,000 rows, each in a process of its own.

Run: python bench/read_memory.py
Prints both peaks (resident set, MB) and their ratio; the target is ≤ 1.2 (reading costs
memory in proportion to the students, not the sheet held twice).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from check import TODAY, build_workbook

ROOT = Path(__file__).resolve().parents[1]
_CHILD = ("import sys, resource\n"
          "from generator.cli import cli\n"
          "try:\n"
          "    cli.main(['check', sys.argv[1], '--today', sys.argv[2], '--format', 'json'],"
          " standalone_mode=False)\n"
          "finally:\n"
          "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")


def peak_mb(path: Path) -> float:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), TODAY],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        peaks = {}
        for rows in (2_000, 20_000):
            path = Path(folder) / f"cohorte-{rows}.xlsx"
            build_workbook(path, rows)
            peaks[rows] = peak_mb(path)
    for rows, peak in peaks.items():
        print(f"gen check, {rows:6d} lignes : {peak:6.1f} Mo au plus")
    print(f"rapport 20 000 / 2 000       : {peaks[20_000] / peaks[2_000]:6.2f} (objectif ≤ 1,2)")


if __name__ == "__main__":
    main()
