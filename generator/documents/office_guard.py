"""The watchdog between gen and one LibreOffice process, so that no `soffice` outlives gen.

    python -I office_guard.py SOFFICE [ARGUMENT…]

gen starts it at the head of a process group of its own (a new session), its standard input a
pipe from gen. It starts LibreOffice in that group (the `soffice` script, oosplash and
soffice.bin stay in it) and ends the whole group, itself included, as soon as gen is gone,
however gen ended: the pipe's end of file comes when gen closes it or dies, SIGKILL included;
on Linux the parent-death signal (prctl PR_SET_PDEATHSIG) says it too. gen stops a conversion
by killing the same group. LibreOffice's exit status is the guard's (128 + the signal's number
when a signal ended it).

It imports the standard library only and runs as a script with `-I`: neither the environment
nor its own folder changes what it imports.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from types import FrameType

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def main(command: list[str]) -> int:
    """Run `command` until it ends or gen is gone; its exit status."""
    signal.signal(signal.SIGTERM, _end_group)
    _die_with_parent()
    office = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    threading.Thread(target=_wait_for_end_of_file, daemon=True).start()
    code = office.wait()
    return code if code >= 0 else 128 - code


def _die_with_parent() -> None:
    """On Linux, have the kernel send SIGTERM to this process when gen dies: the pipe tells
    it too, but another process could hold the pipe open. (Had gen died already, the pipe's
    end of file says so.)"""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return


def _wait_for_end_of_file() -> None:
    # the raw descriptor, not sys.stdin: a thread blocked in a buffered read would hold its
    # lock while the guard exits
    while os.read(0, 512):
        pass
    _end_group()  # end of file: gen closed the pipe or died


def _end_group(_signal: int | None = None, _frame: FrameType | None = None) -> None:
    os.killpg(0, signal.SIGKILL)  # LibreOffice and its launchers, and this process


if __name__ == "__main__":
    os._exit(main(sys.argv[1:]))  # at once: the watching thread is still blocked in its read
