"""The console's test harness: staff who can sign in, signed-in HTTP clients, and real headless Chromium.

- `staff_login(role)`: a member with a password and a TOTP secret, made by the same service as `ipoteka staff add`;
- `console_client(role)`: an `httpx.AsyncClient` on the session's app, signed in (a session opened directly, or
  through the form), with `.csrf` (the session's token, for a form's `csrf_token` field or the `X-CSRF-Token`
  header) and `.login`;
- `console_url`, `browser`, `page`: the app served by uvicorn on a loopback port and Playwright's Chromium on
  /usr/bin/chromium (skipped with how to install it when missing, failing under CI=true), one per process, a fresh
  context per test; tests.console.helpers has `sign_in`, `sign_in_browser` (a signed-in context without the form),
  `csrf_of` and `shoot(page, name)` (tests/artifacts/screenshots/<name>.png).
"""

import itertools
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest

from api import staff_accounts
from api.models import StaffRole
from tests.console.helpers import (
    CHROMIUM,
    NO_CHROMIUM,
    PASSWORD,
    VIEWPORT,
    Login,
    console_http,
    csrf_of,
    open_session,
    sign_in,
    sign_in_browser,
    signed_in_client,
)

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

    async def make(
        role: StaffRole = StaffRole.OPERATOR, login: Login | None = None, *, through_the_form: bool = False
    ) -> httpx.AsyncClient:
        """A client signed in as `login` (a new member of `role` by default): a session opened as the sign-in opens
        one, or `through_the_form` (the sign-in page and its POST, audited as a sign-in)."""
        login = login or await staff_login(role)
        client = console_http(app)
        clients.append(client)
        if through_the_form:
            response = await sign_in(client, login, clock)
            assert response.status_code == 303, response.text
            home = await client.get("/console")
            assert home.status_code == 200
            client.csrf = csrf_of(home.text)  # type: ignore[attr-defined]
        else:
            signed_in_client(client, await open_session(app, login, clock))
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
def signed_in(app, clock, console_url) -> Callable[..., Awaitable[None]]:
    """`await signed_in(page, login, path, language=...)`: `path` opened in a page already signed in as `login`
    (a session opened directly, its cookie put in the page's context), for the tests not about signing in."""

    async def open_signed_in(page, login: Login, path: str = "/console", *, language: str | None = None) -> None:
        await sign_in_browser(page, console_url, app, login, clock, path, language=language)

    return open_signed_in


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Playwright's Chromium on Debian's /usr/bin/chromium, headless: one for the whole process, on a thread of its
    own (tests.console.browser), each test in a fresh context of it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {NO_CHROMIUM}")
        pytest.skip(NO_CHROMIUM)
    try:
        from tests.console.browser import BrowserThread
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {NO_CHROMIUM}")
        pytest.skip(NO_CHROMIUM)
    thread = BrowserThread()
    chromium = thread.launch(str(CHROMIUM))
    yield chromium
    thread.stop(chromium)


@pytest.fixture
async def page(browser, console_url):
    """A fresh browser page in a context of its own (its own cookies) whose relative URLs go to the console."""
    context = await browser.new_context(base_url=console_url, viewport=VIEWPORT)
    page = await context.new_page()
    yield page
    await context.close()
