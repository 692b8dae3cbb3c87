"""Allocation of payments actually made: in date order, installment by installment, interest first."""

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter

from api.engine.money import to_kopecks
from api.engine.schedule import Installment


@dataclass(frozen=True)
class Payment:
    """A regular payment the borrower actually made; the amount is normalised to the kopeck."""

    paid_on: date
    amount: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_kopecks(self.amount))
        if self.amount <= 0:
            raise ValueError(f"payment amount must be positive, got {self.amount}")


@dataclass(frozen=True)
class Allocation:
    """The part of a payment made on `paid_on` that went to installment `number`."""

    paid_on: date
    number: int
    interest: Decimal
    principal: Decimal


def allocate(installments: Iterable[Installment], payments: Iterable[Payment]) -> tuple[Allocation, ...]:
    """Pour `payments` (in date order) into the installments in order, each one's interest then principal.

    Money beyond the last installment is left unallocated.
    """
    dues = deque((row.number, row.interest, row.principal) for row in installments if row.payment)
    allocations: list[Allocation] = []
    for payment in sorted(payments, key=attrgetter("paid_on")):
        money = payment.amount
        while money and dues:
            number, interest_due, principal_due = dues.popleft()
            interest = min(money, interest_due)
            principal = min(money - interest, principal_due)
            money -= interest + principal
            allocations.append(Allocation(payment.paid_on, number, interest, principal))
            if interest < interest_due or principal < principal_due:
                dues.appendleft((number, interest_due - interest, principal_due - principal))
    return tuple(allocations)
