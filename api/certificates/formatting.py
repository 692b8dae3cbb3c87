"""Russian formatting of money, dates, rates and month names as printed on certificates."""

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALE = "ru_RU"


def money(amount: Decimal) -> str:
    """Rubles with kopecks, e.g. ``49 300,88 ₽`` (Babel separates with non-breaking spaces)."""
    return format_currency(amount, "RUB", locale=LOCALE)


def day(value: date) -> str:
    """A date as ``dd.mm.yyyy``."""
    return value.strftime("%d.%m.%Y")


def percent(rate: Decimal) -> str:
    """An annual rate, e.g. ``12,5 %`` (non-breaking space before the sign)."""
    return f"{format_decimal(rate, locale=LOCALE)}\u00a0%"


def month_name(month: int) -> str:
    """The capitalised nominative month name, e.g. ``Март`` for 3."""
    return format_date(date(2000, month, 1), "LLLL", locale=LOCALE).capitalize()
