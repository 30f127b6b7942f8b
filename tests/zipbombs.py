"""Zip bombs for the tests and `bench/bombs.py`: a real zip whose one member unpacks to
gigabytes of zeros while the file stays a few MB. Not a test module: both import it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def make_bomb(path: Path, member: str, size: int, base: bytes | None = None) -> Path:
    """Write at `path` a zip whose `member` unpacks to `size` bytes (a whole number of MiB) of
    zeros, beside the other members of the zip `base` (a real template or workbook), and
    return `path`. 2 GiB take about 2 MB on disk and a few seconds to write."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if base is not None:
            with zipfile.ZipFile(io.BytesIO(base)) as source:
                for info in source.infolist():
                    if info.filename != member:
                        archive.writestr(info, source.read(info))
        with archive.open(member, "w", force_zip64=True) as stream:
            block = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                stream.write(block)
    return path
