"""HTTP routes for the bot's relay (service token): staff by Telegram id, cases and topics, the card, messages."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import EventsDep, NowDep, SessionDep, SettingsDep, require_service
from api.events.event import Event
from api.relay import card, messages, service
from api.relay.schemas import (
    CaseCard,
    CloseRequest,
    CopyCreate,
    MessageCreate,
    MessagePublic,
    RelayCase,
    RelayStaff,
    TakeRequest,
    TopicSet,
)

router = APIRouter(prefix="/relay", tags=["relay"], dependencies=[Depends(require_service)])

Id = Annotated[int, Path(gt=0, lt=2**63)]
_CASE = {404: {"description": "No such case (`case_not_found`)"}}
_ACTIVE_CASE = {**_CASE, 409: {"description": "The case is closed (`case_closed`)"}}
_STAFF_AND_CASE = {
    404: {"description": "`staff_not_found` (no active staff member with that Telegram id) or `case_not_found`"},
    409: {"description": "The case is closed (`case_closed`)"},
}


@router.get(
    "/staff/{telegram_user_id}",
    response_model=RelayStaff,
    responses={404: {"description": "No active staff member with that Telegram id (`staff_not_found`)"}},
    summary="A staff member by Telegram id",
)
async def staff_member(telegram_user_id: Id, session: SessionDep) -> RelayStaff:
    """Only active staff members may reply in the staff group; anyone else's messages are ignored."""
    return RelayStaff.model_validate(await service.active_staff(session, telegram_user_id))


@router.get("/cases/{case_id}", response_model=RelayCase, responses=_CASE, summary="A case as the bot relays it")
async def get_case(case_id: Id, session: SessionDep, settings: SettingsDep, now: NowDep) -> RelayCase:
    """The borrower's chat, the topic, who holds the case, and whether staff are in now."""
    case = await service.get_case(session, case_id)
    return await service.relay_case(session, case, settings=settings, now=now)


@router.get("/topics/{topic_id}", response_model=RelayCase, responses=_CASE, summary="The case of a staff topic")
async def case_of_topic(topic_id: Id, session: SessionDep, settings: SettingsDep, now: NowDep) -> RelayCase:
    """The newest case relayed into the topic, closed included (so the bot can tell staff it is closed)."""
    case = await service.case_by_topic(session, topic_id)
    return await service.relay_case(session, case, settings=settings, now=now)


@router.put("/cases/{case_id}/topic", response_model=RelayCase, responses=_ACTIVE_CASE, summary="Set the case's topic")
async def set_topic(
    case_id: Id, request: TopicSet, session: SessionDep, settings: SettingsDep, now: NowDep
) -> RelayCase:
    """A topic recreated after it was deleted or closed replaces the old id."""
    case = await service.set_topic(session, case_id=case_id, topic_id=request.topic_id)
    return await service.relay_case(session, case, settings=settings, now=now)


@router.get("/cases/{case_id}/card", response_model=CaseCard, responses=_CASE, summary="The case's summary card")
async def case_card(case_id: Id, session: SessionDep, now: NowDep) -> CaseCard:
    """Why the borrower asked, loans with arrears yes/no, open applications; no phone, last name or contract."""
    return await card.case_card(session, case=await service.get_case(session, case_id), now=now)


@router.post(
    "/cases/{case_id}/messages",
    response_model=MessagePublic,
    status_code=status.HTTP_201_CREATED,
    responses={**_STAFF_AND_CASE, 200: {"description": "Stored before: the first copy", "model": MessagePublic}},
    summary="Store a relayed message or a staff note",
)
async def store_message(
    case_id: Id, request: MessageCreate, session: SessionDep, now: NowDep, response: Response, events: EventsDep
) -> MessagePublic:
    """Stored once per (case, direction, Telegram message id); a retry answers 200 with the first copy."""
    stored, created = await messages.store(session, case_id=case_id, message=request, now=now)
    if created:
        await events.publish(Event("case.message", {"case_id": case_id, "message_id": stored.id}))
    else:
        response.status_code = status.HTTP_200_OK
    return MessagePublic.model_validate(stored)


@router.post(
    "/cases/{case_id}/copies",
    response_model=MessagePublic,
    status_code=status.HTTP_201_CREATED,
    responses={**_STAFF_AND_CASE, 200: {"description": "Queued before: the first copy", "model": MessagePublic}},
    summary="Queue a relayed message's copy",
)
async def queue_copy(
    case_id: Id, request: CopyCreate, session: SessionDep, now: NowDep, response: Response, events: EventsDep
) -> MessagePublic:
    """Stored in the transcript with the relay task that copies it (the borrower's into the topic, a staff reply to
    the borrower), in one transaction; a retry with the same Telegram message id answers 200 and queues nothing."""
    stored, created = await messages.store(
        session, case_id=case_id, message=request, now=now, copy_from=request.source_chat_id
    )
    if created:
        await events.publish(Event("case.message", {"case_id": case_id, "message_id": stored.id}))
    else:
        response.status_code = status.HTTP_200_OK
    return MessagePublic.model_validate(stored)


@router.post("/cases/{case_id}/take", response_model=RelayCase, responses=_STAFF_AND_CASE, summary="Take a case")
async def take_case(
    case_id: Id, request: TakeRequest, session: SessionDep, settings: SettingsDep, now: NowDep, events: EventsDep
) -> RelayCase:
    """Assign the case to the staff member, also from a colleague who holds it (audited)."""
    staff = await service.active_staff(session, request.staff_telegram_id)
    case = await service.take(session, case_id=case_id, staff=staff, now=now)
    await events.publish(Event("case.changed", {"case_id": case_id}))
    return await service.relay_case(session, case, settings=settings, now=now)


@router.post(
    "/cases/{case_id}/close",
    response_model=RelayCase,
    responses={404: _STAFF_AND_CASE[404]},
    summary="Close a case",
)
async def close_case(
    case_id: Id, request: CloseRequest, session: SessionDep, settings: SettingsDep, now: NowDep, events: EventsDep
) -> RelayCase:
    """By a staff member, or (no staff id) because the borrower left or blocked the bot; closing twice is a no-op."""
    staff = None
    if request.staff_telegram_id is not None:
        staff = await service.active_staff(session, request.staff_telegram_id)
    case = await service.close(session, case_id=case_id, staff=staff, blocked=request.blocked, now=now)
    await events.publish(Event("case.changed", {"case_id": case_id}))
    return await service.relay_case(session, case, settings=settings, now=now)
