"""Staff accounts: created with a random token kept only as its SHA-256, listed, disabled by name."""

import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.deps import token_digest
from api.errors import ApiError, not_found
from api.models import StaffMember, StaffRole

TOKEN_BYTES = 32
NAME_MAX_LENGTH = 100


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= NAME_MAX_LENGTH:
        raise ApiError(422, "invalid_name", f"A staff name has 1 to {NAME_MAX_LENGTH} characters.")
    return name


async def _by_name(session: AsyncSession, name: str) -> StaffMember | None:
    return await session.scalar(select(StaffMember).where(StaffMember.name == name))


async def add_staff(
    session: AsyncSession, *, name: str, role: StaffRole, actor: str, telegram_user_id: int | None = None
) -> tuple[StaffMember, str]:
    """Create a staff member; returns it with its token, which is not stored and cannot be shown again.

    With `telegram_user_id` the member is heard in the staff group's topics.
    """
    name = _clean_name(name)
    if await _by_name(session, name) is not None:
        raise ApiError(409, "staff_name_taken", "A staff member with this name already exists.")
    if telegram_user_id is not None and await session.scalar(
        select(StaffMember.id).where(StaffMember.telegram_user_id == telegram_user_id)
    ):
        raise ApiError(409, "staff_telegram_taken", "Another staff member has this Telegram account.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    member = StaffMember(
        name=name, role=role, token_sha256=token_digest(token), active=True, telegram_user_id=telegram_user_id
    )
    session.add(member)
    await session.flush()
    audit.record(session, actor=actor, action="create", entity="staff_member", entity_id=member.id, role=role.value)
    await session.commit()
    return member, token


async def ensure_staff(session: AsyncSession, *, name: str, role: StaffRole, token: str, actor: str) -> StaffMember:
    """The active member holding `token`, created or set to this name and role; the caller commits."""
    name, digest = _clean_name(name), token_digest(token)
    member = await session.scalar(select(StaffMember).where(StaffMember.token_sha256 == digest))
    if member is None:
        member = StaffMember(name=name, role=role, token_sha256=digest, active=True)
        session.add(member)
        await session.flush()
        audit.record(session, actor=actor, action="create", entity="staff_member", entity_id=member.id, role=role.value)
    elif (member.name, member.role, member.active) != (name, role, True):
        member.name, member.role, member.active = name, role, True
        audit.record(session, actor=actor, action="update", entity="staff_member", entity_id=member.id, role=role.value)
    return member


async def list_staff(session: AsyncSession) -> list[StaffMember]:
    """Every staff member, active or not, by name."""
    return list(await session.scalars(select(StaffMember).order_by(StaffMember.name, StaffMember.id)))


async def disable_staff(session: AsyncSession, *, name: str, actor: str) -> StaffMember:
    """Stop the member's token from working; disabling twice is harmless."""
    member = await _by_name(session, _clean_name(name))
    if member is None:
        raise not_found("staff_member")
    if member.active:
        member.active = False
        audit.record(session, actor=actor, action="disable", entity="staff_member", entity_id=member.id)
        await session.commit()
    return member
