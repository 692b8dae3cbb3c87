"""Requests for a person under the bot's idempotency key: the case a key reached before, and the note of a new one.

A request is told apart by its reason, words, loan and details; not by the chat's recent steps or the name and
language of an unlinked chat, which a retry may send changed (its own failed attempt is a step by then)."""

import hashlib
import json
from typing import NamedTuple

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.idempotency import key_reused
from api.models import CaseRequest, SupportCase

_CONTEXT = {"recent_steps", "telegram_name", "language"}


class Filed(NamedTuple):
    """The case a request reached; whether it joined the active case (else opened one); whether it was stored now
    (False: the same request came before under its key, and nothing was added again)."""

    case: SupportCase
    joined: bool
    new: bool = True


def _digest(request: BaseModel) -> str:
    asked = request.model_dump(mode="json", exclude=_CONTEXT)
    return hashlib.sha256(json.dumps(asked, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


async def earlier(session: AsyncSession, owner: dict[str, int], key: str | None, request: BaseModel) -> Filed | None:
    """What the request filed before under `key` (`owner`: the borrower's or the unlinked chat's id); None without a
    key or when none; 409 when the key came with another request."""
    if key is None:
        return None
    stored = await session.scalar(select(CaseRequest).filter_by(**owner, idempotency_key=key))
    if stored is None:
        return None
    if stored.request_sha256 != _digest(request):
        raise key_reused("request for a person", case_id=stored.case_id)
    case = await session.get(SupportCase, stored.case_id, populate_existing=True)
    return Filed(case, joined=not stored.opened, new=False)


def note(session: AsyncSession, filed: Filed, owner: dict[str, int], key: str | None, request: BaseModel) -> None:
    """Keep the keyed request with the case it reached (nothing without a key); its key's unique constraint refuses
    a concurrent repeat at the commit, which then finds this one."""
    if key is not None:
        session.add(
            CaseRequest(
                case_id=filed.case.id,
                **owner,
                idempotency_key=key,
                opened=not filed.joined,
                request_sha256=_digest(request),
            )
        )
