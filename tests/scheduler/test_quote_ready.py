"""A renewal quote priced by staff reaches the borrower as a push, in both languages, with the pay buttons."""

import pytest

from api.models import StaffRole
from bot.buttons import Nav, QuotePayment
from tests.api.outbox_helpers import OPERATOR_TOKEN, add_staff, client_with, set_borrower
from tests.helpers import as_user, put
from tests.scheduler.conftest import USER, buttons

PRICE = {"insurer": "СК «Надёжная»", "premium": "12345.67", "valid_until": "2026-12-20"}
TEXTS = {
    ("property", "ru"): "🧾 Готово предложение по продлению: страхование имущества, страховщик СК «Надёжная», "
    "стоимость <b>12\xa0345,67\xa0₽</b>. Цена действует до 20 декабря 2026.\n\n"
    "Эта страховка обязательна по кредитному договору. Если решите оплатить позже, оплатите, пожалуйста, "
    "до 15 декабря 2026: в этот день заканчивается нынешний полис, и так защита не прервётся.\n\n"
    "Оплатить сразу или позже? Без вашего выбора ничего не покупается.",
    ("property", "en"): "🧾 Your renewal quote is ready: property insurance with СК «Надёжная», "
    "<b>RUB\xa012,345.67</b>. The price holds until 20 December 2026.\n\n"
    "The loan agreement requires this cover. If you pay later, please pay by 15 December 2026, when your current "
    "policy ends, so that the cover runs on without a break.\n\n"
    "Would you like to pay at once or later? Nothing is bought until you choose.",
    ("life", "ru"): "🧾 Готово предложение по продлению: страхование жизни, страховщик СК «Надёжная», "
    "стоимость <b>12\xa0345,67\xa0₽</b>. Цена действует до 20 декабря 2026.\n\n"
    "Эта страховка добровольная: продлевать её или нет, решаете вы. Если решите оплатить позже, оплатите, "
    "пожалуйста, до 20 декабря 2026, пока действует цена.\n\n"
    "Оплатить сразу или позже? Без вашего выбора ничего не покупается.",
    ("life", "en"): "🧾 Your renewal quote is ready: life insurance with СК «Надёжная», "
    "<b>RUB\xa012,345.67</b>. The price holds until 20 December 2026.\n\n"
    "This cover is voluntary: renewing it is your choice. If you pay later, please pay by 20 December 2026, "
    "while the price holds.\n\n"
    "Would you like to pay at once or later? Nothing is bought until you choose.",
}


@pytest.fixture(params=["ru", "en"])
async def language(request, engine, bank, borrower) -> str:
    """The borrower in the chosen language, with a property policy ending on 2026-12-15, reminders off."""
    await set_borrower(engine, borrower[0], language=request.param, reminders_enabled=False)
    body = {
        "loan_external_id": "L-1",
        "kind": "property",
        "insurer": "СК Прежняя",
        "policy_number": "POL-1",
        "starts_on": "2025-12-15",
        "expires_on": "2026-12-15",
    }
    await put(bank, "policies/POL-1", body)
    return request.param


@pytest.mark.parametrize("kind", ["property", "life"])
async def test_a_priced_quote_is_pushed_with_the_choice(app, engine, client, scheduler, telegram, language, kind):
    _, loan_id = await _ids(client)
    asked = await client.post(
        f"/api/v1/me/loans/{loan_id}/insurance/quote-requests", json={"kind": kind}, headers=as_user(USER)
    )
    await add_staff(engine, StaffRole.OPERATOR, OPERATOR_TOKEN)
    async with client_with(app, OPERATOR_TOKEN) as operator:
        answered = await operator.post(f"/api/v1/staff/insurance-quotes/{asked.json()['id']}/answer", json=PRICE)
    assert answered.status_code == 200, answered.text
    assert await scheduler.pump().drain() == {"sent": 1}  # a status notice: sent with reminders off
    [push] = telegram.delivered_to(USER)
    assert push.text == TEXTS[kind, language]
    quote_id = asked.json()["id"]
    assert buttons(push) == [
        QuotePayment(loan_id=loan_id, quote_id=quote_id, later=False).pack(),
        QuotePayment(loan_id=loan_id, quote_id=quote_id, later=True).pack(),
        Nav(to="insurance").pack(),
    ]


async def _ids(client) -> tuple[int, int]:
    me = (await client.get("/api/v1/me", headers=as_user(USER))).json()
    return me["id"], me["selected_loan_id"]
