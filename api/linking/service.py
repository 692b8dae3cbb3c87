"""Linking and unlinking: the lock-out after repeated failures and the one-account-per-borrower rule.

Failures are counted per Telegram account and per borrower (the phone's), so an attacker who rotates accounts
against one borrower's phone is locked out as surely as one who keeps to one account.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from api import audit
from api.errors import ApiError
from api.linking import second_factor
from api.linking.schemas import LinkRequest
from api.models import Borrower, LinkAttempt, LoanStatus
from api.outbox.replanning import replan_borrower
from api.settings import Settings


async def _failures_since(
    session: AsyncSession, *, telegram_user_id: int, borrower_id: int | None, since: datetime
) -> tuple[list[datetime], list[datetime]]:
    """The failures in the window, oldest first: of this Telegram account, and of this borrower (by any account)."""
    rows = await session.execute(
        select(LinkAttempt.at, LinkAttempt.telegram_user_id, LinkAttempt.borrower_id)
        .where(
            or_(LinkAttempt.telegram_user_id == telegram_user_id, LinkAttempt.borrower_id == borrower_id)
            if borrower_id is not None
            else LinkAttempt.telegram_user_id == telegram_user_id,
            LinkAttempt.at > since,
            LinkAttempt.success.is_(False),
        )
        .order_by(LinkAttempt.at)
    )
    found = rows.all()
    by_account = [row.at for row in found if row.telegram_user_id == telegram_user_id]
    by_borrower = [row.at for row in found if borrower_id is not None and row.borrower_id == borrower_id]
    return by_account, by_borrower


def _lock_out(*failures: list[datetime], settings: Settings) -> ApiError | None:
    """The lock when either count has reached the limit, lifting when the later of them lifts."""
    full = [found for found in failures if len(found) >= settings.link_max_failures]
    if not full:
        return None
    return max((_locked(found, settings=settings) for found in full), key=lambda e: e.details["locked_until"])


def _locked(failures: list[datetime], *, settings: Settings) -> ApiError:
    unlock_at = failures[-settings.link_max_failures] + timedelta(minutes=settings.link_window_minutes)
    return ApiError(
        429,
        "link_locked",
        "Too many failed attempts; linking is locked for a while.",
        locked_until=unlock_at.isoformat(),
    )


#: The first key of the advisory locks that judge one Telegram account's attempts at a time ("LINK").
_ACCOUNT_LOCK = 0x4C494E4B


async def _one_at_a_time(session: AsyncSession, *, telegram_user_id: int, phone: str) -> None:
    """Attempts from one Telegram account, and at one borrower's phone, are judged one after another, so twenty sent
    at once are counted against the limit one by one and only one of them can link the borrower. PostgreSQL: an
    advisory lock on the account, then the borrower's row; SQLite: the first write takes the database's write lock
    (the statement is a write even when no borrower has the phone), held to the commit."""
    if session.get_bind().dialect.name == "postgresql":
        account = telegram_user_id % 2_147_483_647
        await session.execute(select(func.pg_advisory_xact_lock(_ACCOUNT_LOCK, account)))
    await session.execute(update(Borrower).where(Borrower.phone == phone).values(phone=Borrower.phone))


async def link(session: AsyncSession, *, request: LinkRequest, settings: Settings, now: datetime) -> Borrower:
    """Link the Telegram user to the borrower with this phone if the second factor matches."""
    answer = second_factor.parse(request.second_factor)  # a malformed answer is refused before anything counts
    await _one_at_a_time(session, telegram_user_id=request.telegram_user_id, phone=request.phone)
    borrower = await session.scalar(
        select(Borrower).where(Borrower.phone == request.phone).options(selectinload(Borrower.loans))
    )
    borrower_id = borrower.id if borrower is not None else None
    window_start = now - timedelta(minutes=settings.link_window_minutes)
    by_account, by_borrower = await _failures_since(
        session, telegram_user_id=request.telegram_user_id, borrower_id=borrower_id, since=window_start
    )
    if locked := _lock_out(by_account, by_borrower, settings=settings):
        raise locked

    if borrower is None or not second_factor.matches(borrower, answer):
        session.add(
            LinkAttempt(telegram_user_id=request.telegram_user_id, borrower_id=borrower_id, at=now, success=False)
        )
        audit.record(session, actor="bot", action="link_failed", entity="telegram_user")
        await session.commit()
        by_account.append(now)
        if borrower_id is not None:
            by_borrower.append(now)
        if locked := _lock_out(by_account, by_borrower, settings=settings):
            raise locked
        raise ApiError(
            403,
            "link_failed",
            "The phone number and the second factor do not match our records.",
            attempts_left=settings.link_max_failures - max(len(by_account), len(by_borrower)),
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
    session.add(LinkAttempt(telegram_user_id=request.telegram_user_id, borrower_id=borrower.id, at=now, success=True))
    await session.execute(
        delete(LinkAttempt).where(
            or_(LinkAttempt.telegram_user_id == request.telegram_user_id, LinkAttempt.borrower_id == borrower.id),
            LinkAttempt.success.is_(False),
        )
    )
    audit.record(session, actor="bot", action="link", entity="borrower", entity_id=borrower.id)
    await replan_borrower(session, borrower.id)
    await session.commit()
    return borrower


async def unlink(session: AsyncSession, *, borrower: Borrower) -> None:
    """Forget the Telegram account; the loan data stays with the bank."""
    borrower.telegram_user_id = None
    borrower.linked_at = None
    borrower.selected_loan_id = None
    audit.record(session, actor="bot", action="unlink", entity="borrower", entity_id=borrower.id)
    await replan_borrower(session, borrower.id)
    await session.commit()
