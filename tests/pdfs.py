"""Small PDF files built byte by byte for the upload tests: a real cross-reference table (or a
cross-reference stream when objects are packed into an object stream), so that a PDF parser
reads them as a reader does."""

import zlib
from collections.abc import Iterable

CATALOG = b"<< /Type /Catalog /Pages 2 0 R%s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]%s >>"


def pdf(*objects: bytes, packed: Iterable[int] = (), object_stream_extra: bytes = b"") -> bytes:
    """A PDF of `objects`, numbered from 1 (the first is the catalog). The objects numbered in
    `packed` are kept in one compressed object stream, whose dictionary also holds
    `object_stream_extra`."""
    count = len(objects)
    packed = sorted(set(packed))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in range(1, count + 1):
        if number not in packed:
            offsets[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number - 1])
    if not packed:
        start = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (count + 1)
        for number in range(1, count + 1):
            out += b"%010d 00000 n \n" % offsets[number]
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count + 1, start)
        return bytes(out)
    stream_number, xref_number = count + 1, count + 2
    header, body = [], b""
    for number in packed:
        header.append(b"%d %d" % (number, len(body)))
        body += objects[number - 1] + b"\n"
    head = b" ".join(header) + b"\n"
    data = zlib.compress(head + body)
    offsets[stream_number] = len(out)
    out += (
        b"%d 0 obj\n<< /Type /ObjStm %s /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
        b"stream\n" % (stream_number, object_stream_extra, len(packed), len(head), len(data))
    )
    out += data + b"\nendstream\nendobj\n"
    offsets[xref_number] = len(out)
    rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    for number in range(1, xref_number + 1):
        if number in packed:
            rows += (
                b"\x02" + stream_number.to_bytes(4, "big") + packed.index(number).to_bytes(2, "big")
            )
        else:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        len(rows),
    )
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def document(catalog: bytes = b"", page: bytes = b"", *more: bytes, **options) -> bytes:
    """A one-page PDF: `catalog` and `page` are added to their dictionaries; `more` are
    objects 4, 5, …"""
    return pdf(CATALOG % catalog, PAGES, PAGE % page, *more, **options)


PLAIN_PDF = document()
