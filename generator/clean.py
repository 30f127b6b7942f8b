"""One cleaning step for every value gen writes (a workbook cell or comment, a document, a CSV
cell, an e-mail header or body), and the way a message shows a value's invisible characters.

Cells hold what Excel and Word put in them: a vertical tab from Word's Shift+Enter (stored by
Excel as `_x000B_`), other C0 controls, no-break and zero-width spaces at the edges. XML 1.0
refuses the controls (openpyxl raises, Word reports a damaged file), an e-mail header must be
one line, and a value that looks right but holds an invisible character must be shown as it
is when a message quotes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Characters that separate lines: Word's Shift+Enter (VT), form feed, CR, the file/group/
# record separators, NEL and Unicode's line and paragraph separators.
LINE_BREAKS = "\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"
# Unicode's White_Space (str.isspace) and the invisible spaces that are not White_Space
# (zero-width space/joiners, word joiner, BOM, Mongolian vowel separator).
WHITESPACE = ("\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
              + "\u2028\u2029\u202f\u205f\u3000")
INVISIBLE = "\u180e\u200b\u200c\u200d\u2060\ufeff"
# What is trimmed from a value's edges: every kind of whitespace, invisible spaces and controls.
EDGES = WHITESPACE + INVISIBLE + "".join(map(chr, range(0x20))) + "\x7f" + "".join(
    map(chr, range(0x80, 0xA0)))


def _translation() -> dict[int, str | None]:
    """Line separators become "\\n"; tab and "\\n" stay; every other character that XML 1.0
    forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF) or that is a C1 control is removed."""
    table: dict[int, str | None] = {code: None for code in range(0x20)}
    table.update((code, None) for code in range(0x7F, 0xA0))
    table.update((code, None) for code in range(0xD800, 0xE000))  # not writable as UTF-8
    table[0xFFFE] = table[0xFFFF] = None
    table.update((ord(char), "\n") for char in LINE_BREAKS)
    del table[ord("\t")], table[ord("\n")]
    return table


_TRANSLATION = _translation()
_RUNS = re.compile(f"[{re.escape(WHITESPACE + INVISIBLE)}]+")


def clean_text(text: str, *, trim: bool = True) -> str:
    """`text` as it may be written anywhere: CRLF, CR and the other line separators as "\\n",
    tabs kept, every character XML 1.0 refuses (C0/C1 controls, lone surrogates) removed, and
    (`trim`) the edges stripped of every kind of whitespace and invisible space. Nothing else
    changes: accents, emoji and joiners inside the text stay."""
    if not text.isprintable():  # most values are: nothing to translate
        text = text.replace("\r\n", "\n").translate(_TRANSLATION)
    return text.strip(EDGES) if trim else text


def one_line(text: str) -> str:
    """`clean_text` on one line, for an e-mail header, a file name or a CSV cell meant to be
    read as one: every run of whitespace (line breaks, tabs, invisible spaces) is one space."""
    return _RUNS.sub(" ", clean_text(text)).strip()


def clean_value(value: object) -> object:
    """A cell value to write in a workbook: text cleaned by `clean_text`, anything else (a
    number, a date, None) unchanged."""
    return clean_text(value) if isinstance(value, str) else value


def clean_cells(cells: Iterable[object]) -> list[object]:
    """A row of cells to write (a CSV line, a sheet row): each one through `clean_value`."""
    return [clean_value(cell) for cell in cells]


# How `show_invisible` names the characters it shows; others are ⟨U+XXXX⟩.
INVISIBLE_NAMES = {
    "\t": "tab", "\n": "saut de ligne", "\v": "VT", "\f": "FF", "\r": "CR", "\x00": "NUL",
    "\x1b": "ESC", "\x7f": "DEL", "\xa0": "espace insécable", "\u202f": "espace fine insécable",
    "\u2007": "espace insécable", "\u200b": "espace invisible", "\u200c": "espace invisible",
    "\u200d": "liant invisible", "\u2060": "espace invisible", "\ufeff": "espace invisible",
    "\u00ad": "trait d'union invisible", "\u2028": "saut de ligne", "\u2029": "saut de ligne",
}


def _shown(char: str) -> str:
    return f"⟨{INVISIBLE_NAMES.get(char) or f'U+{ord(char):04X}'}⟩"


def show_invisible(text: str) -> str:
    """`text` for a message that quotes it: every character one cannot see or tell from a
    space (controls, tab, line breaks, no-break and zero-width spaces) written as its name
    between ⟨ ⟩, e.g. « anna.roux@example.org⟨VT⟩ »; plain spaces and visible text unchanged."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _shown(char) for char in text)
