"""The spliced zip: the template's fixed members copied byte for byte, still compressed, the
rendered ones added, and an archive that zipfile and python-docx read back whole."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from docx import Document
from engine_helpers import open_docx

from generator.documents.splice import Member, SplicedZip

DATE = (2026, 11, 28, 14, 39, 44)


def _source(stored: bool = False) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 50)
        archive.writestr("word/document.xml", "<old/>")
        archive.writestr(zipfile.ZipInfo("word/média.xml", DATE), "é" * 300,
                         compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def _raw_member(archive_bytes: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        info = archive.getinfo(name)
        start = info.header_offset + 30 + len(info.orig_filename.encode()) + len(info.extra)
        return archive_bytes[start:start + info.compress_size]


@pytest.mark.parametrize("stored", [False, True])
def test_fixed_and_rendered_members_read_back(stored: bool) -> None:
    source = _source(stored)
    spliced = SplicedZip(source, {"word/document.xml"}, level=1)
    data = spliced.build([Member("word/document.xml", DATE, "<new>é</new>".encode())])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["[Content_Types].xml", "word/média.xml",
                                      "word/document.xml"]
        assert archive.read("word/document.xml").decode() == "<new>é</new>"
        assert archive.read("word/média.xml").decode() == "é" * 300
        assert archive.getinfo("word/document.xml").date_time == DATE
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())


def test_deflated_members_are_copied_not_recompressed() -> None:
    source = _source()
    template_bytes = source.fp.getvalue()  # type: ignore[union-attr]
    data = SplicedZip(source, {"word/document.xml"}, level=9).build([])
    assert _raw_member(data, "[Content_Types].xml") == _raw_member(template_bytes,
                                                                   "[Content_Types].xml")


def test_each_build_is_a_whole_archive() -> None:
    spliced = SplicedZip(_source(), {"word/document.xml"}, level=1)
    first = spliced.build([Member("word/document.xml", DATE, b"<a/>")])
    second = spliced.build([Member("word/document.xml", DATE, b"<b/>")])
    assert zipfile.ZipFile(io.BytesIO(first)).read("word/document.xml") == b"<a/>"
    assert zipfile.ZipFile(io.BytesIO(second)).read("word/document.xml") == b"<b/>"


def test_a_damaged_member_is_refused() -> None:
    source = _source()
    data = bytearray(source.fp.getvalue())  # type: ignore[union-attr]
    info = source.getinfo("[Content_Types].xml")
    data[info.header_offset + 30 + len(info.filename) + 2] ^= 0xFF
    with pytest.raises((zipfile.BadZipFile, zlib.error)):
        SplicedZip(zipfile.ZipFile(io.BytesIO(bytes(data))), set(), level=1)


def test_a_rendered_docx_opens() -> None:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Bonjour")
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    xml = source.read("word/document.xml").replace(b"Bonjour", b"Bonsoir")
    data = SplicedZip(source, {"word/document.xml"}, level=1).build(
        [Member("word/document.xml", DATE, xml)])
    assert [p.text for p in open_docx(data).paragraphs] == ["Bonsoir"]
