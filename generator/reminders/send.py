"""Sending the reminder e-mails over SMTP, each accepted at most once (the journal decides).

Each message is one SMTP transaction, journaled in two phases (see `journal`): « en cours »
once the server has accepted the recipient, just before DATA; then the server's answer to the
end of the content. Until the content is transmitted, a dropped connection (or a 421) costs a
reconnection and one more try; once it is transmitted, the message is never sent again by this
program without `--resend`: with no answer it stays « en cours » and is reported as uncertain.

A permanent refusal of the recipient (5xx) is journaled « échec » and not retried; a temporary
one (4xx) « à réessayer », for the next run. A refusal of the whole connection (530
authentication or encryption required, a refused sender) stops the batch with one French line.
A first Ctrl+C (or SIGTERM) lets the message under way finish and stops; a second abandons it.
"""

from __future__ import annotations

import base64
import re
import signal
import smtplib
import ssl
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from email.message import EmailMessage
from types import FrameType

from generator.errors import GenError
from generator.reminders.journal import (
    DEFERRED,
    FAILED,
    PENDING,
    SENT,
    Entry,
    Journal,
    now_text,
)
from generator.reminders.mail import SMTP_POLICY
from generator.reminders.plan import Notice

Progress = Callable[[int, int], None]
IMPLICIT_TLS_PORT = 465
# Replies that concern the whole connection, not one recipient: authentication or encryption
# required (530, 534, 538), credentials refused (535).
_CONNECTION_WIDE = {530, 534, 535, 538}


@dataclass(frozen=True)
class Timeouts:
    """How long to wait for each reply, in seconds: RFC 5321 §4.5.3.2's minimums (5 minutes
    for the greeting, MAIL and RCPT, 2 for the DATA command, 3 per block of content, 10 for
    the reply to the end of the content, which a server may spend delivering)."""

    greeting: float = 300.0
    mail: float = 300.0
    rcpt: float = 300.0
    data_start: float = 120.0
    data_block: float = 180.0
    data_end: float = 600.0

    def capped(self, seconds: float | None) -> Timeouts:
        """Every wait at most `seconds` (None: unchanged)."""
        if seconds is None:
            return self
        return replace(self, **{f.name: min(getattr(self, f.name), seconds)
                                for f in fields(self)})


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. STARTTLS is used whenever the server offers it; `starttls`
    makes it required. `implicit_tls`: TLS from the first byte (port 465). `clear_password`:
    the user's explicit consent to a password over an unencrypted connection."""

    host: str
    port: int
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    implicit_tls: bool = False
    clear_password: bool = False
    timeouts: Timeouts = Timeouts()

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Outgoing:
    notice: Notice  # its points are journaled each under its own identity
    message: EmailMessage
    sender_setting: str  # French: where its From address is set, for a refused sender

    def status(self, journal: Journal) -> str | None:
        """What the journal says of the message: SENT when every point was sent, PENDING or
        FAILED when a point is held so, else None (to send; « à réessayer » included)."""
        statuses = [journal.status(identity) for identity in self.notice.identities]
        if statuses and all(status == SENT for status in statuses):
            return SENT
        return next((status for status in statuses if status in (PENDING, FAILED)), None)


@dataclass
class SendReport:
    sent: list[Outgoing] = field(default_factory=list)
    already_sent: list[Outgoing] = field(default_factory=list)  # in the journal, not resent
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)  # refused for good, why
    deferred: list[tuple[Outgoing, str]] = field(default_factory=list)  # refused for now, why
    uncertain: list[Outgoing] = field(default_factory=list)  # transmitted, no answer (now)
    held: list[tuple[Outgoing, str]] = field(default_factory=list)  # journal: uncertain/refused
    not_sent: list[Outgoing] = field(default_factory=list)  # left when sending stopped
    interruption: str | None = None  # why sending stopped early (French)

    @property
    def ok(self) -> bool:
        return not (self.failed or self.deferred or self.uncertain or self.held
                    or self.not_sent or self.interruption)


class _Stop(Exception):
    """Sending cannot go on (French message): the connection is refused as a whole."""


def parse_server(text: str) -> tuple[str, int]:
    """« HOST:PORT » → (host, port); GenError (French) when it is not that."""
    host, _, port = text.strip().rpartition(":")
    host = host.strip("[]")  # [::1]:25
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise GenError(f"« {text} » n'est pas un serveur SMTP de la forme HÔTE:PORT "
                       "(par exemple smtp.example.org:587).")
    return host, int(port)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open connection, encrypted whenever the server can, authenticated when a user is
    given. GenError with a French message when it fails, or when a password would go in
    clear without `clear_password`."""
    where = settings.where
    context = ssl.create_default_context()
    timeout = settings.timeouts.greeting
    try:
        if settings.implicit_tls:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                        timeout=timeout, context=context)
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    except ssl.SSLError as error:
        raise GenError(_tls_failure(where, error)) from error
    except (OSError, smtplib.SMTPException) as error:
        raise GenError(f"Le serveur SMTP {where} ne répond pas ({_why(error)}).") from error
    try:
        connection.ehlo()
        encrypted = settings.implicit_tls
        if not encrypted and connection.has_extn("starttls"):
            connection.starttls(context=context)
            connection.ehlo()
            encrypted = True
        if settings.starttls and not encrypted:
            raise GenError(f"Le serveur SMTP {where} ne propose pas STARTTLS (--starttls) : "
                           f"essayez le port {IMPLICIT_TLS_PORT} (TLS implicite).")
        if settings.user and not encrypted and not settings.clear_password:
            raise GenError(f"Le serveur SMTP {where} ne chiffre pas la connexion : le mot de "
                           "passe n'y est pas envoyé en clair. Utilisez un serveur qui propose "
                           f"STARTTLS ou le port {IMPLICIT_TLS_PORT}, ou, si vous l'acceptez, "
                           "ajoutez --smtp-clear-password.")
        if settings.user:
            _login(connection, settings.user, settings.password or "")
    except smtplib.SMTPAuthenticationError as error:
        _close(connection)
        raise GenError(f"Le serveur SMTP {where} refuse l'identifiant ou le mot de passe de "
                       f"« {settings.user} » ({_why(error)}).") from error
    except ssl.SSLError as error:
        _close(connection)
        raise GenError(_tls_failure(where, error)) from error
    except (OSError, smtplib.SMTPException) as error:
        _close(connection)
        raise GenError(f"Connexion au serveur SMTP {where} impossible ({_why(error)}).") \
            from error
    except GenError:
        _close(connection)
        raise
    return connection


def _tls_failure(where: str, error: ssl.SSLError) -> str:
    return (f"Connexion chiffrée au serveur SMTP {where} impossible ({error.reason or error}) : "
            "vérifiez le port (465 : TLS implicite ; 587 : STARTTLS) et le certificat du "
            "serveur.")


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
        return _reply_text(error.smtp_code, error.smtp_error)
    return str(error) or type(error).__name__


def _reply_text(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {' '.join(text.split())}".strip()


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()


def _record(journal: Journal, outgoing: Outgoing, status: str, detail: str = "") -> None:
    """One journal line per point of the message, each under its own identity."""
    when = now_text()
    for point in outgoing.notice.points:
        journal.record(Entry(when, point.student, point.recipient.email or "", point.reason,
                             point.deadline.isoformat(), str(outgoing.message["Message-ID"]),
                             status, detail))


class _Signals:
    """SIGINT/SIGTERM while sending: the first asks to stop after the message under way, the
    second abandons it (KeyboardInterrupt)."""

    def __init__(self) -> None:
        self.stop = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.stop:
            raise KeyboardInterrupt
        self.stop = True

    @contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {number: signal.signal(number, self) for number in
                    (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)


def send_all(outgoing: Sequence[Outgoing], settings: SmtpSettings, journal: Journal,
             resend: bool = False, progress: Progress | None = None) -> SendReport:
    """Send each message whose reminder the journal does not hold (sent, uncertain or refused
    for good; all of them with `resend`), journaling each step as it happens. GenError when
    the server cannot be reached or refuses the connection before anything is sent."""
    report = SendReport()
    todo: list[Outgoing] = []
    for item in outgoing:
        status = None if resend else item.status(journal)
        if status == SENT:
            report.already_sent.append(item)
        elif status in (PENDING, FAILED):
            report.held.append((item, status))
        else:
            todo.append(item)
    if not todo:
        return report
    signals = _Signals()
    connection: smtplib.SMTP | None = None
    first_new = len(journal.entries)
    with signals.installed():
        try:
            connection = connect(settings)
            for done, item in enumerate(todo, start=1):
                if signals.stop:
                    report.interruption = "arrêt demandé (Ctrl+C)"
                    break
                unanswered = len(report.uncertain)
                connection = _send_one(item, settings, journal, report, connection)
                if len(report.uncertain) > unanswered > 0 and \
                        report.uncertain[-2] is todo[done - 2]:
                    report.interruption = ("le serveur ne confirme plus la réception des "
                                           "messages (deux fois de suite)")
                if report.interruption:
                    break
                if progress:
                    progress(done, len(todo))
        except KeyboardInterrupt:
            report.interruption = "envoi abandonné (Ctrl+C)"
            _abandon(todo, journal.entries[first_new:], report)
            if connection is not None:
                connection.close()
                connection = None
        finally:
            _close(connection)
    answered = {id(item) for item in report.sent + report.uncertain} | {
        id(item) for item, _why in report.failed + report.deferred}
    report.not_sent.extend(item for item in todo if id(item) not in answered)
    return report


def _abandon(todo: Sequence[Outgoing], added: Sequence[Entry], report: SendReport) -> None:
    """The message under way when the user abandoned is uncertain if this run's last journal
    line for it is « en cours » (its DATA may have gone)."""
    last = {entry.identity: entry.status for entry in added}
    settled = {id(item) for item in report.sent + report.uncertain} | {
        id(item) for item, _why in report.failed + report.deferred}
    for item in todo:
        if id(item) not in settled and any(last.get(identity) == PENDING
                                           for identity in item.notice.identities):
            report.uncertain.append(item)


class _Dropped(Exception):
    """The connection was lost (or closed by a 421) before the content was transmitted."""


class _Unanswered(Exception):
    """The content was transmitted and no answer came: the message may have been accepted."""


def _send_one(item: Outgoing, settings: SmtpSettings, journal: Journal, report: SendReport,
              connection: smtplib.SMTP | None) -> smtplib.SMTP | None:
    """Send one message, reconnecting once if the connection dropped before its content went;
    the connection to go on with (None when it is lost; `report.interruption` says why when
    sending must stop)."""
    for attempt in (1, 2):
        try:
            if connection is None:
                connection = connect(settings)
            code, reply = _transaction(connection, item, journal, settings.timeouts)
        except GenError as error:  # a reconnection failed
            report.interruption = str(error)
            return None
        except _Stop as error:
            report.interruption = str(error)
            return connection
        except _Dropped as error:
            _close(connection)
            connection = None
            if attempt == 1:
                continue
            _record(journal, item, DEFERRED, str(error))
            report.interruption = f"le serveur a coupé la connexion deux fois de suite ({error})"
            return None
        except _Unanswered:
            report.uncertain.append(item)
            if connection is not None:
                connection.close()
            return None
        except OSError as error:  # « en cours » cannot be written: nothing was transmitted
            report.interruption = _journal_failure(journal, error)
            if connection is not None:
                connection.close()
            return None
        try:
            _settle(item, code, reply, journal, report)
        except OSError as error:  # accepted or refused, but the journal cannot say it
            report.uncertain.append(item)
            report.interruption = _journal_failure(journal, error)
            connection.close()
            return None
        if code == 421:  # the server closes after refusing this message
            connection.close()
            return None
        return connection
    return connection


def _settle(item: Outgoing, code: int, reply: bytes, journal: Journal,
            report: SendReport) -> None:
    """Journal and report the server's final answer for one message."""
    why = _reply_text(code, reply)
    if code == 250:
        _record(journal, item, SENT)
        report.sent.append(item)
    elif 400 <= code < 500:
        _record(journal, item, DEFERRED, why)
        report.deferred.append((item, why))
    else:
        _record(journal, item, FAILED, why)
        report.failed.append((item, why))


def _journal_failure(journal: Journal, error: OSError) -> str:
    return (f"le journal {journal.path} ne peut pas être écrit ({error.strerror or error}) ; "
            "libérez de la place ou vérifiez les droits, puis relancez la commande")


def _transaction(connection: smtplib.SMTP, item: Outgoing, journal: Journal,
                 timeouts: Timeouts) -> tuple[int, bytes]:
    """One SMTP transaction (MAIL, RCPT, DATA) with RFC 5321's waits; the final reply. Raises
    _Stop for a refusal of the whole connection, _Dropped when the connection is lost before
    the content, _Unanswered after it, OSError when the journal cannot be written."""
    message = item.message
    sender = message["From"].addresses[0].addr_spec
    recipient = item.notice.recipient.email or ""
    content = _content(message)
    try:
        _timeout(connection, timeouts.mail)
        code, reply = connection.mail(sender)
        if code != 250:
            _refused_at_mail(connection, code, reply, item.sender_setting)
        _timeout(connection, timeouts.rcpt)
        code, reply = connection.rcpt(recipient)
        if code not in (250, 251):
            return _refused(connection, code, reply)
        _record(journal, item, PENDING)
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, ConnectionError,
            TimeoutError, EOFError) as error:
        raise _Dropped(_why(error)) from error
    try:
        _timeout(connection, timeouts.data_start)
        connection.putcmd("data")
        code, reply = connection.getreply()
        if code != 354:
            return _refused(connection, code, reply)
    except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError, EOFError) as error:
        # Nothing of the content went: the « en cours » line is settled as « à réessayer ».
        _record(journal, item, DEFERRED, _why(error))
        raise _Dropped(_why(error)) from error
    except _Stop as error:
        _record(journal, item, DEFERRED, str(error))
        raise
    try:
        _timeout(connection, timeouts.data_block)
        connection.send(content)
        _timeout(connection, timeouts.data_end)
        code, reply = connection.getreply()
    except (OSError, EOFError, smtplib.SMTPException) as error:
        raise _Unanswered(_why(error)) from error
    # A 421 here (RFC 5321 §3.8: closing, not accepted) is settled as « à réessayer » by the
    # caller: the content went once, it is not sent again by this run.
    return code, reply


def _refused_at_mail(connection: smtplib.SMTP, code: int, reply: bytes,
                     sender_setting: str) -> None:
    """The sender refused: every message would be; stop with what to change (the account's
    rights, or the address: `sender_setting`)."""
    if code == 421:
        raise smtplib.SMTPServerDisconnected(_reply_text(code, reply))
    why = _reply_text(code, reply)
    if code in _CONNECTION_WIDE:
        raise _Stop(f"le serveur exige une authentification ou une connexion chiffrée ({why}) "
                    ": indiquez --smtp-user (et, s'il le faut, le port 465)")
    if 400 <= code < 500:
        raise smtplib.SMTPServerDisconnected(why)
    raise _Stop(f"le serveur refuse l'expéditeur ({why}) : vérifiez les droits d'envoi du "
                f"compte, ou l'adresse d'expédition, {sender_setting}")


def _refused(connection: smtplib.SMTP, code: int, reply: bytes) -> tuple[int, bytes]:
    """A refusal at RCPT or DATA: the transaction is reset and the reply returned, unless the
    refusal concerns the whole connection (_Stop) or the server is closing (421)."""
    if code == 421:
        raise smtplib.SMTPServerDisconnected(_reply_text(code, reply))
    if code in _CONNECTION_WIDE:
        raise _Stop(f"le serveur exige une authentification ou une connexion chiffrée "
                    f"({_reply_text(code, reply)}) : indiquez --smtp-user (et, s'il le faut, "
                    "le port 465)")
    connection.rset()
    return code, reply


def _timeout(connection: smtplib.SMTP, seconds: float) -> None:
    if connection.sock is not None:
        connection.sock.settimeout(seconds)


def _content(message: EmailMessage) -> bytes:
    """The message as DATA carries it: CRLF lines, leading dots doubled, the final dot."""
    data = message.as_bytes(policy=SMTP_POLICY)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"
