"""Bot API answers in Telegram's JSON shape: results, refusals, chats and messages."""

import time
from typing import Any

from aiohttp import web


def ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


class Refusal(Exception):
    """An error answer; raised by a method's handler, turned into the response (and a record) by the server."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = int(status)
        self.description = description
        self.retry_after = retry_after

    @classmethod
    def too_many_requests(cls, retry_after: int) -> "Refusal":
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    def response(self) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.status)


def chat(chat_id: int) -> dict[str, Any]:
    """Positive ids are private chats, negative ones the (forum) supergroups."""
    return {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}


def message(chat_id: int, message_id: int, **fields: Any) -> dict[str, Any]:
    """A Message; `fields` holds the content (text, caption, document, photo, reply_markup, message_thread_id)."""
    return {"message_id": message_id, "date": int(time.time()), "chat": chat(chat_id), **fields}


def attachment(field: str, file_id: str, file_name: str | None) -> Any:
    """The Message field of a sent file: a Document, or for a photo its list of sizes."""
    if field == "photo":
        return [{"file_id": file_id, "file_unique_id": file_id, "width": 90, "height": 90}]
    return {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name}
