"""Helpers for the relay and transcript tests: staff members with Telegram accounts, cases opened and relayed."""

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.deps import token_digest
from api.models import AuditEntry, StaffMember, StaffRole, SupportCase
from tests.api.outbox_helpers import session_of
from tests.helpers import as_user

RELAY = "/api/v1/relay"


async def add_member(
    engine: AsyncEngine, name: str, telegram_user_id: int, *, role: StaffRole = StaffRole.OPERATOR, active: bool = True
) -> int:
    """A staff member with a Telegram account; their API token is `token-<telegram id>`."""
    async with session_of(engine) as session:
        member = StaffMember(
            name=name,
            role=role,
            token_sha256=token_digest(f"token-{telegram_user_id}"),
            telegram_user_id=telegram_user_id,
            active=active,
        )
        session.add(member)
        await session.commit()
        return member.id


async def open_case(client: httpx.AsyncClient, user: int, reason: str = "requested", **body: Any) -> int:
    """The borrower of chat `user` asks for a person, as the bot does."""
    response = await client.post("/api/v1/me/support-cases", json={"reason": reason, **body}, headers=as_user(user))
    assert response.status_code in (200, 201), response.text
    return response.json()["id"]


def message(direction: str = "borrower", telegram_message_id: int = 1, **fields: Any) -> dict[str, Any]:
    """A relayed text message's body; staff replies and notes name their author with `staff_telegram_id`."""
    body = {"direction": direction, "kind": "text", "text": "Здравствуйте", "telegram_message_id": telegram_message_id}
    return body | fields


async def relay(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    return await client.request(method, f"{RELAY}/{path}", **kwargs)


async def close(client: httpx.AsyncClient, case_id: int, **body: Any) -> dict[str, Any]:
    response = await relay(client, "POST", f"cases/{case_id}/close", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def case_of(engine: AsyncEngine, case_id: int) -> SupportCase:
    async with session_of(engine) as session:
        return await session.get(SupportCase, case_id)


async def audit_of(engine: AsyncEngine, entity: str, entity_id: int) -> list[tuple[str, str, dict]]:
    """(actor, action, details) of a record's audit entries, oldest first."""
    async with session_of(engine) as session:
        rows = await session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.details)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.id)
        )
        return [tuple(row) for row in rows]
