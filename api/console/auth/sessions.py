"""Console sessions in the database: a random id in the cookie, its SHA-256 stored, ended by idle time, age,
sign-out or the member's disabling."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import token_digest
from api.models import ConsoleSession, StaffMember
from api.settings import Settings

TOKEN_BYTES = 32


async def open_session(
    session: AsyncSession, *, member: StaffMember, address: str, now: datetime
) -> tuple[ConsoleSession, str]:
    """A new session for `member` and the cookie value that names it (not stored; the caller commits)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    console_session = ConsoleSession(
        staff_id=member.id,
        token_sha256=token_digest(token),
        created_at=now,
        last_seen_at=now,
        address=address,
    )
    session.add(console_session)
    await session.flush()
    return console_session, token


def csrf_token(token: str) -> str:
    """The session's CSRF token: derived from its id one way, so the page may show it and nothing stores it."""
    return hashlib.sha256(b"console-csrf\0" + token.encode()).hexdigest()


def _expired(console_session: ConsoleSession, *, now: datetime, settings: Settings) -> bool:
    idle = now - console_session.last_seen_at > timedelta(minutes=settings.console_idle_minutes)
    old = now - console_session.created_at > timedelta(hours=settings.console_session_hours)
    return idle or old


async def live_session(
    session: AsyncSession, *, token: str, now: datetime, settings: Settings
) -> tuple[ConsoleSession, StaffMember] | None:
    """The session the cookie names and its active member, touched as used now; None (and the session removed)
    when it is unknown, expired or its member disabled."""
    row = (
        await session.execute(
            select(ConsoleSession, StaffMember)
            .join(StaffMember, StaffMember.id == ConsoleSession.staff_id)
            .where(ConsoleSession.token_sha256 == token_digest(token))
        )
    ).one_or_none()
    if row is None:
        return None
    console_session, member = row
    if not member.active or _expired(console_session, now=now, settings=settings):
        await session.delete(console_session)
        await session.commit()
        return None
    console_session.last_seen_at = now
    await session.commit()
    return console_session, member


async def end_sessions(session: AsyncSession, *, staff_id: int) -> None:
    """End every session of the member (disabling, a new password or TOTP secret); the caller commits."""
    await session.execute(delete(ConsoleSession).where(ConsoleSession.staff_id == staff_id))
