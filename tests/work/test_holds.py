"""Holding work items: take, collision, release, reassign; one holder at a time, even for two takes at once."""

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from api.db import create_sessionmaker
from api.errors import ApiError
from api.models import AuditEntry, CaseStatus, HolidayStatus, SupportCase, WorkHold
from api.work import holds
from api.work.holds import HeldByOther
from api.work.items import Queue
from tests.api.outbox_helpers import add_record, case_row, certificate_row, document_row, holiday_row, session_of
from tests.work.conftest import T0

USER = 700_900_001


@pytest.fixture
async def holiday_id(engine, borrower) -> int:
    return await add_record(engine, holiday_row(*borrower, created_at=T0))


@pytest.fixture
async def case_id(engine, borrower) -> int:
    return await add_record(engine, case_row(*borrower, created_at=T0))


@pytest.fixture
async def items(engine, borrower, holiday_id, case_id) -> dict[Queue, int]:
    """One waiting item of every queue but quotes (the quote tests live with the decisions)."""
    return {
        Queue.HOLIDAYS: holiday_id,
        Queue.CERTIFICATES: await add_record(engine, certificate_row(*borrower, created_at=T0)),
        Queue.DOCUMENTS: await add_record(engine, document_row(*borrower, created_at=T0)),
        Queue.CASES: case_id,
    }


async def test_take_then_a_colleague_sees_who_and_since_when(session, items, anna, boris, clock):
    for queue, item_id in items.items():
        held = await holds.take(session, queue=queue, item_id=item_id, staff=anna, now=clock())
        assert (held.staff_id, held.name, held.since) == (anna.id, "Анна", clock())
        with pytest.raises(HeldByOther) as refused:
            await holds.take(session, queue=queue, item_id=item_id, staff=boris, now=clock())
        assert refused.value.status == 409
        assert refused.value.details == {"holder_id": anna.id, "holder_name": "Анна", "since": clock().isoformat()}
        assert (await holds.holder(session, queue, item_id)).staff_id == anna.id


async def test_taking_ones_own_again_keeps_the_first_moment(session, holiday_id, anna, clock):
    first = await holds.take(session, queue=Queue.HOLIDAYS, item_id=holiday_id, staff=anna, now=clock())
    clock.advance(minutes=5)
    again = await holds.take(session, queue=Queue.HOLIDAYS, item_id=holiday_id, staff=anna, now=clock())
    assert again == first
    assert await session.scalar(select(func.count()).select_from(WorkHold)) == 1


async def test_a_case_take_is_the_relay_take(session, engine, case_id, anna, clock):
    await holds.take(session, queue=Queue.CASES, item_id=case_id, staff=anna, now=clock())
    async with session_of(engine) as other:
        case = await other.get(SupportCase, case_id)
    assert (case.status, case.assigned_to, case.assigned_at) == (CaseStatus.TAKEN, anna.id, clock())
    await holds.release(session, queue=Queue.CASES, item_id=case_id, staff=anna)
    async with session_of(engine) as other:
        case = await other.get(SupportCase, case_id)
    assert (case.status, case.assigned_to, case.assigned_at) == (CaseStatus.OPEN, None, None)


async def test_release_own_or_by_a_supervisor_only(session, items, anna, boris, vera, clock):
    for queue, item_id in items.items():
        await holds.take(session, queue=queue, item_id=item_id, staff=anna, now=clock())
        with pytest.raises(HeldByOther):
            await holds.release(session, queue=queue, item_id=item_id, staff=boris)
        await holds.release(session, queue=queue, item_id=item_id, staff=anna)
        assert await holds.holder(session, queue, item_id) is None
        await holds.release(session, queue=queue, item_id=item_id, staff=anna)  # nothing held: nothing changes
        await holds.take(session, queue=queue, item_id=item_id, staff=boris, now=clock())
        await holds.release(session, queue=queue, item_id=item_id, staff=vera)
        assert await holds.holder(session, queue, item_id) is None


async def test_supervisor_reassigns_from_the_holder_they_saw(session, items, anna, boris, vera, clock):
    for queue, item_id in items.items():
        await holds.take(session, queue=queue, item_id=item_id, staff=anna, now=clock())
        with pytest.raises(ApiError) as refused:
            await holds.reassign(
                session, queue=queue, item_id=item_id, staff=boris, to=boris, seen_holder=anna.id, now=clock()
            )
        assert refused.value.code == "supervisor_only"
        with pytest.raises(HeldByOther) as stale:  # the supervisor saw Boris, but Anna holds it
            await holds.reassign(
                session, queue=queue, item_id=item_id, staff=vera, to=vera, seen_holder=boris.id, now=clock()
            )
        assert stale.value.holder.staff_id == anna.id
        moved = await holds.reassign(
            session, queue=queue, item_id=item_id, staff=vera, to=boris, seen_holder=anna.id, now=clock()
        )
        assert moved.staff_id == boris.id
    actions = (await session.scalars(select(AuditEntry.action).where(AuditEntry.action == "reassign"))).all()
    assert len(actions) == len(items)


async def test_reassign_of_an_unheld_item_taken_meanwhile_is_a_collision(session, holiday_id, anna, vera, clock):
    await holds.take(session, queue=Queue.HOLIDAYS, item_id=holiday_id, staff=anna, now=clock())
    with pytest.raises(HeldByOther):
        await holds.reassign(
            session, queue=Queue.HOLIDAYS, item_id=holiday_id, staff=vera, to=vera, seen_holder=None, now=clock()
        )


async def test_takes_release_and_reassign_are_audited(session, holiday_id, anna, vera, clock):
    await holds.take(session, queue=Queue.HOLIDAYS, item_id=holiday_id, staff=anna, now=clock())
    await holds.reassign(
        session, queue=Queue.HOLIDAYS, item_id=holiday_id, staff=vera, to=vera, seen_holder=anna.id, now=clock()
    )
    await holds.release(session, queue=Queue.HOLIDAYS, item_id=holiday_id, staff=vera)
    entries = (
        await session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "holiday_application").order_by(AuditEntry.id)
        )
    ).all()
    assert [(entry.actor, entry.action, entry.details) for entry in entries] == [
        (f"staff:{anna.id}", "take", {}),
        (f"staff:{vera.id}", "reassign", {"previous": anna.id, "to": vera.id}),
        (f"staff:{vera.id}", "release", {"holder": vera.id}),
    ]


async def test_an_item_no_longer_waiting_cannot_be_taken(session, engine, borrower, anna, clock):
    decided = await add_record(engine, holiday_row(*borrower, created_at=T0, status=HolidayStatus.REJECTED))
    with pytest.raises(ApiError) as refused:
        await holds.take(session, queue=Queue.HOLIDAYS, item_id=decided, staff=anna, now=clock())
    assert refused.value.code == "not_waiting"
    with pytest.raises(ApiError) as missing:
        await holds.take(session, queue=Queue.HOLIDAYS, item_id=decided + 100, staff=anna, now=clock())
    assert missing.value.status == 404


@pytest.mark.parametrize("queue", [Queue.HOLIDAYS, Queue.CASES])
async def test_two_takes_at_once_one_wins(queue, engine, holiday_id, case_id, anna, boris, clock):
    item_id = holiday_id if queue is Queue.HOLIDAYS else case_id
    sessions = create_sessionmaker(engine)
    for _ in range(5):
        async with sessions() as first, sessions() as second:
            outcomes = await asyncio.gather(
                holds.take(first, queue=queue, item_id=item_id, staff=anna, now=clock()),
                holds.take(second, queue=queue, item_id=item_id, staff=boris, now=clock()),
                return_exceptions=True,
            )
        won = [outcome for outcome in outcomes if isinstance(outcome, holds.Holder)]
        lost = [outcome for outcome in outcomes if isinstance(outcome, HeldByOther)]
        assert len(won) == len(lost) == 1, outcomes
        assert lost[0].holder == won[0]
        winner = anna if won[0].staff_id == anna.id else boris
        async with sessions() as session:
            await holds.release(session, queue=queue, item_id=item_id, staff=winner)


async def test_the_database_refuses_a_second_holder(engine, holiday_id, anna, boris, clock):
    await add_record(engine, WorkHold(kind="holiday", item_id=holiday_id, staff_id=anna.id, since=clock()))
    with pytest.raises(IntegrityError):
        await add_record(engine, WorkHold(kind="holiday", item_id=holiday_id, staff_id=boris.id, since=clock()))
