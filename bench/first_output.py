"""How long after Enter the first line of `gen` reaches the screen, on the sample cohort.

    python bench/first_output.py [-n RUNS]        (RUNS: 5 by default)

Each command is a whole new process (`python -m generator …`) whose output goes to a
pseudo-terminal, as when a person types it; the clock runs from the start of the process to
the first byte it prints, and to its end. Printed: the median of RUNS runs of each command,
side by side with `gen --help` (click alone) in the same run. Target: the first output of the
commands on the sample within 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cohorte-exemple.xlsx"
TODAY = "2026-11-28"
TARGET_SECONDS = 0.5


def run_on_terminal(arguments: list[str], cwd: Path) -> tuple[float, float, bytes]:
    """(seconds to the first byte, seconds to the end, what was printed) of one whole
    `python -m generator …` process writing to a pseudo-terminal."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "generator", *arguments],
                               stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, cwd=cwd,
                               env=env)
    os.close(slave)
    first: float | None = None
    printed = bytearray()
    try:
        while select.select([master], [], [], 120)[0]:
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # the terminal is closed: the process has ended
                break
            if not data:
                break
            if first is None:
                first = time.perf_counter() - start
            printed += data
    finally:
        os.close(master)
    process.wait()
    end = time.perf_counter() - start
    return (first if first is not None else end), end, bytes(printed)


def main() -> None:
    from targets import verdict  # here: the tests import this module as bench.first_output

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-first-") as folder:
        commands = {
            "gen --help": ["--help"],
            "gen check (exemple)": ["check", str(SAMPLE), "--today", TODAY],
            "gen all (exemple)": ["all", str(SAMPLE), "--today", TODAY, "-o",
                                  str(Path(folder) / "sortie")],
        }
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
        for _ in range(args.runs):  # interleaved: the machine's load weighs on each alike
            for label, arguments in commands.items():
                first, end, _printed = run_on_terminal(arguments, Path(folder))
                times[label].append((first, end))
    print(f"médiane de {args.runs} lancements, sortie sur un pseudo-terminal")
    print(f"{'commande':<22} {'1re ligne':>10} {'fin':>8}")
    for label, runs in times.items():
        first = statistics.median(run[0] for run in runs)
        end = statistics.median(run[1] for run in runs)
        print(f"{label:<22} {first:>9.3f}s {end:>7.3f}s")
    worst = max(statistics.median(run[0] for run in runs)
                for label, runs in times.items() if label != "gen --help")
    print(f"première ligne des commandes sur l'exemple : {worst:.3f} s au plus "
          f"{verdict(worst, '≤', TARGET_SECONDS)}")


if __name__ == "__main__":
    main()
