"""A day: "с 1 марта", "1 марта 2027", "from 15.01.2027", "15/01/2027", "2027-01-15", "March 1st", "10 числа",
"next month's 10th", "сегодня"/"tomorrow". Numeric dates are day first in both languages (the bank's forms are).
A day without a year is the next such day from today (today included)."""

import re
from datetime import date, timedelta

from bot.intents.entities.text import MONEY_AFTER, Masked

# Each month's forms: Russian names in their cases and abbreviations, English, and transliteration.
_MONTHS = {
    1: r"январ[ьяе]|янв|january|jan|yanvar[ya]?",
    2: r"феврал[ьяе]|февр?|february|feb|fevral[ya]?",
    3: r"март[ае]?|мар|march|mar|mart[ae]?",
    4: r"апрел[ьяе]|апр|april|apr|aprel[ya]?",
    5: r"ма[йяе]|may|maya|maj",
    6: r"июн[ьяе]?|june|jun|iyun[ya]?",
    7: r"июл[ьяе]?|july|jul|iyul[ya]?",
    8: r"август[ае]?|авг|august|aug|avgust[ae]?",
    9: r"сентябр[ьяе]|сент?|september|sept?|sentyabr[ya]?",
    10: r"октябр[ьяе]|окт|october|oct|oktyabr[ya]?",
    11: r"ноябр[ьяе]|нояб?|november|nov|noyabr[ya]?",
    12: r"декабр[ьяе]|дек|december|dec|dekabr[ya]?",
}
_MONTH_FORMS = "|".join(f"(?:{forms})" for forms in _MONTHS.values())
_MONTH = "(?P<month>" + _MONTH_FORMS + r")\.?(?![a-zа-я])"
_MONTH_OF = [(re.compile(f"(?:{forms})"), number) for number, forms in _MONTHS.items()]
_DAY = r"(?P<day>[0-9]{1,2})"
_YEAR = r"(?P<year>[0-9]{4})"
_ORD = r"(?:-?(?:го|е|ое|ого|й)|st|nd|rd|th)?"
_GAP = r"(?![0-9])"

_NUMERIC = re.compile(
    r"(?<![0-9.,/-])" + _DAY + r"(?P<sep>[./-])(?P<month>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4}|[0-9]{2})"
    r"(?![0-9]|[.,/-][0-9])"
)
_ISO = re.compile(r"(?<![0-9.,/-])" + _YEAR + r"-(?P<month>[0-9]{2})-" + _DAY + r"(?![0-9]|[.,/-][0-9])")
# "01.03" without a year: a dot and a two-digit month only, never before a multiplier or a currency ("1.50 млн").
_DAY_MONTH = re.compile(r"(?<![0-9.,/-])" + _DAY + r"\.(?P<month>[0-9]{2})(?![0-9]|[.,][0-9]|" + MONEY_AFTER + ")")
_DAY_WORD = re.compile(r"(?<![0-9.,])" + _DAY + _ORD + r"\s?(?:of\s)?" + _MONTH + r"(?:,?\s" + _YEAR + r"(?![0-9]))?")
_WORD_DAY = re.compile(
    r"(?<![a-zа-я])" + _MONTH + r"\s?(?:the\s)?" + _DAY + _ORD + _GAP + r"(?:,?\s" + _YEAR + r"(?![0-9]))?"
)
# "10 числа (следующего месяца)", "10th of next month", "next month's 10th", "on the 10th".
_OF_MONTH = re.compile(
    r"(?<![0-9.,])" + _DAY + r"(?:-?(?:го|е|ое))?\sчисла(?:\s(?P<which>следующего|этого|текущего)\sмесяца)?"
    r"|(?<![0-9.,])(?P<day_of>[0-9]{1,2})(?:st|nd|rd|th)\sof\s(?P<which_en>next|this|the)\smonth"
    r"|next\smonth'?s\s(?:the\s)?(?P<day_next>[0-9]{1,2})(?:st|nd|rd|th)?"
    + _GAP
    + r"|(?:on|from|by|starting|since)\sthe\s(?P<day_the>[0-9]{1,2})(?:st|nd|rd|th)"
    + _GAP
)
_MONEY_BEFORE = re.compile(r"(?:₽|rub|rur|руб\.?|\$|€|usd|eur)\s?$")
_RELATIVE = re.compile(
    r"(?<![a-zа-я])(?P<word>послезавтра|сегодня|сегодняшн[а-я]*|завтра|завтрашн[а-я]*"
    r"|day after tomorrow|today|tomorrow)"
    r"(?![a-zа-я])"
)
# Days in words next to a month or "числа": "с первого марта", "двадцать пятого числа", "march the first".
_RU_ORDINALS = (  # noqa: SIM905 (two lines of words read better than twenty)
    "перв втор трет четверт пят шест седьм восьм девят десят одиннадцат двенадцат тринадцат четырнадцат пятнадцат"
    " шестнадцат семнадцат восемнадцат девятнадцат двадцат"
).split()
_EN_ORDINALS = (  # noqa: SIM905
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth"
    " fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_ORDINAL_STEMS = {stem: number for number, stem in enumerate(_RU_ORDINALS, 1)} | {"тридцат": 30}
_ORDINAL_WORDS = {word: number for number, word in enumerate(_EN_ORDINALS, 1)} | {"thirtieth": 30}
_TENS = {"двадцать": 20, "тридцать": 30, "twenty": 20, "thirty": 30}
_ORDINAL = (
    r"(?:(?P<tens>двадцать|тридцать|twenty|thirty)[\s-])?(?P<unit>(?:"
    + "|".join(_ORDINAL_STEMS)
    + r")[а-я]{0,4}|"
    + "|".join(_ORDINAL_WORDS)
    + ")"
)
_ORDINAL_BEFORE = re.compile(
    r"(?<![a-zа-я])" + _ORDINAL + r"(?=\s(?:of\s)?(?:" + _MONTH_FORMS + r")\.?(?![a-zа-я])|\sчисла)"
)
_ORDINAL_AFTER = re.compile(
    r"(?<![a-zа-я])(?P<head>(?:" + _MONTH_FORMS + r")\.?\s(?:the\s)?)" + _ORDINAL + r"(?![a-zа-я])"
)
_RELATIVE_DAYS = {"послезавтра": 2, "day after tomorrow": 2, "завтра": 1, "tomorrow": 1}

_FIRST_YEAR, _LAST_YEAR = 1900, 2100  # a written year outside is a typo, not a day


def spell_days(text: str) -> str:
    """Days in words as digits where a month or "числа" says they are days: "первого марта" -> "1 марта"."""
    text = _ORDINAL_BEFORE.sub(lambda match: _ordinal(match) or match[0], text)
    return _ORDINAL_AFTER.sub(lambda match: match["head"] + (_ordinal(match) or match[0][len(match["head"]) :]), text)


def _ordinal(match: re.Match[str]) -> str | None:
    unit = match["unit"]
    stem = max((stem for stem in _ORDINAL_STEMS if unit.startswith(stem)), key=len, default="")
    value = _ORDINAL_WORDS.get(unit) or _ORDINAL_STEMS.get(stem, 0)
    tens = _TENS.get(match["tens"] or "", 0)
    if not value or (tens and value > 9):
        return None
    return str(tens + value)


def find_day(masked: Masked, *, today: date) -> date | None:
    """The one day the text names (its spans masked from the later grammars), None for none or several."""
    found: set[date] = set()
    for pattern in (_NUMERIC, _ISO, _DAY_WORD, _WORD_DAY, _DAY_MONTH):
        for match in pattern.finditer(masked.rest):
            if pattern is _DAY_MONTH and _MONEY_BEFORE.search(masked.rest, 0, match.start()):
                continue  # "RUB 5.01" is money
            day = _from_parts(match, today)
            if day is not None:
                found.add(day)
                masked.take(*match.span())
    for match in _OF_MONTH.finditer(masked.rest):
        day = _of_month(match, today)
        if day is not None:
            found.add(day)
            masked.take(*match.span())
    for match in _RELATIVE.finditer(masked.rest):
        word = match["word"]
        found.add(today + timedelta(days=next((n for w, n in _RELATIVE_DAYS.items() if word.startswith(w)), 0)))
    return found.pop() if len(found) == 1 else None


def _from_parts(match: re.Match[str], today: date) -> date | None:
    day = int(match["day"])
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else _month_number(month_text)
    if month is None:
        return None
    year_text = match.groupdict().get("year")
    if year_text is None:
        return _next(today, month, day)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    return _valid(year, month, day)


def _month_number(text: str) -> int | None:
    return next((number for forms, number in _MONTH_OF if forms.fullmatch(text.rstrip("."))), None)


def _of_month(match: re.Match[str], today: date) -> date | None:
    day = int(match["day"] or match["day_of"] or match["day_next"] or match["day_the"])
    which = match["which"] or match["which_en"] or ("next" if match["day_next"] else None)
    if which in ("следующего", "next"):
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return _valid(year, month, day)
    if which in ("этого", "текущего", "this"):
        return _valid(today.year, today.month, day)
    for ahead in range(12):  # the next such day: this month if still to come, else the next month that has it
        year, month = divmod(today.month - 1 + ahead, 12)
        candidate = _valid(today.year + year, month + 1, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _next(today: date, month: int, day: int) -> date | None:
    """The first `day`.`month` on or after today (29 February: the next leap year's)."""
    for year in range(today.year, today.year + 9):
        candidate = _valid(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
