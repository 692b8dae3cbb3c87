"""Fixtures for the work-item tests: a linked borrower, three members of staff, and sessions on the test engine."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import create_sessionmaker
from api.models import StaffMember, StaffRole
from tests.api.outbox_helpers import linked_borrower, session_of

#: The items' creation time: Friday 2026-11-20, 13:00 in Moscow, so by the test clock (Thursday 26th, 12:00 in
#: Moscow) an item has waited 5 + 9 + 9 + 9 + 3 = 35 staff hours.
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
async def borrower(request, bank, client, engine) -> tuple[int, int]:
    """(borrower id, loan id) of the seed borrower, linked to the module's `USER` chat."""
    return await linked_borrower(bank, client, engine, telegram_user_id=request.module.USER)


async def _member(engine, name: str, role: StaffRole) -> StaffMember:
    async with session_of(engine) as session:
        member = StaffMember(name=name, role=role, token_sha256=f"{name}-token".ljust(64, "0"))
        session.add(member)
        await session.commit()
        return member


@pytest.fixture
async def anna(engine) -> StaffMember:
    return await _member(engine, "Анна", StaffRole.OPERATOR)


@pytest.fixture
async def boris(engine) -> StaffMember:
    return await _member(engine, "Борис", StaffRole.OPERATOR)


@pytest.fixture
async def vera(engine) -> StaffMember:
    return await _member(engine, "Вера", StaffRole.SUPERVISOR)


@pytest.fixture
async def session(engine) -> AsyncIterator[AsyncSession]:
    async with create_sessionmaker(engine)() as session:
        yield session


@pytest.fixture
async def other_borrower(request, bank, client, engine) -> tuple[int, int]:
    """A second linked borrower (B-2 / L-2) on the chat after the module's `USER`."""
    return await linked_borrower(bank, client, engine, telegram_user_id=request.module.USER + 1, number=2)
