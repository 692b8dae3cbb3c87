"""What the fake Bot API saw: delivered messages, refused requests and the staff group's forum topics."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Delivery:
    """A message Telegram would have shown; `text` is the text or the caption, `at` the fake's clock time."""

    method: str
    chat_id: int
    message_id: int
    text: str | None
    thread_id: int | None
    file_name: str | None
    file_id: str | None
    reply_markup: dict[str, Any] | None
    source: tuple[int, int] | None  # (from_chat_id, message_id) of a copied or forwarded message
    at: float


@dataclass(frozen=True)
class Rejection:
    """A request answered with an error instead of being carried out."""

    method: str
    chat_id: int
    error_code: int
    retry_after: int | None
    at: float


@dataclass
class Topic:
    """A forum topic of a group; deleted topics are dropped from `FakeBotApi.topics`."""

    name: str
    icon_color: int
    closed: bool = False
