"""Writing audit entries: ids and codes only, never names, phones or contract numbers."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditEntry


def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | str | None = None,
    address: str | None = None,
    **details: Any,
) -> None:
    """Add an audit entry to the session; it commits with the change it describes (`address`: the client's, for a
    console action)."""
    session.add(
        AuditEntry(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            details=details,
            address=address,
        )
    )
