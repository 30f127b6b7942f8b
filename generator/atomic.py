"""Every output is written under a temporary name in its folder, then renamed into place: an
interrupted run leaves the old file or the new one, never a half-written one.

A run killed outright (SIGKILL, power cut) cannot remove its temporary file: the temporary
name carries the writing process's id, and the first write of a later run into the same folder
removes the leftovers of processes that no longer exist. The same holds for the throw-away
folders a run works in (`work_folder`), in the system's temporary folder."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

_PREFIX = ".gen-"
_LEFTOVER = re.compile(r"^\.gen-(?:(\d+)-)?.*\.tmp$")
_OLD = 3600.0  # seconds: a temporary file without a process id older than this is a leftover
_WORK = re.compile(r"^gen-[a-z]+-(\d+)-")
_cleaned: set[Path] = set()


def _file_mode() -> int:
    """The mode a plainly created file gets (0o666 less the umask): mkstemp's 0o600 would
    hide the documents from the rest of the team on a shared folder."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_MODE = _file_mode()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename
    (OSError when the folder refuses)."""
    clean_leftovers(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{_PREFIX}{os.getpid()}-",
                                         suffix=".tmp")
    try:
        os.fchmod(handle, _MODE)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files that killed runs left in `folder` (once per process and
    folder); the paths removed. A file of a process still running is kept."""
    folder = Path(folder)
    if folder in _cleaned:
        return []
    _cleaned.add(folder)
    removed = []
    try:
        names = [entry for entry in os.scandir(folder) if entry.name.startswith(_PREFIX)]
    except OSError:
        return []
    for entry in names:
        match = _LEFTOVER.match(entry.name)
        if match is None or not _abandoned(match.group(1), entry):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def work_folder(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A throw-away folder for one run's work (« gen-<kind>-<process id>-… » in the system's
    temporary folder, removed when the `with` block ends), once the folders of killed runs
    (their process gone) are removed. ``kind``: lowercase letters (« pdf », « pack »)."""
    base = Path(tempfile.gettempdir())
    if base not in _cleaned:
        _cleaned.add(base)
        with os.scandir(base) as entries:
            for entry in entries:
                match = _WORK.match(entry.name)
                if match and entry.is_dir(follow_symlinks=False) \
                        and _abandoned(match.group(1), entry):
                    shutil.rmtree(entry.path, ignore_errors=True)
    return tempfile.TemporaryDirectory(prefix=f"gen-{kind}-{os.getpid()}-")


def _abandoned(pid: str | None, entry: os.DirEntry[str]) -> bool:
    """Whether its writer is gone: the process no longer exists (POSIX), or, without a process
    id to ask about (or on Windows, where signal 0 would end the process), the file is old."""
    if pid is None or os.name == "nt":
        try:
            return time.time() - entry.stat().st_mtime > _OLD
        except OSError:
            return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, OSError):
        return False
    return False
