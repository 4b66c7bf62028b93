"""A fast stand-in for WeasyPrint in tests: a small, valid PDF whose pages carry the HTML's
visible text (Helvetica, so that pdftotext reads it back) and whose title is the HTML's
<title>. It says nothing about layout, fonts or tagging: tests about what the real PDF looks
like are marked `real_pdf` and use the real renderer."""

import html as html_module
import re
import textwrap

LINES_A_PAGE = 60


def fake_html_to_pdf(html: str) -> bytes:
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html, flags=re.S)
    text = " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    lines = textwrap.wrap(text, 95) or [""]
    pages = [lines[i : i + LINES_A_PAGE] for i in range(0, len(lines), LINES_A_PAGE)]
    return _pdf(pages, title=html_module.unescape(title.group(1)).strip() if title else "")


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _pdf(pages: list[list[str]], *, title: str) -> bytes:
    # Objects: 1 catalog, 2 page tree, 3 font, 4 info, then a page and its content per page.
    objects: dict[int, bytes] = {}
    kids = []
    for index, lines in enumerate(pages):
        page, stream = 5 + 2 * index, 6 + 2 * index
        kids.append(f"{page} 0 R".encode())
        body = b"BT /F1 10 Tf 12 TL 40 800 Td " + b" ".join(
            _literal(line) + b" Tj T*" for line in lines
        )
        body += b" ET"
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % stream
        )
        objects[stream] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    objects[3] = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    objects[4] = b"<< /Title <%s> /Producer (tests/fake_pdf.py) >>" % (
        b"FEFF" + title.encode("utf-16-be").hex().upper().encode()
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        xref,
    )
    return bytes(out)
