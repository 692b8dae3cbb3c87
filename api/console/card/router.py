"""The borrower card's pages: find a borrower, their card, and a case's transcript shown on it (htmx)."""

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from api.console.card.borrower import borrower_card
from api.console.card.cases import case_transcript
from api.console.card.search import QUERY_MAX_LENGTH, find_borrowers
from api.console.deps import ConsoleMember
from api.console.labels import action_label, label
from api.console.templating import console_language, render, translations
from api.deps import NowDep, SessionDep, SettingsDep
from api.engine import InstallmentKind
from api.errors import ApiError
from api.models import CaseReason, MessageKind
from api.schemas import PlainText

router = APIRouter(prefix="/borrowers")

RecordId = Annotated[int, Path(gt=0, lt=2**63)]
SearchQuery = Annotated[PlainText, Query(max_length=QUERY_MAX_LENGTH)]


def _labels(request: Request) -> dict:
    """`label` and `action_label` for the templates, in the page's language."""
    gettext = translations(console_language(request)).gettext
    return {
        "label": partial(label, gettext=gettext),
        "action_label": partial(action_label, gettext=gettext),
        # codes the schemas and JSON columns hold as plain strings, made members again to find their words
        "CaseReason": CaseReason,
        "InstallmentKind": InstallmentKind,
        "MessageKind": MessageKind,
    }


@router.get("")
async def search(request: Request, member: ConsoleMember, session: SessionDep, q: SearchQuery = ""):
    """Borrowers by contract number or name."""
    matches = await find_borrowers(session, q) if q.strip() else None
    return render(request, "card/search.html", {"q": q, "matches": matches, "missing": False})


@router.get("/{borrower_id}")
async def card(
    request: Request,
    borrower_id: RecordId,
    member: ConsoleMember,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
):
    """Everything on one borrower that the member's role may see; an unknown id is a 404 page with the search."""
    try:
        found = await borrower_card(session, borrower_id=borrower_id, viewer=member, settings=settings, now=now)
    except ApiError as error:
        if error.status != 404:
            raise
        return render(request, "card/search.html", {"q": "", "matches": None, "missing": True}, status_code=404)
    return render(request, "card/card.html", {"card": found, "q": "", **_labels(request)})


@router.get("/{borrower_id}/cases/{case_id}/transcript")
async def transcript(
    request: Request, borrower_id: RecordId, case_id: RecordId, member: ConsoleMember, session: SessionDep
):
    """One of the borrower's cases' transcript, read (and audited) when the member asks for it."""
    try:
        read = await case_transcript(session, borrower_id=borrower_id, case_id=case_id, staff=member)
    except ApiError as error:
        if error.status != 404:
            raise
        return render(request, "card/transcript.html", {"transcript": None}, status_code=404)
    return render(request, "card/transcript.html", {"transcript": read, **_labels(request)})
