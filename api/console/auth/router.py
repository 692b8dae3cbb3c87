"""The sign-in page (name, password, TOTP code) and signing out."""

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.console.auth import service
from api.console.deps import LOGIN_PATH, SESSION_COOKIE, CsrfChecked, client_address, safe_next
from api.console.templating import LANGUAGE_COOKIE, LANGUAGES, render
from api.deps import NowDep, SessionDep, SettingsDep
from api.schemas import PlainText
from api.settings import Settings

router = APIRouter()

#: Before there is a session, the sign-in form's CSRF token is a random value in a cookie and in the form (double
#: submit), so another site cannot sign a browser in to an account of its choosing.
LOGIN_CSRF_COOKIE = "console_login_csrf"


def _login_page(request: Request, settings: Settings, *, next_: str, error: str | None = None, **context) -> Response:
    token = secrets.token_urlsafe(32)
    status = {None: 200, "wrong": 401, "locked": 429, "expired": 403}[error]
    response = render(request, "login.html", {"next": next_, "error": error, "login_csrf": token, **context}, status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, path=LOGIN_PATH, httponly=True, samesite="strict",
        secure=settings.console_secure_cookies,
    )  # fmt: skip
    return response


@router.get("/login")
async def login_page(request: Request, settings: SettingsDep, next: str = "/console", lang: str | None = None):
    """The sign-in form; `?lang=en` chooses the language before signing in (kept in a cookie)."""
    if lang in LANGUAGES:
        request.cookies[LANGUAGE_COOKIE] = lang  # this response already speaks it
    response = _login_page(request, settings, next_=safe_next(next))
    if lang in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, lang, path="/console", samesite="strict", secure=settings.console_secure_cookies,
            max_age=365 * 24 * 3600,
        )  # fmt: skip
    return response


@router.post("/login")
async def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    name: Annotated[PlainText, Form(max_length=100)] = "",
    password: Annotated[PlainText, Form(max_length=200)] = "",
    code: Annotated[PlainText, Form(max_length=12)] = "",
    csrf_token: Annotated[PlainText, Form(max_length=100)] = "",
    next: Annotated[PlainText, Form(max_length=2000)] = "/console",
):
    next_ = safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf_token.encode(), expected.encode()):
        return _login_page(request, settings, next_=next_, error="expired", name=name)
    try:
        token = await service.sign_in(
            session, name=name, password=password, code=code, address=client_address(request), now=now,
            settings=settings,
        )  # fmt: skip
    except service.SignInRefused as refused:
        error = "wrong" if refused.locked_until is None else "locked"
        return _login_page(request, settings, next_=next_, error=error, name=name, until=refused.locked_until)
    response = RedirectResponse(next_, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, path="/console", httponly=True, samesite="strict",
        secure=settings.console_secure_cookies,
    )  # fmt: skip
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/logout")
async def logout(request: Request, session: SessionDep, console_session: CsrfChecked, settings: SettingsDep):
    await service.sign_out(session, console_session=console_session, address=client_address(request))
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/console", httponly=True, samesite="strict", secure=settings.console_secure_cookies
    )
    return response
