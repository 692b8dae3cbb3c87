"""Idempotency keys of the borrower's requests that create something (holiday applications, certificate requests,
ratings, uploads, quote requests; requests for a person in `api/support/keyed.py`): the row a key already stored,
and the refusal when a key comes back with a different request."""

from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from api.errors import ApiError


class Keyed(Protocol):
    borrower_id: InstrumentedAttribute[int]
    idempotency_key: InstrumentedAttribute[str | None]


Row = TypeVar("Row", bound=Keyed)


async def stored_under(session: AsyncSession, model: type[Row], borrower_id: int, key: str | None) -> Row | None:
    """The borrower's `model` row stored under `key`; None without a key."""
    if key is None:
        return None
    return await session.scalar(select(model).where(model.borrower_id == borrower_id, model.idempotency_key == key))


def key_reused(what: str, **details: Any) -> ApiError:
    """409: the key was used before for a different `what` (its id in `details`)."""
    return ApiError(
        409, "idempotency_key_reused", f"This idempotency key was already used for a different {what}.", **details
    )
