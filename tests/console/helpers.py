"""Console test helpers: the staff's sign-in through the form, the page's CSRF token, screenshots."""

import re
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.console.auth import totp
from api.console.router import console_router
from api.models import StaffMember

PASSWORD = "correct horse battery staple"
CHROMIUM = Path("/usr/bin/chromium")
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
