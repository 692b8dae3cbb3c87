"""Reading an uploaded file: read in chunks up to a size limit, judged by `content.judge` off the event loop, and
taken only when its name and declared type do not claim another kind of file than its bytes are."""

import asyncio
import hashlib
import mimetypes
import re
from dataclasses import dataclass

from fastapi import UploadFile

from api.documents.content import Kind, judge
from api.errors import ApiError
from api.plain_text import without_bidi_controls

CHUNK_BYTES = 64 * 1024
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class Upload:
    """A checked file: its safe name, the type its bytes show, the bytes and their sha256."""

    file_name: str
    content_type: str
    content: bytes
    sha256: str


async def _read_capped(file: UploadFile, max_bytes: int) -> bytes:
    """The whole file, or 413 as soon as it passes `max_bytes`; never more than the limit plus a byte held."""
    parts: list[bytes] = []
    total = 0
    while chunk := await file.read(min(CHUNK_BYTES, max_bytes + 1 - total)):
        total += len(chunk)
        if total > max_bytes:
            raise ApiError(
                413, "file_too_large", f"The file is larger than the limit of {max_bytes} bytes.", max_bytes=max_bytes
            )
        parts.append(chunk)
    return b"".join(parts)


#: What a file name's extension says it is: Python's own table (the same on every machine, not the system's), with the
#: office and archive types it lacks.
_EXTENSIONS = mimetypes.MimeTypes()
for _type, _extension in (
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
    ("application/vnd.oasis.opendocument.text", ".odt"),
    ("application/vnd.rar", ".rar"),
    ("application/x-7z-compressed", ".7z"),
    ("image/jpeg", ".jfif"),
):
    _EXTENSIONS.add_type(_type, _extension, strict=False)
#: Declared types that claim nothing (what a client sends when it does not know).
_NO_CLAIM = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def _check_claims(kind: Kind, name: str, declared: str | None) -> None:
    """Refuse a file whose name or declared type says it is something else than its bytes (a `.pdf` that is a
    picture, a `.exe` or `.pdf.gz` that is a PDF, a JPEG sent as `image/png`): staff open it by what it says."""
    named, encoding = _EXTENSIONS.guess_type(name, strict=False)
    if encoding is not None or (named is not None and not kind.is_named_by(named)):
        raise _mismatch(kind, f"is named {name}")
    media_type = (declared or "").split(";", 1)[0].strip().lower()
    if media_type not in _NO_CLAIM and not kind.is_named_by(media_type):
        raise _mismatch(kind, f"is sent as {media_type}")


def _mismatch(kind: Kind, claim: str) -> ApiError:
    return ApiError(
        422,
        "file_type_mismatch",
        f"The file {claim} but holds {kind.label}; please send it as what it is.",
        found=kind.content_type,
    )


def _safe_name(name: str | None, extension: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    base = without_bidi_controls(re.sub(r"[\x00-\x1f\x7f]", "", base)).strip() or f"document{extension}"
    return base[-MAX_NAME_LENGTH:]


async def read_upload(file: UploadFile, *, max_bytes: int) -> Upload:
    """Read and check an upload: within the limit, a PDF, JPEG or PNG the bank can open, and called what it is."""
    content = await _read_capped(file, max_bytes)
    kind = await asyncio.to_thread(judge, content)
    name = _safe_name(file.filename, kind.extension)
    _check_claims(kind, name, file.content_type)
    return Upload(
        file_name=name,
        content_type=kind.content_type,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
