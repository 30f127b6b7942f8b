"""A document folder left in the state its manifest describes.

The manifest of the last run says which file it wrote and its SHA-256. Before writing, a
document whose bytes differ from that (edited by hand since) is kept, not replaced (unless
--force); after writing, a document the last run wrote that this run no longer produces (the
row turned to an error, a name was corrected) is moved aside into `anciens/`, with its PDF,
so that nothing is left looking current.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

ASIDE = "anciens"
# The manifest's columns (batch.MANIFEST_FIELDS) and the status of a written document.
_FILE, _SHA, _STATUS = "Fichier", "SHA-256", "Statut"
_WRITTEN = ("produit", "conservé")  # written by gen, and kept since as it was edited


def last_written(manifest: Path) -> dict[str, str]:
    """File name → SHA-256 of each document the last run wrote (its manifest.csv); empty
    when there is none or it cannot be read (nothing is then taken for hand-edited)."""
    try:
        with manifest.open(encoding="utf-8-sig", newline="") as stream:
            lines = list(csv.DictReader(stream, delimiter=";"))
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return {line[_FILE]: line.get(_SHA) or "" for line in lines
            if line.get(_STATUS) in _WRITTEN and line.get(_FILE)}


def edited_by_hand(path: Path, written: Mapping[str, str]) -> bool:
    """The file the last run wrote at `path` no longer has the bytes it wrote."""
    expected = written.get(path.name)
    if not expected or not path.is_file():
        return False
    return hashlib.sha256(path.read_bytes()).hexdigest() != expected


def set_aside(folder: Path, written: Mapping[str, str], produced: Iterable[str]) -> list[Path]:
    """Move each document the last run wrote and this one does not produce (and its PDF)
    into `<folder>/anciens/`, an existing name there kept by a numbered one; the moved files'
    new paths."""
    keep = set(produced)
    moved: list[Path] = []
    for name in sorted(set(written) - keep):
        for path in (folder / name, (folder / name).with_suffix(".pdf")):
            if not path.is_file():
                continue
            target = folder / ASIDE / path.name
            number = 1
            while target.exists():
                number += 1
                target = target.with_name(f"{path.stem} ({number}){path.suffix}")
            target.parent.mkdir(exist_ok=True)
            path.replace(target)
            moved.append(target)
    return moved
