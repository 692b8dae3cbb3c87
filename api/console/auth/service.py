"""Signing in (name, password and TOTP code, all three or nothing) and out, audited with the client address."""

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.console.auth import lockout, sessions, totp
from api.console.auth.passwords import password_matches
from api.models import ConsoleSession, StaffMember
from api.settings import Settings

log = logging.getLogger(__name__)


class SignInRefused(Exception):
    """The sign-in failed; `locked_until` is set when the lock-out is (now) in force."""

    def __init__(self, locked_until: datetime | None = None) -> None:
        super().__init__("sign-in refused")
        self.locked_until = locked_until


def _actor(member: StaffMember | None) -> str:
    return f"staff:{member.id}" if member else "unknown"


async def sign_in(
    session: AsyncSession, *, name: str, password: str, code: str, address: str, now: datetime, settings: Settings
) -> str:
    """The new session's cookie value; raises SignInRefused. The password and the code are never stored or logged,
    and a refusal does not say which of the three was wrong."""
    member = await session.scalar(
        select(StaffMember).where(StaffMember.name == " ".join(name.split()), StaffMember.active)
    )
    staff_id = member.id if member else None
    until = await lockout.locked_until(session, staff_id=staff_id, address=address, now=now, settings=settings)
    if until is not None:
        audit.record(
            session, actor=_actor(member), action="console_sign_in_locked", entity="staff_member",
            entity_id=staff_id, address=address,
        )  # fmt: skip
        await session.commit()
        log.warning("console sign-in refused while locked: %s from %s", _actor(member), address)
        raise SignInRefused(locked_until=until)
    step = None
    if await password_matches(member.password_hash if member else None, password) and member and member.totp_secret:
        step = totp.matching_step(member.totp_secret, code, now)
        if step is not None and member.totp_last_step is not None and step <= member.totp_last_step:
            step = None  # a code already used (replayed) is refused like a wrong one
    if member is None or step is None:
        lockout.count_failure(session, staff_id=staff_id, address=address, now=now)
        audit.record(
            session, actor=_actor(member), action="console_sign_in_failed", entity="staff_member",
            entity_id=staff_id, address=address,
        )  # fmt: skip
        await session.commit()
        log.warning("console sign-in failed: %s from %s", _actor(member), address)
        raise SignInRefused(
            locked_until=await lockout.locked_until(
                session, staff_id=staff_id, address=address, now=now, settings=settings
            )
        )
    member.totp_last_step = step
    await lockout.forget_failures(session, staff_id=member.id)
    console_session, token = await sessions.open_session(session, member=member, address=address, now=now)
    audit.record(
        session, actor=_actor(member), action="console_sign_in", entity="console_session",
        entity_id=console_session.id, address=address,
    )  # fmt: skip
    await session.commit()
    log.info("console sign-in: %s from %s", _actor(member), address)
    return token


async def sign_out(session: AsyncSession, *, console_session: ConsoleSession, address: str) -> None:
    audit.record(
        session, actor=f"staff:{console_session.staff_id}", action="console_sign_out", entity="console_session",
        entity_id=console_session.id, address=address,
    )  # fmt: skip
    await session.delete(console_session)
    await session.commit()
    log.info("console sign-out: staff:%s from %s", console_session.staff_id, address)
