"""Plain input records for certificate rendering: bank, header, monthly amounts, the debt's lines, schedule rows."""

from dataclasses import dataclass
from datetime import date, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

BANK_ZONE = ZoneInfo("Europe/Moscow")


@dataclass(frozen=True, slots=True)
class BankDetails:
    """The issuing bank's requisites printed on the letterhead; `license` is the Bank of Russia licence number."""

    name: str
    address: str
    inn: str
    kpp: str
    ogrn: str
    bik: str
    correspondent_account: str
    license: str
    phone: str


@dataclass(frozen=True, slots=True)
class CertificateHeader:
    """Who and what a certificate is about, and its number and issue date (a day in the bank's time zone `zone`)."""

    number: str
    issued_on: date
    borrower_full_name: str
    contract_number: str
    contract_date: date
    zone: tzinfo = BANK_ZONE


@dataclass(frozen=True, slots=True)
class MonthAmounts:
    """Principal and interest actually paid in one calendar month (1 = January)."""

    month: int
    principal: Decimal
    interest: Decimal

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")


@dataclass(frozen=True, slots=True)
class DebtAmounts:
    """The debt on a date in separate lines; `prepaid` (money paid ahead of its due dates) is not part of it."""

    principal_not_due: Decimal
    overdue_principal: Decimal
    overdue_interest: Decimal
    accrued_interest: Decimal
    prepaid: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.principal_not_due + self.overdue_principal + self.overdue_interest + self.accrued_interest


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One scheduled payment and the balance left after it."""

    number: int
    due_date: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance_after: Decimal
