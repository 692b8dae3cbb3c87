"""Answers of the loans API: the loan list, the balance summary, the schedule and the early-repayment estimate."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer

from api.engine import DayCount, RepaymentMode
from api.models import LoanStatus
from api.schemas import ApiModel, Money, PositiveMoney

#: A percentage such as a rate or the share repaid, serialised as a plain decimal string ("12.5").
Percent = Annotated[Decimal, PlainSerializer(lambda v: format(v.normalize(), "f"), return_type=str, when_used="json")]


class LoanItem(ApiModel):
    id: int
    contract_number: str
    contract_date: date
    status: LoanStatus
    principal: Money
    selected: bool = Field(description="The loan the borrower chose to see in the bot.")


class PaymentDetails(ApiModel):
    """How to pay remotely: who receives the money, where, how much is due now, and the same as a payment QR code."""

    recipient: str = Field(description="The payee: the bank, which credits the money to the loan.")
    inn: str = Field(description="The payee's INN.")
    kpp: str = Field(description="The payee's KPP.")
    account: str | None = Field(
        description="The loan's own 20-digit account for repayments; null when the bank has not sent it yet."
    )
    bank_name: str = Field(description="The payee's bank.")
    bik: str
    correspondent_account: str
    amount_due: Money | None = Field(
        description="What to pay now: the overdue amount if any, else what is left of the next installment; "
        "null when nothing is due (a closed loan, or the next installment already covered)."
    )
    amount_due_reason: Literal["overdue", "next_payment"] | None = Field(
        description="Why `amount_due` is due: `overdue` installments, or the `next_payment`."
    )
    purpose: str = Field(description="The payment's purpose line, naming the contract.")
    qr_payload: str | None = Field(
        description="The payment QR code's text in GOST R 56042-2014 (`ST00012|Name=…|…`), `Sum` in kopecks "
        "(left out when nothing is due, so the payer types it); null for a closed loan or without an account."
    )
    bank_phone: str = Field(description="The bank's phone for questions about a payment.")


class LoanSummary(ApiModel):
    """Everything the balance screen shows, on `on_date`."""

    loan_id: int
    contract_number: str
    contract_date: date
    status: LoanStatus
    on_date: date
    principal: Money
    rate_percent: Percent
    term_months: int
    day_count: DayCount = Field(description="How each period's interest is counted.")
    monthly_payment: Money | None = Field(description="The next regular installment; null when none is left.")
    outstanding_principal: Money
    next_payment_date: date | None
    next_payment_amount: Money | None = Field(description="What is still to pay of the next installment.")
    principal_paid: Money
    interest_paid: Money
    percent_repaid: Percent
    installments_left: int = Field(description="Installments (one a month) not yet fully paid, overdue ones included.")
    last_payment_date: date = Field(description="The planned date of the last payment.")
    overdue_amount: Money
    overdue_since: date | None
    days_overdue: int
    prepaid_amount: Money = Field(description="Money received ahead of the installments it will cover.")
    closed: bool
    payment_details: PaymentDetails


class ScheduleRow(ApiModel):
    number: int
    date: date
    payment: Money
    principal: Money
    interest: Money
    balance: Money
    kind: str = Field(description="regular, holiday (inside a payment holiday) or deferred (moved to the end).")


class LoanSchedule(ApiModel):
    loan_id: int
    total_payment: Money
    total_interest: Money
    rows: list[ScheduleRow]


class OwedAfter(ApiModel):
    """The principal still owed after one installment of the schedule, on its date."""

    date: date
    balance: Money


class LoanBalance(ApiModel):
    """The balance screen in one answer: the summary today and what its payoff chart draws, the principal owed after
    each installment of the schedule (the whole schedule is `GET …/schedule`)."""

    summary: LoanSummary
    owed_after: list[OwedAfter]


class EstimateRequest(ApiModel):
    amount: PositiveMoney
    mode: RepaymentMode
    on_date: date | None = Field(
        default=None, description="The repayment date; default and earliest: today plus the notice period."
    )


class PayoffOut(ApiModel):
    """Repaying the loan in full on the date: what to pay that day, itemised; the loan closes once all is paid."""

    principal: Money = Field(description="The principal outstanding on the date, after the installments due by then.")
    interest: Money = Field(description="Interest accrued from `interest_since` to the date.")
    interest_since: date
    deferred_interest: Money = Field(description="Interest a payment holiday moved to the end of the loan.")
    overdue_amount: Money = Field(description="Installments already overdue today and not yet paid.")
    total: Money = Field(description="principal + interest + deferred_interest + overdue_amount.")


class EarlyRepaymentEstimateOut(ApiModel):
    """The remaining schedule without ("before") and with ("after") the repayment, and how to file it."""

    on_date: date
    amount: Money
    mode: RepaymentMode
    balance_before: Money
    balance_after: Money
    payment_before: Money
    payment_after: Money = Field(description="The regular monthly payment after the repayment.")
    first_payment_after: Money = Field(description="The next payment after the repayment.")
    installments_before: int
    installments_after: int
    last_date_before: date
    last_date_after: date
    interest_before: Money
    interest_after: Money
    interest_saved: Money
    payoff: PayoffOut | None = Field(description="Set when the amount repays the loan in full.")
    overdue_amount: Money = Field(description="Overdue today and not yet paid: due now, apart from this repayment.")
    overdue_since: date | None
    due_before: Money = Field(
        description="Installments falling due after today up to the repayment date, to pay on their dates as usual."
    )
    notice_days: int
    earliest_date: date
    apply_by: date = Field(description="The last day to file the request: the repayment date less the notice.")
    bank_phone: str
