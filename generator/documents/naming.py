"""File names that every system accepts (Windows, macOS, Linux) and that stay unique in a folder,
even on the case-insensitive file systems of Windows and macOS.

Rules: accents kept (NFC); no path separator, no character Windows forbids (`<>:"/\\|?*`), no
control or invisible character, no `..`, no leading or trailing dot or space, no reserved
Windows device name (`CON`, `NUL`, `COM1`…, also before an extension), at most a bounded
number of UTF-8 bytes, spaces turned into hyphens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from generator.cohort.model import Row

# Room for an extension (".docx", ".pdf") and a "-99" suffix under the usual 255-byte limit.
MAX_STEM_BYTES = 200

_FORBIDDEN = re.compile(r'[<>:"/\\|?*]+')
_SPACES = re.compile(r"\s+")
_HYPHENS = re.compile(r"-{2,}")
_DOTS = re.compile(r"\.{2,}")
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{device}{suffix}" for device in ("COM", "LPT") for suffix in "123456789¹²³"}
)


def _visible(char: str) -> str:
    """A control character (a line break, a tab) separates words: a space; the other invisible
    ones (Cf zero-width and bidi marks, Cs, Co, Cn) are dropped."""
    category = unicodedata.category(char)
    if category == "Cc":
        return " "
    return "" if category.startswith("C") else char


def _truncate(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    cut = encoded[:max_bytes].decode("utf-8", errors="ignore")
    # don't leave a base letter without its combining accent
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return cut


def _tidy(text: str) -> str:
    text = _HYPHENS.sub("-", text)
    return text.strip(" .-_")


def safe_name(text: str, max_bytes: int = MAX_STEM_BYTES) -> str:
    """`text` made into a file name (or stem) valid everywhere; never empty (« sans-nom »)."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(_visible(char) for char in text)
    text = _FORBIDDEN.sub("-", text)
    text = _SPACES.sub("-", text.strip())
    text = _tidy(_DOTS.sub(".", text))
    if text.split(".", 1)[0].upper() in _RESERVED:
        text = f"_{text}"
    text = _tidy(_truncate(text, max_bytes)) or "sans-nom"
    # the tidy-up may have removed the protecting underscore
    if text.split(".", 1)[0].upper() in _RESERVED:
        text = _truncate(f"_{text}", max_bytes)
    return text


def name_key(name: str) -> str:
    """How case-insensitive, normalising file systems compare names."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


class NameAllocator:
    """Hands out distinct stems within one folder: a stem already taken (compared without case
    and normalisation) gets "-2", "-3"…, kept within the byte limit."""

    def __init__(self, max_bytes: int = MAX_STEM_BYTES) -> None:
        self.max_bytes = max_bytes
        self._taken: set[str] = set()

    def allocate(self, text: str) -> str:
        """A safe, not yet used stem for `text`."""
        stem = safe_name(text, self.max_bytes)
        candidate, number = stem, 1
        while name_key(candidate) in self._taken:
            number += 1
            suffix = f"-{number}"
            candidate = _tidy(_truncate(stem, self.max_bytes - len(suffix))) + suffix
        self._taken.add(name_key(candidate))
        return candidate


def student_stem(numero_auditeur: str | None, nom: str | None, prenom: str | None,
                 fallback: str) -> str:
    """`<N° auditeur>_<NOM>_<Prénom>` (not yet made safe: `NameAllocator.allocate` does it); a
    missing N° auditeur is replaced by `fallback` (e.g. "ligne 7"), a missing name left out."""
    parts = [numero_auditeur or fallback, (nom or "").upper(), prenom or ""]
    return "_".join(part.strip() for part in parts if part.strip())


def cohort_stems(rows: Iterable[Row]) -> dict[int, str]:
    """Each row's file stem (by row number), allocated over the whole cohort in row order, so
    that a student's file name depends neither on --only nor on which rows are ready."""
    names = NameAllocator()
    return {row.row_number: names.allocate(student_stem(
        row.numero_auditeur, row.nom, row.prenom, f"ligne {row.row_number}")) for row in rows}
