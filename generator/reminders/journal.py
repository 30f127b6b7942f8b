"""The sent-once journal: one CSV line per message the SMTP server accepted (or refused).

The journal lives in the output folder (`relances/journal.csv`). It is read before sending, so
that a reminder already sent for the same reason and the same deadline is not sent again, and
it is appended to, flushed and synced to disk as each message is accepted: an interrupted run
loses no line and a second run duplicates nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.clean import clean_cells

# A reminder's identity: (N° auditeur, recipient's e-mail, reason, deadline as YYYY-MM-DD).
Identity = tuple[str, str, str, str]

SENT, FAILED = "envoyé", "échec"
HEADER = ("date", "auditeur", "destinataire", "motif", "echeance", "message_id", "statut",
          "detail")
# French spreadsheets open a `;`-separated, BOM-prefixed UTF-8 file in columns, accents intact.
DELIMITER = ";"


@dataclass(frozen=True)
class Entry:
    """One line of the journal."""

    date: str  # ISO 8601, local time with offset, to the second
    student: str
    recipient: str
    reason: str
    deadline: str  # YYYY-MM-DD
    message_id: str
    status: str  # SENT or FAILED
    detail: str = ""

    @property
    def identity(self) -> Identity:
        return (self.student, self.recipient.lower(), self.reason, self.deadline)

    def as_row(self) -> tuple[str, ...]:
        return (self.date, self.student, self.recipient, self.reason, self.deadline,
                self.message_id, self.status, self.detail)


def identity(student: str, recipient: str, reason: str, deadline: dt.date) -> Identity:
    """The identity of a reminder, as the journal compares it (e-mail case-insensitive)."""
    return (student, recipient.lower(), reason, deadline.isoformat())


def now_text() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


class Journal:
    """The journal file: what was sent, read once, then appended line by line."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.entries: list[Entry] = list(self._read()) if self.path.exists() else []

    def _read(self) -> Iterator[Entry]:
        with self.path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream, delimiter=DELIMITER)
            for index, line in enumerate(reader):
                if index == 0 and tuple(line[: len(HEADER)]) == HEADER:
                    continue
                if len(line) < 7:  # a line cut by a crash before the fsync: not a send
                    continue
                yield Entry(*line[:8])

    def sent(self, key: Identity) -> bool:
        """Whether a message with this identity was ever accepted by the server."""
        return any(e.status == SENT and e.identity == key for e in self.entries)

    def status(self, key: Identity) -> str | None:
        """The last status recorded for this identity (None: never tried)."""
        last = None
        for entry in self.entries:
            if entry.identity == key:
                last = entry.status
        return last

    def record(self, entry: Entry) -> None:
        """Append one line and push it to the disk before returning."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists() or self.path.stat().st_size == 0
        with self.path.open("a", encoding="utf-8-sig" if new else "utf-8", newline="") as stream:
            writer = csv.writer(stream, delimiter=DELIMITER)
            if new:
                writer.writerow(HEADER)
            elif not self._ends_with_newline():  # a line cut by a crash: start a fresh one
                stream.write("\r\n")
            writer.writerow(clean_cells(entry.as_row()))
            stream.flush()
            os.fsync(stream.fileno())
        self.entries.append(entry)

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as stream:
            stream.seek(-1, os.SEEK_END)
            return stream.read(1) == b"\n"
