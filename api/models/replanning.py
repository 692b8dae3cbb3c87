"""Putting a loan's reminders up for planning again when what they were planned from changes.

The planner notes on each loan the local date it needs to look at it again (`Loan.reminders_next_on`) and passes
over it until then. Any ORM change that could call for another reminder clears that date (look now): the borrower's
link, consent, days, hours or time zone; the loan itself; its payments, policies and holidays. A change to the loan
or its records also withdraws the loan's reminders still waiting in the outbox (not yet claimed), so the next run
plans them afresh from the new figures: no "payment due" after the payment came in, no stale amount, no expiry
notice for a renewed policy. Clearing too often only costs a loan one more look; the listeners run inside the
flush, in its transaction.
"""

from typing import Any

from sqlalchemy import delete, event, inspect, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from api.models.borrower import Borrower
from api.models.holiday import HolidayApplication
from api.models.insurance import InsurancePolicy
from api.models.loan import Loan
from api.models.notification import REMINDER_KINDS, Notification, NotificationStatus
from api.models.payment import Payment

_LOANS = Loan.__table__
_OUTBOX = Notification.__table__
_PLANNING_FIELDS = (
    "telegram_user_id",
    "reminders_enabled",
    "reminder_days_ahead",
    "time_zone",
    "daytime_start",
    "daytime_end",
    "unreachable_since",
)


def _changed(target: Any, names: list[str] | tuple[str, ...]) -> bool:
    attributes = inspect(target).attrs
    return any(attributes[name].history.has_changes() for name in names)


def _withdraw_waiting_reminders(connection: Connection, loan_id: int) -> None:
    connection.execute(
        delete(_OUTBOX).where(
            _OUTBOX.c.loan_id == loan_id,
            _OUTBOX.c.status == NotificationStatus.PENDING,
            _OUTBOX.c.kind.in_(REMINDER_KINDS),
        )
    )


@event.listens_for(Borrower, "before_update")
def _borrower_changed(mapper: Mapper, connection: Connection, borrower: Borrower) -> None:
    if _changed(borrower, _PLANNING_FIELDS):
        connection.execute(update(_LOANS).where(_LOANS.c.borrower_id == borrower.id).values(reminders_next_on=None))


@event.listens_for(Loan, "before_update")
def _loan_changed(mapper: Mapper, connection: Connection, loan: Loan) -> None:
    others = [column.key for column in mapper.column_attrs if column.key != "reminders_next_on"]
    if _changed(loan, others) and not _changed(loan, ("reminders_next_on",)):
        loan.reminders_next_on = None
        _withdraw_waiting_reminders(connection, loan.id)


def _loan_records_changed(mapper: Mapper, connection: Connection, record: Any) -> None:
    connection.execute(update(_LOANS).where(_LOANS.c.id == record.loan_id).values(reminders_next_on=None))
    _withdraw_waiting_reminders(connection, record.loan_id)


for _model in (Payment, InsurancePolicy, HolidayApplication):
    for _moment in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _moment, _loan_records_changed)
