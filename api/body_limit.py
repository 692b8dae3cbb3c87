"""An ASGI guard that refuses a request body larger than the upload limit before anything reads it.

Starlette's own body-limit middleware answers in plain text; this one keeps the API's JSON error shape.
"""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Room for the multipart envelope and form fields around the largest allowed file.
ENVELOPE_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    """Raised from `receive` when a body without a Content-Length outgrows the limit."""


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_file_bytes: int) -> None:
        self.app = app
        self.limit = max_file_bytes + ENVELOPE_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _refuse(send)
            return
        received = 0
        refused = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # A body parser may turn BodyTooLarge into its own 400: the 413 goes out instead.
            nonlocal refused
            if received > self.limit:
                if not refused:
                    refused = True
                    await _refuse(send)
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if not refused:
                await _refuse(send)


async def _refuse(send: Send) -> None:
    body = json.dumps(
        {"error": {"code": "payload_too_large", "message": "The request is larger than the upload limit."}}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
