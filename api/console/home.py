"""The console's landing page (who is signed in, the sections) and the language switch."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from api.console.deps import ConsoleMember, CsrfChecked, safe_next
from api.console.templating import LANGUAGE_COOKIE, LANGUAGES, render
from api.deps import SessionDep, SettingsDep
from api.schemas import PlainText

router = APIRouter()


async def home(request: Request, member: ConsoleMember):
    """GET /console (added in api/console/router.py: a router cannot hold an empty path)."""
    return render(request, "home.html")


@router.post("/language")
async def choose_language(
    session: SessionDep,
    settings: SettingsDep,
    member: ConsoleMember,
    _: CsrfChecked,
    language: Annotated[PlainText, Form()],
    next: Annotated[PlainText, Form()] = "/console",
):
    """Keep the member's language (and the browser's, for the sign-in page) and go back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if language in LANGUAGES:
        member.language = language
        await session.commit()
        response.set_cookie(
            LANGUAGE_COOKIE, language, path="/console", samesite="strict", secure=settings.console_secure_cookies,
            max_age=365 * 24 * 3600,
        )  # fmt: skip
    return response
