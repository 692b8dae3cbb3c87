"""The payment QR code's text in GOST R 56042-2014, the format Russian banking apps read for payments by individuals.

`ST00012`: format 0001, encoding 2 (UTF-8); then `Key=value` fields separated by `|`. Name, PersonalAcc, BankName,
BIC and CorrespAcc are mandatory; the amount (Sum) is in kopecks. No value may hold the separator, and the
standard caps the length of each field. A loan's text is the same on each read until its amount due changes, so the
last ones made are kept.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

HEADER = "ST00012"
SEPARATOR = "|"
#: The standard's longest value for each field we fill.
MAX_LENGTHS = {
    "Name": 160,
    "PersonalAcc": 20,
    "BankName": 45,
    "BIC": 9,
    "CorrespAcc": 20,
    "PayeeINN": 12,
    "KPP": 9,
    "Sum": 18,
    "Purpose": 210,
}


@dataclass(frozen=True)
class PaymentOrder:
    """What a transfer to the recipient needs; `amount` None leaves the sum for the payer to type."""

    name: str
    personal_account: str
    bank_name: str
    bic: str
    correspondent_account: str
    payee_inn: str
    kpp: str
    purpose: str
    amount: Decimal | None


def _clean(value: str, limit: int) -> str:
    """One line without the separator or control characters, within the field's length."""
    text = "".join(" " if char == SEPARATOR or not char.isprintable() else char for char in value)
    return " ".join(text.split())[:limit].rstrip()


@lru_cache(maxsize=1024)
def payload(order: PaymentOrder) -> str:
    """The QR code's text: `ST00012|Name=…|PersonalAcc=…|…|Sum=<kopecks>|Purpose=…`."""
    fields = {
        "Name": order.name,
        "PersonalAcc": order.personal_account,
        "BankName": order.bank_name,
        "BIC": order.bic,
        "CorrespAcc": order.correspondent_account,
        "PayeeINN": order.payee_inn,
        "KPP": order.kpp,
    }
    if order.amount is not None:
        if order.amount <= 0 or order.amount != order.amount.quantize(Decimal("0.01")):
            raise ValueError("the sum must be a positive amount in whole kopecks")
        fields["Sum"] = str(int(order.amount * 100))
    fields["Purpose"] = order.purpose
    parts = (f"{key}={_clean(value, MAX_LENGTHS[key])}" for key, value in fields.items())
    return SEPARATOR.join((HEADER, *parts))
