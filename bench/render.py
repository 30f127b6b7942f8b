"""`gen conventions` against the plain docxtpl loop and against the floor, on the same template
and the same rows, side by side in one run.

    python bench/render.py [ROWS] [--runs N] [--loop-sample K] [--templates DIR]
    (ROWS: 5000, N: 3, K: 100 by default)

Writes a workbook of ROWS students whose conventions are due (6 in 7 of them: every seventh
waits for its approval), then times whole processes, N runs each, interleaved:
- `gen conventions` as a user runs it: reading, checks, documents (on every core), manifest;
- the floor (bench/floor.py): reading, the template compiled once, rendering, the template's
  pre-compressed members copied, writing, in one process, nothing else;
- the plain docxtpl loop (bench/docxtpl_loop.py: load, render, save per row) on the first K
  documents only (a whole batch takes ten minutes): its whole process time plus its own
  per-document time for the remaining documents.
Prints the medians, the peak memory of gen's main process, and the two ratios with their
targets (PASS or FAIL): gen at least 60 times faster than the plain loop, and at most 1.3
times the floor's time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from targets import verdict  # noqa: E402
from workbooks import valid_row, write_workbook  # noqa: E402

from generator.cohort.reader import read_cohort  # noqa: E402
from generator.documents.context import build_context  # noqa: E402
from generator.documents.sources import builtin_folder  # noqa: E402
from generator.rules.report import check  # noqa: E402

TODAY = dt.date(2026, 11, 28)
FIRST_NAMES = ("Claire", "Karim", "Inès", "Léa", "Mamadou", "Zoé", "Hugo", "Aïcha", "Noé",
               "Élodie")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "N'Diaye", "Lefèvre", "Garcia", "Nguyen",
              "Le Goff", "Moreau", "Haddad")
AT_LEAST_LOOP, AT_MOST_FLOOR = 60, 1.3


def _rows(count: int) -> list[dict[str, object]]:
    rows = []
    for index in range(count):
        waiting = index % 7 == 6  # no approval yet: no convention
        rows.append(valid_row(
            numero_auditeur=f"{100001 + index}",
            nom=LAST_NAMES[index % len(LAST_NAMES)],
            prenom=FIRST_NAMES[(index // len(LAST_NAMES)) % len(FIRST_NAMES)],
            email=f"auditeur{index}@example.org",
            structure_nom=f"Association n° {index % 37} & partenaires",
            activites="\n".join(f"- Activité {n} de l'auditeur {index}" for n in range(1, 6)),
            objectifs="Conduire un diagnostic de territoire\nAnimer un atelier collectif",
            **({"date_accord": None, "date_convention": None} if waiting else {}),
        ))
    return rows


def _run(command: list[str], work: Path) -> tuple[float, int, str]:
    """(seconds, peak resident memory in MiB, standard output) of one whole process.

    The peak is the process's own VmHWM, read while it runs: the rusage of wait4 would carry
    this bench's own size over the fork and exec that start it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(work / "stdout", "w+b") as out, open(work / "stderr", "w+b") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env)
        peak = [0]
        watcher = threading.Thread(target=_watch_peak, args=(process.pid, peak), daemon=True)
        watcher.start()
        _pid, status = os.waitpid(process.pid, 0)
        elapsed = time.perf_counter() - start
        watcher.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            sys.exit(f"{' '.join(command[:4])} a échoué ({process.returncode}) : "
                     f"{err.read().decode(errors='replace')[-2000:]}")
        return elapsed, peak[0] // 1024, out.read().decode()


def _watch_peak(pid: int, peak: list[int]) -> None:
    """Keep in peak[0] the largest VmHWM (KiB) of process `pid` until it ends."""
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            text = status.read_text()
        except OSError:
            return
        if "VmHWM:" not in text:  # a zombie: it has ended
            return
        peak[0] = max(peak[0], int(text.split("VmHWM:")[1].split()[0]))
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--loop-sample", type=int, default=100)
    parser.add_argument("--templates", type=Path, default=builtin_folder())
    args = parser.parse_args()
    template = args.templates / "convention.docx"
    python = sys.executable

    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        work = Path(folder)
        workbook = write_workbook(work / "cohorte.xlsx", _rows(args.rows))
        report = check(read_cohort(workbook), TODAY, frozenset({"convention"}))
        contexts = [build_context(row, report.derived[row.row_number], report.cohort.params,
                                  TODAY) for row in report.ready("convention")]
        documents = len(contexts)
        contexts_path = work / "contextes.pickle"
        contexts_path.write_bytes(pickle.dumps(contexts))
        sample = min(args.loop_sample, documents)
        gen_times: list[float] = []
        floor_times: list[float] = []
        loop_times: list[float] = []
        peaks: list[int] = []
        for run in range(args.runs):
            seconds, peak, _ = _run([
                python, "-m", "generator", "conventions", str(workbook), "-q",
                "-o", str(work / f"gen{run}"), "--templates", str(args.templates),
                "--today", TODAY.isoformat()], work)
            written = len(list((work / f"gen{run}" / "conventions").glob("*.docx")))
            if written != documents:
                sys.exit(f"gen conventions a écrit {written} documents sur {documents}")
            gen_times.append(seconds)
            peaks.append(peak)
            seconds, _, _ = _run([python, str(ROOT / "bench" / "floor.py"), str(workbook),
                                  str(contexts_path), str(template), str(work / f"floor{run}")],
                                  work)
            floor_times.append(seconds)
            seconds, _, out = _run([python, str(ROOT / "bench" / "docxtpl_loop.py"),
                                    str(contexts_path), str(template), str(work / f"loop{run}"),
                                    str(sample)], work)
            loop_times.append(seconds + float(out) * (documents - sample))

    gen, floor, loop = (statistics.median(times) for times in (gen_times, floor_times,
                                                                 loop_times))

    def line(label: str, seconds: float) -> str:
        return (f"{label:<46} {seconds:8.2f} s  {documents / seconds:8.1f} documents/s  "
                f"{1000 * seconds / documents:7.2f} ms/document")

    print(f"{documents} conventions ({args.rows} lignes), modèle {template.name}, "
          f"médiane de {args.runs} lancements (processus entiers), {os.cpu_count()} cœurs")
    print(line("gen conventions (lecture, contrôles, écriture)", gen))
    print(line("plancher (lecture, rendu, membres copiés)", floor))
    print(line(f"boucle docxtpl ({sample} mesurés, le reste au prorata)", loop))
    print(f"mémoire maximale de gen conventions : {max(peaks)} Mio")
    print(f"boucle docxtpl / gen conventions : {loop / gen:6.1f}  "
          f"{verdict(loop / gen, '≥', AT_LEAST_LOOP)}")
    print(f"gen conventions / plancher       : {gen / floor:6.2f}  "
          f"{verdict(gen / floor, '≤', AT_MOST_FLOOR)}")


if __name__ == "__main__":
    main()
