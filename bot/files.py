"""Files a borrower sends: which are accepted (PDF, JPEG, PNG up to a size), and fetching their bytes from Telegram."""

import io
from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import Message

ACCEPTED_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True)
class Attachment:
    """A document or the largest size of a photo; photos are JPEG, documents carry the type Telegram saw."""

    file_id: str
    file_name: str
    content_type: str
    size: int | None

    def refusal(self, max_bytes: int) -> str | None:
        """Why the file will not do: "type" or "size"; None when it may be uploaded."""
        if self.content_type not in ACCEPTED_TYPES:
            return "type"
        if self.size is not None and self.size > max_bytes:
            return "size"
        return None


def attachment_of(message: Message) -> Attachment | None:
    """The file in `message`, or None when it has no document or photo."""
    if message.document is not None:
        document = message.document
        content_type = (document.mime_type or "").lower()
        name = document.file_name or "document" + ACCEPTED_TYPES.get(content_type, "")
        return Attachment(document.file_id, name, content_type, document.file_size)
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return Attachment(largest.file_id, f"photo-{message.message_id}.jpg", "image/jpeg", largest.file_size)
    return None


async def download(bot: Bot, attachment: Attachment) -> bytes:
    """The file's bytes from Telegram (the Bot API serves files up to 20 MB)."""
    buffer = io.BytesIO()
    await bot.download(attachment.file_id, destination=buffer)
    return buffer.getvalue()
