"""The sent-once journal: one CSV line per step of each message sent over SMTP.

The journal lives in the output folder (`relances/journal.csv`). Sending a message writes two
lines, each flushed and synced to disk before going on: « en cours » just before the message's
content (DATA) is transmitted, then « envoyé », « échec » (a permanent refusal, 5xx) or
« à réessayer » (a temporary one, 4xx) once the server has answered. A reminder whose last line
is « en cours » was interrupted while the server may have accepted it: it is uncertain and is
not sent again unless the user asks (`--resend`).

People open the journal in a spreadsheet and save it again, so it is read leniently (UTF-8 or
Windows-1252, `;`, `,` or tab, dates typed dd/mm/yyyy); a journal that cannot be understood
stops the run with a French message, never counts as empty. One run at a time uses it: `lock`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from generator.atomic import write_atomic
from generator.clean import clean_text, one_line
from generator.cohort.values import date, fold
from generator.errors import GenError
from generator.neutral import csv_text, csv_value
from generator.process import REMINDER_REASONS

# A reminder's identity: (N° auditeur, recipient's e-mail, reason, deadline as YYYY-MM-DD).
Identity = tuple[str, str, str, str]

PENDING, SENT, FAILED, DEFERRED = "en cours", "envoyé", "échec", "à réessayer"
STATUSES = {fold(status): status for status in (PENDING, SENT, FAILED, DEFERRED)}
HEADER = ("date", "auditeur", "destinataire", "motif", "echeance", "message_id", "statut",
          "detail")
# French spreadsheets open a `;`-separated, BOM-prefixed UTF-8 file in columns, accents intact.
DELIMITER = ";"
_REQUIRED = ("auditeur", "destinataire", "motif", "echeance", "statut")
# « motif » is written as the reason's French label; journals written before hold its key.
_REASON_OF = {fold(text): reason.key for reason in REMINDER_REASONS
              for text in (reason.key, reason.label)}
_LABEL_OF = {reason.key: reason.label for reason in REMINDER_REASONS}


def reason_key(motif: str) -> str:
    """The reason's key (`process.REMINDER_REASONS`) for a journal's « motif » or an
    `X-Relance` header's part: its French label, or its key as older journals wrote it, in any
    case; a text that names no reason is returned unchanged (it then matches no reminder)."""
    return _REASON_OF.get(fold(motif), motif)


def reason_label(key: str) -> str:
    """The French label written for a reason's key (the key itself when unknown)."""
    return _LABEL_OF.get(key, key)


@dataclass(frozen=True)
class Entry:
    """One line of the journal."""

    date: str  # ISO 8601, local time with offset, to the second
    student: str
    recipient: str
    reason: str  # the key (process.REMINDER_REASONS); written as its French label
    deadline: str  # YYYY-MM-DD
    message_id: str
    status: str  # PENDING, SENT, FAILED or DEFERRED
    detail: str = ""

    @property
    def identity(self) -> Identity:
        return (one_line(self.student), one_line(self.recipient).lower(), self.reason,
                self.deadline)

    def as_row(self) -> tuple[str, ...]:
        """The line as written: the reason as its French label, every text cleaned
        (`clean_text`) and neutralised for spreadsheets (formula injection)."""
        return tuple(csv_text(clean_text(value)) for value in (
            self.date, self.student, self.recipient, reason_label(self.reason), self.deadline,
            self.message_id, self.status, self.detail))


def identity(student: str, recipient: str, reason: str, deadline: dt.date) -> Identity:
    """The identity of a reminder, as the journal compares it: on one line, as the journal
    writes it (`one_line`), the e-mail case-insensitive."""
    return (one_line(student), one_line(recipient).lower(), reason, deadline.isoformat())


def now_text() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


@contextmanager
def lock(path: Path) -> Iterator[None]:
    """Hold the journal for this run: a second run on the same output folder stops with a
    French message (GenError) instead of sending the same messages at the same time. The lock
    is the operating system's, released even when the run is killed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    guard = FileLock(str(path.with_name(f".{path.name}.lock")), timeout=0)
    try:
        guard.acquire()
    except Timeout:
        raise GenError(f"Un autre envoi de relances utilise déjà {path} : attendez qu'il se "
                       "termine, puis relancez la commande.") from None
    try:
        yield
    finally:
        guard.release()


class Journal:
    """The journal file: read once (GenError when it cannot be understood), then appended
    line by line."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.entries: list[Entry] = []
        self._canonical = True  # as this program writes it (else rewritten before appending)
        if self.path.exists():
            self.entries = list(self._read())

    def _read(self) -> Iterator[Entry]:
        raw = self.path.read_bytes()
        text = _decode(raw, self.path)
        lines = text.splitlines()
        first = lines[0] if lines else ""
        delimiter = max(";,\t", key=first.count)
        self._canonical = raw.startswith(b"\xef\xbb\xbf") and delimiter == DELIMITER
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        columns = {name: index for index, name in enumerate(HEADER)}
        if rows and all(name in [fold(cell) for cell in rows[0]] for name in _REQUIRED):
            names = [fold(cell) for cell in rows[0]]
            columns = {name: names.index(name) for name in HEADER if name in names}
            rows = rows[1:]
        for number, row in enumerate(rows, start=2):
            cells = [csv_value(cell) for cell in row]
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) <= max(columns[name] for name in _REQUIRED):
                continue  # a line cut by a crash before the fsync: not a send
            entry = self._entry(cells, columns, number)
            self._canonical = self._canonical and list(entry.as_row()) == row
            yield entry

    def _entry(self, cells: list[str], columns: dict[str, int], number: int) -> Entry:
        def cell(name: str) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        status = STATUSES.get(fold(cell("statut")))
        try:
            deadline = date(cell("echeance"))
        except ValueError:
            deadline = None
        if status is None or deadline is None:
            what = "statut" if status is None else "échéance"
            raise GenError(f"Le journal des envois {self.path} est illisible à la ligne "
                           f"{number} ({what} « {cell('statut' if status is None else 'echeance')}"
                           " ») : corrigez-le (statuts possibles : en cours, envoyé, échec, "
                           "à réessayer) ; il n'est jamais considéré comme vide.")
        return Entry(cell("date"), cell("auditeur"), cell("destinataire"),
                     reason_key(cell("motif")), deadline.isoformat(), cell("message_id"),
                     status, cell("detail"))

    def status(self, key: Identity) -> str | None:
        """The last status recorded for this identity (None: never tried)."""
        last = None
        for entry in self.entries:
            if entry.identity == key:
                last = entry.status
        return last

    def sent(self, key: Identity) -> bool:
        """Whether the last line for this identity says the server accepted the message."""
        return self.status(key) == SENT

    def last(self, key: Identity) -> Entry | None:
        """The last line recorded for this identity."""
        found = None
        for entry in self.entries:
            if entry.identity == key:
                found = entry
        return found

    def record(self, entry: Entry) -> None:
        """Append one line and push it to the disk before returning (OSError when the disk
        refuses). A journal re-saved by a spreadsheet is first rewritten as this program
        writes it, so that the file keeps one encoding."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self._canonical:
            write_atomic(self.path, _csv_bytes([HEADER, *(e.as_row() for e in self.entries)]))
            self._canonical = True
        new = not self.path.exists() or self.path.stat().st_size == 0
        with self.path.open("ab") as stream:
            data = _csv_bytes([HEADER, entry.as_row()] if new else [entry.as_row()], bom=new)
            if not new and not self._ends_with_newline():  # a line cut by a crash
                data = b"\r\n" + data
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        self.entries.append(entry)

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as stream:
            stream.seek(-1, os.SEEK_END)
            return stream.read(1) == b"\n"


def _csv_bytes(rows: list[tuple[str, ...]], bom: bool = True) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=DELIMITER).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GenError(f"Le journal des envois {path} est illisible (ni UTF-8 ni Windows-1252) : "
                   "enregistrez-le en « CSV UTF-8 » ; il n'est jamais considéré comme vide.")
