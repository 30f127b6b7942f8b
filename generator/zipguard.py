"""Zip bombs refused before opening: a .docx template and an .xlsx/.ods workbook are zip
archives, and a small file can unpack to gigabytes (a 1.2 MB template to 2.5 GB). Only the
archive's directory is read, then its members' declared sizes and compression ratios are
checked (OWASP's file-upload guidance) before any member is decompressed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

# What a real template or cohort workbook stays far below: a 10,000-row workbook unpacks to
# about 20 MB; pictures do not compress. Beyond these, the file is refused.
MAX_UNPACKED = 200 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 100  # unpacked / packed, for a member over MIN_SUSPECT bytes unpacked
MIN_SUSPECT = 4 * 1024 * 1024
MAX_MEMBERS = 10_000


def bomb_reason(archive: zipfile.ZipFile) -> str | None:
    """Why `archive` looks like a zip bomb (French, without the file's name), None when it
    does not. Reads the central directory only."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return f"il contient {len(members)} fichiers internes"
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED:
        return (f"il se décompresse en {total // (1024 * 1024)} Mo (au plus "
                f"{MAX_UNPACKED // (1024 * 1024)} Mo)")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MIN_SUSPECT and ratio > MAX_RATIO:
            return (f"sa partie « {member.filename} » se décompresse {int(ratio)} fois plus "
                    "gros qu'elle n'est stockée")
    return None


def file_bomb_reason(path: Path) -> str | None:
    """`bomb_reason` for the zip file at `path` (None when it is no zip file: others say so)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return bomb_reason(archive)
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
