"""What an uploaded file's bytes are: a PDF that a PDF parser opens with at least one page, or a JPEG or PNG that
decodes; either of them nothing else as well (no archive or web page in it). The one rule for every upload (policies,
holiday proof, the bot's check of a file as it arrives)."""

import io
import re
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from api.errors import ApiError

#: Larger pictures are refused before decoding (Pillow itself only warns below twice its own limit).
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class Kind:
    """A type the bank takes: the leading bytes that announce it, its media type, extension and Pillow format, what
    it is called in a refusal, and the other media types that name it too."""

    magic: bytes
    content_type: str
    extension: str
    label: str
    image_format: str | None = None
    aliases: frozenset[str] = frozenset()

    def is_named_by(self, media_type: str) -> bool:
        return media_type == self.content_type or media_type in self.aliases


KINDS = (
    Kind(b"%PDF-", "application/pdf", ".pdf", "a PDF", aliases=frozenset({"application/x-pdf"})),
    Kind(b"\xff\xd8\xff", "image/jpeg", ".jpg", "a JPEG picture", "JPEG", frozenset({"image/jpg", "image/pjpeg"})),
    Kind(b"\x89PNG\r\n\x1a\n", "image/png", ".png", "a PNG picture", "PNG", frozenset({"image/x-png"})),
)


def _pdf_pages(content: bytes) -> int:
    """The PDF's page count, each page's content read; any parser error means the file is not a usable PDF."""
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        page.get_contents()
    return len(reader.pages)


#: What a browser or an archiver would find in a file that is also something else (a polyglot).
_OTHER_FORMATS = re.compile(rb"<\s*(html|script|svg|iframe|body)\b|<!doctype|PK\x03\x04|PK\x05\x06", re.IGNORECASE)


def _check_single_pdf(content: bytes) -> None:
    """Only a PDF: nothing after its end, no web page or archive inside (a file a browser or unzip reads otherwise)."""
    ends = content.rstrip(b"\r\n\t \x00").endswith(b"%%EOF")  # a writer may leave line breaks or NULs, no more
    if not ends or _OTHER_FORMATS.search(content):
        raise ApiError(422, "pdf_polyglot", "The file is a PDF and something else at once; please send a plain PDF.")


def _check_pdf(content: bytes) -> None:
    try:
        pages = _pdf_pages(content)
    except FileNotDecryptedError as exc:  # an owner password alone is opened (pypdf tries the empty user password)
        raise ApiError(422, "pdf_protected", "The PDF is protected by a password.") from exc
    except Exception as exc:  # untrusted bytes: pypdf raises many kinds, and each one means "broken"
        raise ApiError(422, "pdf_unreadable", "The PDF cannot be opened: it is damaged or incomplete.") from exc
    if pages < 1:
        raise ApiError(422, "pdf_no_pages", "The PDF has no pages.")
    _check_single_pdf(content)


#: A PNG's last chunk: IEND, empty, and its CRC. Nothing comes after it.
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _check_single_image(content: bytes, image_format: str) -> None:
    """Only a picture: no archive or web page inside or appended (an archiver or a browser would read that instead),
    and a PNG ends at its IEND chunk. Data a camera appends after a JPEG's end (a motion photo's video) is kept."""
    if _OTHER_FORMATS.search(content) or (image_format == "PNG" and not content.endswith(_PNG_END)):
        raise ApiError(
            422, "image_polyglot", "The file is a picture and something else at once; please send a plain picture."
        )


def _too_large() -> ApiError:
    return ApiError(422, "image_too_large", f"The picture has more than {MAX_PIXELS} pixels.")


def _check_image(content: bytes, image_format: str) -> None:
    try:
        with Image.open(io.BytesIO(content), formats=[image_format]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _too_large()
            image.load()
    except Image.DecompressionBombError as exc:  # Pillow's own refusal, at twice its limit, on opening the header
        raise _too_large() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ApiError(422, "image_unreadable", "The picture cannot be decoded: it is damaged or incomplete.") from exc
    _check_single_image(content, image_format)


def judge(content: bytes) -> Kind:
    """The file's kind if the bank can use it; else an `ApiError` with the reason's code.

    CPU-bound (a parse or a full decode): call it off the event loop.
    """
    if not content:
        raise ApiError(422, "empty_file", "The file is empty.")
    kind = next((kind for kind in KINDS if content.startswith(kind.magic)), None)
    if kind is None:
        raise ApiError(415, "unsupported_file_type", "Only PDF, JPEG or PNG files are accepted.")
    if kind.image_format is None:
        _check_pdf(content)
    else:
        _check_image(content, kind.image_format)
    return kind
