"""Changing the borrower's settings: partial, checked against the stored values, one audit entry per change."""

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.errors import ApiError, not_found
from api.models import Borrower, Loan
from api.outbox.replanning import PLANNING_FIELDS, replan_borrower
from api.preferences.schemas import PreferencesPatch

MIN_DAYTIME_HOURS = 4


def _check_daytime(start: time, end: time) -> None:
    day = date(2000, 1, 1)
    span = datetime.combine(day, end) - datetime.combine(day, start)
    if span.total_seconds() < MIN_DAYTIME_HOURS * 3600:
        raise ApiError(
            422,
            "invalid_daytime",
            f"The daytime window must start before it ends and last at least {MIN_DAYTIME_HOURS} hours.",
        )


async def update(session: AsyncSession, *, borrower: Borrower, changes: PreferencesPatch) -> Borrower:
    """Apply the fields sent; the selected loan must be the borrower's own."""
    values = changes.model_dump(exclude_unset=True)
    loan_id = values.get("selected_loan_id")
    if loan_id is not None:
        owned = await session.scalar(select(Loan.id).where(Loan.id == loan_id, Loan.borrower_id == borrower.id))
        if owned is None:
            raise not_found("loan")
    if values.keys() & {"daytime_start", "daytime_end"}:
        _check_daytime(
            values.get("daytime_start", borrower.daytime_start), values.get("daytime_end", borrower.daytime_end)
        )
    changed = [name for name, value in values.items() if getattr(borrower, name) != value]
    for name in changed:
        setattr(borrower, name, values[name])
        audit.record(
            session, actor="bot", action="change_setting", entity="borrower", entity_id=borrower.id, field=name
        )
    if PLANNING_FIELDS.intersection(changed):
        await replan_borrower(session, borrower.id)
    await session.commit()
    return borrower
