"""Which reminders a loan or an insurance policy needs: pure arithmetic over the engine's figures and dates."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from api.engine import Installment
from api.loans.arrears import arrears_on, still_owed
from api.loans.state import LoanState
from api.models import InsurancePolicy, NotificationKind
from api.outbox.enqueue import Push

INSURANCE_DAYS_BEFORE = (30, 14, 3)
#: The planner looks at every loan at least this often, whatever its dates say.
LONGEST_QUIET = timedelta(days=31)


@dataclass(frozen=True)
class PlanningDay:
    """One borrower's calendar for a run: local today, the first day of catch-up, and the day a push can go out."""

    today: date
    since: date
    send_date: date

    def days_before_due(self, anchor: date, days_before: Iterable[int]) -> int | None:
        """The reminder to plan for `anchor`: the latest one whose send day is in [since, today].

        None when no send day is in the range or the push would arrive after `anchor` itself. When the
        planner was down, only the most recent missed reminder of a date is planned, not a burst of them.
        """
        if anchor < self.send_date:
            return None
        due = [days for days in days_before if self.since <= anchor - timedelta(days=days) <= self.today]
        return min(due, default=None)


def payment_reminders(state: LoanState, *, days_before: frozenset[int], day: PlanningDay) -> list[Push]:
    """Reminders of upcoming installments not yet paid in advance, and an overdue notice per episode."""
    loan_id = state.loan.id
    reminders = []
    horizon = day.today + timedelta(days=max(days_before))
    for row in state.schedule.installments:
        if row.due_date > horizon:
            break
        days = day.days_before_due(row.due_date, days_before)
        if days is None:
            continue
        owed = still_owed(state, row, day.today)
        if owed <= 0:
            continue
        reminders.append(
            Push(
                kind=NotificationKind.PAYMENT_DUE,
                dedupe_key=f"payment_due:{loan_id}:{row.due_date}:{days}",
                loan_id=loan_id,
                due_date=row.due_date,
                payload={
                    "loan_id": loan_id,
                    "due_date": row.due_date.isoformat(),
                    "amount": f"{owed:.2f}",
                    "days_before": days,
                },
            )
        )
    overdue = arrears_on(state, day.today)
    if overdue is not None:
        reminders.append(
            Push(
                kind=NotificationKind.PAYMENT_OVERDUE,
                dedupe_key=f"payment_overdue:{loan_id}:{overdue.since}",
                loan_id=loan_id,
                due_date=overdue.since,
                payload={
                    "loan_id": loan_id,
                    "overdue_amount": f"{overdue.amount:.2f}",
                    "overdue_since": overdue.since.isoformat(),
                    "days_overdue": overdue.days,
                },
            )
        )
    return reminders


def insurance_reminder(policy: InsurancePolicy, *, day: PlanningDay) -> Push | None:
    """The expiry reminder due for `policy` in this run, if any."""
    days = day.days_before_due(policy.expires_on, INSURANCE_DAYS_BEFORE)
    if days is None:
        return None
    return Push(
        kind=NotificationKind.INSURANCE_EXPIRY,
        dedupe_key=f"insurance_expiry:{policy.id}:{policy.expires_on}:{days}",
        loan_id=policy.loan_id,
        due_date=policy.expires_on,
        payload={
            "loan_id": policy.loan_id,
            "policy_id": policy.id,
            "policy_kind": policy.kind.value,
            "mandatory": policy.kind.mandatory,
            "insurer": policy.insurer,
            "expires_on": policy.expires_on.isoformat(),
            "days_before": days,
        },
    )


def next_look(
    installments: Iterable[Installment],
    policies: Iterable[InsurancePolicy],
    *,
    days_before: frozenset[int],
    today: date,
) -> date:
    """The first day after `today` on which the loan may need a reminder, and a month off at the latest.

    Those are the chosen days before each due date and the due date itself, the day after it (an overdue notice
    may start), and 30, 14 and 3 days before a policy expires.
    """
    latest = today + LONGEST_QUIET
    days: list[date] = []
    for row in installments:
        if row.due_date - timedelta(days=max(days_before)) > latest:
            break
        days += [row.due_date - timedelta(days=before) for before in days_before]
        days.append(row.due_date + timedelta(days=1))
    for policy in policies:
        days += [policy.expires_on - timedelta(days=before) for before in INSURANCE_DAYS_BEFORE]
    return min([day for day in days if day > today] + [latest])
