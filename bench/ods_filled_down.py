"""`gen check` on a 2-student .ods whose team filled one column down to the last row
(LibreOffice stores one row repeated 1,048,572 times: calamine alone expands it into a
million rows), in a process of its own: wall time and peak memory.

Run: python bench/ods_filled_down.py
Targets: under 5 s and under 500 MB (the whole process: Python, pandas and the read).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILLED = ROOT / "tests" / "fixtures" / "cases" / "filled-column.ods"


def measure(path: Path) -> tuple[float, float, str]:
    """Wall seconds, peak resident MB and the summary line of `gen check` on `path`, in a
    child process (its own peak memory)."""
    code = ("import sys, resource\n"
            "from generator.cli import cli\n"
            "try:\n"
            "    cli.main(['check', sys.argv[1], '--today', '2026-05-20'], "
            "standalone_mode=False)\n"
            "finally:\n"
            "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "    print(f'PEAK {peak}', file=sys.stderr)\n")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    elapsed = time.perf_counter() - started
    peak_kb = int(next(line.split()[1] for line in done.stderr.splitlines()
                       if line.startswith("PEAK")))
    summary = next((line for line in done.stdout.splitlines() if line.startswith("Bilan")),
                   done.stdout.strip()[-200:])
    return elapsed, peak_kb / 1024, summary


def main() -> None:
    elapsed, peak, summary = measure(FILLED)
    print(f"gen check {FILLED.name} : {elapsed:5.2f} s, {peak:6.1f} Mo au plus "
          f"(objectifs : < 5 s, < 500 Mo)")
    print(f"  {summary}")


if __name__ == "__main__":
    main()
