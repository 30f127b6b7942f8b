"""LibreOffice stops with gen: a real `gen conventions --pdf` is interrupted while LibreOffice
converts (Ctrl+C, SIGTERM, SIGKILL), then the process table is read: no process of its run is
left, and after Ctrl+C or SIGTERM its temporary copies are gone too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from print_helpers import cohort, student

REPO = Path(__file__).resolve().parents[1]


def _processes_mentioning(text: str) -> list[str]:
    """The command lines of the live processes whose command line holds `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # ended meanwhile
            continue
        if text in command:
            found.append(f"{entry.name}: {command}")
    return found


def _wait(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["ctrl-c", "sigterm", "sigkill"])
def test_libreoffice_stops_with_gen(stop: signal.Signals, soffice: str, tmp_path: Path) -> None:
    # 40 documents: LibreOffice would go on converting for longer than the wait below
    workbook = cohort(tmp_path / "cohorte.xlsx", [student(n) for n in range(1, 41)])
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temporary)}
    gen = subprocess.Popen([sys.executable, "-m", "generator", "conventions", str(workbook),
                            "-o", str(tmp_path / "out"), "--today", "2026-06-01", "--pdf"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment,
                           cwd=tmp_path)
    try:
        _wait(lambda: any("soffice.bin" in line
                          for line in _processes_mentioning(str(temporary))),
              120, "LibreOffice never started")
        gen.send_signal(stop)
        gen.wait(timeout=60)
    finally:
        if gen.poll() is None:
            gen.kill()
            gen.wait()
    assert gen.returncode != 0  # stopped mid-run, not finished
    _wait(lambda: not _processes_mentioning(str(temporary)), 5,
          f"left running: {_processes_mentioning(str(temporary))}")
    if stop != signal.SIGKILL:  # stopped in order: « Interrompu. », the copies removed
        assert gen.stderr is not None and "Interrompu." in gen.stderr.read().decode()
        assert list(temporary.iterdir()) == []
