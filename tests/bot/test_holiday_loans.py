"""The payment-holiday application told truly: a borrower with two loans chooses the contract first and the summary
names it; the summary's new end date is the engine's schedule with the holiday, and it says what becomes of money
overdue today (ANNA is in arrears); the pre-check names the payment it compares with the income and why. Both
languages, through the real dispatcher and backend."""

from datetime import date
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.engine import PaymentHoliday, build_schedule
from api.loans.state import terms_of
from api.models import Loan
from bot.formatting import day, money
from tests.bot.conftest import ANNA, MARIA
from tests.bot.replies import text
from tests.bot.walks import data_of, question, state_of
from tests.helpers import as_user

WORDS = {
    "ru": {
        "which": "У вас несколько кредитов, а каникулы предоставляются по каждому договору отдельно.",
        "contract": "договор № {number} от {date}",
        "loan_line": "Кредит: договор № {number} от {date}",
        "end": "последний платёж сдвигается с {old} на {new}.",
        "moved": "{amount}, не уплаченные в месяцы каникул, не списываются, а переносятся в конец",
        "overdue": "Просрочено на сегодня: {amount}, не оплачено с {date}.",
        "stays": "поэтому эта просроченная сумма ими не покрывается: она остаётся к оплате",
        "part": "Из неё {moved} приходится на месяцы каникул и переносится в конец кредита вместе с остальными "
        "платежами; {due} нужно было внести до начала каникул",
        "all": "Вся эта сумма приходится на месяцы каникул, поэтому она переносится в конец кредита",
        "compared": "Сравнивается ежемесячный платёж по договору этого кредита, {amount}: закон (353-ФЗ, статья "
        "6.1-1) говорит о платеже по кредитному договору, по которому просят каникулы, поэтому платежи по другим "
        "кредитам не добавляются.",
    },
    "en": {
        "which": "You have several loans, and a holiday is granted per contract. Which loan is the application for?",
        "contract": "contract № {number} of {date}",
        "loan_line": "Loan: contract № {number} of {date}",
        "end": "so the last payment moves from {old} to {new}.",
        "moved": "the {amount} left unpaid in its months is not written off but moves to the end",
        "overdue": "Overdue today: {amount}, unpaid since {date}.",
        "stays": "so this overdue amount is not covered: it stays due",
        "part": "Of it, {moved} falls due within the holiday and moves to the end with the rest; {due} fell due "
        "before the holiday's start and stays due",
        "all": "All of it falls due within the holiday, so it moves to the end with the rest.",
        "compared": "The payment compared is this loan's monthly payment under its agreement, {amount}: the law "
        "(353-FZ, article 6.1-1) speaks of the payment under the credit agreement on which the holiday is asked, "
        "so payments on other loans are not added in.",
    },
}
QUESTIONS = ("holreason:income_drop", "150 000", "60 000", "holmonths:3", "holmode:full", "10.12.2026", "hol:done")


async def _loans(client: httpx.AsyncClient, user_id: int) -> list[dict]:
    return (await client.get("/api/v1/me/loans", headers=as_user(user_id))).json()


async def _answer(chat, steps=QUESTIONS) -> list:
    calls = []
    for step in steps:
        calls = await (chat.press_data(step) if ":" in step and not step[0].isdigit() else chat.send(step))
    return calls


async def _engine_schedule(engine, loan_id: int, holiday: PaymentHoliday | None = None):
    async with AsyncSession(engine) as session:
        loan = await session.scalar(select(Loan).where(Loan.id == loan_id))
    return build_schedule(terms_of(loan), holiday=holiday)


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_a_borrower_with_two_loans_chooses_the_contract_first(language, linked, client, engine):
    words = WORDS[language]
    user_id = 23701 if language == "ru" else 23702
    chat = await linked(MARIA, user_id, language_code=language)
    first, second = await _loans(client, user_id)
    await chat.press_data(f"loan:{first['id']}")  # the loan the bot shows, chosen after linking
    await chat.press_data("nav:holiday")
    asked = await chat.press_data("hol:apply")
    assert await state_of(chat) == "HolidayWizard:loan"
    assert words["which"] in text(asked)
    labels = [b.label for b in chat.buttons()]
    for loan in (first, second):
        number, signed = loan["contract_number"], day(date.fromisoformat(loan["contract_date"]), language)
        assert words["contract"].format(number=number, date=signed) in labels
    assert question(asked)[1] == (f"loan:{first['id']}", f"loan:{second['id']}", "hol:back")
    await chat.press_data("hol:back")
    assert await state_of(chat) == "HolidayWizard:intro"
    await chat.press_data("hol:apply")

    forged = await chat.press_data("loan:999999")  # not hers: told so, asked again, nothing kept
    assert question(forged) == question(asked)
    assert "holiday" not in await data_of(chat)

    await chat.press_data(f"loan:{second['id']}")
    assert (await data_of(chat))["holiday"]["loan_id"] == second["id"]
    await chat.press_data("hol:back")
    assert await state_of(chat) == "HolidayWizard:loan", "Back from the reason returns to the choice of loan"
    await chat.press_data(f"loan:{second['id']}")
    precheck = await _answer(chat)
    regular = (await client.get(f"/api/v1/me/loans/{second['id']}/summary", headers=as_user(user_id))).json()
    payment = Decimal(regular["monthly_payment"])
    assert words["compared"].format(amount=money(payment, language)) in text(precheck)

    summary = text(await chat.press_data("hol:next"))
    signed = day(date.fromisoformat(second["contract_date"]), language)
    assert words["loan_line"].format(number=second["contract_number"], date=signed) in summary
    assert first["contract_number"] not in summary
    with_holiday = await _engine_schedule(engine, second["id"], PaymentHoliday(date(2026, 12, 10), 3))
    assert day(with_holiday.installments[-1].due_date, language) in summary

    await chat.press_data("hol:confirm")
    await chat.press_data("hol:submit")
    [holiday] = (await client.get("/api/v1/me/holidays", headers=as_user(user_id))).json()
    assert holiday["loan_id"] == second["id"]

    # an application under review on one contract does not stop one on the other
    await chat.press_data("nav:holiday")
    assert await state_of(chat) == "HolidayWizard:intro"
    await chat.press_data("hol:apply")
    await chat.press_data(f"loan:{second['id']}")
    assert await state_of(chat) == "HolidayApplications:detail", "the pending application is shown, not a new one"
    await chat.press_data("nav:holiday")
    await chat.press_data("hol:apply")
    await chat.press_data(f"loan:{first['id']}")
    assert await state_of(chat) == "HolidayWizard:reason"
    assert (await data_of(chat))["holiday"]["loan_id"] == first["id"]


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_the_summary_gives_the_new_end_date_and_what_becomes_of_the_arrears(language, linked, client, engine):
    words = WORDS[language]
    user_id = 23703 if language == "ru" else 23704
    chat = await linked(ANNA, user_id, language_code=language)
    [loan] = await _loans(client, user_id)
    standing = (await client.get(f"/api/v1/me/loans/{loan['id']}/summary", headers=as_user(user_id))).json()
    overdue, since = Decimal(standing["overdue_amount"]), date.fromisoformat(standing["overdue_since"])
    assert overdue > 0
    await chat.press_data("nav:holiday")
    await chat.press_data("hol:apply")
    await _answer(chat)
    summary = text(await chat.press_data("hol:next"))

    plain = await _engine_schedule(engine, loan["id"])
    holiday = PaymentHoliday(date(2026, 12, 10), 3)
    with_holiday = await _engine_schedule(engine, loan["id"], holiday)
    old, new = plain.installments[-1].due_date, with_holiday.installments[-1].due_date
    assert new > old
    assert words["end"].format(old=day(old, language), new=day(new, language)) in summary
    moved = sum(row.payment for row in with_holiday.installments if row.kind == "deferred")
    assert words["moved"].format(amount=money(moved, language)) in summary
    assert words["overdue"].format(amount=money(overdue, language), date=day(since, language)) in summary
    assert words["stays"] in summary, "a holiday from December does not cover what is overdue now"

    # backdated to cover the later of the two unpaid installments: that one moves, the earlier stays due
    unpaid = [row for row in plain.installments if since <= row.due_date < date(2026, 11, 26)]
    assert len(unpaid) == 2
    later = unpaid[1].due_date
    await chat.press_data("hol:edit")
    await chat.press_data("holedit:start")
    summary = text(await chat.send(later.strftime("%d.%m.%Y")))
    assert words["part"].format(moved=money(unpaid[1].payment, language), due=money(unpaid[0].payment, language)) in (
        summary
    )
    await chat.press_data("hol:edit")
    await chat.press_data("holedit:start")
    summary = text(await chat.send(unpaid[0].due_date.strftime("%d.%m.%Y")))
    assert words["all"] in summary
