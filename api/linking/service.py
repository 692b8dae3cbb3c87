"""Linking and unlinking: the lock-out after repeated failures and the one-account-per-borrower rule."""

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from api import audit
from api.errors import ApiError
from api.linking import second_factor
from api.linking.schemas import LinkRequest
from api.models import Borrower, LinkAttempt, LoanStatus
from api.settings import Settings


async def _failures_since(session: AsyncSession, telegram_user_id: int, since: datetime) -> list[datetime]:
    rows = await session.scalars(
        select(LinkAttempt.at)
        .where(
            LinkAttempt.telegram_user_id == telegram_user_id,
            LinkAttempt.at > since,
            LinkAttempt.success.is_(False),
        )
        .order_by(LinkAttempt.at)
    )
    return list(rows)


def _locked(failures: list[datetime], *, settings: Settings) -> ApiError:
    unlock_at = failures[-settings.link_max_failures] + timedelta(minutes=settings.link_window_minutes)
    return ApiError(
        429,
        "link_locked",
        "Too many failed attempts; linking is locked for a while.",
        locked_until=unlock_at.isoformat(),
    )


async def link(session: AsyncSession, *, request: LinkRequest, settings: Settings, now: datetime) -> Borrower:
    """Link the Telegram user to the borrower with this phone if the second factor matches."""
    window_start = now - timedelta(minutes=settings.link_window_minutes)
    failures = await _failures_since(session, request.telegram_user_id, window_start)
    if len(failures) >= settings.link_max_failures:
        raise _locked(failures, settings=settings)

    borrower = await session.scalar(
        select(Borrower).where(Borrower.phone == request.phone).options(selectinload(Borrower.loans))
    )
    if borrower is None or not second_factor.matches(borrower, request.second_factor):
        session.add(LinkAttempt(telegram_user_id=request.telegram_user_id, at=now, success=False))
        audit.record(session, actor="bot", action="link_failed", entity="telegram_user")
        await session.commit()
        failures.append(now)
        if len(failures) >= settings.link_max_failures:
            raise _locked(failures, settings=settings)
        raise ApiError(
            403,
            "link_failed",
            "The phone number and the second factor do not match our records.",
            attempts_left=settings.link_max_failures - len(failures),
        )

    if borrower.telegram_user_id not in (None, request.telegram_user_id):
        raise ApiError(409, "borrower_linked_elsewhere", "This borrower is linked to another Telegram account.")
    other = await session.scalar(
        select(func.count())
        .select_from(Borrower)
        .where(Borrower.telegram_user_id == request.telegram_user_id, Borrower.id != borrower.id)
    )
    if other:
        raise ApiError(409, "telegram_linked_elsewhere", "This Telegram account is linked to another borrower.")

    borrower.telegram_user_id = request.telegram_user_id
    borrower.linked_at = borrower.linked_at or now
    borrower.personal_data_consent_at = now
    borrower.unreachable_since = None
    if request.language:
        borrower.language = request.language
    active = [loan for loan in borrower.loans if loan.status is LoanStatus.ACTIVE] or borrower.loans
    if borrower.selected_loan_id is None and len(active) == 1:
        borrower.selected_loan_id = active[0].id
    session.add(LinkAttempt(telegram_user_id=request.telegram_user_id, at=now, success=True))
    await session.execute(
        delete(LinkAttempt).where(
            LinkAttempt.telegram_user_id == request.telegram_user_id, LinkAttempt.success.is_(False)
        )
    )
    audit.record(session, actor="bot", action="link", entity="borrower", entity_id=borrower.id)
    await session.commit()
    return borrower


async def unlink(session: AsyncSession, *, borrower: Borrower) -> None:
    """Forget the Telegram account; the loan data stays with the bank."""
    borrower.telegram_user_id = None
    borrower.linked_at = None
    borrower.selected_loan_id = None
    audit.record(session, actor="bot", action="unlink", entity="borrower", entity_id=borrower.id)
    await session.commit()
