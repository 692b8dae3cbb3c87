"""The network between the bot and the backend, as a TCP proxy on loopback that the test controls: it passes bytes
both ways until `cut()`, which resets every connection at once and then swallows whatever is sent (a new connection
is taken and never answered, so the client waits out its timeout, as over a cut cable); `restore()` passes again.
`cut_after(pattern)` cuts at the worst moment: the request whose first bytes match reaches the backend, and the
network goes down just as the backend answers, so the answer is lost."""

import asyncio
import contextlib
import re
from types import TracebackType
from typing import Self

CHUNK = 65536


class _Link:
    """One client connection and its upstream one."""

    def __init__(self, client: asyncio.StreamWriter) -> None:
        self.client = client
        self.upstream: asyncio.StreamWriter | None = None
        self.doomed = False  # its request is the one to lose the answer of

    def abort(self) -> None:
        for writer in (self.client, self.upstream):
            if writer is not None:
                writer.transport.abort()


class NetworkCut:
    """`async with NetworkCut(host, port) as network:` serves `network.url` in front of `host:port`."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self.url = ""
        self.is_cut = False
        self.swallowed = 0  # connections taken while cut
        self.lost_answers = 0  # answers the backend gave that never reached the client
        self._cut_after: re.Pattern[bytes] | None = None
        self._links: set[_Link] = set()
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        host, port = self._server.sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for link in list(self._links):
            link.abort()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        """Every connection reset; from now on nothing gets through either way."""
        self.is_cut = True
        self._cut_after = None
        for link in list(self._links):
            link.abort()

    def cut_after(self, pattern: bytes) -> None:
        """Cut as the backend answers the next request whose first bytes match `pattern` (a regex)."""
        self._cut_after = re.compile(pattern)

    def restore(self) -> None:
        self.is_cut = False
        for link in list(self._links):  # what was swallowed stays lost: those clients gave up
            link.abort()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        link = _Link(writer)
        self._links.add(link)
        try:
            if self.is_cut:
                self.swallowed += 1
                await _drain(reader)
                return
            try:
                up_reader, link.upstream = await asyncio.open_connection(*self._target)
            except OSError:
                return
            pumps = [
                asyncio.ensure_future(self._outbound(reader, link)),
                asyncio.ensure_future(self._inbound(up_reader, link)),
            ]
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)  # either side closed: so does the other
            for pump in pumps:
                pump.cancel()
        finally:
            self._links.discard(link)
            link.abort()

    async def _outbound(self, reader: asyncio.StreamReader, link: _Link) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(CHUNK):
                if self.is_cut:
                    return
                if self._cut_after is not None and self._cut_after.match(data):
                    self._cut_after = None
                    link.doomed = True
                link.upstream.write(data)
                await link.upstream.drain()

    async def _inbound(self, reader: asyncio.StreamReader, link: _Link) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(CHUNK):
                if link.doomed:  # the backend has answered: the network goes down before the answer gets through
                    self.lost_answers += 1
                    self.cut()
                    return
                if self.is_cut:
                    return
                link.client.write(data)
                await link.client.drain()


async def _drain(reader: asyncio.StreamReader) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while await reader.read(CHUNK):  # read and thrown away, until the peer closes
            continue
