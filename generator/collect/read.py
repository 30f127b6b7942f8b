"""Returned evaluation forms → their raw answers: a `.docx` saved by Word or Writer (content
controls found by bookmark, see documents/form.py), a filled PDF form (pypdf), and a `.eml`
saved from a mailbox, whose attachments are read in turn.

Reading never raises for a bad file: each file gives `Returned` values, one per form found,
or one whose `problem` says in French why it could not be read.
"""

from __future__ import annotations

import email
import email.policy
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from lxml import etree

from generator.documents import form

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FORM_SUFFIXES = (".docx", ".pdf")
SUFFIXES = (*FORM_SUFFIXES, ".eml")
# A returned form is a few hundred KB; a bigger part is not ours (and may be a zip bomb).
MAX_PART_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Returned:
    """One form as found in a file: `source` names it for the user (« courriel.eml ›
    fiche.docx » for an attachment); `answers` maps each form key to its text ("" unanswered)."""

    source: str
    student: str | None = None  # N° auditeur carried by the form
    version: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # why the file is not a usable form


def read_path(path: Path, display: str | None = None) -> list[Returned]:
    """The forms in one file (by its suffix); an unreadable file gives one `problem`."""
    name = display or path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        return [Returned(name, problem=f"fichier illisible ({error.strerror or error})")]
    return read_bytes(name, data)


def read_bytes(name: str, data: bytes) -> list[Returned]:
    suffix = Path(name.rsplit(" › ", 1)[-1]).suffix.lower()
    if suffix == ".eml":
        return _read_eml(name, data)
    if suffix == ".pdf":
        return [_read_pdf(name, data)]
    return [_read_docx(name, data)]


def _read_docx(name: str, data: bytes) -> Returned:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            document = _xml(package, "word/document.xml")
            custom = _xml(package, "docProps/custom.xml") if "docProps/custom.xml" in \
                package.namelist() else None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, EOFError, zlib.error,
            ValueError):
        return Returned(name, problem="fichier illisible : ce n'est pas un document Word "
                                      "(.docx) valide, ou il est endommagé")
    properties = _custom_properties(custom) if custom is not None else {}
    answers = dict(_controls(document))
    if not answers and form.PROPERTY_STUDENT not in properties:
        return Returned(name, problem="ce document n'est pas une fiche d'évaluation produite "
                                      "par gen (aucun champ de la fiche)")
    return Returned(name, properties.get(form.PROPERTY_STUDENT) or None,
                    properties.get(form.PROPERTY_FORM) or None, answers)


def _xml(package: zipfile.ZipFile, member: str) -> etree._Element:
    info = package.getinfo(member)
    if info.file_size > MAX_PART_BYTES:
        raise ValueError(member)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(package.read(member), parser)


def _custom_properties(root: etree._Element) -> dict[str, str]:
    found = {}
    for prop in root.iter(f"{{{_CUSTOM}}}property"):
        value = prop.find(f"{{{_VT}}}lpwstr")
        if value is not None:
            found[prop.get("name", "")] = (value.text or "").strip()
    return found


def _controls(document: etree._Element) -> Iterator[tuple[str, str]]:
    """(form key, text) of each content control of the form, identified by its tag (Word), a
    bookmark at the start of its content (Writer moves it there on save) or a bookmark just
    before it (as generated)."""
    for sdt in document.iter(f"{{{W}}}sdt"):
        found = _field_of(sdt)
        if found is not None:
            yield found.key, _control_text(sdt)


def _field_of(sdt: etree._Element) -> form.FormField | None:
    tag = sdt.find(f"{{{W}}}sdtPr/{{{W}}}tag")
    names = [tag.get(f"{{{W}}}val", "")] if tag is not None else []
    content = sdt.find(f"{{{W}}}sdtContent")
    if content is not None:
        names += [mark.get(f"{{{W}}}name", "") for mark in content.iter(f"{{{W}}}bookmarkStart")]
    sibling = sdt.getprevious()
    while sibling is not None and sibling.tag == f"{{{W}}}bookmarkStart":
        names.append(sibling.get(f"{{{W}}}name", ""))
        sibling = sibling.getprevious()
    for name in names:
        found = form.BY_BOOKMARK.get(name.casefold())
        if found is not None:
            return found
    return None


def _control_text(sdt: etree._Element) -> str:
    content = sdt.find(f"{{{W}}}sdtContent")
    if content is None:
        return ""
    paragraphs: list[str] = []
    current: list[str] = []
    for node in content.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab", f"{{{W}}}p"):
        if node.tag == f"{{{W}}}p":
            if current:
                paragraphs.append("".join(current))
            current = []
        elif node.tag == f"{{{W}}}t":
            current.append(node.text or "")
        elif node.tag == f"{{{W}}}br":
            current.append("\n")
        else:
            current.append(" ")
    paragraphs.append("".join(current))
    return clean_answer("\n".join(p for p in paragraphs if p.strip()))


def clean_answer(value: str) -> str:
    """An answer as typed, edges trimmed; the untouched placeholder is no answer."""
    value = value.strip(" \t\n\u00a0")
    if value in (form.CHOICE_PLACEHOLDER, form.TEXT_PLACEHOLDER):
        return ""
    return value


def _read_pdf(name: str, data: bytes) -> Returned:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        fields = reader.get_fields() or {}
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, zlib.error):
        return Returned(name, problem="fichier illisible : ce n'est pas un PDF valide, ou il "
                                      "est endommagé")
    values = {str(key): _pdf_value(value.get("/V")) for key, value in fields.items()}
    answers = {}
    for key, value in values.items():
        found = form.BY_BOOKMARK.get(key.casefold())
        if found is not None:
            answers[found.key] = clean_answer(value)
    student = values.get(form.PDF_STUDENT_FIELD) or None
    if not answers and student is None:
        return Returned(name, problem="ce PDF n'est pas une fiche d'évaluation remplissable "
                                      "produite par gen (aucun champ de la fiche)")
    return Returned(name, student, values.get(form.PDF_FORM_FIELD) or None, answers)


def _pdf_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    text = str(value)
    return "" if text == "/Off" else text


def _read_eml(name: str, data: bytes) -> list[Returned]:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        return [Returned(name, problem="fichier illisible : ce n'est pas un courriel (.eml)")]
    found: list[Returned] = []
    for part in message.walk():
        filename = part.get_filename()
        if not filename or Path(filename).suffix.lower() not in FORM_SUFFIXES:
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or len(payload) > MAX_PART_BYTES:
            found.append(Returned(f"{name} › {filename}",
                                  problem="pièce jointe illisible ou trop grande"))
            continue
        found.extend(read_bytes(f"{name} › {Path(filename).name}", payload))
    if not found:
        return [Returned(name, problem="ce courriel n'a pas de fiche d'évaluation en pièce "
                                       "jointe (.docx ou .pdf)")]
    return found


def files_in(paths: list[Path]) -> Iterator[Path]:
    """Each file named, and the forms (.docx, .pdf, .eml) in each folder named, sorted;
    Office lock files (~$…, .~lock…#) and hidden files are skipped."""
    for path in paths:
        if path.is_dir():
            for inner in sorted(path.rglob("*")):
                if inner.is_file() and inner.suffix.lower() in SUFFIXES \
                        and not inner.name.startswith(("~$", ".")):
                    yield inner
        else:
            yield path
