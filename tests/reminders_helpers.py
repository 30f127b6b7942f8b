"""Test helpers for the reminders: a cohort calling for every reason, and a real SMTP server on
127.0.0.1 (aiosmtpd) that records, refuses, answers late or hangs up, in clear, with STARTTLS
or with implicit TLS (a self-signed certificate made by `certificate`).

    path = reminder_cohort(tmp_path)            # 6 reminders as of TODAY
    with SmtpServer(refuse={"marc.leger@example.org"}) as server:
        ...server.port, server.messages...
    with SmtpServer(data_replies={"zoe.obrien@example.org": "451 4.3.0 plus tard"}) as ...
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import subprocess
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from workbooks import valid_row, write_workbook

from generator.reminders.journal import reason_key

TODAY = dt.date(2026, 8, 20)
DAY = dt.timedelta(days=1)

# (student, recipient e-mail, reason) of every reminder the cohort calls for as of TODAY, in
# LETTERS letters and messages (B2: approval + convention; C3: convention + pieces).
EXPECTED = {
    ("A1", "helene.dupont@example.org", "definition"),
    ("B2", "marc.leger@example.org", "approval"),
    ("B2", "marc.leger@example.org", "convention"),
    ("C3", "zoe.obrien@example.org", "convention"),
    ("C3", "zoe.obrien@example.org", "pieces"),
    ("D4", "sophie.durand@example.org", "evaluation"),
}
LETTERS = 4


def reminder_rows() -> list[dict[str, object]]:
    """One student per situation: definition due (start in 45 days), approval and convention
    due (deadline in 14 days, day class, no postal address), convention overdue with pieces
    missing (evening class, a name full of XML characters), evaluation due (ended yesterday)."""
    return [
        valid_row(numero_auditeur="A1", nom="Dupont", prenom="Hélène",
                  email="helene.dupont@example.org", date_definition=None, date_accord=None,
                  date_convention=None, date_debut=TODAY + 45 * DAY,
                  date_fin=TODAY + 175 * DAY, exemplaires_convention=None,
                  attestation_assurance=None, carte_auditeur=None),
        valid_row(numero_auditeur="B2", civilite="M.", nom="Léger", prenom="Marc",
                  email="marc.leger@example.org", adresse=None, modalite="cours du jour",
                  date_accord=None, date_convention=None, date_debut=TODAY + 26 * DAY,
                  date_fin=TODAY + 156 * DAY),
        valid_row(numero_auditeur="C3", nom="O'Brien & <Fils>", prenom="Zoé",
                  email="zoe.obrien@example.org", date_convention=None,
                  date_debut=TODAY + 5 * DAY, date_fin=TODAY + 135 * DAY,
                  exemplaires_convention=1, carte_auditeur="non"),
        valid_row(numero_auditeur="D4", nom="Nguyen", prenom="Anh",
                  email="anh.nguyen@example.org", date_debut=TODAY - 130 * DAY,
                  date_fin=TODAY - DAY, date_definition=TODAY - 200 * DAY,
                  date_accord=TODAY - 190 * DAY, date_convention=TODAY - 160 * DAY,
                  tuteur_civilite="Mme", tuteur_prenom="Sophie", tuteur_nom="Durand",
                  tuteur_email="sophie.durand@example.org"),
        # Nothing due: convention established, internship under way.
        valid_row(numero_auditeur="E5", email="eve@example.org", date_debut=TODAY - 10 * DAY,
                  date_fin=TODAY + 120 * DAY),
    ]


def reminder_cohort(folder: Path, params: dict[str, object] | None = None) -> Path:
    return write_workbook(Path(folder) / "cohorte.xlsx", reminder_rows(), params)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def keys(self) -> list[tuple[str, str, str]]:
        """(student, recipient, reason) of each point the message carries."""
        student, motifs, _deadline = (p.strip() for p in str(self.message["X-Relance"])
                                      .split(";"))
        return [(student, self.rcpt_tos[0], reason_key(motif))
                for motif in motifs.split(" + ")]


def points(messages: list[Received]) -> Counter[tuple[str, str, str]]:
    """How many times each point (student, recipient, reason) was received."""
    return Counter(key for message in messages for key in message.keys)


@dataclass
class _Handler:
    refuse: set[str] = field(default_factory=set)
    hang_up_after: int | None = None  # accepted messages after which DATA hangs up
    hang_ups: int = 1_000_000  # how many times it hangs up
    busy_once: set[str] = field(default_factory=set)  # answer 421 at RCPT once for these
    data_replies: dict[str, str] = field(default_factory=dict)  # recipient → reply to DATA
    drop_after_accept: set[str] = field(default_factory=set)  # kept, then no reply (once)
    data_delay: float = 0.0  # seconds before the reply to the end of DATA (message kept)
    refuse_sender: bool = False  # 553 at MAIL FROM: the account may not send as that address
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          mail_options: list[str]) -> str:
        if self.refuse_sender:
            return f"553 5.7.1 <{address}>: expéditeur non autorisé pour ce compte"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: destinataire inconnu"
        if address in self.busy_once:
            self.busy_once.discard(address)
            return "421 4.7.0 Trop de connexions, réessayez"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if (self.hang_up_after is not None and len(self.messages) >= self.hang_up_after
                    and self.hang_ups > 0):
                self.hang_ups -= 1
                server.transport.close()  # the connection drops before the reply
                return "421 4.3.0 fermeture"
            recipient = envelope.rcpt_tos[0]
            if recipient in self.data_replies:
                return self.data_replies[recipient]
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          message))
            if recipient in self.drop_after_accept:
                self.drop_after_accept.discard(recipient)
                server.transport.close()  # accepted, but the client never hears it
                return "250 2.0.0 Message accepté"
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        return "250 2.0.0 Message accepté"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 and a free port, started and stopped as a context manager."""

    def __init__(self, refuse: set[str] | None = None, hang_up_after: int | None = None,
                 hang_ups: int = 1_000_000, busy_once: set[str] | None = None,
                 data_replies: dict[str, str] | None = None,
                 drop_after_accept: set[str] | None = None, data_delay: float = 0.0,
                 refuse_sender: bool = False, **controller_options: Any) -> None:
        self.handler = _Handler(set(refuse or ()), hang_up_after, hang_ups,
                                set(busy_once or ()), dict(data_replies or {}),
                                set(drop_after_accept or ()), data_delay, refuse_sender)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     **controller_options)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[Received]:
        return list(self.handler.messages)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.controller.stop()


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (PEM files), made with openssl."""
    cert, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
