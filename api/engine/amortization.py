"""Amortization: walks the due dates splitting installments into interest and principal, early repayments included."""

from collections import deque
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from api.engine.annuity import annuity_payment
from api.engine.events import EarlyRepayment, RepaymentMode
from api.engine.interest import Segment, period_interest
from api.engine.money import KOPECK, ZERO
from api.engine.schedule import Installment
from api.engine.terms import LoanTerms


def amortize(terms: LoanTerms, repayments: Iterable[EarlyRepayment]) -> tuple[Installment, ...]:
    """Regular installments of `terms` with `repayments` (in date order) applied.

    Each installment is the annuity payment: the period's interest in the loan's day-count convention, the rest
    principal (the last installment takes what is left). A repayment goes to principal on its date and splits its
    period in the same convention, so a repayment of a kopeck leaves every installment as it was, to the kopeck.
    """
    return _Amortizer(terms).run(deque(repayments))


class _Amortizer:
    """The running state of one pass: balance, current payment, installments still planned."""

    def __init__(self, terms: LoanTerms) -> None:
        self.terms = terms
        self.balance = terms.principal
        self.payment = annuity_payment(terms.principal, terms.rate_percent, terms.months)
        self.remaining = terms.months
        self.rows: list[Installment] = []

    def run(self, pending: deque[EarlyRepayment]) -> tuple[Installment, ...]:
        """Walk the due dates until the balance is repaid, applying `pending` repayments on their way."""
        start = self.terms.first_period_start
        if pending and pending[0].on_date <= start:
            raise ValueError(f"early repayment on {pending[0].on_date} is not after the loan start {start}")
        index = 0
        while self.balance > 0:
            due = self.terms.due_date(index)
            segments: list[Segment] = []
            mark = start
            while pending and pending[0].on_date < due and self.balance > 0:
                repayment = pending.popleft()
                segments.append((self.balance, mark, repayment.on_date))
                mark = repayment.on_date
                self.repay(repayment)
            if self.balance == 0:
                self.close_between(mark, self.interest(segments, start, due))
                break
            segments.append((self.balance, mark, due))
            self.pay(due, self.interest(segments, start, due))
            while pending and pending[0].on_date == due:
                self.repay(pending.popleft())
            start, index = due, index + 1
        if pending:
            raise ValueError(f"early repayment on {pending[0].on_date} comes after the last regular installment")
        return tuple(self.rows)

    def interest(self, segments: list[Segment], start: date, due: date) -> Decimal:
        return period_interest(
            segments, rate_percent=self.terms.rate_percent, day_count=self.terms.day_count, period=(start, due)
        )

    def repay(self, repayment: EarlyRepayment) -> None:
        """Apply an early repayment to principal; a smaller payment drops by the repaid amount's own annuity.

        (The annuity is linear in the principal, so this is the annuity of the new balance over the installments
        left, save that the rounding already absorbed stays where it was: a kopeck repaid changes the payment by
        at most a kopeck.) A shorter term keeps the payment, and the installments end when the balance does.
        """
        if repayment.amount > self.balance:
            raise ValueError(
                f"early repayment of {repayment.amount} on {repayment.on_date} exceeds "
                f"the outstanding balance {self.balance}"
            )
        self.balance -= repayment.amount
        if self.balance == 0:
            self.remaining = 0
        elif repayment.mode is RepaymentMode.SMALLER_PAYMENT:
            less = annuity_payment(repayment.amount, self.terms.rate_percent, self.remaining)
            self.payment = max(self.payment - less, KOPECK)

    def pay(self, due: date, interest: Decimal) -> None:
        """The installment due on `due`: the payment, `interest` first; the last one (or the one that can) closes."""
        principal = max(self.payment - interest, ZERO)
        closing = self.remaining == 1 or principal >= self.balance
        self.add(due, self.balance if closing else principal, interest, closing=closing)

    def close_between(self, day: date, interest: Decimal) -> None:
        """A repayment closed the loan between due dates: the interest accrued so far is due that day."""
        if interest:
            self.add(day, ZERO, interest, closing=True)

    def add(self, due: date, principal: Decimal, interest: Decimal, *, closing: bool) -> None:
        """Record an installment and update the state."""
        self.balance -= principal
        self.remaining = 0 if closing else self.remaining - 1
        self.rows.append(Installment(len(self.rows) + 1, due, principal + interest, principal, interest, self.balance))
