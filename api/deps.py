"""FastAPI dependencies: session, settings, clock, the three kinds of caller and the borrower's own records.

The small ones are `async def` though they never wait: FastAPI runs a plain `def` dependency in its thread pool,
a hop that costs more than the work."""

import hashlib
import hmac
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from sqlalchemy import bindparam, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from api.certificates.drawing import Drawing
from api.errors import ApiError, not_found
from api.events.bus import EventBus
from api.models import Borrower, Loan, StaffMember, StaffRole
from api.settings import Settings

log = logging.getLogger(__name__)
_bearer = HTTPBearer(auto_error=False, description="A service, integration or staff token.")


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_now(request: Request) -> datetime:
    return request.app.state.clock()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session, closed once it is answered. A connection lost by then (killed, the server restarted)
    has taken its transaction with it and is dropped from the pool; the answer already given stands, so closing
    over it is not an error of the request's (api/ops/retry.py runs again one lost before the answer)."""
    session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        try:
            await session.close()
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            log.warning("the database connection was lost before the session closed; dropped from the pool")


async def get_events(request: Request) -> EventBus:
    return request.app.state.events


async def get_drawing(request: Request) -> Drawing:
    return request.app.state.drawing


SettingsDep = Annotated[Settings, Depends(get_settings)]
EventsDep = Annotated[EventBus, Depends(get_events)]
DrawingDep = Annotated[Drawing, Depends(get_drawing)]
NowDep = Annotated[datetime, Depends(get_now)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _check_token(credentials: HTTPAuthorizationCredentials | None, expected: str) -> None:
    if credentials is None:
        raise ApiError(401, "unauthorized", "A bearer token is required.")
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "The token is not valid for this API.")


async def require_service(credentials: BearerDep, settings: SettingsDep) -> None:
    """The bot and the scheduler call with the service token."""
    _check_token(credentials, settings.service_token.get_secret_value())


async def require_integration(credentials: BearerDep, settings: SettingsDep) -> None:
    """The bank's systems call with the integration token."""
    _check_token(credentials, settings.integration_token.get_secret_value())


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def current_staff(credentials: BearerDep, session: SessionDep) -> StaffMember:
    if credentials is None:
        raise ApiError(401, "unauthorized", "A bearer token is required.")
    staff = await session.scalar(
        select(StaffMember).where(StaffMember.token_sha256 == token_digest(credentials.credentials), StaffMember.active)
    )
    if staff is None:
        raise ApiError(401, "unauthorized", "The token is not valid for this API.")
    return staff


StaffDep = Annotated[StaffMember, Depends(current_staff)]


async def require_supervisor(staff: StaffDep) -> StaffMember:
    if staff.role is not StaffRole.SUPERVISOR:
        raise ApiError(403, "forbidden", "This action needs the supervisor role.")
    return staff


SupervisorDep = Annotated[StaffMember, Depends(require_supervisor)]


def _digits_only(value: object) -> object:
    """A Telegram id as the bot sends it: ASCII digits only (no sign, `_`, point, exponent or other script)."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be digits only")
    return value


TelegramUserId = Annotated[
    int,
    BeforeValidator(_digits_only),
    Header(
        alias="X-Telegram-User-Id",
        gt=0,
        lt=2**63,
        description="The Telegram user on whose behalf the bot calls.",
    ),
]


#: Built once, bound per call: on a bot's read, building the statement cost about as much as running it.
_LINKED_BORROWER = (
    select(Borrower)
    .where(Borrower.telegram_user_id == bindparam("telegram_user_id"))
    .options(joinedload(Borrower.loans))
)


async def current_borrower(telegram_user_id: TelegramUserId, session: SessionDep) -> Borrower:
    """The borrower linked to the calling Telegram user; an unlinked chat sees no loan data."""
    result = await session.scalars(_LINKED_BORROWER, {"telegram_user_id": telegram_user_id})
    borrower = result.unique().one_or_none()
    if borrower is None:
        raise ApiError(403, "not_linked", "This Telegram account is not linked to a borrower.")
    return borrower


BorrowerDep = Annotated[Borrower, Depends(current_borrower)]

#: The bot's key for one press of the borrower's: a repeat with it returns what the first stored, never a second.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="Chosen by the bot per request (8–64 of A–Z a–z 0–9 _ -); a repeat returns the stored one.",
    ),
]


async def owned_loan(borrower: BorrowerDep, session: SessionDep, loan_id: Annotated[int, Path(gt=0, lt=2**63)]) -> Loan:
    """A loan of the calling borrower (loaded with them); anyone else's id is answered as if it did not exist."""
    loan = next((loan for loan in borrower.loans if loan.id == loan_id), None)
    if loan is None:
        raise not_found("loan")
    return loan


LoanDep = Annotated[Loan, Depends(owned_loan)]
