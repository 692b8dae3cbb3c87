"""Support cases: one open case per borrower, reused and updated by a new request, with staff availability."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from api import audit
from api.errors import not_found
from api.models import Borrower, CaseReason, CaseStatus, Loan, SupportCase
from api.settings import Settings
from api.support import keyed, reasons
from api.support.hours import StaffAvailability, availability
from api.support.keyed import Filed
from api.support.schemas import CaseCreate

#: How many dialog steps a case keeps: the newest.
KEPT_STEPS = 50
MAX_SUMMARY = 2000  # the column's length
ACTIVE = (CaseStatus.OPEN, CaseStatus.TAKEN)
#: Reasons of a chat case: the borrower asked for a person in the chat, which is relayed to the staff group while
#: the case is active. Other reasons (early repayment, refinancing, ...) are back-office requests, not relayed.
CHAT_REASONS = (
    CaseReason.HARDSHIP,
    CaseReason.REQUESTED,
    CaseReason.MISUNDERSTOOD,
    CaseReason.COMPLAINT,
    CaseReason.LOW_RATING,
)


def staff_availability(*, settings: Settings, now: datetime) -> StaffAvailability:
    return availability(
        now, start_hour=settings.staff_hours_start, end_hour=settings.staff_hours_end, zone=settings.bank_zone
    )


async def _check_loan(session: AsyncSession, borrower_id: int, loan_id: int | None) -> None:
    if loan_id is None:
        return
    if await session.scalar(select(Loan.id).where(Loan.id == loan_id, Loan.borrower_id == borrower_id)) is None:
        raise not_found("loan")


async def open_case(
    session: AsyncSession, *, borrower: Borrower, request: CaseCreate, key: str | None = None, now: datetime
) -> Filed:
    """Reuse the borrower's open or taken case (steps, the new request and its reason added; hardship, then a
    complaint, leads the case) or open a new one; the same request again under its idempotency `key` adds nothing.

    Two requests at once cannot open two cases: the partial unique index refuses the second, which then
    finds and reuses the first; requests joining the case are held one after another (`locked_active`), and one
    under a key already noted finds it there (or, at once with it, is refused by the key's unique constraint).
    """
    await _check_loan(session, borrower.id, request.loan_id)
    try:
        return await _open_or_reuse(session, borrower=borrower, request=request, key=key, now=now)
    except IntegrityError:
        await session.rollback()
        await session.refresh(borrower)
        return await _open_or_reuse(session, borrower=borrower, request=request, key=key, now=now)


async def _open_or_reuse(
    session: AsyncSession, *, borrower: Borrower, request: CaseCreate, key: str | None, now: datetime
) -> Filed:
    case = await locked_active(session, SupportCase.borrower_id == borrower.id)
    owner = {"borrower_id": borrower.id}
    if (filed := await keyed.earlier(session, owner, key, request)) is not None:
        await session.commit()  # the lock is let go; nothing was written
        return filed
    reused = case is not None
    if case is None:
        case = SupportCase(
            borrower_id=borrower.id,
            loan_id=request.loan_id,
            reason=CaseReason(request.reason),
            reasons=[CaseReason(request.reason).value],
            summary=request.summary,
            details=request.details,
            recent_steps=request.recent_steps[-KEPT_STEPS:],
            status=CaseStatus.OPEN,
            created_at=now,
        )
        session.add(case)
        await session.flush()
    else:
        case.details = {**case.details, **request.details}
        case.loan_id = request.loan_id or case.loan_id
        join(case, reason=request.reason, summary=request.summary, steps=request.recent_steps)
    filed = Filed(case, joined=reused)
    keyed.note(session, filed, owner, key, request)
    audit.record(
        session,
        actor="bot",
        action="reuse_case" if reused else "open_case",
        entity="support_case",
        entity_id=case.id,
        reason=request.reason,
    )
    await session.commit()
    return filed


async def locked_active(session: AsyncSession, *conditions: ColumnElement[bool]) -> SupportCase | None:
    """The active case meeting `conditions`, held to the commit so requests at once join it one after another and
    none of their words is lost: PostgreSQL locks the row FOR UPDATE; SQLite takes the database's write lock with a
    no-op write first (a write even when no case matches), so the read is the latest and no other write lands."""
    active = (*conditions, SupportCase.status.in_(ACTIVE))
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(SupportCase)
            .where(*active)
            .values(status=SupportCase.status)
            .execution_options(synchronize_session=False)
        )
    return await session.scalar(
        select(SupportCase)
        .where(*active)
        .order_by(SupportCase.id.desc())
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def join(case: SupportCase, *, reason: CaseReason, summary: str, steps: list[str]) -> None:
    """A further request on an active case: its reason kept beside the others, its words and steps appended."""
    case.reasons = reasons.ordered([*case.reasons, reason])
    case.reason = reasons.leading(case.reasons)
    case.recent_steps = [*case.recent_steps, *steps][-KEPT_STEPS:]
    if summary and summary not in case.summary:
        case.summary = joined_summary(case.summary, summary)


def joined_summary(summary: str, addition: str) -> str:
    """A further request added to the case's summary, so staff see every request; the newest kept whole."""
    joined = f"{summary}\n\n{addition}" if summary else addition
    return joined[-MAX_SUMMARY:]


async def list_for(session: AsyncSession, *, borrower: Borrower) -> list[SupportCase]:
    """The borrower's cases, newest first."""
    rows = await session.scalars(
        select(SupportCase)
        .where(SupportCase.borrower_id == borrower.id)
        .order_by(SupportCase.created_at.desc(), SupportCase.id.desc())
    )
    return list(rows)


def is_chat_case(case: SupportCase) -> bool:
    """A person was asked for in the chat, by this case's first request or a later one."""
    return any(reason in CHAT_REASONS for reason in case.reasons)


async def active_chat_case(session: AsyncSession, *, borrower_id: int) -> SupportCase | None:
    """The borrower's active chat case (at most one: one active case per borrower), or None."""
    case = await session.scalar(
        select(SupportCase).where(SupportCase.borrower_id == borrower_id, SupportCase.status.in_(ACTIVE))
    )
    return case if case is not None and is_chat_case(case) else None


async def get(session: AsyncSession, *, borrower: Borrower, case_id: int) -> SupportCase:
    """One of the borrower's cases; anyone else's is answered as missing."""
    case = await session.scalar(
        select(SupportCase).where(SupportCase.id == case_id, SupportCase.borrower_id == borrower.id)
    )
    if case is None:
        raise not_found("support_case")
    return case
