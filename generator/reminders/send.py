"""Sending the reminder e-mails over SMTP, each at most once (the journal decides).

A message is journaled as soon as the server accepts it (or refuses it: status « échec »), so
an interrupted run loses nothing. A refused recipient does not stop the others. A dropped
connection is reopened once for the message being sent; if that fails too, sending stops
cleanly and the messages not yet sent are reported, to be sent by the next run.
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

from generator.errors import GenError
from generator.reminders.journal import FAILED, SENT, Entry, Journal, now_text
from generator.reminders.plan import Reminder

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 60.0


@dataclass(frozen=True)
class Outgoing:
    reminder: Reminder
    message: EmailMessage


@dataclass
class SendReport:
    sent: list[Outgoing] = field(default_factory=list)
    already_sent: list[Outgoing] = field(default_factory=list)  # in the journal, not resent
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)  # refused, and why
    not_sent: list[Outgoing] = field(default_factory=list)  # left when sending stopped
    interruption: str | None = None  # why sending stopped early (French)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_sent


def parse_server(text: str) -> tuple[str, int]:
    """« HOST:PORT » → (host, port); GenError (French) when it is not that."""
    host, _, port = text.strip().rpartition(":")
    host = host.strip("[]")  # [::1]:25
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise GenError(f"« {text} » n'est pas un serveur SMTP de la forme HÔTE:PORT "
                       "(par exemple smtp.example.org:587).")
    return host, int(port)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated connection; GenError with a French message when it fails."""
    where = f"{settings.host}:{settings.port}"
    try:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except (OSError, smtplib.SMTPException) as error:
        raise GenError(f"Le serveur SMTP {where} ne répond pas ({_why(error)}).") from error
    try:
        connection.ehlo()
        if settings.starttls:
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
        if settings.user:
            _login(connection, settings.user, settings.password or "")
    except smtplib.SMTPAuthenticationError as error:
        _close(connection)
        raise GenError(f"Le serveur SMTP {where} refuse l'identifiant ou le mot de passe de "
                       f"« {settings.user} » ({_why(error)}).") from error
    except (OSError, smtplib.SMTPException) as error:
        _close(connection)
        raise GenError(f"Connexion au serveur SMTP {where} impossible ({_why(error)}).") \
            from error
    return connection


def _login(connection: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib encodes credentials as ASCII; a password with an accent goes as UTF-8 over
    AUTH PLAIN (RFC 4616), which every server offering PLAIN accepts."""
    try:
        connection.login(user, password)
        return
    except UnicodeEncodeError:
        pass
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = connection.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _why(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        reply = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {reply}".strip()
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {reply.decode('utf-8', 'replace')}"
                         for code, reply in error.recipients.values())
    return str(error) or type(error).__name__


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()


def _dropped(error: BaseException) -> bool:
    """The connection is gone (or the server said it is closing it): worth one reconnection."""
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPResponseException) and error.smtp_code == 421:
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):  # 421 at RCPT: smtplib has closed
        return any(code == 421 for code, _reply in error.recipients.values())
    return isinstance(error, (ConnectionError, socket.timeout, EOFError))


def _entry(outgoing: Outgoing, status: str, detail: str = "") -> Entry:
    reminder = outgoing.reminder
    return Entry(now_text(), reminder.student, reminder.recipient.email or "", reminder.reason,
                 reminder.deadline.isoformat(), str(outgoing.message["Message-ID"]), status,
                 detail)


def send_all(outgoing: Sequence[Outgoing], settings: SmtpSettings, journal: Journal,
             resend: bool = False, progress: Progress | None = None) -> SendReport:
    """Send each message not already in the journal as sent (all of them with `resend`),
    journaling each outcome as it happens. GenError when the server cannot be reached at all.
    """
    report = SendReport()
    todo: list[Outgoing] = []
    for item in outgoing:
        if not resend and journal.sent(item.reminder.identity):
            report.already_sent.append(item)
        else:
            todo.append(item)
    if not todo:
        return report
    connection: smtplib.SMTP | None = connect(settings)
    try:
        for index, item in enumerate(todo):
            connection = _send_one(item, settings, journal, report, connection)
            if report.interruption:
                report.not_sent.extend(todo[index:])
                break
            if progress:
                progress(index + 1, len(todo))
    finally:
        _close(connection)
    return report


def _send_one(item: Outgoing, settings: SmtpSettings, journal: Journal, report: SendReport,
              connection: smtplib.SMTP | None) -> smtplib.SMTP | None:
    """Send one message (reconnecting once if the connection dropped); the connection to go on
    with, None when it is lost (then `report.interruption` says why)."""
    reminder = item.reminder
    for attempt in (1, 2):
        try:
            if connection is None:
                connection = connect(settings)
            # The envelope sender is the From address (the referent), as smtplib takes it.
            connection.send_message(item.message, to_addrs=[reminder.recipient.email or ""])
        except GenError as error:  # the reconnection itself failed
            report.interruption = str(error)
            return None
        except (OSError, EOFError, smtplib.SMTPException) as error:
            if _dropped(error):
                _close(connection)
                connection = None
                if attempt == 1:
                    continue
                report.interruption = (f"le serveur a coupé la connexion deux fois de suite "
                                       f"({_why(error)})")
                return None
            # Refused at MAIL FROM, RCPT or DATA (smtplib has reset the transaction): this
            # message failed, the next one goes on the same connection.
            journal.record(_entry(item, FAILED, _why(error)))
            report.failed.append((item, _why(error)))
            return connection
        journal.record(_entry(item, SENT))
        report.sent.append(item)
        return connection
    return connection
