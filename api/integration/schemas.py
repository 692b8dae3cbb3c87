"""Records the bank's systems send; each carries the bank's own id, so sending one twice changes nothing.

Each record's OpenAPI example is one the test bank accepts: borrower B-1, their loan L-1, a payment and a policy on
it (the routes' path examples name the same ids), so a client generated from the document reaches the logic."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import ConfigDict, Field, model_validator

from api.engine import DayCount
from api.models import EarlyMode, LoanStatus, PaymentKind, PolicyKind
from api.schemas import ApiModel, ExternalId, Language, Phone, PositiveMoney, ShortText

_ZONES = frozenset(available_timezones())
Name = Annotated[str, Field(min_length=1, max_length=100)]


class BorrowerUpsert(ApiModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "last_name": "Иванов",
                    "first_name": "Иван",
                    "middle_name": "Петрович",
                    "phone": "+79161234567",
                    "birth_date": "1985-04-12",
                    "language": "ru",
                    "time_zone": "Europe/Moscow",
                }
            ]
        }
    )

    last_name: Name
    first_name: Name
    middle_name: Annotated[str, Field(max_length=100)] | None = None
    phone: Phone
    birth_date: date
    language: Language = "ru"
    time_zone: str = "Europe/Moscow"

    @model_validator(mode="after")
    def _check(self) -> "BorrowerUpsert":
        if self.time_zone not in _ZONES:
            raise ValueError(f"unknown time zone {self.time_zone!r}")
        if not date(1900, 1, 1) <= self.birth_date <= date(2100, 1, 1):
            raise ValueError("birth_date is out of range")
        return self


#: The loans every read can serve (schedule, summary, estimate, certificates; tests/api/test_loan_bounds.py): a
#: billion roubles over 50 years at 50 % keeps every total inside the 14 digits money has.
MAX_PRINCIPAL = Decimal("1000000000.00")
MAX_RATE = Decimal("50")
#: The oldest contract taken; one dated after tomorrow is refused by the service (it has the clock).
EARLIEST_CONTRACT = date(1990, 1, 1)


class LoanUpsert(ApiModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "borrower_external_id": "B-1",
                    "contract_number": "ИК-2021/000457",
                    "contract_date": "2021-03-10",
                    "principal": "4000000.00",
                    "rate_percent": "12.5",
                    "term_months": 180,
                    "first_payment_date": "2021-04-10",
                    "property_address": "г. Москва, ул. Примерная, д. 1, кв. 1",
                    "repayment_account": "40817810400000000001",
                }
            ]
        }
    )

    borrower_external_id: ExternalId
    contract_number: Annotated[str, Field(min_length=4, max_length=32, pattern=r"^[0-9A-Za-zА-Яа-я/\-]+$")]
    contract_date: Annotated[date, Field(ge=EARLIEST_CONTRACT)]
    principal: Annotated[PositiveMoney, Field(le=MAX_PRINCIPAL)]
    rate_percent: Annotated[Decimal, Field(ge=0, le=MAX_RATE, max_digits=7, decimal_places=4)]
    term_months: Annotated[int, Field(ge=1, le=600)]
    first_payment_date: date
    payment_day: Annotated[int, Field(ge=1, le=31)] | None = None
    day_count: DayCount = Field(
        default=DayCount.MONTHLY,
        description="How each period's interest is counted: monthly (1/12 of the annual rate), actual_365 or "
        "actual_actual (the actual days over 365, or over each calendar year's 365 or 366).",
    )
    status: LoanStatus = LoanStatus.ACTIVE
    closed_on: date | None = None
    property_address: ShortText
    property_is_only_home: bool = True
    repayment_account: Annotated[
        str,
        Field(
            pattern=r"^[0-9]{20}$",
            description="The loan's own 20-digit account for repayments at this bank; its control key must match "
            "the bank's BIC.",
            examples=["40817810400000000001"],
        ),
    ]

    @model_validator(mode="after")
    def _check(self) -> "LoanUpsert":
        if not self.contract_date < self.first_payment_date <= self.contract_date + timedelta(days=366):
            raise ValueError("first_payment_date must be after contract_date, within a year of it")
        if (self.status == LoanStatus.CLOSED) != (self.closed_on is not None):
            raise ValueError("closed_on is required for a closed loan and only for one")
        return self


class PaymentUpsert(ApiModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"loan_external_id": "L-1", "paid_on": "2021-04-10", "amount": "49300.00"}]}
    )

    loan_external_id: ExternalId
    paid_on: date
    amount: PositiveMoney
    kind: PaymentKind = PaymentKind.REGULAR
    early_mode: EarlyMode | None = None

    @model_validator(mode="after")
    def _check(self) -> "PaymentUpsert":
        if (self.kind == PaymentKind.EARLY) != (self.early_mode is not None):
            raise ValueError("early_mode is required for an early repayment and only for one")
        return self


class PolicyUpsert(ApiModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "loan_external_id": "L-1",
                    "kind": "property",
                    "insurer": "АО «Страхование»",
                    "policy_number": "ИП-2026/0457",
                    "starts_on": "2026-03-10",
                    "expires_on": "2027-03-09",
                    "premium": "12000.00",
                }
            ]
        }
    )

    loan_external_id: ExternalId
    kind: PolicyKind
    insurer: ShortText
    policy_number: Annotated[str, Field(min_length=1, max_length=64)]
    starts_on: date
    expires_on: date
    premium: PositiveMoney | None = None

    @model_validator(mode="after")
    def _check(self) -> "PolicyUpsert":
        if self.expires_on <= self.starts_on:
            raise ValueError("expires_on must be after starts_on")
        return self


class UpsertResult(ApiModel):
    id: int
    external_id: str
    created: bool
    changed: bool
