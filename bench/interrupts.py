"""Interrupted runs: real `gen` processes stopped at random points, then run again, and what
each interruption leaves behind.

Three commands on the sample workbook, in turn: `gen all`, `gen conventions --pdf` and
`gen reminders --send` against an aiosmtpd server on 127.0.0.1 whose reply to each message
comes 0.3 s after its content (so that a stop often falls during a send). Each try starts in a
fresh output folder, stops the command after a random delay (within the time a full run
takes, measured first) with Ctrl+C (SIGINT to its process group, as a terminal sends it) or
`kill -9` (SIGKILL to its process), waits for it to end, then runs the same command again to
its end. After that next run it looks for:

- temporary files (`.gen-*.tmp`) anywhere in the output folder;
- processes left running that belong to the try (their command line names its folders:
  LibreOffice keeps its profile there), 1 s after the stop and again after the next run,
  when it stops them by their id;
- a traceback from either run;
- for the reminders, any message the server accepted more than once for one reminder, and the
  reminders left uncertain (journal « en cours », held until --resend) with how many times the
  server accepted them.

    python bench/interrupts.py [--tries 20] [--seed 1]

Prints one line per try and a summary; exits 1 when a promise is broken. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from reminders_helpers import SmtpServer  # noqa: E402  (the tests' aiosmtpd server)

SAMPLE = REPO / "data" / "cohorte-exemple.xlsx"
TODAY = "2026-11-28"  # the date the sample is written for (README)
_TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Outcome:
    """What one try found."""

    command: str
    signal: str
    delay: float  # seconds after the start
    stopped: bool = True  # False: the command had ended before the signal
    first_status: int | None = None
    next_status: int | None = None
    tracebacks: list[str] = field(default_factory=list)  # "interrompue" / "suivante"
    temporary_after_stop: int = 0
    running_after_stop: int = 0  # its processes still there 1 s after it ended
    temporary_after_next: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # "pid command"
    duplicates: dict[str, int] = field(default_factory=dict)  # reminder → times accepted
    uncertain: dict[str, int] = field(default_factory=dict)  # reminder → times accepted

    @property
    def broken(self) -> bool:
        return bool(self.tracebacks or self.temporary_after_next or self.orphans
                    or self.duplicates)


def _temporary_files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob(".gen-*.tmp"))


def _processes_naming(text: str) -> list[tuple[int, str]]:
    """The processes whose command line holds `text` (this probe's folders), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                "utf-8", "replace").strip()
        except OSError:
            continue
        if text in command:
            found.append((int(entry.name), command))
    return found


def _stop(pid: int) -> None:
    """Kill `pid`, and its process group when it leads one of its own (LibreOffice runs in its
    own session: its launcher restarts a killed soffice.bin)."""
    with suppress(ProcessLookupError):
        group = os.getpgid(pid)
        if group == pid and group != os.getpgid(0):
            os.killpg(group, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)


class Probe:
    """The commands, their folders under `work`, and the SMTP server."""

    def __init__(self, work: Path, server: SmtpServer) -> None:
        self.work = work
        self.server = server
        self.environment = {**os.environ, "PYTHONPATH": str(REPO),
                            "TMPDIR": str(work / "tmp"), "GEN_SMTP_PASSWORD": ""}
        (work / "tmp").mkdir()

    def command(self, name: str, output: Path) -> list[str]:
        base = [sys.executable, "-m", "generator"]
        common = ["--today", TODAY, "-o", str(output)]
        if name == "all":
            return [*base, "all", str(SAMPLE), *common]
        if name == "conventions --pdf":
            return [*base, "conventions", str(SAMPLE), "--pdf", *common]
        return [*base, "reminders", str(SAMPLE), "--send", "--smtp", self.server.address,
                *common]

    @contextmanager
    def started(self, name: str, output: Path) -> Iterator[subprocess.Popen[str]]:
        # its own session, as a shell's job: Ctrl+C reaches the job's whole process group
        process = subprocess.Popen(self.command(name, output), cwd=self.work, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=self.environment, start_new_session=True)
        try:
            yield process
        finally:
            if process.poll() is None:
                _stop(process.pid)
                process.wait()

    def full_run(self, name: str, output: Path) -> tuple[int, str, float]:
        started = time.monotonic()
        with self.started(name, output) as process:
            _out, err = process.communicate(timeout=600)
        return process.returncode, err, time.monotonic() - started

    def accepted(self) -> Counter[tuple[str, str]]:
        """How many times the server accepted each reminder point, (student, motif) as the
        journal writes them, since the server started: a message's X-Relance header reads
        « student; motif + motif…; deadline »."""
        points: Counter[tuple[str, str]] = Counter()
        for received in self.server.messages:
            student, motifs, _deadline = (part.strip() for part in
                                          str(received.message["X-Relance"]).split(";"))
            points.update((student, motif) for motif in motifs.split(" + "))
        return points


def _journal_uncertain(output: Path) -> set[tuple[str, str]]:
    """The reminders whose last journal line is « en cours »: (student, motif)."""
    path = output / "relances" / "journal.csv"
    if not path.exists():
        return set()
    last: dict[tuple[str, str, str], str] = {}
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for line in csv.DictReader(stream, delimiter=";"):
            last[(line["auditeur"], line["destinataire"], line["motif"])] = line["statut"]
    return {(student, motif) for (student, _to, motif), status in last.items()
            if status == "en cours"}


def _leftover_processes(probe: Probe) -> list[tuple[int, str]]:
    """The processes still running that name the probe's folders, then stopped (by their
    ids; a launcher may restart its child meanwhile, hence the rounds)."""
    found: dict[int, str] = {}
    for _round in range(5):
        running = _processes_naming(str(probe.work))
        if not running:
            break
        found.update(running)
        for pid, _command in running:
            _stop(pid)
        time.sleep(0.5)
    return sorted(found.items())


def one_try(probe: Probe, number: int, name: str, which: signal.Signals, delay: float
            ) -> Outcome:
    """Start `name` in a fresh folder, send `which` after `delay` seconds, then run it again
    to its end, and say what was left. A command that ended before the signal is started
    again in another fresh folder with half the delay (at most three times)."""
    for attempt in range(3):
        outcome = _attempt(probe, probe.work / f"essai-{number:02d}-{attempt}", name, which,
                           delay)
        if outcome.stopped:
            break
        delay /= 2
    return outcome


def _attempt(probe: Probe, output: Path, name: str, which: signal.Signals, delay: float
             ) -> Outcome:
    outcome = Outcome(name, which.name, delay)
    before = probe.accepted()
    with probe.started(name, output) as process:
        time.sleep(delay)
        outcome.stopped = process.poll() is None
        if outcome.stopped:
            if which == signal.SIGINT:
                os.killpg(process.pid, signal.SIGINT)
            else:
                os.kill(process.pid, signal.SIGKILL)
        try:
            _out, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            err = "(toujours en cours 120 s après Ctrl+C)"
            _stop(process.pid)
            process.wait()
        outcome.first_status = process.returncode
    if _TRACEBACK in err:
        outcome.tracebacks.append("interrompue")
    outcome.temporary_after_stop = len(_temporary_files(output))
    time.sleep(1.0)
    outcome.running_after_stop = len(_processes_naming(str(probe.work)))
    status, err, _seconds = probe.full_run(name, output)
    outcome.next_status = status
    if _TRACEBACK in err:
        outcome.tracebacks.append("suivante")
    outcome.temporary_after_next = _temporary_files(output)
    time.sleep(1.0)  # what a stopped command's children need to go
    outcome.orphans = [f"{pid} {command[:90]}" for pid, command in _leftover_processes(probe)]
    if name.startswith("reminders"):
        sent = probe.accepted() - before
        outcome.duplicates = {"; ".join(key): count for key, count in sent.items()
                              if count > 1}
        outcome.uncertain = {"; ".join(key): sent[key] for key in _journal_uncertain(output)}
    return outcome


def _line(number: int, outcome: Outcome) -> str:
    when = f"{outcome.delay:5.2f} s" if outcome.stopped else f"{outcome.delay:5.2f} s (fini)"
    parts = [f"{number:2d}. {outcome.command:18} {outcome.signal:7} à {when}",
             f"codes {outcome.first_status}/{outcome.next_status}",
             f"tmp {outcome.temporary_after_stop}→{len(outcome.temporary_after_next)}",
             f"processus {outcome.running_after_stop}→{len(outcome.orphans)}"]
    if outcome.command.startswith("reminders"):
        parts.append(f"doublons {len(outcome.duplicates)}, incertains {len(outcome.uncertain)}")
    if outcome.tracebacks:
        parts.append(f"TRACEBACK ({', '.join(outcome.tracebacks)})")
    return " ; ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    chance = random.Random(options.seed)
    names = ["all", "conventions --pdf", "reminders --send"]
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="interruptions-") as folder, \
            SmtpServer(data_delay=0.3) as server:
        probe = Probe(Path(folder), server)
        durations: dict[str, float] = {}
        for name in names:  # a full run of each, to draw the stops within it
            status, err, seconds = probe.full_run(name, probe.work / f"mesure-{len(durations)}")
            assert _TRACEBACK not in err, err
            durations[name] = seconds
            print(f"durée d'une exécution complète de gen {name} : {seconds:.2f} s "
                  f"(code {status})")
        for number in range(1, options.tries + 1):
            name = names[(number - 1) % len(names)]
            which = signal.SIGINT if number % 2 else signal.SIGKILL
            delay = chance.uniform(0.3, durations[name] * 0.8)
            outcome = one_try(probe, number, name, which, delay)
            outcomes.append(outcome)
            print(_line(number, outcome), flush=True)
            for orphan in outcome.orphans:
                print(f"      orphelin arrêté : {orphan}")
            for path in outcome.temporary_after_next:
                print(f"      fichier temporaire restant : {path}")
            for key, count in outcome.duplicates.items():
                print(f"      ENVOYÉE {count} FOIS : {key}")
            for key, count in outcome.uncertain.items():
                print(f"      incertaine (non renvoyée sans --resend) : {key} — acceptée "
                      f"{count} fois par le serveur")
    stopped = [o for o in outcomes if o.stopped]
    print(f"\n{len(stopped)} interruptions sur {len(outcomes)} essais "
          f"({sum(o.signal == 'SIGINT' for o in stopped)} Ctrl+C, "
          f"{sum(o.signal == 'SIGKILL' for o in stopped)} kill -9) :")
    print(f"  fichiers .gen-*.tmp laissés par l'interruption : "
          f"{sum(o.temporary_after_stop for o in outcomes)}, "
          f"encore là après l'exécution suivante : "
          f"{sum(len(o.temporary_after_next) for o in outcomes)}")
    lingering = [o for o in outcomes if o.running_after_stop]
    print(f"  processus encore là 1 s après l'interruption (LibreOffice) : "
          f"{sum(o.running_after_stop for o in outcomes)} dans {len(lingering)} essais "
          f"({', '.join(sorted({o.signal for o in lingering})) or '—'})")
    print(f"  processus orphelins après l'exécution suivante : "
          f"{sum(len(o.orphans) for o in outcomes)} dans {sum(bool(o.orphans) for o in outcomes)}"
          f" essais ({', '.join(sorted({o.signal for o in outcomes if o.orphans})) or '—'})")
    print(f"  tracebacks : {sum(len(o.tracebacks) for o in outcomes)}")
    print(f"  relances envoyées deux fois : {sum(len(o.duplicates) for o in outcomes)} ; "
          f"incertaines : {sum(len(o.uncertain) for o in outcomes)}")
    return 1 if any(o.broken for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
