"""Reading an uploaded file: read in chunks up to a size limit, then judged by `content.judge` off the event loop."""

import asyncio
import hashlib
import re
from dataclasses import dataclass

from fastapi import UploadFile

from api.documents.content import judge
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


def _safe_name(name: str | None, extension: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    base = without_bidi_controls(re.sub(r"[\x00-\x1f\x7f]", "", base)).strip() or f"document{extension}"
    return base[-MAX_NAME_LENGTH:]


async def read_upload(file: UploadFile, *, max_bytes: int) -> Upload:
    """Read and check an upload: within the limit, and a PDF, JPEG or PNG the bank can open."""
    content = await _read_capped(file, max_bytes)
    kind = await asyncio.to_thread(judge, content)
    return Upload(
        file_name=_safe_name(file.filename, kind.extension),
        content_type=kind.content_type,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
