"""The values a typed request gives: a year, an amount, a day, shorter term or smaller payment, ru and en."""

import logging
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.intents.entities import MAX_CHARS, Entities, extract

TODAY = date(2026, 12, 7)  # a Monday in December: "1 марта" is next year's, "10 числа" this month's
FAST = settings(max_examples=300, deadline=None)


def read(text: str, language: str = "ru", today: date = TODAY) -> Entities:
    return extract(text, language, today=today)


def test_the_issue_example_fills_in_amount_and_term() -> None:
    found = read("Хочу досрочно погасить 200 тысяч с уменьшением срока")
    assert found == Entities(amount=Decimal("200000.00"), mode="term")
    assert str(found.amount) == "200000.00"


# ---- years ----

YEARS = [
    ("ru", "справка для налоговой за 2024", 2024),
    ("ru", "справку по процентам за 2023 год", 2023),
    ("ru", "нужна справка 2022г.", 2022),
    ("ru", "за 2021-й год справку", 2021),
    ("ru", "за 23 год справку о процентах", 2023),
    ("ru", "в 24 году платил проценты", 2024),
    ("ru", "справку за прошлый год", 2025),
    ("ru", "в прошлом году купили квартиру", 2025),
    ("ru", "прошлогоднюю справку", 2025),
    ("ru", "в позапрошлом году", 2024),
    ("ru", "за позапрошлый год", 2024),
    ("ru", "за этот год", 2026),
    ("ru", "в текущем году", 2026),
    ("ru", "три года назад", 2023),
    ("ru", "10 лет назад брал", 2016),
    ("ru", "spravka za 2024", 2024),
    ("ru", "справка для налоговой за proshliy god", 2025),
    ("en", "certificate for 2024", 2024),
    ("en", "interest for 2023 please", 2023),
    ("en", "for last year", 2025),
    ("en", "interest paid in the previous year", 2025),
    ("en", "the year before last", 2024),
    ("en", "this year's interest", 2026),
    ("en", "current year", 2026),
    ("en", "fy2023", 2023),
    ("en", "interest paid certificate 2022", 2022),
    ("en", "two years ago", 2024),
    ("en", "a year ago", 2025),
]


@pytest.mark.parametrize(("language", "text", "year"), YEARS)
def test_year(language: str, text: str, year: int) -> None:
    assert read(text, language).year == year


NO_YEAR = [
    ("ru", "за 1999 год"),  # before the first plausible year
    ("ru", "справку за 2030"),  # a year still to come has no certificate
    ("ru", "мне 23 года"),  # an age
    ("ru", "за 2023 и 2024"),  # two years: ask, do not pick
    ("ru", "за прошлый год и за 2022"),
    ("ru", "12 годовых"),
    ("ru", "за 2 года"),
    ("ru", "справка о процентах"),
    ("en", "for 2022 and 2023"),
    ("en", "12.03.2024"),  # a date's year is no year of its own
    ("en", "for 2024 rub"),  # money
    ("en", "interest certificate"),
]


@pytest.mark.parametrize(("language", "text"), NO_YEAR)
def test_no_year(language: str, text: str) -> None:
    assert read(text, language).year is None


@pytest.mark.parametrize(
    ("today", "text", "year"),
    [
        (date(2025, 1, 1), "за прошлый год", 2024),
        (date(2025, 1, 1), "last year", 2024),
        (date(2025, 12, 31), "в этом году", 2025),
        (date(2025, 12, 31), "this year", 2025),
        (date(2027, 6, 1), "в позапрошлом году", 2025),
        (date(2027, 6, 1), "the year before last", 2025),
        (date(2027, 6, 1), "за 2027", 2027),
        (date(2001, 3, 1), "в позапрошлом году", None),  # 1999: not plausible
        (date(2024, 6, 1), "за 2025", None),  # next year, seen from 2024
    ],
)
def test_relative_years_follow_today(today: date, text: str, year: int | None) -> None:
    assert read(text, today=today).year == year


# ---- amounts ----

AMOUNTS = [
    ("ru", "200 тысяч", "200000.00"),
    ("ru", "200 тыс.", "200000.00"),
    ("ru", "200тыс", "200000.00"),
    ("ru", "200к", "200000.00"),
    ("ru", "внести 200 тр", "200000.00"),
    ("ru", "1,5 млн", "1500000.00"),
    ("ru", "1.5 млн", "1500000.00"),
    ("ru", "2,5 миллиона", "2500000.00"),
    ("ru", "полтора ляма", "1500000.00"),
    ("ru", "пол лимона", "500000.00"),
    ("ru", "2 лимона", "2000000.00"),
    ("ru", "50 косарей", "50000.00"),
    ("ru", "полмиллиона", "500000.00"),
    ("ru", "пол миллиона", "500000.00"),
    ("ru", "два с половиной миллиона", "2500000.00"),
    ("ru", "двести пятьдесят тысяч", "250000.00"),
    ("ru", "миллион двести тысяч", "1200000.00"),
    ("ru", "1 млн 200 тыс", "1200000.00"),
    ("ru", "2 миллиона триста тысяч", "2300000.00"),
    ("ru", "150 000 ₽", "150000.00"),
    ("ru", "150\u00a0000\u00a0₽", "150000.00"),  # no-break spaces, as banking apps copy
    ("ru", "150\u202f000 руб.", "150000.00"),
    ("ru", "150000 руб", "150000.00"),
    ("ru", "150000р", "150000.00"),
    ("ru", "150 000,50", "150000.50"),
    ("ru", "150 000 руб 50 коп", "150000.50"),
    ("ru", "1 500 000,05 рублей", "1500000.05"),
    ("ru", "1.500.000", "1500000.00"),
    ("ru", "хочу внести 300000 досрочно", "300000.00"),
    ("ru", "платёж 45000, а внести хочу 300 тыс", "300000.00"),  # the named money outranks the bare number
    ("ru", "за 2024 200 тысяч", "200000.00"),
    ("ru", "200 000 к 1 марта", "200000.00"),
    ("ru", "1,23456789 млн", "1234567.89"),
    ("en", "200k", "200000.00"),
    ("en", "RUB 150k", "150000.00"),
    ("en", "rub 150 000", "150000.00"),
    ("en", "1.5 mln", "1500000.00"),
    ("en", "1.5m", "1500000.00"),
    ("en", "2 million", "2000000.00"),
    ("en", "1,500,000.50", "1500000.50"),
    ("en", "150,000 rubles", "150000.00"),
    ("en", "two hundred thousand", "200000.00"),
    ("en", "half a million", "500000.00"),
    ("en", "one and a half million", "1500000.00"),
    ("en", "make an extra payment of 500 000 rub", "500000.00"),
    ("en", "repay 200k early, shorter term", "200000.00"),
    ("en", "100 grand", "100000.00"),
]


@pytest.mark.parametrize(("language", "text", "amount"), AMOUNTS)
def test_amount(language: str, text: str, amount: str) -> None:
    found = read(text, language).amount
    assert found == Decimal(amount)
    assert found is not None and found.as_tuple().exponent == -2  # quantized to the kopeck


NO_AMOUNT = [
    ("ru", "за 2024"),  # a year
    ("ru", "2024 год"),
    ("ru", "2024"),
    ("ru", "за 1999 год"),  # an implausible year is still no 1999 roubles
    ("ru", "15.01.2027"),  # a date
    ("ru", "с 01.03.2027"),
    ("ru", "2027-01-15"),
    ("ru", "12.03"),
    ("ru", "-200 тысяч"),  # negative
    ("ru", "минус 5000 руб"),
    ("ru", "0 руб"),
    ("ru", "200000000000 руб"),  # above 1e11
    ("ru", "9999999999999999999999999999999999999 руб"),
    ("ru", "1000$"),  # another currency
    ("ru", "500 евро"),
    ("ru", "у меня долг 3 млн, хочу внести 500 тыс"),  # two amounts: ask, do not pick
    ("ru", "договор 12345678"),  # identifiers
    ("ru", "№ 45678"),
    ("ru", "бик 044525225"),
    ("ru", "счет 40817810099910004312"),
    ("ru", "+79161234567"),
    ("ru", "89161234567"),
    ("ru", "12%"),
    ("ru", "12,5 процентов годовых"),
    ("ru", "за 3 месяца"),
    ("ru", "1500 дней"),
    ("ru", "200 к марту"),  # "к" apart from the number is a preposition
    ("ru", "спасибо тысячу раз"),
    ("ru", "две тысячи двадцать четвертый год"),
    ("ru", "внести 500"),  # a bare number under a thousand is a count, an hour or a day
    ("ru", "с 23 до 8"),
    ("ru", "мск+4"),
    ("ru", "3-ндфл"),
    ("ru", "1.2345"),  # past the kopeck with no multiplier
    ("en", "$1000"),
    ("en", "usd 5000"),
    ("en", "for 2023"),
    ("en", "15/01/2027"),
    ("en", "march 1st 2027"),
    ("en", "utc+2"),
    ("en", "at 10pm"),
    ("en", "5 lenin street apt 12"),
    ("en", "contract 123456"),
    ("en", "i want to repay early"),
]


@pytest.mark.parametrize(("language", "text"), NO_AMOUNT)
def test_no_amount(language: str, text: str) -> None:
    assert read(text, language).amount is None


@FAST
@given(st.integers(1, 10**13))
def test_amount_is_exact_to_the_kopeck(kopecks: int) -> None:
    roubles, rest = divmod(kopecks, 100)
    grouped = f"{roubles:,}"
    expected = Decimal(kopecks) / 100
    assert read(f"внести {grouped.replace(',', ' ')},{rest:02d} руб").amount == expected
    assert read(f"pay RUB {grouped}.{rest:02d}", "en").amount == expected
    assert read(f"{grouped.replace(',', ' ')} ₽ {rest:02d} коп").amount == expected


@FAST
@given(st.integers(1, 99_999), st.integers(0, 99))
def test_amounts_with_multipliers_are_exact(whole: int, hundredths: int) -> None:
    assert read(f"{whole},{hundredths:02d} тыс").amount == Decimal(whole * 1000 + hundredths * 10)
    assert read(f"{whole}.{hundredths:02d}k", "en").amount == Decimal(whole * 1000 + hundredths * 10)


# ---- days ----

DAYS = [
    ("ru", "с 1 марта", date(2027, 3, 1)),
    ("ru", "с 1-го марта", date(2027, 3, 1)),
    ("ru", "1 марта 2027", date(2027, 3, 1)),
    ("ru", "1 марта 2027 года", date(2027, 3, 1)),
    ("ru", "на 8 декабря", date(2026, 12, 8)),  # still to come this year
    ("ru", "на 7 декабря", date(2026, 12, 7)),  # today counts
    ("ru", "с 6 декабря", date(2027, 12, 6)),  # passed: next year's
    ("ru", "29 февраля", date(2028, 2, 29)),  # the next leap year's
    ("ru", "с 15 янв", date(2027, 1, 15)),
    ("ru", "с 01.03", date(2027, 3, 1)),
    ("ru", "на 15.01.2027", date(2027, 1, 15)),
    ("ru", "на 15.01.27", date(2027, 1, 15)),
    ("ru", "на 01.03.2024", date(2024, 3, 1)),  # a past day with its year stays past (a debt on a date)
    ("ru", "10 числа", date(2026, 12, 10)),
    ("ru", "5 числа", date(2027, 1, 5)),
    ("ru", "10 числа следующего месяца", date(2027, 1, 10)),
    ("ru", "справку на сегодня", TODAY),
    ("ru", "на сегодняшнюю дату", TODAY),
    ("ru", "завтра", TODAY + timedelta(days=1)),
    ("ru", "s 1 marta", date(2027, 3, 1)),
    ("ru", "с первого марта", date(2027, 3, 1)),
    ("ru", "с двадцать пятого декабря 2027", date(2027, 12, 25)),
    ("ru", "двадцать первого числа", date(2026, 12, 21)),
    ("ru", "от третьего апреля", date(2027, 4, 3)),
    ("en", "first of march", date(2027, 3, 1)),
    ("en", "march the first", date(2027, 3, 1)),
    ("en", "from march twenty-first", date(2027, 3, 21)),
    ("en", "from 15.01.2027", date(2027, 1, 15)),
    ("en", "15/01/2027", date(2027, 1, 15)),
    ("en", "2027-01-15", date(2027, 1, 15)),
    ("en", "March 1st", date(2027, 3, 1)),
    ("en", "from march 1, 2027", date(2027, 3, 1)),
    ("en", "1st of March", date(2027, 3, 1)),
    ("en", "1 march 2028", date(2028, 3, 1)),
    ("en", "dec 25", date(2026, 12, 25)),
    ("en", "may 5th", date(2027, 5, 5)),
    ("en", "next month's 10th", date(2027, 1, 10)),
    ("en", "the 10th of next month", date(2027, 1, 10)),
    ("en", "starting the 20th", date(2026, 12, 20)),
    ("en", "as of today", TODAY),
    ("en", "tomorrow", TODAY + timedelta(days=1)),
]


@pytest.mark.parametrize(("language", "text", "day"), DAYS)
def test_day(language: str, text: str, day: date) -> None:
    assert read(text, language).day == day


NO_DAY = [
    ("ru", "31 апреля"),  # no such day
    ("ru", "32.01.2027"),
    ("ru", "15.13.2027"),
    ("ru", "с 1 марта или с 1 апреля"),  # two days: ask
    ("ru", "1,50 млн"),
    ("ru", "200 тысяч"),
    ("ru", "за 3 месяца"),
    ("ru", "в декрет ухожу"),
    ("en", "may i pay 5000"),
    ("en", "dec 2024"),
    ("en", "5 separate payments"),
    ("en", "my 5th payment"),
    ("en", "1.5m"),
    ("ru", "первый платеж"),
    ("ru", "тридцать пятого числа"),
    ("en", "the first payment"),
]


@pytest.mark.parametrize(("language", "text"), NO_DAY)
def test_no_day(language: str, text: str) -> None:
    assert read(text, language).day is None


_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября"]
_GENITIVE += ["ноября", "декабря"]
_ENGLISH = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october"]
_ENGLISH += ["november", "december"]


@FAST
@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_a_written_date_is_that_day(day: date) -> None:
    assert read(f"с {day:%d.%m.%Y}").day == day
    assert read(f"from {day:%d/%m/%Y}", "en").day == day
    assert read(f"{day.day} {_GENITIVE[day.month - 1]} {day.year} года").day == day
    assert read(f"{_ENGLISH[day.month - 1]} {day.day}, {day.year}", "en").day == day


@FAST
@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(1, 12), st.integers(1, 28))
def test_a_day_without_a_year_is_the_next_one(today: date, month: int, day: int) -> None:
    found = read(f"с {day} {_GENITIVE[month - 1]}", today=today).day
    assert found is not None and (found.month, found.day) == (month, day)
    assert today <= found <= today + timedelta(days=366)


# ---- shorter term or smaller payment ----

MODES = [
    ("ru", "с уменьшением срока", "term"),
    ("ru", "сократить срок", "term"),
    ("ru", "сокращение срока кредита", "term"),
    ("ru", "хочу чтобы срок уменьшился", "term"),
    ("ru", "кинуть 150 тыс в ипотеку чтобы срок сократить", "term"),
    ("ru", "закрыть ипотеку побыстрее", "term"),
    ("ru", "не уменьшать платеж, а сократить срок", "term"),
    ("ru", "уменьшить платёж", "payment"),
    ("ru", "уменьшить платеж", "payment"),
    ("ru", "снизить ежемесячный платеж", "payment"),
    ("ru", "с уменьшением ежемесячного платежа", "payment"),
    ("ru", "чтобы платёж был поменьше", "payment"),
    ("ru", "хочу платить меньше", "payment"),
    ("ru", "без уменьшения срока, платеж уменьшить", "payment"),
    ("ru", "umenshit srok", "term"),
    ("ru", "snizit platezh", "payment"),
    ("en", "shorten the term", "term"),
    ("en", "a shorter term", "term"),
    ("en", "reduce the loan term", "term"),
    ("en", "fewer months", "term"),
    ("en", "pay it off sooner", "term"),
    ("en", "term reduction", "term"),
    ("en", "lower monthly payment", "payment"),
    ("en", "smaller installment", "payment"),
    ("en", "reduce my monthly payments", "payment"),
    ("en", "pay less each month", "payment"),
    ("en", "don't reduce the term, lower the payment", "payment"),
]


@pytest.mark.parametrize(("language", "text", "mode"), MODES)
def test_mode(language: str, text: str, mode: str) -> None:
    assert read(text, language).mode == mode


NO_MODE = [
    ("ru", "досрочно погасить 200 тысяч"),
    ("ru", "срочно нужна справка"),
    ("ru", "уменьшить срок и платёж"),  # both: ask
    ("ru", "без уменьшения срока"),
    ("ru", "график платежей"),
    ("en", "early repayment"),
    ("en", "shorter term or lower payment?"),
    ("en", "reduce interest over time"),
    ("en", "payment schedule"),
]


@pytest.mark.parametrize(("language", "text"), NO_MODE)
def test_no_mode(language: str, text: str) -> None:
    assert read(text, language).mode is None


# ---- everything together, and hostile input ----


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "ru",
            "хочу с 1 марта внести 1,5 млн и уменьшить платёж",
            Entities(amount=Decimal("1500000.00"), day=date(2027, 3, 1), mode="payment"),
        ),
        (
            "en",
            "prepay RUB 400k from 15.01.2027, shorter term please",
            Entities(amount=Decimal("400000.00"), day=date(2027, 1, 15), mode="term"),
        ),
        ("ru", "справку об остатке на 01.03.2025 и за 2024 проценты", Entities(year=2024, day=date(2025, 3, 1))),
        ("ru", "", Entities()),
        ("en", "hello", Entities()),
    ],
)
def test_several_values_in_one_message(language: str, text: str, expected: Entities) -> None:
    assert read(text, language) == expected


HOSTILE = [
    "\x00" * 1000,
    "\ud800\udfff",  # lone surrogates
    "😀" * 5000,
    "1" * 100_000,
    "9" * 5000 + " руб",
    "1 " * 50_000,
    "1.000." * 10_000,
    "пол" * 10_000,
    "не " * 10_000 + "уменьшить платеж",
    "ﷺ" * 2000,  # expands twenty-fold under NFKC
    "-" * 10_000 + "5",
    "за " * 3000 + "2024",
    "\u202e200 тысяч\u202c",
    "١٢٣٤٥ руб",  # Arabic-Indic digits are no amount here
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_read_fast_and_sane(text: str) -> None:
    started = time.process_time()
    found = read(text)
    assert time.process_time() - started < 0.5  # typical messages take ~0.05 ms, the worst ~2 ms
    _sane(found, TODAY)


TOKENS = [
    *"0123456789",
    *" .,-/:+%₽$#'",
    "000",
    "2024",
    "1999",
    "марта",
    "мая",
    "may",
    "march",
    "тыс",
    "тысяч",
    "к",
    "k",
    "m",
    "млн",
    "mln",
    "пол",
    "полтора",
    "двести",
    "two",
    "hundred",
    "миллиона",
    "руб",
    "rub",
    "коп",
    "за",
    "год",
    "года",
    "прошлый",
    "позапрошлом",
    "last year",
    "назад",
    "ago",
    "числа",
    "next month's",
    "th",
    "сегодня",
    "не",
    "уменьшить",
    "срок",
    "платеж",
    "shorten",
    "term",
    "payment",
    "договор",
    "№",
    "минус",
]


@FAST
@given(
    st.lists(st.sampled_from(TOKENS), max_size=40).flatmap(
        lambda parts: st.sampled_from(["", " "]).map(lambda glue: glue.join(parts))
    ),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    st.sampled_from(["ru", "en", "de", ""]),
)
def test_grammar_soup_never_raises(text: str, today: date, language: str) -> None:
    found = extract(text, language, today=today)
    _sane(found, today)
    assert extract(text, language, today=today) == found  # pure


@FAST
@given(st.text(max_size=300), st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_any_text_never_raises(text: str, today: date) -> None:
    _sane(extract(text, "ru", today=today), today)


def test_only_the_first_characters_are_read() -> None:
    assert read("x" * MAX_CHARS + " 200 тысяч") == Entities()
    assert read("x" * (MAX_CHARS - 20) + " 200 тысяч").amount == Decimal("200000.00")


def test_reading_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        read("Хочу досрочно погасить 200 тысяч с уменьшением срока, договор 12345678, +79161234567")
    assert caplog.records == []


def test_what_is_not_a_string_gives_nothing() -> None:
    assert extract(None, "ru", today=TODAY) == Entities()  # type: ignore[arg-type]


def _sane(found: Entities, today: date) -> None:
    assert isinstance(found, Entities)
    assert found.year is None or 2000 <= found.year <= today.year
    assert found.amount is None or (
        Decimal(0) < found.amount <= Decimal("1e11") and found.amount == found.amount.quantize(Decimal("0.01"))
    )
    assert found.day is None or date(1900, 1, 1) <= found.day <= date(2108, 12, 31)
    assert found.mode in (None, "term", "payment")
