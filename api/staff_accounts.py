"""Staff accounts: created with a random token kept only as its SHA-256 and the console's password (argon2) and TOTP
secret, listed, disabled by name (which ends their console sessions)."""

import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.console.auth import totp
from api.console.auth.passwords import WeakPasswordError, hash_password
from api.console.auth.sessions import end_sessions
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


def _password_hash(password: str) -> str:
    try:
        return hash_password(password)
    except WeakPasswordError as exc:
        raise ApiError(422, "weak_password", str(exc)) from None


async def add_staff(
    session: AsyncSession,
    *,
    name: str,
    role: StaffRole,
    actor: str,
    telegram_user_id: int | None = None,
    password: str | None = None,
    totp_secret: str | None = None,
) -> tuple[StaffMember, str]:
    """Create a staff member; returns it with its token, which is not stored and cannot be shown again.

    With `telegram_user_id` the member is heard in the staff group's topics; with `password` they sign in to the
    console with it and a TOTP code of `member.totp_secret` (`totp_secret`, or a new one).
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
    if password is not None:
        member.password_hash, member.totp_secret = _password_hash(password), totp_secret or totp.new_secret()
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
        await end_sessions(session, staff_id=member.id)
        audit.record(session, actor=actor, action="disable", entity="staff_member", entity_id=member.id)
        await session.commit()
    return member


async def set_console_credentials(
    session: AsyncSession, *, name: str, actor: str, password: str | None = None, totp_secret: str | None = None
) -> StaffMember:
    """A new console password and/or TOTP secret for the member; their console sessions end."""
    member = await _by_name(session, _clean_name(name))
    if member is None:
        raise not_found("staff_member")
    if password is not None:
        member.password_hash = _password_hash(password)
    if totp_secret is not None:
        member.totp_secret, member.totp_last_step = totp_secret, None
    await end_sessions(session, staff_id=member.id)
    changed = [what for what, value in (("password", password), ("totp", totp_secret)) if value is not None]
    audit.record(
        session, actor=actor, action="reset_credentials", entity="staff_member", entity_id=member.id, changed=changed
    )
    await session.commit()
    return member
