"""An amount of roubles: "200 тысяч", "200 тыс.", "200к", "200k", "1,5 млн", "1.5 mln", "RUB 150k", "150 000 ₽",
"150000 руб", "150 000,50", "1 млн 200 тыс", "полмиллиона", "двести тысяч", "half a million".

Exact: the digits are read as Decimal, never float, and quantized to the kopeck. A number is money when it carries
a multiplier or the rouble ("strong"); a bare number only when it is at least 1000, at most nine digits, not
after a word like "договор" or "№" and not before a unit ("дней", "%"). Strong amounts outrank bare ones; two
different amounts of the same rank give none. Negative, zero, above 1e11 or in another currency: none."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice

from bot.intents.entities.text import Masked

MAX_AMOUNT = Decimal("1e11")
MAX_NUMBERS = 24
KOPECK = Decimal("0.01")
_BARE_MIN, _BARE_MAX = Decimal(1000), Decimal(1_000_000_000)  # a bare number of ten digits is a phone or an id

_THOUSAND, _MILLION, _BILLION = Decimal(1000), Decimal(1_000_000), Decimal(1_000_000_000)
_MULTIPLIERS = (
    (r"тысяч[а-я]*|тыщ[а-я]*|тыс\.?|косар[а-я]*|tysyach[a-z]*|tysach[a-z]*|tys\.?|thousands?|grand", _THOUSAND),
    (r"т\.?\s?р\.?", _THOUSAND),  # "тысяч рублей": a currency too
    (r"к|k", _THOUSAND),  # only written on the number: "200 к марту" is no 200 000
    (r"млн\.?|миллион[а-я]*|мильон[а-я]*|лям[а-я]*|лимон[а-я]*|mln\.?|mn|millions?|mil|lyam[a-z]*", _MILLION),
    (r"m", _MILLION),  # only written on the number: "1.5m"
    (r"млрд\.?|миллиард[а-я]*|mlrd|bn|billions?", _BILLION),
)
_ATTACHED_ONLY = frozenset({"к", "k", "m"})
_MULTIPLIER = "|".join(f"(?:{forms})" for forms, _ in _MULTIPLIERS)
_MULTIPLIER_OF = [(re.compile(forms), value) for forms, value in _MULTIPLIERS]
_ROUBLE = r"₽|руб[а-я]*\.?|р\.?(?![а-я])|rub[a-z]*\.?|rur|roubles?|rubles?"
_FOREIGN = r"\$|usd|долл[а-я]*|dollars?|bucks|€|eur[a-z]*|евро"

_NUMBER = re.compile(
    r"(?<![0-9.,])(?P<int>[0-9]{1,3}(?P<sep>[ ,.'])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?![0-9])|[0-9]+)"
    r"(?:(?P<dec>[.,])(?P<frac>[0-9]+))?(?![0-9])"
    r"(?P<space>\s?)(?:(?P<mult>" + _MULTIPLIER + r")(?![a-zа-я]))?"
)
_ROUBLE_AFTER = re.compile(r"\s?(?:" + _ROUBLE + r")(?![a-zа-я])(?:\s?(?P<kop>[0-9]{1,2})\s?коп[а-я]*\.?)?")
_ROUBLE_BEFORE = re.compile(r"(?:₽|rub|rur|руб\.?)\s?$")
_FOREIGN_AFTER = re.compile(r"\s?(?:" + _FOREIGN + r")(?![a-zа-я])")
_FOREIGN_BEFORE = re.compile(r"(?:\$|€|usd|eur)\s?$")
_NEGATIVE_BEFORE = re.compile(r"(?:(?<![0-9a-zа-я])-|минус\s?|minus\s?)$")
# Numbers that are no money when bare: an identifier after its name, a count or a rate before its unit.
_IDENTIFIER_BEFORE = re.compile(
    r"(?<![a-zа-я])(?:№|#|номер[а-я]*|договор[а-я]*|контракт[а-я]*|contract|сч[её]т[а-я]*|сч\.|account|acc|card|карт[а-я]*|бик|bic"
    r"|инн|inn|тел[а-я]*|phone|кв\.?|квартир[а-я]*|apt|дом|д\.|код[а-я]*|code|pin|пин|смс|sms|цифр[а-я]*|digits?"
    r"|паспорт[а-я]*|passport|снилс|snils|no\.?|id|\+)\s?[:.-]?\s?$"
)
_UNIT_AFTER = re.compile(
    r"\s?(?:%|процент|percent|pct|годовых|месяц|мес\.?|дн[еяи]|день|недел|лет(?![а-я])|год|час|минут|раз(?![а-я])"
    r"|штук|человек|months?|days?|weeks?|years?|hours?|minutes?|times|am(?![a-z])|pm(?![a-z])|st(?![a-z])"
    r"|nd(?![a-z])|rd(?![a-z])|th(?![a-z])|-?го(?![а-я])|-?й(?![а-я])|числ|кв\.?\s?м|м2|sq)"
)

# Numbers in words: enough for "двести пятьдесят тысяч", "полтора миллиона", "two hundred thousand".
_WORD_VALUES = {
    **dict.fromkeys(("один", "одна", "одну", "one"), 1),
    **dict.fromkeys(("два", "две", "two"), 2),
    **{"три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10},
    **{"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10},
    **{"одиннадцать": 11, "двенадцать": 12, "пятнадцать": 15, "twelve": 12, "fifteen": 15, "eleven": 11},
    **{"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70},
    **{"восемьдесят": 80, "девяносто": 90, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60},
    **{"seventy": 70, "eighty": 80, "ninety": 90},
    **{"сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600},
    **{"семьсот": 700, "восемьсот": 800, "девятьсот": 900},
}
_WORD_HALVES = {
    **dict.fromkeys(("полтора", "полторы"), Decimal("1.5")),
    **dict.fromkeys(("пол", "половиной", "half"), Decimal("0.5")),
}
_HUNDREDS = frozenset({"hundred", "hundreds"})
_WORD_FILLERS = frozenset({"и", "с", "and", "a"})  # "два с половиной миллиона", "one and a half million"
_WORD_SCALES = [
    (re.compile(r"тысяч[а-я]*|тыщ[а-я]*|косар[а-я]*|thousands?|grand"), _THOUSAND),
    (re.compile(r"миллион[а-я]*|мильон[а-я]*|лям[а-я]*|лимон[а-я]*|millions?"), _MILLION),
    (re.compile(r"миллиард[а-я]*|billions?"), _BILLION),
]
_WORD = re.compile(r"[a-zа-я]+")
_YEAR_AFTER = re.compile(r"\s(?:[а-я]+(?:ый|ой|ий|ого|ом)\s)?(?:год|году|года)(?![а-я])")


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    value: Decimal
    scale: Decimal | None  # the multiplier it carried, None for a bare number
    rouble: bool = False


def find_amount(masked: Masked) -> Decimal | None:
    """The one amount the text names, None for none, several or an absurd one."""
    numbers = list(islice(_NUMBER.finditer(masked.rest), MAX_NUMBERS + 1))
    if len(numbers) > MAX_NUMBERS:  # a table or a dump, not a request (and the time stays bounded)
        return None
    pieces = [*_number_pieces(numbers, masked), *_word_pieces(masked.rest)]
    strong: set[Decimal] = set()
    bare: set[Decimal] = set()
    covered = 0  # the end of the last amount with its currency: "150 000 руб 50 коп" has no second amount in it
    for group in _groups(sorted(pieces, key=lambda piece: piece.start), masked.text):
        if group[0].start < covered:
            continue
        amount = _amount_of(group, masked.text)
        if amount is None:
            continue
        value, is_strong, covered = amount
        (strong if is_strong else bare).add(value)
    chosen = strong or bare
    return chosen.pop() if len(chosen) == 1 else None


def _number_pieces(numbers: list[re.Match[str]], masked: Masked) -> list[_Piece]:
    pieces = []
    for match in numbers:
        mult = match["mult"]
        if mult is not None and mult in _ATTACHED_ONLY and match["space"]:
            mult = None
        end = match.end() if mult is not None else match.start("space")
        value = _digits(match["int"], match["sep"], match["frac"], scaled=mult is not None)
        if value is None:
            continue
        scale = _scale_of(mult) if mult is not None else None
        rouble = mult is not None and mult.startswith("т") and "р" in mult
        pieces.append(_Piece(match.start(), end, value * (scale or 1), scale, rouble))
    for piece in pieces:  # the words in numbers come next and must not re-read these
        masked.take(piece.start, piece.end)
    return pieces


def _digits(integer: str, sep: str | None, frac: str | None, *, scaled: bool) -> Decimal | None:
    """'150 000' + '50' -> 150000.50; kopecks past the second digit only under a multiplier ("1,25 млн")."""
    digits = integer.replace(sep, "") if sep else integer
    if frac is not None and len(frac) > 2 and not scaled:
        return None
    return Decimal(digits + ("." + frac if frac else ""))


def _scale_of(mult: str) -> Decimal:
    return next(value for forms, value in _MULTIPLIER_OF if forms.fullmatch(mult))


def _word_pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    run: list[re.Match[str]] = []
    for match in _WORD.finditer(text):
        word = match[0]
        numeral = word in _WORD_VALUES or word in _WORD_HALVES or word in _HUNDREDS or _word_scale(word) is not None
        if run and (numeral or word in _WORD_FILLERS) and _joined(text, run[-1].end(), match.start()):
            run.append(match)
            continue
        if run:
            pieces.extend(_word_piece(run, text))
        run = [match] if numeral else []
    if run:
        pieces.extend(_word_piece(run, text))
    return pieces


def _joined(text: str, end: int, start: int) -> bool:
    return text[end:start] in (" ", "-")


def _word_scale(word: str) -> Decimal | None:
    half = word.startswith("пол") and len(word) > 3  # "полмиллиона", "полляма", "полтыщи"
    name = word[3:].lstrip("-") if half else word
    scale = next((value for forms, value in _WORD_SCALES if forms.fullmatch(name)), None)
    return scale / 2 if half and scale is not None else scale


def _word_piece(run: list[re.Match[str]], text: str) -> list[_Piece]:
    """The value of a run of number words, if it has a thousand or more in it."""
    while run and run[-1][0] in _WORD_FILLERS:
        run = run[:-1]
    total, current, top, counted = Decimal(0), Decimal(0), None, False
    for match in run:
        word = match[0]
        if word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word in _WORD_HALVES:
            current += _WORD_HALVES[word]
        elif word in _HUNDREDS:
            current = (current or Decimal(1)) * 100
        elif (scale := _word_scale(word)) is not None:
            counted = counted or current > 0 or word.startswith("пол")
            total += (current or Decimal(1)) * scale
            current, top = Decimal(0), max(top or scale, scale)
    # A thousand or more, and no lone "тысяча" ("спасибо тысячу раз"); "две тысячи двадцать четвертый год" is a year.
    if top is None or (not counted and top < _MILLION) or _YEAR_AFTER.match(text, run[-1].end()):
        return []
    return [_Piece(run[0].start(), run[-1].end(), total + current, top)]


def _groups(pieces: list[_Piece], text: str) -> list[list[_Piece]]:
    """Pieces that make one amount together: "1 млн 200 тыс", "2 миллиона триста тысяч"."""
    groups: list[list[_Piece]] = []
    for piece in pieces:
        if groups:
            last = groups[-1][-1]
            between = text[last.end : piece.start].strip(" ")
            follows = piece.scale is not None or (piece.value >= _BARE_MIN and not _UNIT_AFTER.match(text, piece.end))
            if last.scale is not None and piece.value < last.scale and follows and between in ("", "и", "and"):
                groups[-1].append(piece)
                continue
        groups.append([piece])
    return groups


def _amount_of(group: list[_Piece], text: str) -> tuple[Decimal, bool, int] | None:
    """The group's amount, whether it is strong and where it ends; None when it is no roubles or refused."""
    start, end = group[0].start, group[-1].end
    before = text[max(0, start - 24) : start]
    after = _ROUBLE_AFTER.match(text, end)
    if _FOREIGN_AFTER.match(text, end) or _FOREIGN_BEFORE.search(before) or _NEGATIVE_BEFORE.search(before):
        return None
    value = sum((piece.value for piece in group), Decimal(0))
    if after is not None and after["kop"]:
        value += Decimal(after["kop"]) / 100
    rouble = after is not None or _ROUBLE_BEFORE.search(before) is not None or any(p.rouble for p in group)
    strong = rouble or any(piece.scale is not None for piece in group)
    if not strong and not _bare_money(group[0], text, before):
        return None
    if not Decimal(0) < value <= MAX_AMOUNT:
        return None
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP), strong, after.end() if after is not None else end


def _bare_money(piece: _Piece, text: str, before: str) -> bool:
    digits = text[piece.start : piece.end]
    return (
        _BARE_MIN <= piece.value < _BARE_MAX
        and not digits.startswith("0")
        and _IDENTIFIER_BEFORE.search(before) is None
        and _UNIT_AFTER.match(text, piece.end) is None
    )
