"""The request id: taken from `X-Request-Id` when it looks like one (the bot sends the Telegram update's id, so one
borrower action reads the same in the bot's and the backend's logs) or made anew; kept in a context variable for
the log formatter and echoed in the answer."""

import re
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-Id"
#: Ids, never text: what a caller sends is logged, so anything else is replaced by a new id.
_SHAPE = re.compile(r"[A-Za-z0-9._:-]{1,64}")

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return REQUEST_ID.get()


def accepted(value: str | None) -> str:
    """The caller's id when it has an id's shape, else a new one."""
    if value and _SHAPE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestId:
    """Pure ASGI middleware (the context variable stays set for everything the request runs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope["headers"]).get(HEADER.lower().encode())
        request_id = accepted(sent.decode("latin-1") if sent else None)
        token = REQUEST_ID.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (HEADER.lower().encode(), request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(token)
