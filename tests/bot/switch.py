"""The real backend app behind a switch, so a test can take the backend away (or slow it down) at any step."""

import asyncio

import httpx

NOT_ANSWERING = "not answering"  # from the English msgid of the backend-down apology
#: What the backend's catch-all handler answers (api/errors.py): the body of the switch's "500".
INTERNAL_ERROR = {
    "error": {"code": "internal_error", "message": "Something went wrong on our side; please try again later."}
}


class Switch(httpx.AsyncBaseTransport):
    """The real backend app behind a switch.

    up: answers; down: the connection is refused; slow: no answer within the client's read timeout (the network
    layer gives up with ReadTimeout); late: reads answer, but a write is done and its answer comes after the timeout;
    late once: the next write is late, then the switch is up (a retry is answered); stalled: reads answer, a write
    reaches the backend only after the client gave up on it (ReadTimeout), and is done then (`settle` waits for it);
    500: reads answer, a write is answered 500 `internal_error` as the backend's catch-all answers an error it did
    not expect (its transaction rolled back: nothing stored).
    """

    def __init__(self, app) -> None:
        self._app = httpx.ASGITransport(app=app)
        self.mode = "up"
        self.calls: list[str] = []  # "METHOD path" of every request that reached the backend, for counting
        self.stalled: list[str] = []  # "METHOD path" of the writes the backend did only after the client gave up
        self._late: list[asyncio.Task] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.mode == "500" and request.method != "GET":
            return httpx.Response(500, json=INTERNAL_ERROR, request=request)
        if self.mode == "stalled" and request.method != "GET":
            await request.aread()
            await self._wait_past_timeout(self._after(2 * request.extensions["timeout"]["read"], request), request)
        if self.mode == "slow":
            await self._wait_past_timeout(asyncio.sleep(10 * request.extensions["timeout"]["read"]), request)
        if self.mode in ("late", "late once") and request.method != "GET":
            self.mode = "up" if self.mode == "late once" else self.mode
            response = await self._app.handle_async_request(request)
            await response.aread()
            raise httpx.ReadTimeout("the answer came too late", request=request)
        self.calls.append(f"{request.method} {request.url.path}")
        return await self._app.handle_async_request(request)

    async def _after(self, delay: float, request: httpx.Request) -> None:
        """The request handled by the backend `delay` seconds from now, its answer read and dropped."""
        await asyncio.sleep(delay)
        self.calls.append(f"{request.method} {request.url.path}")
        self.stalled.append(f"{request.method} {request.url.path}")
        response = await self._app.handle_async_request(request)
        await response.aread()

    async def _wait_past_timeout(self, work, request: httpx.Request) -> None:
        task = asyncio.ensure_future(work)
        self._late.append(task)
        try:
            await asyncio.wait_for(asyncio.shield(task), request.extensions["timeout"]["read"])
        except TimeoutError:
            raise httpx.ReadTimeout("no answer in time", request=request) from None
        raise AssertionError("the backend answered in time; the test's delay is too short")

    async def settle(self) -> None:
        """Let the abandoned waits finish, so no task outlives the test."""
        await asyncio.gather(*self._late)
        self._late.clear()
