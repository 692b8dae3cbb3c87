"""Cases of chats not linked to a borrower: the Telegram account, its name and words, never a loan; one active
case per chat, reused by a further request."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.errors import ApiError, not_found
from api.models import Borrower, CaseReason, CaseStatus, SupportCase
from api.support import keyed
from api.support.keyed import Filed
from api.support.schemas import UnlinkedCaseCreate
from api.support.service import ACTIVE, KEPT_STEPS, join, locked_active


async def _active(session: AsyncSession, telegram_user_id: int) -> SupportCase | None:
    return await session.scalar(
        select(SupportCase).where(
            SupportCase.telegram_user_id == telegram_user_id,
            SupportCase.borrower_id.is_(None),
            SupportCase.status.in_(ACTIVE),
        )
    )


async def open_case(
    session: AsyncSession, *, request: UnlinkedCaseCreate, key: str | None = None, now: datetime
) -> Filed:
    """Open the chat's case, or join its active one; a linked chat asks as the borrower instead (409). The same
    request again under its idempotency `key` (unique per Telegram account) adds nothing.

    Two requests at once open one case: the partial unique index refuses the second, which then joins the first.
    """
    linked = await session.scalar(select(Borrower.id).where(Borrower.telegram_user_id == request.telegram_user_id))
    if linked is not None:
        raise ApiError(409, "chat_linked", "This chat is linked to a borrower: open the case as the borrower.")
    try:
        return await _open_or_join(session, request=request, key=key, now=now)
    except IntegrityError:
        await session.rollback()
        return await _open_or_join(session, request=request, key=key, now=now)


async def _open_or_join(session: AsyncSession, *, request: UnlinkedCaseCreate, key: str | None, now: datetime) -> Filed:
    case = await locked_active(
        session, SupportCase.telegram_user_id == request.telegram_user_id, SupportCase.borrower_id.is_(None)
    )
    owner = {"telegram_user_id": request.telegram_user_id}
    if (filed := await keyed.earlier(session, owner, key, request)) is not None:
        await session.commit()  # the lock is let go; nothing was written
        return filed
    reused = case is not None
    if case is None:
        case = SupportCase(
            borrower_id=None,
            telegram_user_id=request.telegram_user_id,
            telegram_name=request.telegram_name,
            reason=CaseReason(request.reason),
            reasons=[CaseReason(request.reason).value],
            summary=request.summary,
            details={"language": request.language},
            recent_steps=request.recent_steps[-KEPT_STEPS:],
            status=CaseStatus.OPEN,
            created_at=now,
        )
        session.add(case)
        await session.flush()
    else:
        case.telegram_name = request.telegram_name or case.telegram_name
        case.details = {**case.details, "language": request.language}
        join(case, reason=CaseReason(request.reason), summary=request.summary, steps=request.recent_steps)
    filed = Filed(case, joined=reused)
    keyed.note(session, filed, owner, key, request)
    audit.record(
        session,
        actor="bot",
        action="reuse_case" if reused else "open_case",
        entity="support_case",
        entity_id=case.id,
        reason=request.reason,
        linked=False,
    )
    await session.commit()
    return filed


async def active_case(session: AsyncSession, *, telegram_user_id: int) -> SupportCase:
    """The unlinked chat's open or taken case; 404 when it has none."""
    case = await _active(session, telegram_user_id)
    if case is None:
        raise not_found("support_case")
    return case
