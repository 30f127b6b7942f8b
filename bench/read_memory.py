"""Peak memory of `gen check` at 2,000 and 20,000 rows, each run in a process of its own.

Run: python bench/read_memory.py [--runs 3]
Prints the median peak (resident set, MB) of each size and their ratio beside the target
(≤ 1.2: reading costs memory in proportion to the students, not the sheet held twice).
Then, for information, the same two files read alone, without gen, by the two readers at hand:
python-calamine (which `gen` uses: it parses the whole sheet into memory before Python sees a
row) and openpyxl's read-only mode (which streams the rows, flat in memory, but parses each
cell in Python): their peaks and seconds show what each reader costs of the target.

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


_READERS = {
    "python-calamine, toute la feuille": (
        "from python_calamine import CalamineWorkbook\n"
        "book = CalamineWorkbook.from_path(sys.argv[1])\n"
        "rows = book.get_sheet_by_name('Cohorte').iter_rows()\n"),
    "openpyxl, lecture seule en flux": (
        "from openpyxl import load_workbook\n"
        "book = load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
        "rows = book['Cohorte'].iter_rows(values_only=True)\n"),
}
_READER_CHILD = ("import sys, time\n"
                 "started = time.perf_counter()\n"
                 "{reader}"
                 "for row in rows:\n"
                 "    pass\n"
                 "status = open('/proc/self/status').read()\n"
                 "print(status.split('VmHWM:')[1].split()[0], time.perf_counter() - started,"
                 " file=sys.stderr)\n")


def _child(code: str, *arguments: str) -> list[str]:
    """The last line the child process `code` writes on its standard error, split."""
    done = subprocess.run([sys.executable, "-c", code, *arguments], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=600)
    return done.stderr.strip().splitlines()[-1].split()


def peak_mb(path: Path) -> float:
    return int(_child(_CHILD, str(path), TODAY)[0]) / 1024


def reader_cost(reader: str, path: Path) -> tuple[float, float]:
    """(peak MB, seconds) of a process reading every row of `path` with `reader` alone."""
    peak, seconds = _child(_READER_CHILD.format(reader=_READERS[reader]), str(path))
    return int(peak) / 1024, float(seconds)


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
        costs = {(reader, rows): reader_cost(reader, path)
                 for reader in _READERS for rows, path in paths.items()}
    median = {rows: statistics.median(values) for rows, values in peaks.items()}
    for rows, peak in median.items():
        print(f"gen check, {rows:6d} lignes : {peak:6.1f} Mo au plus (médiane de {args.runs})")
    ratio = median[20_000] / median[2_000]
    print(f"rapport 20 000 / 2 000       : {ratio:6.2f}  {verdict(ratio, '≤', TARGET)}")
    print("\nlecture seule, sans gen (pour information) : pic et durée à 2 000 | 20 000 lignes")
    for reader in _READERS:
        (small, small_time), (large, large_time) = (costs[reader, rows] for rows in paths)
        print(f"  {reader:34s} {small:6.1f} Mo {small_time:5.2f} s | {large:6.1f} Mo "
              f"{large_time:5.2f} s   rapport des pics : {large / small:4.2f}")


if __name__ == "__main__":
    main()
