"""One headless Chromium per test process, driven from each test's own event loop.

Playwright's objects belong to the event loop that started Playwright, and pytest-asyncio gives every test a loop of
its own, so a browser per test would cost its driver's and Chromium's start (~2 s on a busy machine). Instead
Playwright runs for the whole process on a loop in a thread of its own (`BrowserThread`), and a test holds its
objects through `Remote`: each call runs on that loop, and a test awaits the answer on its own loop, which keeps
serving the app the browser talks to. Only this thread ever touches a Playwright object.
"""

import asyncio
import inspect
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any

from playwright.async_api import Browser, Playwright, async_playwright
from playwright.async_api import expect as playwright_expect


class BrowserThread:
    """An event loop in a daemon thread, and Playwright's Chromium started on it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="playwright", daemon=True)
        self._thread.start()
        self._playwright: Playwright | None = None

    def submit(self, awaitable: Awaitable) -> Future:
        async def wait() -> Any:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wait(), self.loop)

    def call(self, function: Callable, *args: Any, **kwargs: Any) -> Any:
        """`function(*args, **kwargs)` on the browser's loop, waited for (for calls that do no I/O)."""

        async def run() -> Any:
            return function(*args, **kwargs)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result()

    def launch(self, executable: str) -> "Remote":
        async def start() -> Browser:
            self._playwright = await async_playwright().start()
            return await self._playwright.chromium.launch(executable_path=executable, headless=True)

        return Remote(self.submit(start()).result(), self)

    def stop(self, browser: "Remote") -> None:
        async def close() -> None:
            await browser._target.close()
            if self._playwright is not None:
                await self._playwright.stop()

        try:
            self.submit(close()).result()
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join()
            self.loop.close()

    def adopt(self, value: Any) -> Any:
        """What a call on the browser's loop gave, as a test may hold it."""
        if inspect.isawaitable(value):
            return self._later(value)
        if isinstance(value, list):
            return [self.adopt(item) for item in value]
        if type(value).__module__.startswith("playwright."):
            return Remote(value, self)
        return value

    async def _later(self, awaitable: Awaitable) -> Any:
        return self.adopt(await asyncio.wrap_future(self.submit(awaitable)))


def _target(value: Any) -> Any:
    if isinstance(value, Remote):
        return value._target
    if isinstance(value, list | tuple):
        return type(value)(_target(item) for item in value)
    if isinstance(value, dict):
        return {key: _target(item) for key, item in value.items()}
    return value


class Remote:
    """A Playwright object (a page, a locator, a download, ...) on the browser's loop, used as if it were local:
    `await page.goto(...)`, `page.locator(...)`, `page.url`, `async with page.expect_download() as waiting`. A
    handler passed in (`page.route(pattern, handler)`) runs on the browser's loop and is given Playwright's own
    objects, so it may await them as they are."""

    __slots__ = ("_owner", "_target")

    def __init__(self, target: Any, owner: BrowserThread) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_owner", owner)

    def __getattr__(self, name: str) -> Any:
        value = self._owner.call(getattr, self._target, name)
        if not callable(value) or type(value).__module__.startswith("playwright."):
            return self._owner.adopt(value)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._owner.adopt(self._owner.call(value, *_target(args), **_target(kwargs)))

        return call

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{name}: a browser object is changed through its methods")

    async def __aenter__(self) -> Any:
        return await self.__getattr__("__aenter__")()

    async def __aexit__(self, *exc_info: Any) -> Any:
        return await self.__getattr__("__aexit__")(*exc_info)

    def __repr__(self) -> str:
        return f"Remote({self._owner.call(repr, self._target)})"


def expect(actual: Remote, message: str | None = None) -> Remote:
    """Playwright's `expect` for a remote locator or page: its assertions run on the browser's loop."""
    return Remote(actual._owner.call(playwright_expect, actual._target, message), actual._owner)
