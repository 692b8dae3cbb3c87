"""A Bot API server for the entry-point tests: it answers what the bot asks at start-up and hands out queued
updates, and records every call."""

import asyncio
import itertools
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

USER = 5001


def start_update(update_id: int = 900) -> dict[str, Any]:
    """A /start as Telegram delivers it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1764150000,
            "chat": {"id": USER, "type": "private", "first_name": "Иван"},
            "from": {"id": USER, "is_bot": False, "first_name": "Иван", "language_code": "ru"},
            "text": "/start",
            "entities": [{"offset": 0, "length": 6, "type": "bot_command"}],
        },
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class FakeTelegram:
    """A Bot API server that answers what the bot asks at start-up and hands out queued updates once."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    message_ids: itertools.count = field(default_factory=lambda: itertools.count(100))
    url: str = ""

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    def params(self, method: str) -> list[dict[str, str]]:
        return [params for name, params in self.calls if name == method]

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = dict(await request.post())
        self.calls.append((method, params))
        return web.json_response({"ok": True, "result": await self._result(method, params)})

    async def _result(self, method: str, params: dict[str, str]) -> Any:
        if method == "getMe":
            return {"id": 42, "is_bot": True, "first_name": "Ipoteka Assistant", "username": "ipoteka_bot"}
        if method == "getUpdates":
            if self.updates:
                return [self.updates.pop(0)]
            await asyncio.sleep(0.2)  # a long poll that timed out, shortened
            return []
        if method == "sendMessage":
            chat = {"id": int(params["chat_id"]), "type": "private"}
            return {"message_id": next(self.message_ids), "date": 1764150001, "chat": chat, "text": params["text"]}
        return True


@asynccontextmanager
async def serving(fake: FakeTelegram) -> AsyncIterator[FakeTelegram]:
    """`fake` listening on a free loopback port (its `url` set) until the block ends."""
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    fake.url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        await runner.cleanup()
