"""A demo loan laid out around the reference date: its upserts, the payments made and the policies held."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from api.demo.cast import DemoBorrower, DemoLoan
from api.engine import EarlyRepayment, LoanTerms, PaymentHoliday, RepaymentMode, Schedule, build_schedule, to_kopecks
from api.engine.dates import add_months
from api.integration.schemas import BorrowerUpsert, LoanUpsert, PaymentUpsert, PolicyUpsert
from api.loans.account_key import with_key
from api.models import LoanStatus, PaymentKind, PolicyKind

INSURERS = ("СК «Надёжная»", "Страховой дом «Опора»", "СК «Северный щит»")
#: Yearly premium as a share of the principal, by cover.
PREMIUM_RATES = {PolicyKind.PROPERTY: Decimal("0.0025"), PolicyKind.LIFE: Decimal("0.006")}
#: The bank's branch in the demo's account numbers (digits 10 to 13).
BRANCH = "0000"
POLICY_PREFIXES = {PolicyKind.PROPERTY: "ИМ", PolicyKind.LIFE: "ЖЗ"}


@dataclass(frozen=True)
class LoanPlan:
    """Everything to load for one demo loan, each record under its external id."""

    external_id: str
    loan: LoanUpsert
    schedule: Schedule
    payments: tuple[tuple[str, PaymentUpsert], ...]
    policies: tuple[tuple[str, PolicyUpsert], ...]
    holiday: PaymentHoliday | None


def contract_digits(contract_number: str) -> str:
    """The last four digits of a contract number: the second factor a borrower gives when linking."""
    return re.sub(r"\D", "", contract_number)[-4:]


def borrower_upsert(borrower: DemoBorrower) -> BorrowerUpsert:
    return BorrowerUpsert(
        last_name=borrower.last_name,
        first_name=borrower.first_name,
        middle_name=borrower.middle_name,
        phone=borrower.phone,
        birth_date=borrower.birth_date,
        language=borrower.language,
        time_zone=borrower.time_zone,
    )


def loan_terms(spec: DemoLoan, today: date) -> LoanTerms:
    """The loan's terms; relative loans start `months_ago` months before today's month, on their payment day."""
    first = spec.started or add_months(today.replace(day=1), -spec.months_ago, day_of_month=spec.payment_day)
    return LoanTerms(
        principal=spec.principal,
        rate_percent=spec.rate_percent,
        months=spec.term_months,
        first_payment_date=first,
        issue_date=add_months(first, -1),
        payment_day=spec.payment_day,
    )


def _schedule(spec: DemoLoan, terms: LoanTerms) -> tuple[Schedule, PaymentHoliday | None]:
    holiday = None
    if spec.holiday_from is not None:
        holiday = PaymentHoliday(start_date=terms.due_date(spec.holiday_from), months=spec.holiday_months)
    early = ()
    if spec.early_at is not None:
        early = (EarlyRepayment(terms.due_date(spec.early_at), spec.early_amount, RepaymentMode(spec.early_mode)),)
    return build_schedule(terms, early_repayments=early, holiday=holiday), holiday


def _payments(spec: DemoLoan, loan_id: str, schedule: Schedule, today: date) -> list[tuple[str, PaymentUpsert]]:
    """Each installment due by today paid on its due date, but for the last `unpaid_last`; early repayments made."""
    due = [row for row in schedule.installments if row.due_date <= today and row.payment > 0]
    paid = due[: len(due) - spec.unpaid_last]
    payments = [
        (
            f"DEMO-P-{spec.suffix}-{row.number:03d}",
            PaymentUpsert(loan_external_id=loan_id, paid_on=row.due_date, amount=row.payment),
        )
        for row in paid
    ]
    payments += [
        (
            f"DEMO-E-{spec.suffix}",
            PaymentUpsert(
                loan_external_id=loan_id,
                paid_on=event.on_date,
                amount=event.amount,
                kind=PaymentKind.EARLY,
                early_mode=spec.early_mode,
            ),
        )
        for event in schedule.early_repayments
        if event.on_date <= today
    ]
    return payments


def _cover(spec: DemoLoan, number: int, today: date, closed_on: date | None) -> tuple[date, date]:
    """A yearly policy: ended with a closed loan, expiring on the set day, or bought 2 to 10 months ago."""
    if closed_on is not None:
        return add_months(closed_on, -12), closed_on
    if spec.policy_expires_in_days is not None:
        expires = today + timedelta(days=spec.policy_expires_in_days)
        return add_months(expires, -12), expires
    starts = add_months(today, -(2 + number % 9))
    return starts, add_months(starts, 12)


def _policies(
    spec: DemoLoan, number: int, loan_id: str, today: date, closed_on: date | None
) -> list[tuple[str, PolicyUpsert]]:
    starts, expires = _cover(spec, number, today, closed_on)
    kinds = (PolicyKind.PROPERTY, PolicyKind.LIFE) if spec.life_cover else (PolicyKind.PROPERTY,)
    return [
        (
            f"DEMO-POL-{spec.suffix}-{kind.value}",
            PolicyUpsert(
                loan_external_id=loan_id,
                kind=kind,
                insurer=INSURERS[number % len(INSURERS)],
                policy_number=f"{POLICY_PREFIXES[kind]}-{contract_digits(spec.contract_number)}-{starts.year}",
                starts_on=starts,
                expires_on=expires,
                premium=to_kopecks(spec.principal * PREMIUM_RATES[kind]),
            ),
        )
        for kind in kinds
    ]


def repayment_account(spec: DemoLoan, bic: str) -> str:
    """A current account in roubles (40817 810) at the bank with `bic`, numbered after the loan, its control key set."""
    serial = int(re.sub(r"\D", "", spec.suffix))
    return with_key(f"408178100{BRANCH}{serial:07d}", bic)


def plan_loan(borrower: DemoBorrower, spec: DemoLoan, today: date, *, bic: str) -> LoanPlan:
    """The loan, its payments up to `today` and its policies, from the engine's schedule."""
    loan_id = f"DEMO-L-{spec.suffix}"
    terms = loan_terms(spec, today)
    schedule, holiday = _schedule(spec, terms)
    closed_on = schedule.installments[-1].due_date if spec.closed else None
    loan = LoanUpsert(
        borrower_external_id=borrower.external_id,
        contract_number=spec.contract_number,
        contract_date=terms.issue_date,
        principal=spec.principal,
        rate_percent=spec.rate_percent,
        term_months=spec.term_months,
        first_payment_date=terms.first_payment_date,
        payment_day=spec.payment_day,
        status=LoanStatus.CLOSED if spec.closed else LoanStatus.ACTIVE,
        closed_on=closed_on,
        property_address=spec.address,
        repayment_account=repayment_account(spec, bic),
    )
    return LoanPlan(
        external_id=loan_id,
        loan=loan,
        schedule=schedule,
        payments=tuple(_payments(spec, loan_id, schedule, today)),
        policies=tuple(_policies(spec, borrower.number, loan_id, today, closed_on)),
        holiday=holiday,
    )
