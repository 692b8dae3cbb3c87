"""Requests and answers of the certificates API."""

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, model_validator

from api.models import CertificateKind, CertificateStatus
from api.schemas import ApiModel, Money


class CertificateCreate(ApiModel):
    kind: CertificateKind
    year: Annotated[int, Field(ge=1900, le=2200)] | None = Field(
        default=None, description="interest_paid only: a calendar year with payments."
    )
    on_date: date | None = Field(
        default=None, description="outstanding_debt only: the date of the balance; default today."
    )
    signed: bool = Field(
        default=False, description="With a staff signature: the request waits in the staff queue; else ready at once."
    )

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> "CertificateCreate":
        if (self.kind == CertificateKind.INTEREST_PAID) != (self.year is not None):
            raise ValueError("year is required for interest_paid and only for it")
        if self.on_date is not None and self.kind != CertificateKind.OUTSTANDING_DEBT:
            raise ValueError("on_date is only for outstanding_debt")
        return self


class CertificateOut(ApiModel):
    id: int
    number: str
    loan_id: int
    kind: CertificateKind
    year: int | None
    on_date: date | None
    signed: bool
    status: CertificateStatus
    created_at: datetime
    issued_on: date | None
    delivered_at: datetime | None
    decision_reason: str | None = Field(description="Why staff rejected the request, if they did.")
    file_name: str


class CertificateYears(ApiModel):
    loan_id: int
    years: list[int] = Field(description="Calendar years with payments received, ascending.")


class InterestYear(ApiModel):
    year: int
    interest: Money = Field(description="Interest paid in the months the year's interest certificate covers.")
    as_of: date | None = Field(description="The last day covered of a year not yet over; null for a whole year.")


class InterestOverview(ApiModel):
    """Interest paid by year against the mortgage-interest deduction cap (Tax Code art. 220), as the law states it."""

    loan_id: int
    years: list[InterestYear] = Field(description="Years with payments, ascending, as their certificates state them.")
    total_interest: Money = Field(description="Interest paid since the loan began (the years above).")
    cap_applies: bool = Field(description="The loan was taken from 2014 on, so the 3,000,000 ₽ cap applies.")
    interest_cap: Money
    cap_used: Money | None = Field(description="How much of the cap the interest paid takes; null without a cap.")
    cap_left: Money | None
    refund_rate_percent: int
    max_refund: Money = Field(description="The law's largest refund on the capped base (13% of 3,000,000 ₽).")
