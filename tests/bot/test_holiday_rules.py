"""The pre-check in the borrower's words: every outcome the backend's rules can give has its own line in both
languages (never the backend's English explanation), an unknown or malformed rule gets a neutral line, and an
ineligible result is never worded as a refusal."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

import pytest

from api.holidays.precheck import HolidayTerms, precheck
from api.models import HolidayMode, HolidayReason
from bot.backend.holidays import HolidayPrecheck, HolidayRule
from bot.i18n import create_i18n
from bot.turn import Turn
from dialogs.holiday.rules import OUTCOMES, explained, rule_line, verdict

TODAY = date(2026, 11, 26)
PAYMENT = Decimal("49300.88")
FLAGS = {"loan_principal": Decimal(4_000_000), "only_home": True, "granted_before": False}


def terms(**changes) -> HolidayTerms:
    base = {
        "reason": HolidayReason.INCOME_DROP,
        "income_before": Decimal(150_000),
        "income_after": Decimal(60_000),
        "months": 3,
        "mode": HolidayMode.REDUCED,
        "reduced_payment": Decimal(15_000),
        "start_date": date(2026, 12, 10),
    }
    return HolidayTerms(**(base | changes))


#: Applications that between them give every outcome the backend's pre-check knows.
CASES = {
    "all met": (terms(), {}),
    "nothing met": (
        terms(income_after=Decimal(140_000), months=7, start_date=date(2026, 9, 1), reduced_payment=PAYMENT),
        {"loan_principal": Decimal(16_000_000), "only_home": False, "granted_before": True},
    ),
    "no income before": (terms(income_before=Decimal(0), mode=HolidayMode.FULL, reduced_payment=None), {}),
    "too far ahead": (terms(start_date=date(2027, 1, 10)), {}),
    "income went up": (terms(income_before=Decimal(50_000), income_after=Decimal(70_000)), {}),
    **{reason.value: (terms(reason=reason), {}) for reason in HolidayReason if reason != HolidayReason.INCOME_DROP},
}


def backend_precheck(case: str) -> HolidayPrecheck:
    application, flags = CASES[case]
    result = precheck(application, loan_cap=Decimal(15_000_000), monthly_payment=PAYMENT, today=TODAY, **FLAGS | flags)
    rules = [HolidayRule(**asdict(rule) | {"status": rule.status.value}) for rule in result.rules]
    return HolidayPrecheck(eligible=result.eligible, monthly_payment=result.monthly_payment, rules=rules)


@pytest.fixture(params=["ru", "en"])
def turn(request):
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale(request.param):
        yield Turn(None, 0, 0, None, None, None, None, request.param, None)


def test_every_backend_outcome_has_its_own_words(turn):
    seen = {rule.outcome for case in CASES for rule in backend_precheck(case).rules}
    assert seen == set(OUTCOMES), "an outcome of the backend has no words of its own, or the table has a dead one"
    for case in CASES:
        for rule in backend_precheck(case).rules:
            line = rule_line(turn, rule)
            assert "Another condition" not in line and "Ещё одно условие" not in line, (case, rule.outcome)
            assert turn.locale == "en" or rule.explanation not in line, "the backend's English shown in Russian"
            assert "{" not in line, f"a placeholder is left in {line!r}"


SAMPLES = {
    "ru": {
        "all met": "📎 Доход: ваш доход снизился на 60\xa0%, а платёж составляет 82,17\xa0% нового дохода.",
        "nothing met": "❌ Сумма кредита, 16\xa0000\xa0000,00\xa0₽, выше государственного лимита "
        "15\xa0000\xa0000,00\xa0₽.",
        "too far ahead": "❌ Самое позднее возможное начало — 26 декабря 2026.",
        "income went up": "❌ Доход: ваш доход не снизился, а платёж составляет 70,43\xa0% нового дохода.",
        "disability": "📎 Инвалидность I или II группы — основание по закону",
    },
    "en": {
        "all met": "📎 Income: your income is down 60%, and the payment is 82.17% of your new income.",
        "nothing met": "❌ The start may be backdated to 26 September 2026 at the earliest.",
        "no income before": "❌ This ground needs an income drop, and with no income before none can be shown.",
        "income went up": "❌ Income: your income has not gone down, and the payment is 70.43% of your new income.",
        "sick_leave": "📎 Sick leave of more than 2 months in a row is a ground in the law",
    },
}


def test_figures_are_given_in_the_borrowers_language(turn):
    for case, expected in SAMPLES[turn.locale].items():
        assert expected in explained(turn, backend_precheck(case)), case


def test_an_ineligible_application_is_not_refused(turn):
    ineligible = backend_precheck("nothing met")
    assert not ineligible.eligible
    words = verdict(ineligible)
    assert ("not a refusal" in words and "still send" in words) or ("не отказ" in words and "всё равно" in words)
    assert verdict(backend_precheck("all met")) != words


@pytest.mark.parametrize(
    ("outcome", "status", "values"),
    [
        ("moon_phase", "met", {}),
        ("moon_phase", "not_met", {"x": "1"}),
        ("moon_phase", "to_confirm", {}),
        ("moon_phase", "maybe", {}),
        ("within_cap", "met", {"principal": "lots", "cap": "15000000.00"}),
        ("start_ok", "met", {"start_date": "2026-02-31", "earliest": "x", "latest": "y"}),
        ("income_fits", "to_confirm", {}),
        ("length_ok", "met", {"months": "three", "max_months": "6"}),
    ],
)
def test_an_unknown_or_malformed_rule_gets_a_neutral_line(turn, outcome, status, values):
    rule = HolidayRule(code="new", status=status, outcome=outcome, explanation="English only", values=values)
    line = rule_line(turn, rule)
    assert "Another condition of the law" in line or "Ещё одно условие закона" in line
    assert "English only" not in line
    assert line.startswith({"met": "✅", "not_met": "❌", "to_confirm": "📎"}.get(status, "•"))
