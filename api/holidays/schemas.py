"""Requests and answers of the payment-holiday API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from api.documents.schemas import DocumentPublic
from api.holidays.precheck import MAX_MONTHS
from api.models import HolidayMode, HolidayReason, HolidayStatus
from api.schemas import ApiModel, LongText, Money

MAX_INCOME = Decimal(100_000_000)
MAX_FILES = 5  # the files an application takes with it when it is sent; more may be attached afterwards

#: A monthly income in roubles: not negative, not absurd.
Income = Annotated[Money, Field(ge=0, le=MAX_INCOME)]


class HolidayCreate(ApiModel):
    """The application: also the body of the pre-check, which stores nothing."""

    reason: HolidayReason
    income_before: Income = Field(description="Monthly income before: last year's monthly average.")
    income_after: Income = Field(description="Monthly income now.")
    months: Annotated[int, Field(ge=1, le=MAX_MONTHS)]
    mode: HolidayMode = Field(description="`full`: nothing paid; `reduced`: `reduced_payment` paid each month.")
    reduced_payment: Annotated[Money, Field(gt=0, le=MAX_INCOME)] | None = None
    start_date: date
    comment: LongText | None = None

    @model_validator(mode="after")
    def _check(self) -> "HolidayCreate":
        if (self.mode == HolidayMode.REDUCED) != (self.reduced_payment is not None):
            raise ValueError("reduced_payment is required for a reduced holiday and only for one")
        if self.comment == "":
            self.comment = None
        return self


class RulePublic(ApiModel):
    code: str = Field(description="The rule: loan_cap, only_home, once_per_contract, grounds, length, ...")
    status: str = Field(description="met, not_met, or to_confirm (holds if the proof confirms it).")
    outcome: str = Field(description="A stable code of this outcome, for the bot's translation.")
    explanation: str
    values: dict[str, str]


class HolidayProjection(ApiModel):
    """The loan with the holiday asked for, from the engine's schedule with it (as `ipoteka schedule` shows it)."""

    current_end_date: date = Field(description="The last installment's due date today.")
    new_end_date: date = Field(description="The last installment's due date with the holiday: the term grows.")
    moved_to_end: Money = Field(description="What the holiday months leave unpaid, due after the last installment.")
    overdue_now: Money = Field(description="Overdue today, before the holiday.")
    overdue_since: date | None
    overdue_after: Money = Field(
        description="Still overdue with the holiday: what fell due before its start is not covered and stays due."
    )


class PrecheckPublic(ApiModel):
    eligible: bool = Field(description="No rule is not_met; an ineligible application may still be sent.")
    monthly_payment: Money
    rules: list[RulePublic]
    projection: HolidayProjection | None = Field(
        default=None,
        description="Only in the pre-check's answer; none when the holiday cannot apply (one granted already).",
    )


class HolidayPublic(ApiModel):
    id: int
    loan_id: int
    status: HolidayStatus
    reason: HolidayReason
    income_before: Money
    income_after: Money
    months: int
    mode: HolidayMode
    reduced_payment: Money | None
    start_date: date
    comment: str | None
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str | None = Field(description="Given by staff when approved or rejected.")
    precheck: PrecheckPublic
    documents: list[DocumentPublic] = Field(default_factory=list, description="Proof uploaded, oldest first.")


class HolidayApplicationTerms(ApiModel):
    """What an application on this loan may ask for today: the rules the bot's wizard asks by, so it keeps none."""

    contract_number: str = Field(description="The contract the application is on, as the borrower knows it.")
    contract_date: date
    on_date: date = Field(description="Today in the borrower's time zone.")
    monthly_payment: Money = Field(description="The regular payment the pre-check compares a reduced one with.")
    earliest_start: date = Field(description="The earliest start the law allows: backdated up to two months.")
    latest_start: date = Field(description="The latest start the pre-check accepts.")
    min_months: int
    max_months: int
    reasons: list[HolidayReason]
    modes: list[HolidayMode]
    max_income: Money = Field(description="The largest monthly income (and reduced payment) an application takes.")
    max_files: int = Field(description="Files an application takes with it when sent; more may be attached later.")
    max_file_bytes: int = Field(description="The largest file the backend accepts as proof.")
