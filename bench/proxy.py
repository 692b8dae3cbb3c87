"""One address in front of the bot's replicas, as Caddy is in `deploy/`: each request goes to the next replica in
turn; one that refuses the connection (dead) is passed over for the next, and counted. Only what a reverse proxy
passes is passed: the method, the path, the body and the headers, the answer's status and body back."""

from collections import Counter
from types import TracebackType
from typing import Self

import aiohttp
from aiohttp import web

from fake_bot_api.server import serve_on_loopback

#: Headers not passed on either way (hop by hop, or set again by the client library).
_DROPPED = {"host", "content-length", "transfer-encoding", "connection", "keep-alive"}


class AlternatingProxy:
    """`async with AlternatingProxy(upstreams) as proxy:` serves `proxy.url`; `upstreams` ("http://host:port") may be
    changed while it runs. `taken[upstream]` counts the requests each answered (`last`: the latest's),
    `passed_over[upstream]` the times a request found it down and went on to the next."""

    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = list(upstreams)
        self.url = ""
        self.taken: Counter[str] = Counter()
        self.passed_over: Counter[str] = Counter()
        self.last: str | None = None  # the upstream that answered the latest request
        self._turn = 0
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner, self.url = await serve_on_loopback(app)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    def _order(self) -> list[str]:
        """The upstreams starting from this request's turn."""
        upstreams = list(self.upstreams)
        start, self._turn = self._turn % len(upstreams), self._turn + 1
        return upstreams[start:] + upstreams[:start]

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._client is not None
        body = await request.read()
        headers = {name: value for name, value in request.headers.items() if name.lower() not in _DROPPED}
        for upstream in self._order():
            try:
                async with self._client.request(
                    request.method, f"{upstream}{request.rel_url}", data=body, headers=headers
                ) as answer:
                    content = await answer.read()
                    self.taken[upstream] += 1
                    self.last = upstream
                    kept = {k: v for k, v in answer.headers.items() if k.lower() not in _DROPPED}
                    return web.Response(status=answer.status, body=content, headers=kept)
            except (TimeoutError, aiohttp.ClientConnectionError):
                self.passed_over[upstream] += 1
        return web.json_response({"error": "no replica answered"}, status=502)
