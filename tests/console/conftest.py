"""The console's test harness: staff who can sign in, signed-in HTTP clients, and real headless Chromium.

- `staff_login(role)`: a member with a password and a TOTP secret, made by the same service as `ipoteka staff add`;
- `console_client(role)`: an `httpx.AsyncClient` on the session's app, signed in, with `.csrf` (the session's token,
  for a form's `csrf_token` field or the `X-CSRF-Token` header) and `.login`;
- `console_url`, `browser`, `page`: the app served by uvicorn on a loopback port and Playwright's Chromium on
  /usr/bin/chromium (skipped with how to install it when missing, failing under CI=true); tests.console.helpers
  has `sign_in`, `csrf_of` and `shoot(page, name)` (tests/artifacts/screenshots/<name>.png).
"""

import itertools
import os
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from api import staff_accounts
from api.models import StaffRole
from tests.console.helpers import CHROMIUM, NO_CHROMIUM, PASSWORD, Login, console_http, csrf_of, sign_in

_names = itertools.count(1)


StaffLogin = Callable[..., Awaitable[Login]]


@pytest.fixture
def staff_login(app) -> StaffLogin:
    async def make(role: StaffRole = StaffRole.OPERATOR, name: str | None = None) -> Login:
        name = name or f"{role.value.capitalize()} {next(_names)}"
        async with app.state.sessionmaker() as session:
            member, _token = await staff_accounts.add_staff(
                session, name=name, role=role, actor="test", password=PASSWORD
            )
        assert member.totp_secret
        return Login(member, name, PASSWORD, member.totp_secret)

    return make


@pytest.fixture
async def console_client(app, clock, staff_login) -> AsyncIterator[Callable[..., Awaitable[httpx.AsyncClient]]]:
    clients: list[httpx.AsyncClient] = []

    async def make(role: StaffRole = StaffRole.OPERATOR, login: Login | None = None) -> httpx.AsyncClient:
        login = login or await staff_login(role)
        client = console_http(app)
        clients.append(client)
        response = await sign_in(client, login, clock)
        assert response.status_code == 303, response.text
        home = await client.get("/console")
        assert home.status_code == 200
        client.csrf = csrf_of(home.text)  # type: ignore[attr-defined]
        client.login = login  # type: ignore[attr-defined]
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def console_url(backend_url: str) -> str:
    """The session's app over real HTTP on a loopback port (the console is beside the API)."""
    return backend_url.removesuffix("/api/v1")


@pytest.fixture
async def browser():
    """Playwright's Chromium on Debian's /usr/bin/chromium, headless."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {NO_CHROMIUM}")
        pytest.skip(NO_CHROMIUM)
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {NO_CHROMIUM}")
        pytest.skip(NO_CHROMIUM)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser, console_url):
    """A fresh browser page (its own cookies) whose relative URLs go to the console."""
    context = await browser.new_context(base_url=console_url, viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    yield page
    await context.close()
