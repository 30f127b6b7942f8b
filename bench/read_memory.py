"""Peak memory of `gen check` at 2,000 and 20,000 rows, each run in a process of its own.

Run: python bench/read_memory.py [--runs 3]
Prints the median peak (resident set, MB) of each size and their ratio beside the target
(≤ 1.2: reading costs memory in proportion to the students, not the sheet held twice).

The peak is the child's own VmHWM (/proc/self/status): `ru_maxrss` would not do, as Linux
carries a forked process's peak over its exec, and the child would report this bench's size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from check import TODAY, build_workbook
from targets import verdict

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.2
_CHILD = ("import sys\n"
          "from generator.cli import cli\n"
          "try:\n"
          "    cli.main(['check', sys.argv[1], '--today', sys.argv[2], '--format', 'json'],"
          " standalone_mode=False)\n"
          "finally:\n"
          "    status = open('/proc/self/status').read()\n"
          "    print(status.split('VmHWM:')[1].split()[0], file=sys.stderr)\n")


def peak_mb(path: Path) -> float:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), TODAY],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          cwd=ROOT, timeout=600)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each size (3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = {rows: Path(folder) / f"cohorte-{rows}.xlsx" for rows in (2_000, 20_000)}
        for rows, path in paths.items():
            build_workbook(path, rows)
        peaks: dict[int, list[float]] = {rows: [] for rows in paths}
        for _ in range(args.runs):  # interleaved: both sizes see the same machine
            for rows, path in paths.items():
                peaks[rows].append(peak_mb(path))
    median = {rows: statistics.median(values) for rows, values in peaks.items()}
    for rows, peak in median.items():
        print(f"gen check, {rows:6d} lignes : {peak:6.1f} Mo au plus (médiane de {args.runs})")
    ratio = median[20_000] / median[2_000]
    print(f"rapport 20 000 / 2 000       : {ratio:6.2f}  {verdict(ratio, '≤', TARGET)}")


if __name__ == "__main__":
    main()
