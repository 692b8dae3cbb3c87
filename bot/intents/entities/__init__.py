"""The values a typed request already gives (a year, an amount, a day, shorter term or smaller payment).

`extract` is pure: a small regular grammar per value, Russian and English (and transliteration) at once, since
borrowers mix them; `language` only settles what the text cannot (nothing yet: day-first dates in both). It never
raises on a str, reads at most `MAX_CHARS` of it, and leaves a value out rather than guess: two different
amounts, years or days in one message give none."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from bot.intents.entities.amounts import find_amount
from bot.intents.entities.days import find_day, spell_days
from bot.intents.entities.modes import find_mode
from bot.intents.entities.text import MAX_CHARS, Masked, normalize
from bot.intents.entities.years import find_year

__all__ = ["MAX_CHARS", "Entities", "extract"]


@dataclass(frozen=True)
class Entities:
    year: int | None = None  # a calendar year, 2000..today's, "за 2024", "for last year"
    amount: Decimal | None = None  # roubles, quantized to the kopeck, 0 < amount <= 1e11
    day: date | None = None  # "с 1 марта" (the next 1 March from today), "from 15.01.2027"
    mode: Literal["term", "payment"] | None = None  # shorter term / smaller payment


def extract(text: str, language: str, *, today: date) -> Entities:
    """The values `text` gives, each None where it gives none or several that disagree."""
    if not isinstance(text, str):
        return Entities()
    masked = Masked(spell_days(normalize(text)))
    # Order matters: a date's digits are no year, and neither a date nor a year is an amount.
    day = find_day(masked, today=today)
    year = find_year(masked, today=today)
    amount = find_amount(masked)
    return Entities(year=year, amount=amount, day=day, mode=find_mode(masked.text))
