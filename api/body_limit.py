"""An ASGI guard that refuses a request body larger than its route allows before anything reads it: a route that
takes a file allows the upload limit, every other route (JSON, a console form) the much smaller body limit.

Starlette's own body-limit middleware answers in plain text; this one keeps the API's JSON error shape.
"""

import json

from fastapi import params
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Room for the multipart envelope and form fields around the largest allowed file.
ENVELOPE_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    """Raised from `receive` when a body outgrows its route's limit (declared so, or counted as it arrives)."""


def takes_file(route: object) -> bool:
    """Whether the route's body holds a file (FastAPI makes the body of such a route a `File` field)."""
    body = getattr(route, "body_field", None)
    return body is not None and isinstance(body.field_info, params.File)


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_file_bytes: int, max_body_bytes: int) -> None:
        self.app = app
        self.upload_limit = max_file_bytes + ENVELOPE_BYTES
        self.body_limit = min(max_body_bytes, self.upload_limit)

    def _limit(self, scope: Scope) -> int:
        """The limit of the route the request reached: the router has put it in the scope before any body is read."""
        return self.upload_limit if takes_file(scope.get("route")) else self.body_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.upload_limit):
            await _refuse(send)  # over any route's limit: refused before routing
            return
        declared_bytes = int(declared) if declared is not None else 0
        received = 0
        too_large = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            limit = self._limit(scope)
            if declared_bytes > limit:  # the route is known now: its limit is below what the client announced
                too_large = True
                raise BodyTooLarge
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                too_large = True
                raise BodyTooLarge
            return message

        refused = False

        async def guarded_send(message: Message) -> None:
            # A body parser may turn BodyTooLarge into its own 400: the 413 goes out instead.
            nonlocal refused
            if too_large:
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
        {"error": {"code": "payload_too_large", "message": "The request is larger than this route takes."}}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
