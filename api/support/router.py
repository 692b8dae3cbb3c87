"""HTTP routes for support cases: ask for a person, list the cases, read one; and an unlinked chat's case."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import BorrowerDep, EventsDep, IdempotencyKey, NowDep, SessionDep, SettingsDep, require_service
from api.errors import not_found_response
from api.events.event import Event
from api.models import SupportCase
from api.settings import Settings
from api.support import service, unlinked
from api.support.keyed import Filed
from api.support.schemas import CaseCreate, CasePublic, CaseResult, ExpectedResponse, UnlinkedCaseCreate

router = APIRouter(prefix="/me/support-cases", tags=["support"], dependencies=[Depends(require_service)])
unlinked_router = APIRouter(prefix="/unlinked/support-cases", tags=["support"], dependencies=[Depends(require_service)])


def _expected(case: SupportCase, settings: Settings, now: datetime) -> ExpectedResponse | None:
    if case.status not in service.ACTIVE:
        return None
    staff = service.staff_availability(settings=settings, now=now)
    return ExpectedResponse(in_hours=staff.in_hours, staff_back_at=staff.staff_back_at)


def _public(case: SupportCase, settings: Settings, now: datetime) -> CasePublic:
    return CasePublic.model_validate(case).model_copy(update={"expected_response": _expected(case, settings, now)})


def _result(filed: Filed, settings: Settings, now: datetime, response: Response) -> CaseResult:
    """200 when the request joined the active case or came again under its key; `reopened` as it was first filed."""
    if filed.joined or not filed.new:
        response.status_code = status.HTTP_200_OK
    return CaseResult(**_public(filed.case, settings, now).model_dump(), reopened=filed.joined)


_REUSED = {409: {"description": "`idempotency_key_reused` for another request"}}


@router.post(
    "",
    response_model=CaseResult,
    status_code=status.HTTP_201_CREATED,
    summary="Ask for a person (opens a case or reuses the open one)",
    responses={
        200: {
            "description": "The borrower's open case was reused, or the same key and request again",
            "model": CaseResult,
        }
    }
    | _REUSED
    | not_found_response("loan"),
)
async def open_case(
    request: CaseCreate,
    borrower: BorrowerDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    response: Response,
    events: EventsDep,
    key: IdempotencyKey = None,
) -> CaseResult:
    """The answer tells whether staff are in and, if not, when they are back; a repeat with the same
    `Idempotency-Key` adds nothing to the case and answers as the first did (200)."""
    filed = await service.open_case(session, borrower=borrower, request=request, key=key, now=now)
    await events.publish(Event("queue.changed", {"case_id": filed.case.id}))
    return _result(filed, settings, now, response)


@router.get("", response_model=list[CasePublic], summary="The borrower's cases, newest first")
async def list_cases(
    borrower: BorrowerDep, session: SessionDep, settings: SettingsDep, now: NowDep
) -> list[CasePublic]:
    """Every case the borrower opened, with the expected response time for active ones."""
    return [_public(case, settings, now) for case in await service.list_for(session, borrower=borrower)]


@router.get("/{case_id}", response_model=CasePublic, summary="One case", responses=not_found_response("case"))
async def get_case(
    case_id: Annotated[int, Path(gt=0, lt=2**63)],
    borrower: BorrowerDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> CasePublic:
    """A case of the caller's; another borrower's id is answered as missing."""
    return _public(await service.get(session, borrower=borrower, case_id=case_id), settings, now)


@unlinked_router.post(
    "",
    response_model=CaseResult,
    status_code=status.HTTP_201_CREATED,
    summary="An unlinked chat asks for a person",
    responses={
        200: {
            "description": "The chat's active case was joined, or the same key and request again",
            "model": CaseResult,
        },
        409: {
            "description": "The chat is linked: ask as the borrower (`chat_linked`); `idempotency_key_reused` for "
            "another request"
        },
    },
)
async def open_unlinked_case(
    request: UnlinkedCaseCreate,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    response: Response,
    events: EventsDep,
    key: IdempotencyKey = None,
) -> CaseResult:
    """The Telegram account, its name and words; no borrower and no loan data. Tells when staff answer. A repeat
    with the same `Idempotency-Key` (unique per Telegram account) adds nothing."""
    filed = await unlinked.open_case(session, request=request, key=key, now=now)
    await events.publish(Event("queue.changed", {"case_id": filed.case.id}))
    return _result(filed, settings, now, response)


@unlinked_router.get(
    "/{telegram_user_id}",
    response_model=CasePublic,
    responses={404: {"description": "The chat has no active case (`support_case_not_found`)"}},
    summary="An unlinked chat's active case",
)
async def unlinked_case(
    telegram_user_id: Annotated[int, Path(gt=0, lt=2**63)], session: SessionDep, settings: SettingsDep, now: NowDep
) -> CasePublic:
    """Open or taken; a closed one is answered as missing."""
    return _public(await unlinked.active_case(session, telegram_user_id=telegram_user_id), settings, now)
