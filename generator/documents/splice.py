"""A .docx (a zip) assembled by splicing: the template's unchanged members are copied once,
still compressed, into a fixed prefix and a fixed part of the central directory; each document
adds only its rendered parts (deflated), their directory entries and the end record.

This is the ZIP format's own layout (APPNOTE 4.3: local headers and data, then the central
directory, then its end record); `zipfile` would rebuild a ZipInfo, a header and its
bookkeeping for every member of every document, and the template's members would be
decompressed and compressed again. Here a document costs one compression per rendered part and
a few `struct.pack` calls.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

_LOCAL = struct.Struct("<IHHHHHIIIHH")  # local file header, before the name
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")  # central directory entry, before the name
_END = struct.Struct("<IHHHHIIH")  # end of central directory record
_LOCAL_SIGNATURE, _CENTRAL_SIGNATURE, _END_SIGNATURE = 0x04034B50, 0x02014B50, 0x06054B50
_VERSION = 20  # 2.0: deflate, no zip64
_MADE_BY = (3 << 8) | _VERSION  # Unix attributes, as zipfile writes them on Linux
_UTF8_NAME = 0x800
_LIMIT = 0xFFFFFFFF  # beyond this a member would need zip64, which a template never does
_STORED, _DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
_COPY_CHUNK = 1 << 16

DateTime = tuple[int, int, int, int, int, int]


@dataclass(frozen=True)
class Member:
    """One rendered part to add: its zip name, its date and its uncompressed bytes."""

    name: str
    date_time: DateTime
    data: bytes


class SplicedZip:
    """The fixed members of a zip, ready to be joined with rendered ones (`build`)."""

    def __init__(self, source: zipfile.ZipFile, leave_out: set[str], level: int) -> None:
        """Copy every member of `source` but `leave_out`. A deflated member is copied as it
        is compressed (its CRC checked once by reading it through); any other is deflated
        once. Rendered members will be deflated at `level` (zlib's 0–9).

        Raises zipfile.BadZipFile (or zlib.error, EOFError) on a damaged member."""
        self._level = level
        local: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for info in source.infolist():
            if info.filename in leave_out or info.is_dir():
                continue
            method, crc, size, compressed = _fixed_data(source, info)
            header, entry = _headers(info.filename, info.date_time, method, crc,
                                     len(compressed), size, offset, info.external_attr)
            local += (header, compressed)
            central.append(entry)
            offset += len(header) + len(compressed)
        self._prefix = b"".join(local)
        self._central = b"".join(central)
        self._count = len(central)

    def build(self, members: Sequence[Member]) -> bytes:
        """The whole zip: the fixed members, then `members` (in this order), then the
        directory."""
        local: list[bytes] = [self._prefix]
        central: list[bytes] = [self._central]
        offset = len(self._prefix)
        for member in members:
            compressor = zlib.compressobj(self._level, zlib.DEFLATED, -zlib.MAX_WBITS)
            compressed = compressor.compress(member.data) + compressor.flush()
            header, entry = _headers(member.name, member.date_time, _DEFLATED,
                                     zlib.crc32(member.data), len(compressed), len(member.data),
                                     offset, 0o644 << 16)
            local += (header, compressed)
            central.append(entry)
            offset += len(header) + len(compressed)
        directory = b"".join(central)
        count = self._count + len(members)
        if offset > _LIMIT or count > 0xFFFF:
            raise ValueError("document trop grand pour une archive .docx sans zip64")
        end = _END.pack(_END_SIGNATURE, 0, 0, count, count, len(directory), offset, 0)
        return b"".join(local) + directory + end


def _fixed_data(source: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int, bytes]:
    """(method, CRC-32, uncompressed size, compressed bytes) of a member to copy."""
    if info.compress_type == _DEFLATED and not info.flag_bits & 0x1:  # not encrypted
        with source.open(info) as stream:  # reading it through checks its CRC
            while stream.read(_COPY_CHUNK):
                pass
        return _DEFLATED, info.CRC, info.file_size, _raw(source, info)
    data = source.read(info)
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return _DEFLATED, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush()


def _raw(source: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes, read past its own local header."""
    stream = source.fp
    if stream is None:
        raise zipfile.BadZipFile("archive fermée")
    stream.seek(info.header_offset)
    header = stream.read(_LOCAL.size)
    if len(header) != _LOCAL.size or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"en-tête local illisible : {info.filename}")
    fields = _LOCAL.unpack(header)
    stream.seek(fields[-2] + fields[-1], 1)  # name and extra field
    data = stream.read(info.compress_size)
    if len(data) != info.compress_size:
        raise zipfile.BadZipFile(f"membre tronqué : {info.filename}")
    return data


def _headers(name: str, date_time: DateTime, method: int, crc: int, compressed: int,
             size: int, offset: int, attributes: int) -> tuple[bytes, bytes]:
    """A member's local header and central directory entry (no data descriptor, no extra
    field: sizes and CRC are known before writing)."""
    try:
        encoded, flags = name.encode("ascii"), 0
    except UnicodeEncodeError:
        encoded, flags = name.encode("utf-8"), _UTF8_NAME
    if max(compressed, size, offset) > _LIMIT:
        raise ValueError("membre trop grand pour une archive .docx sans zip64")
    year, month, day, hour, minute, second = date_time
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = max(year - 1980, 0) << 9 | month << 5 | day
    local = _LOCAL.pack(_LOCAL_SIGNATURE, _VERSION, flags, method, dos_time, dos_date, crc,
                        compressed, size, len(encoded), 0) + encoded
    central = _CENTRAL.pack(_CENTRAL_SIGNATURE, _MADE_BY, _VERSION, flags, method, dos_time,
                            dos_date, crc, compressed, size, len(encoded), 0, 0, 0, 0,
                            attributes, offset) + encoded
    return local, central
