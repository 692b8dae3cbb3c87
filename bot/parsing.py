"""Reading what a borrower types: sums of money and dates, in the forms people actually write them."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_CURRENCY = re.compile(r"(₽|руб(лей|ля|ль)?\.?|р\.|rub\.?|rur|roubles?|rubles?)", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f'’_]+")
_PLAIN = re.compile(r"-?\d+([.,]\d{1,2})?")
_GROUPED = re.compile(r"-?\d{1,3}(?P<group>[.,])\d{3}(?:(?P=group)\d{3})*(?P<fraction>[.,]\d{1,2})?")
MAX_DIGITS = 15  # more is not a sum of money anybody means
_DATE_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_amount(text: str) -> Decimal | None:
    """A sum in roubles from "150 000", "150000,50", "1,500,000.00 ₽" or "1 000 000 руб."; None if it is not one.

    A group of three digits after the only separator is read as thousands ("12.345" is 12345). The sign is kept, so
    the dialog can say why a negative sum will not do; exponents, "NaN" and more than two kopeck digits are refused.
    """
    cleaned = _SPACES.sub("", _CURRENCY.sub("", text.strip()))
    if len(cleaned) > MAX_DIGITS + 6:
        return None
    if _PLAIN.fullmatch(cleaned):
        number = cleaned.replace(",", ".")
    elif (grouped := _GROUPED.fullmatch(cleaned)) and (
        grouped["fraction"] is None or grouped["fraction"][0] != grouped["group"]
    ):
        fraction = grouped["fraction"] or ""
        number = cleaned[: len(cleaned) - len(fraction)].replace(grouped["group"], "") + fraction.replace(",", ".")
    else:
        return None
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the patterns admit only digits
        return None
    return amount if len(amount.as_tuple().digits) <= MAX_DIGITS else None


def parse_date(text: str) -> date | None:
    """A date from "25.12.2026", "25/12/26", "5-1-2027" or "2026-12-25"; None if it is not a real date."""
    cleaned = text.strip()
    if found := _DATE_ISO.fullmatch(cleaned):
        year, month, day = (int(part) for part in found.groups())
    elif found := _DATE_DMY.fullmatch(cleaned):
        day, month, year = (int(part) for part in found.groups())
        if year < 100:
            year += 2000
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
