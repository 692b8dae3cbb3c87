"""A check for dev and test mode: a session that refuses to commit a change to what reminders depend on when the
transaction did not replan it (`api/outbox/replanning.py`), so a service that forgets is found by its tests.

What reminders depend on: a loan's own columns (its planning mark aside), its payments and policies, an approved
holiday application, and the borrower's planning fields. Bulk UPDATE and DELETE statements are not seen here;
the services that use one replan explicitly (staff decisions).
"""

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from api.models import Borrower, HolidayApplication, HolidayStatus, InsurancePolicy, Loan, Payment
from api.outbox.replanning import PLANNING_FIELDS, REPLANNED

_OWED = "replanning_owed"
#: The loan's columns that replanning itself writes.
_REPLANNING_MARKS = frozenset({"reminders_next_on", "records_version"})


class NotReplanned(RuntimeError):
    """A commit changed what reminders depend on without replanning it."""


def _changed(record: Any, names: Iterable[str]) -> bool:
    attributes = inspect(record).attrs
    return any(attributes[name].history.has_changes() for name in names)


def _owed(record: Any, *, dirty: bool) -> Iterator[tuple[str, int, str]]:
    kind = type(record).__name__
    if isinstance(record, Payment | InsurancePolicy):
        yield "loan", record.loan_id, kind
        if dirty:  # moved from another loan: that one changed too
            yield from (("loan", loan_id, kind) for loan_id in inspect(record).attrs["loan_id"].history.deleted)
    elif isinstance(record, HolidayApplication):
        was_approved = dirty and HolidayStatus.APPROVED in inspect(record).attrs["status"].history.deleted
        if record.status == HolidayStatus.APPROVED or was_approved:
            yield "loan", record.loan_id, kind
    elif isinstance(record, Loan) and dirty:  # a new loan has no mark and no reminders yet
        others = [column.key for column in inspect(Loan).column_attrs if column.key not in _REPLANNING_MARKS]
        if _changed(record, others):
            yield "loan", record.id, kind
    elif isinstance(record, Borrower) and dirty and _changed(record, PLANNING_FIELDS):
        yield "borrower", record.id, kind


class ReplanningCheckedSession(Session):
    """Notes at each flush what the flushed changes owe, and refuses the commit while any is not replanned."""

    def flush(self, objects: Any = None) -> None:
        owed = self.info.setdefault(_OWED, set())
        for record in self.new:
            owed.update(_owed(record, dirty=False))
        for record in self.dirty:
            if self.is_modified(record):  # set to the values it had changes nothing
                owed.update(_owed(record, dirty=True))
        for record in self.deleted:
            owed.update(_owed(record, dirty=False))
        super().flush(objects)

    def commit(self) -> None:
        self.flush()
        done = self.info.get(REPLANNED, set())
        owed = self.info.get(_OWED, ())
        missing = sorted(f"{kind} of {what} {ident}" for what, ident, kind in owed if (what, ident) not in done)
        if missing:
            raise NotReplanned(f"changed without replanning reminders: {', '.join(missing)}")
        self._forget()
        super().commit()

    def rollback(self) -> None:
        self._forget()
        super().rollback()

    def _forget(self) -> None:
        self.info.pop(_OWED, None)
        self.info.pop(REPLANNED, None)
