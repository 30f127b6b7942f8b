"""Test helpers for the document engine: small .docx templates written by python-docx, and the
checks every generated document must pass (opens, well-formed XML, no leftover tag)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from lxml import etree

LEFTOVER_TAGS = ("{{", "}}", "{%", "%}")


def make_template(path: Path, paragraphs: Iterable[str], *, header: str | None = None,
                  footer: str | None = None, table: list[list[str]] | None = None) -> Path:
    """A .docx whose paragraphs are the given texts, each in a single run (one tag per run,
    as a person typing in Word usually gets); optionally a header, a footer and a table."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for cells, row in zip(table, grid.rows, strict=True):
            for text, cell in zip(cells, row.cells, strict=True):
                cell.paragraphs[0].add_run(text)
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].add_run(header)
    if footer is not None:
        section.footer.paragraphs[0].add_run(footer)
    document.save(str(path))
    return path


def open_docx(data: bytes | Path) -> DocumentObject:
    stream = io.BytesIO(data if isinstance(data, bytes) else data.read_bytes())
    return Document(stream)


def docx_text(data: bytes | Path) -> str:
    """Every paragraph's text (body, tables, headers, footers), one per line; a line break
    inside a paragraph is "\\n" (python-docx), so compare with care."""
    document = open_docx(data)
    lines: list[str] = []

    def walk(container: object) -> None:
        for paragraph in container.paragraphs:  # type: ignore[attr-defined]
            lines.append(paragraph.text)
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    for section in document.sections:
        walk(section.header)
        walk(section.footer)
    return "\n".join(lines)


def assert_well_formed(data: bytes | Path) -> None:
    """Every XML part of the package parses (strictly) and no template tag is left."""
    raw = data if isinstance(data, bytes) else data.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))  # raises on malformed XML


def assert_no_leftover_tag(text: str) -> None:
    for tag in LEFTOVER_TAGS:
        assert tag not in text, f"balise restante {tag!r} dans {text[:200]!r}"
