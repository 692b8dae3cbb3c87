"""Oversized bodies on every backend route that takes one, from the OpenAPI document: a route that takes a file
allows the upload limit (MAX_UPLOAD_BYTES and the form around it), every other route the body limit (MAX_BODY_BYTES).
A body over its route's limit is a 413 `payload_too_large` before it is read whole: one declared larger (its
Content-Length) is not read at all, one streamed in chunks without a length is read no further than the limit and a
chunk. The bot's webhook has the same tests in tests/attacks/test_webhook.py."""

import re
from collections.abc import AsyncIterator

import pytest

from api.body_limit import ENVELOPE_BYTES
from tests.attacks.routes import body_types, ids, kind_of, operations
from tests.conftest import INTEGRATION_TOKEN, SERVICE_TOKEN
from tests.helpers import as_user

USER = 701_000_101
MAX_UPLOAD = 64 * 1024
MAX_BODY = 16 * 1024
UPLOAD_LIMIT, BODY_LIMIT = MAX_UPLOAD + ENVELOPE_BYTES, MAX_BODY
CHUNK = 16 * 1024

WITH_BODIES = [(method, path) for method, path in operations(under="/api/v1/") if body_types(method, path)]
UPLOADS = [(method, path) for method, path in WITH_BODIES if "multipart/form-data" in body_types(method, path)]
JSON = [(method, path) for method, path in WITH_BODIES if (method, path) not in UPLOADS]


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"max_upload_bytes": MAX_UPLOAD, "max_body_bytes": MAX_BODY})


class Stream:
    """A request body pulled chunk by chunk by the app; `pulled` counts what it took."""

    def __init__(self, total: int, first: bytes = b"") -> None:
        self.total, self.first, self.pulled = total, first, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        for part in (self.first, *[b"0" * CHUNK] * (self.total // CHUNK + 1)):
            if sent >= self.total:
                return
            self.pulled += len(part)
            sent += len(part)
            yield part


def _headers(path: str, content_type: str) -> dict[str, str]:
    token = INTEGRATION_TOKEN if kind_of(path) == "integration" else SERVICE_TOKEN
    return {"Authorization": f"Bearer {token}", "Content-Type": content_type, **as_user(USER)}


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _content_type(method: str, path: str) -> str:
    return "multipart/form-data; boundary=x" if (method, path) in UPLOADS else "application/json"


def _first(method: str, path: str) -> bytes:
    """The body's start, as a real client's would be: a form's file part opened, or a JSON string opened."""
    if (method, path) in UPLOADS:
        return (
            b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        )
    return b'{"summary": "'


def _limit(method: str, path: str) -> int:
    return UPLOAD_LIMIT if (method, path) in UPLOADS else BODY_LIMIT


def test_the_routes_with_bodies_are_all_here():
    assert len(UPLOADS) == 3 and len(JSON) > 30


@pytest.mark.parametrize(("method", "path"), WITH_BODIES, ids=ids(WITH_BODIES))
async def test_a_body_declared_over_the_limit_is_413_unread(client, method, path):
    limit = _limit(method, path)
    body = Stream(limit + 1, _first(method, path))
    headers = {**_headers(path, _content_type(method, path)), "Content-Length": str(limit + 1)}
    response = await client.request(method, _url(path), content=body, headers=headers)
    assert (response.status_code, response.json()["error"]["code"]) == (413, "payload_too_large"), response.text
    assert body.pulled == 0, "the body was read"


@pytest.mark.parametrize(("method", "path"), WITH_BODIES, ids=ids(WITH_BODIES))
async def test_a_body_streamed_past_the_limit_is_413_before_it_ends(client, method, path):
    limit = _limit(method, path)
    body = Stream(4 * limit, _first(method, path))
    response = await client.request(
        method, _url(path), content=body, headers=_headers(path, _content_type(method, path))
    )
    assert (response.status_code, response.json()["error"]["code"]) == (413, "payload_too_large"), response.text
    assert body.pulled <= limit + CHUNK + len(_first(method, path)), f"{body.pulled} bytes read of a {limit} limit"


@pytest.mark.parametrize("size", [MAX_BODY, MAX_BODY + 1])
async def test_the_body_limit_is_the_routes_not_the_upload_one(client, size):
    """A JSON body of exactly the body limit is read (and goes on to the chat's check); a byte more is not."""
    body = b'{"reason": "requested", "summary": "' + b"x" * (size - 40) + b'"}'
    body += b" " * (size - len(body))
    response = await client.post("/api/v1/me/support-cases", content=body, headers=_headers("/", "application/json"))
    expected = (413, "payload_too_large") if size > MAX_BODY else (403, "not_linked")
    assert (response.status_code, response.json()["error"]["code"]) == expected


async def test_a_lying_content_type_does_not_buy_a_json_route_the_upload_limit(client):
    body = Stream(4 * BODY_LIMIT, b'{"summary": "')
    headers = _headers("/", "multipart/form-data; boundary=x")
    response = await client.post("/api/v1/me/support-cases", content=body, headers=headers)
    assert response.status_code == 413
    assert body.pulled <= BODY_LIMIT + CHUNK + 16
