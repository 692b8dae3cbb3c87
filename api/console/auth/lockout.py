"""The sign-in lock-out: too many failures of one member, or from one address, within the window lock it."""

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import ConsoleSignInFailure
from api.settings import Settings


async def locked_until(
    session: AsyncSession, *, staff_id: int | None, address: str, now: datetime, settings: Settings
) -> datetime | None:
    """When the lock-out on this member or this address lifts, or None when neither is locked."""
    window = timedelta(minutes=settings.console_lockout_minutes)
    limits: list[tuple[ColumnElement[bool], int]] = [
        (ConsoleSignInFailure.address == address, settings.console_address_max_failures)
    ]
    if staff_id is not None:
        limits.append((ConsoleSignInFailure.staff_id == staff_id, settings.console_max_failures))
    lifts = []
    for condition, limit in limits:
        # The limit-th newest failure in the window: once it leaves the window, fewer than `limit` remain.
        nth_newest = await session.scalar(
            select(ConsoleSignInFailure.at)
            .where(condition, ConsoleSignInFailure.at > now - window)
            .order_by(ConsoleSignInFailure.at.desc())
            .offset(limit - 1)
            .limit(1)
        )
        if nth_newest is not None:
            lifts.append(nth_newest + window)
    return max(lifts, default=None)


def count_failure(session: AsyncSession, *, staff_id: int | None, address: str, now: datetime) -> None:
    session.add(ConsoleSignInFailure(at=now, staff_id=staff_id, address=address))


async def forget_failures(session: AsyncSession, *, staff_id: int) -> None:
    """A successful sign-in clears the member's own failures (the address's stay counted)."""
    await session.execute(delete(ConsoleSignInFailure).where(ConsoleSignInFailure.staff_id == staff_id))
