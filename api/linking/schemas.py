"""Requests and answers of the linking API."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.schemas import ApiModel, Language, Phone, TelegramId


class LinkRequest(ApiModel):
    telegram_user_id: TelegramId
    phone: Phone
    second_factor: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)] = Field(
        description="The last 4 digits of a contract number, or the date of birth (DD.MM.YYYY or YYYY-MM-DD)."
    )
    consent: Literal[True] = Field(description="The borrower agreed to the processing of personal data.")
    language: Language | None = None


class LinkedLoan(ApiModel):
    id: int
    contract_number: str
    status: str


class LinkResult(ApiModel):
    borrower_id: int
    first_name: str
    language: str
    selected_loan_id: int | None
    loans: list[LinkedLoan]
