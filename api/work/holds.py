"""Holding a work item: take, release and reassign, one holder at a time; a collision is reported, never overwritten.

An item other than a case is held by its `work_hold` row, whose unique (kind, item) lets one take in and refuses the
other; a case by its own `assigned_to` (the relay's /take), changed by a conditional UPDATE that only an unheld case
passes. Taking an item a colleague holds is refused with who holds it and since when; a supervisor may reassign it
(naming the holder they saw, so a change in between is a collision too); the holder, or a supervisor, releases it.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.errors import ApiError, not_found
from api.models import CaseStatus, StaffMember, StaffRole, SupportCase, WorkHold
from api.work.items import SPECS, Item, Queue, waiting


@dataclass(frozen=True)
class Holder:
    staff_id: int
    name: str
    since: datetime | None  # None only for a case taken before holds were timed


class HeldByOther(ApiError):
    """Another member holds the item: who and since when, for the collision banner."""

    def __init__(self, holder: Holder) -> None:
        super().__init__(
            409,
            "held_by_other",
            "Another member of staff holds this item.",
            holder_id=holder.staff_id,
            holder_name=holder.name,
            since=holder.since.isoformat() if holder.since else None,
        )
        self.holder = holder


def not_waiting() -> ApiError:
    return ApiError(409, "not_waiting", "This item no longer waits for staff: it was decided, answered or closed.")


async def item(session: AsyncSession, queue: Queue, item_id: int) -> Item:
    record = await session.get(SPECS[queue].model, item_id, populate_existing=True)
    if record is None:
        raise not_found("item")
    return record


async def holder(session: AsyncSession, queue: Queue, item_id: int) -> Holder | None:
    """Who holds the item now, if anyone."""
    if queue is Queue.CASES:
        statement = (
            select(StaffMember.id, StaffMember.name, SupportCase.assigned_at)
            .join(StaffMember, StaffMember.id == SupportCase.assigned_to)
            .where(SupportCase.id == item_id)
        )
    else:
        statement = (
            select(StaffMember.id, StaffMember.name, WorkHold.since)
            .join(StaffMember, StaffMember.id == WorkHold.staff_id)
            .where(WorkHold.kind == SPECS[queue].hold_kind, WorkHold.item_id == item_id)
        )
    row = (await session.execute(statement)).first()
    return Holder(*row) if row else None


def _audit(
    session: AsyncSession, queue: Queue, item_id: int, staff: StaffMember, action: str, address: str | None, **details
) -> None:
    entity = SPECS[queue].model.__tablename__
    audit.record(
        session, actor=f"staff:{staff.id}", action=action, entity=entity, entity_id=item_id, address=address, **details
    )


async def _claim(session: AsyncSession, queue: Queue, item_id: int, staff_id: int, now: datetime) -> bool:
    """Make `staff_id` the holder if nobody holds the item; False when someone does (that someone may be them)."""
    if queue is Queue.CASES:
        claimed = await session.scalar(
            update(SupportCase)
            .where(
                SupportCase.id == item_id,
                SupportCase.status.in_(SPECS[queue].waiting),
                SupportCase.assigned_to.is_(None),
            )
            .values(assigned_to=staff_id, assigned_at=now, status=CaseStatus.TAKEN)
            .returning(SupportCase.id)
            .execution_options(synchronize_session=False)
        )
        return claimed is not None
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    claimed = await session.scalar(
        insert(WorkHold)
        .values(kind=SPECS[queue].hold_kind, item_id=item_id, staff_id=staff_id, since=now)
        .on_conflict_do_nothing(index_elements=[WorkHold.kind, WorkHold.item_id])
        .returning(WorkHold.id)
    )
    return claimed is not None


async def _unclaim(session: AsyncSession, queue: Queue, item_id: int, *, held_by: int | None = None) -> bool:
    """Free the item (only from `held_by` when given); False when it was not held (by them)."""
    if queue is Queue.CASES:
        condition = SupportCase.assigned_to.is_not(None) if held_by is None else SupportCase.assigned_to == held_by
        freed = await session.scalar(
            update(SupportCase)
            .where(SupportCase.id == item_id, SupportCase.status.in_(SPECS[queue].waiting), condition)
            .values(assigned_to=None, assigned_at=None, status=CaseStatus.OPEN)
            .returning(SupportCase.id)
            .execution_options(synchronize_session=False)
        )
        return freed is not None
    statement = delete(WorkHold).where(WorkHold.kind == SPECS[queue].hold_kind, WorkHold.item_id == item_id)
    if held_by is not None:
        statement = statement.where(WorkHold.staff_id == held_by)
    return await session.scalar(statement.returning(WorkHold.id)) is not None


async def _waiting_item(session: AsyncSession, queue: Queue, item_id: int) -> Item:
    record = await item(session, queue, item_id)
    if not waiting(queue, record):
        raise not_waiting()
    return record


async def take(
    session: AsyncSession,
    *,
    queue: Queue,
    item_id: int,
    staff: StaffMember,
    now: datetime,
    address: str | None = None,
) -> Holder:
    """Hold the item; taking one's own again changes nothing; one a colleague holds raises `HeldByOther`."""
    await _waiting_item(session, queue, item_id)
    if await _claim(session, queue, item_id, staff.id, now):
        _audit(session, queue, item_id, staff, "take", address)
        await session.commit()
    current = await holder(session, queue, item_id)
    if current is None:  # released in between: no one holds it, so this take may try again
        await session.rollback()
        return await take(session, queue=queue, item_id=item_id, staff=staff, now=now, address=address)
    if current.staff_id != staff.id:
        await session.rollback()
        raise HeldByOther(current)
    return current


async def release(
    session: AsyncSession, *, queue: Queue, item_id: int, staff: StaffMember, address: str | None = None
) -> None:
    """Let the item go: the holder their own, a supervisor anyone's; releasing an unheld item changes nothing."""
    await item(session, queue, item_id)
    current = await holder(session, queue, item_id)
    if current is None:
        return
    if current.staff_id != staff.id and staff.role is not StaffRole.SUPERVISOR:
        raise HeldByOther(current)
    if await _unclaim(session, queue, item_id, held_by=current.staff_id):
        _audit(session, queue, item_id, staff, "release", address, holder=current.staff_id)
        await session.commit()


async def reassign(
    session: AsyncSession,
    *,
    queue: Queue,
    item_id: int,
    staff: StaffMember,
    to: StaffMember,
    seen_holder: int | None,
    now: datetime,
    address: str | None = None,
) -> Holder:
    """A supervisor gives the item to `to` (themselves included), from the holder they saw (`seen_holder`, None for
    an unheld item); if someone else took it meanwhile, the change is refused as a collision."""
    if staff.role is not StaffRole.SUPERVISOR:
        raise ApiError(403, "supervisor_only", "Only a supervisor reassigns an item another member holds.")
    if not to.active:
        raise not_found("staff")
    await _waiting_item(session, queue, item_id)
    if seen_holder is not None and not await _unclaim(session, queue, item_id, held_by=seen_holder):
        await session.rollback()
        raise _collision(await holder(session, queue, item_id))
    if not await _claim(session, queue, item_id, to.id, now):
        await session.rollback()
        raise _collision(await holder(session, queue, item_id))
    _audit(session, queue, item_id, staff, "reassign", address, previous=seen_holder, to=to.id)
    await session.commit()
    return await holder(session, queue, item_id)


def _collision(current: Holder | None) -> ApiError:
    if current is None:
        return ApiError(409, "hold_changed", "The item changed hands meanwhile; look again.")
    return HeldByOther(current)


async def clear(session: AsyncSession, queue: Queue, item_id: int) -> None:
    """Drop the item's hold in the caller's transaction (a decided item is nobody's work any more)."""
    await _unclaim(session, queue, item_id)


async def check_may_act(session: AsyncSession, queue: Queue, item_id: int, staff: StaffMember) -> None:
    """Acting on an item a colleague holds is refused (a supervisor's authority overrides it; the audit shows it)."""
    current = await holder(session, queue, item_id)
    if current is not None and current.staff_id != staff.id and staff.role is not StaffRole.SUPERVISOR:
        raise HeldByOther(current)
