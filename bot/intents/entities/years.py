"""A year: "за 2024", "2024 год", "за 23 год", "for 2023", "fy2023", "this year", "за прошлый год",
"в позапрошлом году", "2 years ago". Only a plausible year counts: 2000..today's (a certificate's year has passed or
is running). A four-digit number that reads as a year is masked from the amounts even when implausible: "за 1999" is
no 1999 roubles."""

import re
from datetime import date

from bot.intents.entities.text import MONEY_AFTER, Masked

FIRST_YEAR = 2000

_NUMBER_WORDS = {"один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "one": 1, "two": 2, "three": 3, "four": 4}
_GOD = r"(?:г\.?|гг\.?|год(?:а|у|ом|е)?|god[au]?)(?![a-zа-я])"
_CUED = re.compile(
    # "2024 год", "2024г.", "2024-й год": a number and the word for year after it; "за 23 год", "в 23 году" (not
    # "23 года": that is an age as often as a year).
    r"(?<![0-9.,])(?:(?P<after>[0-9]{4})\s?(?:-?(?:й|ый|ого|ом|м|го)\s?)?"
    + _GOD
    + r"|(?P<short>[0-9]{2})\s?(?:-?(?:й|ый|ом|м)\s?)?(?:год|году|г\.)(?![a-zа-я]))"
    # "за 2024", "for 2023", "fy2023", "year 2023": a year word or a preposition before it.
    + r"|(?<![a-zа-я])(?:за|в|во|на|по|от|za|for|in|of|from|year|tax year|fy)\s?(?P<before>[0-9]{4})(?![0-9.,]|"
    + MONEY_AFTER
    + ")"
)
# A four-digit number alone, neither money nor part of a bigger number: a year if plausible, no amount anyway.
_BARE = re.compile(r"(?<![0-9.,+])(?P<bare>(?:19|20)[0-9]{2})(?![0-9]|[.,][0-9]|" + MONEY_AFTER + ")")
_RELATIVE = re.compile(
    r"(?<![a-zа-я])(?:позапрошл[а-я]*\s(?:год|году|года)|year before last|the year before last year)"
    r"|(?P<last>(?<![a-zа-я])(?:прошл[а-я]*\s(?:год|году|года)|прошлогодн[а-я]*|last year|previous year"
    r"|proshl[a-z]*\sgod[au]?))"
    r"|(?P<this>(?<![a-zа-я])(?:(?:этот|этом|этого|текущий|текущем|текущего|нынешний|нынешнем)\s(?:год|году|года)"
    r"|this year|current year|etot god))"
    r"|(?<![a-zа-я0-9])(?P<ago>[0-9]{1,2}|один|два|три|четыре|пять|one|two|three|four|a)?\s?(?:год|года|лет|years?)\s(?:назад|ago)"
)


def find_year(masked: Masked, *, today: date) -> int | None:
    """The one plausible year the text names (its spans masked from the amounts), None for none or several."""
    found: set[int] = set()
    for pattern in (_CUED, _BARE):
        for match in pattern.finditer(masked.rest):
            text = match["bare"] if pattern is _BARE else match["after"] or match["short"] or match["before"]
            year = int(text) + (2000 if len(text) == 2 else 0)
            masked.take(*match.span())
            if FIRST_YEAR <= year <= today.year:
                found.add(year)
    for match in _RELATIVE.finditer(masked.rest):
        year = today.year - _years_back(match)
        if FIRST_YEAR <= year <= today.year:
            found.add(year)
    return found.pop() if len(found) == 1 else None


def _years_back(match: re.Match[str]) -> int:
    if match["this"]:
        return 0
    if match["last"]:
        return 1
    if match.group(0).strip().endswith(("назад", "ago")):
        count = match["ago"]
        if count is None or count == "a":
            return 1
        return int(count) if count.isdigit() else _NUMBER_WORDS[count]
    return 2
