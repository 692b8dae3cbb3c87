"""Console dependencies: the signed-in member (or a redirect to sign in), the supervisor check, the CSRF check
every state-changing route takes, and the client's address for the audit."""

import hmac
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from api.console.auth.sessions import csrf_token, live_session
from api.console.templating import render
from api.deps import NowDep, SessionDep, SettingsDep
from api.models import ConsoleSession, StaffMember, StaffRole

SESSION_COOKIE = "console_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
LOGIN_PATH = "/console/login"


class SignInRequired(Exception):
    """No live session: a page redirects to the sign-in, an htmx request gets 401 with HX-Redirect."""


class SupervisorRequired(Exception):
    """An operator asked for a supervisor's page or action."""


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token."""


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: uvicorn's --forwarded-allow-ips)."""
    return request.client.host if request.client else "unknown"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a console path on this site, never another site."""
    if target and target.startswith("/console") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console"


async def console_member(request: Request, session: SessionDep, settings: SettingsDep, now: NowDep) -> StaffMember:
    token = request.cookies.get(SESSION_COOKIE)
    found = await live_session(session, token=token, now=now, settings=settings) if token else None
    if found is None:
        raise SignInRequired
    request.state.console_session, request.state.console_member = found
    request.state.csrf_token = csrf_token(token)
    return found[1]


ConsoleMember = Annotated[StaffMember, Depends(console_member)]


def console_supervisor(member: ConsoleMember) -> StaffMember:
    if member.role is not StaffRole.SUPERVISOR:
        raise SupervisorRequired
    return member


ConsoleSupervisor = Annotated[StaffMember, Depends(console_supervisor)]


async def csrf_checked(request: Request, member: ConsoleMember) -> ConsoleSession:
    """The session, once the request carries its CSRF token (htmx sends the header, a form the hidden field)."""
    del member  # console_member has put the session and its token on request.state
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), request.state.csrf_token.encode()):
        raise CsrfRefused
    return request.state.console_session


CsrfChecked = Annotated[ConsoleSession, Depends(csrf_checked)]


def install_console_errors(app: FastAPI) -> None:
    """The console's refusals as pages (or htmx redirects), not the API's JSON."""

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _: SignInRequired) -> Response:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = f"{LOGIN_PATH}?next={quote(safe_next(here), safe='')}"
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(SupervisorRequired)
    async def _supervisor(request: Request, _: SupervisorRequired) -> Response:
        return render(request, "refused.html", {"reason": "supervisor"}, status_code=403)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _: CsrfRefused) -> Response:
        return render(request, "refused.html", {"reason": "csrf"}, status_code=403)
