"""Console test helpers: the staff's sign-in through the form, or a session opened directly for tests that are not
about signing in (in an HTTP client or a browser context), the page's CSRF token, screenshots."""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.console.auth import sessions, totp
from api.console.deps import SESSION_COOKIE
from api.console.router import console_router
from api.console.templating import LANGUAGE_COOKIE
from api.models import StaffMember

PASSWORD = "correct horse battery staple"
CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1280, "height": 800}
#: The address an in-process client (httpx's ASGI transport) and a browser on the loopback come from.
LOOPBACK = "127.0.0.1"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
#: The message a skipped browser test gives; .ci/run fails a run in which it appears.
NO_CHROMIUM = "browser tests need Chromium: apt-get install chromium (and the dev extras: make install)"


@dataclass(frozen=True)
class Login:
    member: StaffMember
    name: str
    password: str
    secret: str

    def code(self, clock) -> str:
        """The TOTP code at the app's clock."""
        return totp.current_code(self.secret, clock())


def csrf_of(html: str) -> str:
    """The CSRF token of a page: the sign-in form's field, or a signed-in page's meta tag."""
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def console_http(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console")


async def sign_in(client: httpx.AsyncClient, login: Login, clock, *, code: str | None = None) -> httpx.Response:
    """Fill in the sign-in form as a browser does (its page first, for the form's CSRF token)."""
    page = await client.get("/console/login")
    form = {
        "name": login.name,
        "password": login.password,
        "code": login.code(clock) if code is None else code,
        "csrf_token": csrf_of(page.text),
    }
    return await client.post("/console/login", data=form)


async def open_session(app, login: Login, clock) -> str:
    """A console session for `login` opened as a sign-in opens one (the same service, from the loopback), without
    the form: the cookie's value. For tests about what a signed-in member does; signing in has its own tests."""
    async with app.state.sessionmaker() as session:
        member = await session.get(type(login.member), login.member.id)
        _row, token = await sessions.open_session(session, member=member, address=LOOPBACK, now=clock())
        await session.commit()
    return token


def signed_in_client(client: httpx.AsyncClient, token: str) -> httpx.AsyncClient:
    """The client carrying the session cookie as the sign-in sets it, and `.csrf`, the token its pages show."""
    client.cookies.set(SESSION_COOKIE, token, path="/console")
    client.csrf = sessions.csrf_token(token)  # type: ignore[attr-defined]
    return client


async def sign_in_browser(
    page, console_url: str, app, login: Login, clock, path: str = "/console", *, language: str | None = None
) -> None:
    """`path` opened in a browser already signed in as `login`: its context given the session's cookie and the
    language's (when given) as the sign-in page sets them. For the tests that are not about the sign-in form."""
    token = await open_session(app, login, clock)
    host = urlsplit(console_url).hostname
    cookies = [{"name": SESSION_COOKIE, "value": token, "httpOnly": True}]
    if language is not None:
        cookies.append({"name": LANGUAGE_COOKIE, "value": language})
    await page.context.add_cookies([{**c, "domain": host, "path": "/console", "sameSite": "Strict"} for c in cookies])
    await page.goto(path)
    assert urlsplit(page.url).path == urlsplit(path).path, f"not signed in: {page.url}"


#: True once htmx has nothing in flight: no request out, no swap or settle pending (it processes new content, its
#: hx- attributes, as the settle ends).
HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


async def htmx_settled(page) -> None:
    """Wait until htmx has swapped in and processed what it fetched (its buttons answer the keyboard)."""
    await page.wait_for_function(HTMX_IDLE)


async def shoot(page, name: str) -> Path:
    """Save a screenshot of the whole page as tests/artifacts/screenshots/<name>.png (an artifact to look at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


@dataclass(frozen=True)
class ConsoleRoute:
    path: str
    methods: frozenset[str]
    dependant: Dependant

    @property
    def example_path(self) -> str:
        """The path with each parameter set to 1 (a record that need not exist: the refusal comes first)."""
        return re.sub(r"\{[^}]+\}", "1", self.path)

    def depends_on(self, call) -> bool:
        pending = [self.dependant]
        while pending:
            dependant = pending.pop()
            if dependant.call is call:
                return True
            pending.extend(dependant.dependencies)
        return False


def console_routes() -> list[ConsoleRoute]:
    """Every route of the console router, the sections' included ones too (FastAPI keeps them lazily included)."""
    found = []
    for route in console_router.routes:
        contexts = [route] if isinstance(route, APIRoute) else list(route.effective_route_contexts())
        found += [ConsoleRoute(c.path, frozenset(c.methods), c.dependant) for c in contexts]
    return found
