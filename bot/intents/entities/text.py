"""The text the entity grammars read: normalized once, with the spans one grammar has taken masked from the next."""

import re
import unicodedata

MAX_CHARS = 1000  # a request is a line or two; past this nothing is read (and the grammars stay fast)

_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-") | dict.fromkeys("’‘", "'") | {"ё": "е"})
_SPACES = re.compile(r"\s+")
MASK = "#"  # neither a digit, a letter nor a space: a masked span joins nothing on either side


def normalize(text: str) -> str:
    """Lower case, NFKC (no-break and thin spaces, full-width digits), one kind of dash and space, ё as е."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower().translate(_DASHES)
    return _SPACES.sub(" ", text).strip()[:MAX_CHARS]


class Masked:
    """The normalized text and the spans taken so far, replaced by `MASK` so later grammars do not see them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.rest = text

    def take(self, start: int, end: int) -> None:
        self.rest = self.rest[:start] + MASK * (end - start) + self.rest[end:]


# What may follow a number that is money, never a day or a year: a multiplier, a currency, a percent sign.
MONEY_AFTER = (
    r"\s?(?:тыс|тыщ|т\.?\s?р(?![а-я])|к(?![а-я])|k(?![a-z])|млн|миллион|мильон|лям|лимон|косар|млрд|миллиард|mln|mn(?![a-z])"
    r"|million|thousand|m(?![a-z])|bn(?![a-z])|billion|tys|руб|р\.?(?![а-я])|rub|rur|roubl|rubl|₽|%"
    r"|\$|€|usd|eur|долл|dollar|евро)"
)
