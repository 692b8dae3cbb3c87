"""Files as borrowers send them: real ones made with fpdf2 and Pillow, and the broken ones the bank must refuse."""

import io
import zipfile
from functools import cache

from fpdf import FPDF
from PIL import Image
from pypdf import PdfWriter


@cache
def pdf(text: str = "income statement") -> bytes:
    """A real one-page PDF; a different `text` makes a different file."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def picture(image_format: str = "PNG", colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, image_format)
    return buffer.getvalue()


def _locked() -> bytes:
    """A PDF that opens only with a password (an owner password alone still opens)."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="statement")
    document.set_encryption(owner_password="owner", user_password="secret")
    return bytes(document.output())


def _no_pages() -> bytes:
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    return buffer.getvalue()


PNG = picture("PNG")
JPEG = picture("JPEG")
FAKE_PDF = b"%PDF-1.4 fake"  # 13 bytes: the header and nothing a parser can open
TRUNCATED_PDF = pdf("cut short")[:600]
NO_PAGES_PDF = _no_pages()
GARBAGE_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)  # a JPEG header, then zeros


def _zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("invoice.js", "alert(1)")
    return buffer.getvalue()


#: A real PDF that is also something else: a ZIP archive after its end, a web page inside it.
PDF_AND_ZIP = pdf("and an archive") + _zipped()
PDF_AND_HTML = pdf("and a page").replace(b"\n", b"\n%<html><script>alert(1)</script>\n", 1)
#: A picture that decodes and is something else too: an archive after a JPEG's end, a web page after a PNG's.
JPEG_AND_ZIP = JPEG + _zipped()
PNG_AND_HTML = PNG + b"<html><script>alert(1)</script></html>"
#: Each broken file and the backend's reason code for it.
BROKEN = {
    "fake.pdf": (FAKE_PDF, "application/pdf", "pdf_unreadable"),
    "truncated.pdf": (TRUNCATED_PDF, "application/pdf", "pdf_unreadable"),
    "empty-pages.pdf": (NO_PAGES_PDF, "application/pdf", "pdf_no_pages"),
    "locked.pdf": (_locked(), "application/pdf", "pdf_protected"),
    "garbage.jpg": (GARBAGE_JPEG, "image/jpeg", "image_unreadable"),
    "zip-polyglot.pdf": (PDF_AND_ZIP, "application/pdf", "pdf_polyglot"),
    "html-polyglot.pdf": (PDF_AND_HTML, "application/pdf", "pdf_polyglot"),
    "zip-polyglot.jpg": (JPEG_AND_ZIP, "image/jpeg", "image_polyglot"),
    "html-polyglot.png": (PNG_AND_HTML, "image/png", "image_polyglot"),
}
