"""The choice an early repayment asks for: a shorter term ("с уменьшением срока", "shorten the term", "fewer
months") or a smaller payment ("уменьшить платёж", "lower monthly payment", "smaller installment"). A choice
negated ("не срок, а платёж", "not the term") does not count; both choices, or neither, give none."""

import re
from typing import Literal

# Russian, and its transliteration ("umenshit srok", "snizit platezh").
_LESS_RU = (
    r"(?:(?:уменьш|уменш|сокра[тщ]|сниз|сниж|пониз|пониж|урез|меньш|короч|поменьш|покороч)[а-я]*"
    r"|(?:umen|sokra|sniz|poniz|mensh|koroch)[a-z]*)"
)
_TERM_RU = r"(?:срок[а-я]*|srok[a-z]*)"
_PAYMENT_RU = (
    r"(?:(?:ежемесячн[а-я]*\s)?(?:плат[её]?ж|платеж|платиж|плотеж|взнос|выплат)[а-я]*"
    r"|(?:ezhemesyachn[a-z]*\s)?(?:platezh|platej|platez|vznos)[a-z]*)"
)
_LESS_EN = r"(?:shorten|shorter|reduc\w*|lower\w*|smaller|decreas\w*|cut\w*|less|fewer|minimi[sz]\w*)"
_TERM_EN = r"(?:(?:loan\s|mortgage\s)?(?:term|duration|tenor|period)|months)"
_PAYMENT_EN = r"(?:(?:the\s|my\s)?(?:monthly\s)?(?:payments?|installments?|instalments?|repayments?|annuity))"
_WITHIN = r"(?:\s[a-zа-я]+){0,2}\s"  # up to two words between: "сократить мне срок", "reduce the loan term"

_TERM = re.compile(
    rf"(?<![a-zа-я])(?:{_LESS_RU}{_WITHIN}{_TERM_RU}|{_TERM_RU}{_WITHIN}?\s?{_LESS_RU}"
    rf"|{_LESS_EN}{_WITHIN}{_TERM_EN}|{_TERM_EN}\s(?:reduction|shortening)|shorter\s(?:the\s|my\s)?(?:loan|mortgage)"
    r"|shorten\s(?:the\s|my\s)?(?:loan|mortgage)"
    r"|(?:pay|paid|finish\w*|close|закрыть|погасить|выплатить)(?:\s[a-zа-я]+){0,2}\s(?:sooner|faster|быстрее"
    r"|побыстрее|скорее))"
)
_PAYMENT = re.compile(
    rf"(?<![a-zа-я])(?:{_LESS_RU}{_WITHIN}{_PAYMENT_RU}|{_PAYMENT_RU}{_WITHIN}?\s?{_LESS_RU}"
    rf"|{_LESS_EN}{_WITHIN}{_PAYMENT_EN}|{_PAYMENT_EN}\s(?:reduction|decrease)"
    r"|pay\sless\s(?:each|per|a|every)\smonth|less\s(?:each|per|a|every)\smonth"
    r"|(?:меньше|поменьше)\sплатить|платить\s(?:меньше|поменьше))"
)
_NEGATION = re.compile(
    r"(?:^|\s)(?:не|ни|без|not|no|don'?t|do not|without|never|rather than|instead of)\s(?:[a-zа-я]+\s)?$"
)


def find_mode(text: str) -> Literal["term", "payment"] | None:
    """The one choice the text makes, None for neither or both."""
    term = _said(_TERM, text)
    payment = _said(_PAYMENT, text)
    if term and not payment:
        return "term"
    if payment and not term:
        return "payment"
    return None


def _said(pattern: re.Pattern[str], text: str) -> bool:
    """Whether the text asks for it: a match not negated by the word or two before it."""
    return any(_NEGATION.search(text[: match.start()]) is None for match in pattern.finditer(text))
