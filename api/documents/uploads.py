"""Reading an uploaded file: PDF, JPEG or PNG judged by its magic bytes, read in chunks up to a size limit."""

import hashlib
import re
from dataclasses import dataclass

from fastapi import UploadFile

from api.errors import ApiError

CHUNK_BYTES = 64 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
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


def _safe_name(name: str | None, extension: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip() or f"document{extension}"
    return base[-MAX_NAME_LENGTH:]


async def read_upload(file: UploadFile, *, max_bytes: int) -> Upload:
    """Read and check an upload: not empty, within the limit, and really a PDF, JPEG or PNG."""
    content = await _read_capped(file, max_bytes)
    if not content:
        raise ApiError(422, "empty_file", "The file is empty.")
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return Upload(
                file_name=_safe_name(file.filename, extension),
                content_type=content_type,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
    raise ApiError(415, "unsupported_file_type", "Only PDF, JPEG or PNG files are accepted.")
