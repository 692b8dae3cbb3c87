"""Amortization: walks the due dates splitting installments into interest and principal, early repayments included."""

from collections import deque
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from api.engine.annuity import annuity_payment
from api.engine.events import EarlyRepayment, RepaymentMode
from api.engine.interest import accrued_interest, monthly_interest
from api.engine.money import ZERO
from api.engine.schedule import Installment
from api.engine.terms import LoanTerms


def amortize(
    terms: LoanTerms, repayments: Iterable[EarlyRepayment], *, split_on: date | None = None
) -> tuple[Installment, ...]:
    """Regular installments of `terms` with `repayments` (in date order) applied.

    A repayment goes to principal on its date; the period it falls in accrues interest daily.
    `split_on` makes the period containing that date accrue daily even without a repayment in it,
    so that a schedule can be compared like for like with one that has a repayment there.
    """
    return _Amortizer(terms).run(deque(repayments), split_on)


def installments_needed(balance: Decimal, payment: Decimal, *, rate_percent: Decimal, limit: int) -> int:
    """How many monthly installments of `payment` repay `balance` (the last one absorbing), at most `limit`."""
    count = 1
    while count < limit:
        interest = monthly_interest(balance, rate_percent)
        if payment - interest >= balance:
            break
        balance -= payment - interest
        count += 1
    return count


class _Amortizer:
    """The running state of one pass: balance, current payment, installments still planned."""

    def __init__(self, terms: LoanTerms) -> None:
        self.terms = terms
        self.balance = terms.principal
        self.payment = annuity_payment(terms.principal, terms.rate_percent, terms.months)
        self.remaining = terms.months
        self.rows: list[Installment] = []

    def run(self, pending: deque[EarlyRepayment], split_on: date | None) -> tuple[Installment, ...]:
        """Walk the due dates until the balance is repaid, applying `pending` repayments on their way."""
        start = self.terms.first_period_start
        if pending and pending[0].on_date <= start:
            raise ValueError(f"early repayment on {pending[0].on_date} is not after the loan start {start}")
        index = 0
        while self.balance > 0:
            due = self.terms.due_date(index)
            segments: list[tuple[Decimal, int]] = []
            mark = start
            while pending and pending[0].on_date < due and self.balance > 0:
                repayment = pending.popleft()
                segments.append((self.balance, (repayment.on_date - mark).days))
                mark = repayment.on_date
                self.repay(repayment)
            if self.balance == 0:
                self.close_between(mark, accrued_interest(segments, self.terms.rate_percent))
                break
            if segments or (split_on is not None and start < split_on < due):
                segments.append((self.balance, (due - mark).days))
                interest = accrued_interest(segments, self.terms.rate_percent)
            else:
                interest = monthly_interest(self.balance, self.terms.rate_percent)
            self.pay(due, interest)
            while pending and pending[0].on_date == due:
                self.repay(pending.popleft())
            start, index = due, index + 1
        if pending:
            raise ValueError(f"early repayment on {pending[0].on_date} comes after the last regular installment")
        return tuple(self.rows)

    def repay(self, repayment: EarlyRepayment) -> None:
        """Apply an early repayment to principal and re-plan the payment or the term."""
        if repayment.amount > self.balance:
            raise ValueError(
                f"early repayment of {repayment.amount} on {repayment.on_date} exceeds "
                f"the outstanding balance {self.balance}"
            )
        self.balance -= repayment.amount
        if self.balance == 0:
            self.remaining = 0
        elif repayment.mode is RepaymentMode.SMALLER_PAYMENT:
            self.payment = annuity_payment(self.balance, self.terms.rate_percent, self.remaining)
        else:
            self.remaining = installments_needed(
                self.balance, self.payment, rate_percent=self.terms.rate_percent, limit=self.remaining
            )

    def pay(self, due: date, interest: Decimal) -> None:
        """The installment due on `due`: the annuity's principal part plus `interest`; the last one closes.

        The principal part is always payment − one month's interest on the balance, so a period accruing
        daily changes that installment's interest (and payment) but not the path of the balance.
        """
        scheduled = self.payment - monthly_interest(self.balance, self.terms.rate_percent)
        closing = self.remaining == 1 or scheduled >= self.balance
        self.add(due, self.balance if closing else scheduled, interest, closing=closing)

    def close_between(self, day: date, interest: Decimal) -> None:
        """A repayment closed the loan between due dates: the interest accrued so far is due that day."""
        if interest:
            self.add(day, ZERO, interest, closing=True)

    def add(self, due: date, principal: Decimal, interest: Decimal, *, closing: bool) -> None:
        """Record an installment and update the state."""
        self.balance -= principal
        self.remaining = 0 if closing else self.remaining - 1
        self.rows.append(Installment(len(self.rows) + 1, due, principal + interest, principal, interest, self.balance))
