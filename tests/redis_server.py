"""A `redis-server` of the test's own, for the tests that stop and restart Redis under the bot: on a free port (never
the machine's 6379), its files in the test's temporary directory, with the deployment's persistence (`appendonly
yes`, as deploy/docker-compose.yml runs it) or none. Tests using it skip when redis-server is not installed."""

import asyncio
import contextlib
import shutil
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bench.api_balance import free_port

START_SECONDS = 10.0


def needs_redis_server() -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")


class RedisServer:
    """`async with RedisServer(tmp, persist=True) as redis:` serves `redis.url`; `stop()` (as systemd or docker stop
    it: SIGTERM, Redis writes what it keeps), `kill()` (SIGKILL) and `start()` again on the same port and files."""

    def __init__(self, directory: Path, *, persist: bool) -> None:
        needs_redis_server()
        self.directory = directory
        self.persist = persist
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.starts = 0
        self._process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._process is not None and self._process.returncode is None:
            await self.kill()

    def command(self) -> list[str]:
        keeps = ["--appendonly", "yes"] if self.persist else ["--appendonly", "no", "--save", ""]
        return ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory), *keeps]

    async def start(self) -> None:
        self.starts += 1
        log = (self.directory / f"redis-{self.starts}.log").open("wb")
        self._process = await asyncio.create_subprocess_exec(
            *self.command(), stdout=log, stderr=asyncio.subprocess.STDOUT
        )
        log.close()
        client = Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + START_SECONDS
        try:
            while True:
                if self._process.returncode is not None:
                    raise RuntimeError(f"redis-server exited: {self.log_tail()}")
                with contextlib.suppress(RedisError, OSError):  # not up yet
                    if await client.ping():  # not while it loads its files
                        return
                if time.monotonic() > deadline:
                    raise TimeoutError("redis-server did not answer")
                await asyncio.sleep(0.02)
        finally:
            await client.aclose()

    async def stop(self) -> None:
        assert self._process is not None
        self._process.terminate()
        async with asyncio.timeout(START_SECONDS):
            await self._process.wait()

    async def kill(self) -> None:
        assert self._process is not None
        self._process.kill()
        await self._process.wait()

    def log_tail(self) -> str:
        return (self.directory / f"redis-{self.starts}.log").read_text(errors="replace")[-2000:]
