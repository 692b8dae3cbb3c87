"""The queues as staff work them: filters, oldest first, who holds each item, its age in staff hours against the
queue's target, the counts per queue, and one item in full with its borrower and its history."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from api.models import (
    AuditEntry,
    Borrower,
    Document,
    DocumentPurpose,
    HolidayApplication,
    Loan,
    StaffMember,
    SupportCase,
    WorkHold,
)
from api.settings import Settings
from api.staff import queues as staff_queues
from api.support.hours import working_time
from api.work.holds import Holder, holder, item
from api.work.items import SPECS, Item, Queue, waiting

#: The most items a queue page lists (the oldest; the counts say how many wait in all).
PAGE = 200


class Held(StrEnum):
    ANY = "any"
    MINE = "mine"
    UNHELD = "unheld"


@dataclass(frozen=True)
class Filters:
    """`status` None lists what waits for staff; `purpose` narrows documents, `flagged` cases (for a supervisor)."""

    status: str | None = None
    purpose: DocumentPurpose | None = None
    flagged: bool = False
    held: Held = Held.ANY


@dataclass(frozen=True)
class Entry:
    queue: Queue
    record: Item
    first_name: str
    contract_number: str | None
    holder: Holder | None
    age: timedelta | None  # staff hours waited so far; None once the item no longer waits
    target: timedelta

    @property
    def overdue(self) -> bool:
        return self.age is not None and self.age > self.target


@dataclass(frozen=True)
class Count:
    waiting: int
    unheld: int
    mine: int
    overdue: int


@dataclass(frozen=True)
class Step:
    at: datetime
    actor: str  # a member's name, or `bot` / `borrower` / the integration as the audit names it
    action: str
    details: dict[str, Any]


@dataclass(frozen=True)
class Detail:
    entry: Entry
    borrower: Borrower | None
    loan: Loan | None
    documents: list[Document]  # a holiday's proof files
    history: list[Step]


def target(queue: Queue, settings: Settings) -> timedelta:
    return timedelta(hours=getattr(settings.queue_target_hours, queue.value))


def staff_hours(since: datetime, *, settings: Settings, now: datetime) -> timedelta:
    return working_time(
        since, now, start_hour=settings.staff_hours_start, end_hour=settings.staff_hours_end, zone=settings.bank_zone
    )


def _with_holder(statement: Select[Any], queue: Queue) -> Select[Any]:
    """`statement` with the holder's id, name and since when (NULLs for an unheld item)."""
    model = SPECS[queue].model
    if queue is Queue.CASES:
        return statement.outerjoin(StaffMember, StaffMember.id == SupportCase.assigned_to).add_columns(
            StaffMember.id, StaffMember.name, SupportCase.assigned_at
        )
    hold = and_(WorkHold.kind == SPECS[queue].hold_kind, WorkHold.item_id == model.id)
    return (
        statement.outerjoin(WorkHold, hold)
        .outerjoin(StaffMember, StaffMember.id == WorkHold.staff_id)
        .add_columns(StaffMember.id, StaffMember.name, WorkHold.since)
    )


def _statuses(queue: Queue, status: str | None) -> tuple[StrEnum, ...]:
    spec = SPECS[queue]
    if status is None:
        return spec.waiting
    for known in spec.statuses:
        if known.value == status:
            return (known,)
    raise ApiError(422, "unknown_status", "No such status in this queue.", statuses=[s.value for s in spec.statuses])


def _listing(queue: Queue, filters: Filters, staff: StaffMember) -> Select[Any]:
    spec = SPECS[queue]
    statuses = _statuses(queue, filters.status)
    if queue is Queue.CASES:
        flagged = (SupportCase.needs_supervisor.is_(True),) if filters.flagged else ()
        statement = staff_queues.cases(statuses, *flagged)
    else:
        purpose = (Document.purpose == filters.purpose,) if queue is Queue.DOCUMENTS and filters.purpose else ()
        statement = staff_queues.queue(spec.model, spec.model.status.in_(statuses), *purpose)
    statement = _with_holder(statement, queue)
    if filters.held is Held.MINE:
        statement = statement.where(StaffMember.id == staff.id)
    elif filters.held is Held.UNHELD:
        statement = statement.where(StaffMember.id.is_(None))
    return statement


def _entry(queue: Queue, row: Any, *, settings: Settings, now: datetime) -> Entry:
    record, first_name, contract_number, holder_id, holder_name, since = row
    found = Holder(holder_id, holder_name, since) if holder_id is not None else None
    age = staff_hours(record.created_at, settings=settings, now=now) if waiting(queue, record) else None
    return Entry(queue, record, first_name, contract_number, found, age, target(queue, settings))


async def entries(
    session: AsyncSession, queue: Queue, filters: Filters, *, staff: StaffMember, settings: Settings, now: datetime
) -> list[Entry]:
    """The queue's items that pass `filters`, oldest first (cases: hardship first), at most `PAGE` of them."""
    rows = await session.execute(_listing(queue, filters, staff).limit(PAGE))
    return [_entry(queue, row, settings=settings, now=now) for row in rows]


async def counts(session: AsyncSession, *, staff: StaffMember, settings: Settings, now: datetime) -> dict[Queue, Count]:
    """Per queue: how many items wait, how many nobody holds, how many are the member's, how many are overdue."""
    found = {}
    for queue, spec in SPECS.items():
        statement = _with_holder(
            select(spec.model.created_at).select_from(spec.model).where(spec.model.status.in_(spec.waiting)), queue
        )
        rows = (await session.execute(statement)).all()
        limit = target(queue, settings)
        found[queue] = Count(
            waiting=len(rows),
            unheld=sum(row[1] is None for row in rows),
            mine=sum(row[1] == staff.id for row in rows),
            overdue=sum(staff_hours(row[0], settings=settings, now=now) > limit for row in rows),
        )
    return found


async def _history(session: AsyncSession, queue: Queue, item_id: int) -> list[Step]:
    entity = SPECS[queue].model.__tablename__
    audited = (
        await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(item_id))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    ).all()
    staff_ids = {int(entry.actor.split(":", 1)[1]) for entry in audited if entry.actor.startswith("staff:")}
    names = dict(
        (await session.execute(select(StaffMember.id, StaffMember.name).where(StaffMember.id.in_(staff_ids)))).all()
    )
    return [Step(entry.at, _actor_name(entry.actor, names), entry.action, entry.details or {}) for entry in audited]


def _actor_name(actor: str, names: dict[int, str]) -> str:
    kind, _, number = actor.partition(":")
    return names.get(int(number), actor) if kind == "staff" and number.isdigit() else actor


async def detail(session: AsyncSession, queue: Queue, item_id: int, *, settings: Settings, now: datetime) -> Detail:
    """The item with its borrower, loan, proof files (a holiday's) and everything audited about it, oldest first."""
    record = await item(session, queue, item_id)
    borrower = await session.get(Borrower, record.borrower_id) if record.borrower_id is not None else None
    loan = await session.get(Loan, record.loan_id) if record.loan_id is not None else None
    first_name = borrower.first_name if borrower else getattr(record, "telegram_name", None) or ""
    current = await holder(session, queue, item_id)
    age = staff_hours(record.created_at, settings=settings, now=now) if waiting(queue, record) else None
    entry = Entry(
        queue, record, first_name, loan.contract_number if loan else None, current, age, target(queue, settings)
    )
    documents = []
    if isinstance(record, HolidayApplication):
        documents = list(
            await session.scalars(select(Document).where(Document.holiday_id == record.id).order_by(Document.id))
        )
    return Detail(entry, borrower, loan, documents, await _history(session, queue, item_id))
