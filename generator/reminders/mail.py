"""Reminder e-mails: one RFC 5322 message per letter (every point due for its recipient), its text
taken from the letter itself.

The letter is the one place where a reminder is worded (the team edits the .docx): the
message's subject is the letter's "Objet" line, its plain-text body and HTML alternative are the
letter's paragraphs from the salutation to the signature, and the letter is attached (the
evaluation reminder also attaches the tutor's evaluation form). Sender and Reply-To are the
parameter `Courriel référent stage`, so that answers reach the administrative team.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email import message_from_bytes
from email.header import Header
from email.headerregistry import Address, AddressHeader, UnstructuredHeader
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph

from generator.atomic import write_atomic
from generator.clean import one_line
from generator.cohort.params import Params
from generator.documents.fields import salutation
from generator.reminders.plan import REASON_LABELS, Notice

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
SUBJECT_PREFIX = "Relance"


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str = DOCX_TYPE[0]
    subtype: str = DOCX_TYPE[1]


@dataclass(frozen=True)
class Block:
    """A paragraph of the letter: its kind ("p" or "li") and its pieces (text, bold, link)."""

    kind: str
    pieces: tuple[tuple[str, bool, str], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _bold, _link in self.pieces)


def _paragraphs(document: Any) -> Iterator[Paragraph]:
    """The body's paragraphs in reading order, those of table cells included (once each)."""
    body = document.element.body
    for element in body.iterchildren():
        if element.tag == qn("w:p"):
            yield Paragraph(element, document._body)
        elif element.tag == qn("w:tbl"):
            seen: set[int] = set()
            for tc in element.iter(qn("w:tc")):
                if id(tc) in seen:
                    continue
                seen.add(id(tc))
                for p in tc.iterchildren(qn("w:p")):
                    yield Paragraph(p, document._body)


def _block(paragraph: Paragraph) -> Block:
    pieces: list[tuple[str, bool, str]] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            pieces.append((item.text, False, item.url or ""))
        else:
            pieces.append((item.text, bool(item.bold), ""))
    # Word splits text into many runs (one per Jinja tag): join those of the same look.
    merged: list[tuple[str, bool, str]] = []
    for text, bold, link in pieces:
        if merged and merged[-1][1:] == (bold, link):
            merged[-1] = (merged[-1][0] + text, bold, link)
        elif text:
            merged.append((text, bold, link))
    pieces = merged
    p_pr = paragraph._p.pPr
    numbered = p_pr is not None and p_pr.find(qn("w:numPr")) is not None
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    listed = numbered or "List" in style or "Liste" in style
    return Block("li" if listed else "p", tuple(pieces))


def letter_blocks(data: bytes) -> list[Block]:
    """Every non-empty paragraph of a rendered letter, in order."""
    document = Document(io.BytesIO(data))
    blocks = (_block(p) for p in _paragraphs(document))
    return [block for block in blocks if block.text.strip()]


def letter_subject(blocks: Sequence[Block], notice: Notice) -> str:
    """The letter's "Objet :" line, else the reason's label, after « Relance : »."""
    for block in blocks:
        text = " ".join(block.text.split())
        if text.lower().startswith("objet"):
            subject = text[5:].lstrip(" :\u00a0\u202f")
            if subject:
                break
    else:
        subject = REASON_LABELS[notice.reason]
        subject = subject[0].upper() + subject[1:]
    if subject.lower().startswith(SUBJECT_PREFIX.lower()):
        return subject
    return f"{SUBJECT_PREFIX} : {subject}"


def letter_body(blocks: Sequence[Block], salutation: str) -> list[Block]:
    """The paragraphs from the salutation (« Madame, ») on; all of them when the team's
    template has no such line."""
    wanted = " ".join(salutation.split()).rstrip(",").lower()
    for index, block in enumerate(blocks):
        if " ".join(block.text.split()).rstrip(",").lower() == wanted:
            return list(blocks[index:])
    for index, block in enumerate(blocks):  # else after the "Objet" line
        if block.text.strip().lower().startswith("objet"):
            return list(blocks[index + 1:])
    return list(blocks)


def plain_text(blocks: Sequence[Block], attachments: Sequence[Attachment]) -> str:
    lines: list[str] = []
    for block in blocks:
        text = block.text.replace("\t", " ")
        lines.append(f"  • {text}" if block.kind == "li" else text)
        lines.append("")
    names = ", ".join(a.filename for a in attachments)
    lines.append(f"Pièce{'s' if len(attachments) > 1 else ''} jointe"
                 f"{'s' if len(attachments) > 1 else ''} : {names}")
    return "\n".join(lines) + "\n"


def _html_piece(text: str, bold: bool, link: str) -> str:
    escaped = html.escape(text).replace("\n", "<br>")
    if link:
        escaped = f'<a href="{html.escape(link)}">{escaped}</a>'
    return f"<strong>{escaped}</strong>" if bold else escaped


def html_text(blocks: Sequence[Block], attachments: Sequence[Attachment], subject: str) -> str:
    parts = ['<!DOCTYPE html>', '<html lang="fr"><head><meta charset="utf-8">',
             f"<title>{html.escape(subject)}</title></head>",
             '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 11pt; '
             'line-height: 1.45; color: #1f1f1f;">']
    in_list = False
    for block in blocks:
        inner = "".join(_html_piece(*piece) for piece in block.pieces)
        if block.kind == "li" and not in_list:
            parts.append("<ul>")
            in_list = True
        elif block.kind != "li" and in_list:
            parts.append("</ul>")
            in_list = False
        parts.append(f"<li>{inner}</li>" if block.kind == "li" else f"<p>{inner}</p>")
    if in_list:
        parts.append("</ul>")
    names = ", ".join(html.escape(a.filename) for a in attachments)
    parts.append(f'<p style="color: #555555; font-size: 9pt;">Pièce'
                 f'{"s" if len(attachments) > 1 else ""} jointe'
                 f'{"s" if len(attachments) > 1 else ""} : {names}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


class _FaithfulFolding(EmailPolicy):
    """`email.policy.default` (or SMTP, by `linesep`), except how the texts and addresses of
    headers are folded into lines. Python 3.11's folder loses or adds a space where a line
    break falls between encoded words (« DESCHÂTEAUX – à » comes back « DESCHÂTEAUX– à »;
    a long accented display name gains a space): unstructured headers (Subject, X-Relance)
    are folded by the legacy `email.header.Header`, whose encoded words carry their own spaces,
    and each address is written by `email.utils.formataddr` (a display name with a comma is
    quoted or encoded, so « Roux, Anna » stays one address)."""

    def fold(self, name: str, value: Any) -> str:
        folded = self._faithful(name, value)
        return super().fold(name, value) if folded is None else folded

    def fold_binary(self, name: str, value: Any) -> bytes:
        folded = self._faithful(name, value)
        return super().fold_binary(name, value) if folded is None else folded.encode("ascii")

    def _faithful(self, name: str, value: Any) -> str | None:
        # a header read from a message's source comes as its folded text: unfolded here
        header = value if hasattr(value, "defects") else self.header_fetch_parse(name, value)
        if isinstance(header, UnstructuredHeader):
            text = str(header)
            charset = "us-ascii" if text.isascii() and "=?" not in text else "utf-8"
            folded = Header(text, charset, header_name=name).encode(
                linesep=self.linesep, maxlinelen=self.max_line_length or 78)
        elif isinstance(header, AddressHeader) and header.addresses \
                and all(group.display_name is None for group in header.groups) \
                and all(address.addr_spec.isascii() for address in header.addresses):
            folded = f",{self.linesep} ".join(
                formataddr((address.display_name, address.addr_spec), "utf-8")
                for address in header.addresses)
        else:
            return None
        return f"{name}: {folded}{self.linesep}"


# What every message is built with, and the bytes of a .eml file and of SMTP's DATA.
MESSAGE_POLICY = _FaithfulFolding()
SMTP_POLICY = _FaithfulFolding(linesep="\r\n")


def sender(params: Params) -> Address:
    return Address(f"Référent stage {params.code_formation}", addr_spec=params.referent_email)


def compose(notice: Notice, letter: Attachment, params: Params,
            extra: Sequence[Attachment] = (), now: dt.datetime | None = None) -> EmailMessage:
    """The message of one notice (every point due for its recipient): subject and text from
    the letter, the letter (and `extra`) attached. The recipient must have an e-mail
    address."""
    reminder = notice.lead
    if not reminder.recipient.email:
        raise ValueError("recipient without e-mail")
    blocks = letter_blocks(letter.data)
    subject = letter_subject(blocks, notice)
    body = letter_body(blocks, salutation(reminder.recipient.civilite))
    attachments = [letter, *extra]
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = sender(params)
    # An Address, not formataddr: a name holding « < » or « & » must stay quoted once encoded.
    # Every header value on one line, cleaned: a cell's line break or control never reaches one.
    message["To"] = Address(one_line(reminder.recipient.full_name),
                            addr_spec=one_line(reminder.recipient.email))
    message["Reply-To"] = params.referent_email
    message["Subject"] = one_line(subject)
    message["Date"] = format_datetime(now or dt.datetime.now().astimezone())
    message["Message-ID"] = message_id(notice, params.referent_email)
    # What the journal compares, readable in the message source for tracing (the reason as its
    # French label, as the journal's « motif » column writes it).
    # Several points: their labels joined by « + », the lead's date.
    labels = " + ".join(REASON_LABELS[reason] for reason in notice.reasons)
    message["X-Relance"] = one_line(f"{reminder.student}; {labels}; "
                                    f"{reminder.deadline.isoformat()}")
    message.set_content(plain_text(body, attachments), cte="quoted-printable")
    message.add_alternative(html_text(body, attachments, subject), subtype="html",
                            cte="quoted-printable")
    for attachment in attachments:
        message.add_attachment(attachment.data, maintype=attachment.maintype,
                               subtype=attachment.subtype, filename=attachment.filename)
    return message


def message_id(notice: Notice, referent_email: str) -> str:
    """The same Message-ID for the same points (their journal identities) on every run, so
    that receiving servers and mail clients can recognise a message sent twice (RFC 5322
    §3.6.4)."""
    identities = sorted("\x1f".join(identity) for identity in notice.identities)
    digest = hashlib.sha256("\x1e".join(identities).encode()).hexdigest()[:32]
    domain = referent_email.rpartition("@")[2] or "localhost"
    return f"<relance.{digest}@{one_line(domain)}>"


def eml_bytes(message: EmailMessage, draft: bool = False) -> bytes:
    """The message as a .eml file (CRLF lines). A draft carries `X-Unsent: 1`, which makes
    Outlook open it ready to send; Thunderbird opens it as a message either way."""
    if draft:
        message = _copy(message)
        message["X-Unsent"] = "1"
    return message.as_bytes(policy=SMTP_POLICY)


def _copy(message: EmailMessage) -> EmailMessage:
    copy = message_from_bytes(message.as_bytes(policy=MESSAGE_POLICY), policy=MESSAGE_POLICY)
    assert isinstance(copy, EmailMessage)
    return copy


def write_eml(path: Path, message: EmailMessage, draft: bool = False) -> Path:
    """Write one message as a .eml file, atomically."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(path), eml_bytes(message, draft))
    return Path(path)
