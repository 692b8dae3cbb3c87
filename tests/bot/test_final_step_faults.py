"""The backend failing at each dialog's final step: down, slow, or answering 500. In every cell the borrower is told in
their language that it did not go through and that they can try again, and nothing more; the dialog's state and draft
are as they were and the button they pressed is still on the screen; the backend stored nothing (down, 500); and
doing the step again once the backend is back is answered as done and stores it exactly once (the backend's rows
counted).

The cells are every final step (`STEPS`) × every fault (`FAULTS`), generated, test ids `step-fault-language`; each
cell runs in one language, ru and en alternating along the rows and the columns, so every step and every fault is met
in both:

| final step: the start state → what the borrower does          | down | slow | 500 |
|----------------------------------------------------------------|------|------|-----|
| linking: the second factor → the digits                        |  ✓   |  ✓   |  ✓  |
| reminders offered after linking → "Yes, remind me"             |  ✓   |  ✓   |  ✓  |
| loan choice (two loans) → the first loan                       |  ✓   |  ✓   |  ✓  |
| settings: language → the other one                             |  ✓   |  ✓   |  ✓  |
| settings: reminders → turned off                               |  ✓   |  ✓   |  ✓  |
| settings: message when a payment arrives → turned off          |  ✓   |  ✓   |  ✓  |
| settings: days ahead, 7 ticked → Save                          |  ✓   |  ✓   |  ✓  |
| settings: quiet hours → 08:00–20:00                            |  ✓   |  ✓   |  ✓  |
| settings: time zone → Yekaterinburg                            |  ✓   |  ✓   |  ✓  |
| settings: unlink → "Yes, unlink"                               |  ✓   |  ✓   |  ✓  |
| early repayment: the mode → the estimate                       |  ✓   |  ✓   |  ✓  |
| early repayment: confirm → the request filed (a support case)  |  ✓   |  ✓   |  ✓  |
| refinancing: confirm → the request filed (a support case)      |  ✓   |  ✓   |  ✓  |
| a person: the topic typed → a support case                     |  ✓   |  ✓   |  ✓  |
| a person from an unlinked chat: the topic typed → a case       |  ✓   |  ✓   |  ✓  |
| certificate: delivery → ready now as PDF                       |  ✓   |  ✓   |  ✓  |
| certificate: delivery → signed and stamped (queued for staff)  |  ✓   |  ✓   |  ✓  |
| insurance: the renewed policy sent (a document upload)         |  ✓   |  ✓   |  ✓  |
| insurance: the cover → a renewal quote asked for               |  ✓   |  ✓   |  ✓  |
| insurance: the priced quote's notice → pay later               |  ✓   |  ✓   |  ✓  |
| payment holiday: consent → Submit                              |  ✓   |  ✓   |  ✓  |
| payment holiday: withdraw → "Yes, withdraw"                    |  ✓   |  ✓   |  ✓  |
| payment holiday: more proof sent (a document upload)           |  ✓   |  ✓   |  ✓  |
| survey: the comment typed → the rating sent                    |  ✓   |  ✓   |  ✓  |

The faults, as the bot's client meets them (it retries a safe call once, as in production, here without the wait):
**down**: every call's connection refused. **slow**: reads answer; the step's write reaches the backend only after the
bot gave up waiting (its timeout), and is done then: the work lands after the borrower was told, twice when the
client retried it. **500**: reads answer; the write is answered 500 `internal_error`, the backend's catch-all, its
transaction rolled back, and so is the client's retry.
"""

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

import httpx
import pytest
from aiogram.methods import AnswerCallbackQuery, SendDocument
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.models import (
    Borrower,
    CertificateRequest,
    Document,
    Feedback,
    HolidayApplication,
    InsuranceQuoteRequest,
    Loan,
    SupportCase,
)
from bot.backend import BackendClient
from bot.buttons import QuotePayment
from bot.offline import Call, OfflineChat
from tests.bot.conftest import IVAN
from tests.bot.replies import texts
from tests.bot.steps import Say
from tests.bot.switch import Switch
from tests.bot.walks import STARTS, TEXT_ANSWER, Start, data_of, state_of
from tests.conftest import SERVICE_TOKEN
from tests.samples import pdf

TIMEOUT = 0.05  # seconds the bot waits for the backend
APOLOGY = {  # the error boundary's words (bot/middlewares/errors.py), as the catalogs have them
    "en": "The bank's service is not answering right now. Please try again in a minute: nothing you entered is lost.",
    "ru": "Сервис банка сейчас не отвечает. Попробуйте через минуту: всё, что вы ввели, сохранено.",
}
OTHER_LANGUAGE = {"en": "ru", "ru": "en"}
FAULTS = {
    "down": "down",
    "slow": "stalled",
    "500": "500",
}  # the matrix's fault → the switch's mode (tests/bot/switch.py)
OPERATOR = {"Authorization": "Bearer demo-operator-token"}
PDF = pdf()
#: Starts of this module's own, beside the shared ones (tests/bot/walks.py).
OWN_STARTS = {"person_unlinked": Start("Person:topic", None, (Say("/operator"),), TEXT_ANSWER)}


@dataclass(frozen=True)
class Cell:
    """The chat of one cell."""

    user_id: int
    phone: str
    language: str


# --- what a step stores, read from the backend's tables -----------------------------------------------------------

Stored = Callable[[AsyncEngine, Cell], Awaitable[Any]]


async def _borrower(engine: AsyncEngine, cell: Cell) -> Borrower:
    async with engine.connect() as conn:
        return (await conn.execute(select(Borrower).where(Borrower.phone == cell.phone))).one()


def rows(model, *where) -> Stored:
    """How many rows of `model` the chat's borrower has (that also match `where`)."""

    async def count(engine: AsyncEngine, cell: Cell) -> int:
        borrower = await _borrower(engine, cell)
        query = select(func.count()).select_from(model).where(model.borrower_id == borrower.id, *where)
        async with engine.connect() as conn:
            return await conn.scalar(query)

    return count


def setting(name: str) -> Stored:
    async def read(engine: AsyncEngine, cell: Cell) -> Any:
        return getattr(await _borrower(engine, cell), name)

    return read


async def linked(engine: AsyncEngine, cell: Cell) -> bool:
    return (await _borrower(engine, cell)).telegram_user_id == cell.user_id


async def first_loan_selected(engine: AsyncEngine, cell: Cell) -> bool:
    borrower = await _borrower(engine, cell)
    async with engine.connect() as conn:
        first = await conn.scalar(select(func.min(Loan.id)).where(Loan.borrower_id == borrower.id))
    return borrower.selected_loan_id == first


async def unlinked_cases(engine: AsyncEngine, cell: Cell) -> int:
    query = select(func.count()).select_from(SupportCase).where(SupportCase.telegram_user_id == cell.user_id)
    async with engine.connect() as conn:
        return await conn.scalar(query)


async def quote_choices(engine: AsyncEngine, cell: Cell) -> list[bool | None]:
    borrower = await _borrower(engine, cell)
    query = select(InsuranceQuoteRequest.pay_later).where(InsuranceQuoteRequest.borrower_id == borrower.id)
    async with engine.connect() as conn:
        return list(await conn.scalars(query))


def one_more(before: int) -> int:
    return before + 1


def becomes(value: Any) -> Callable[[Any], Any]:
    return lambda _before: value


# --- what the borrower does ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tap:
    """Press the button with `data` on the screen the chat shows: after the failure it must still be there."""

    data: str
    presses = True

    async def __call__(self, chat: OfflineChat) -> list[Call]:
        shown = [b for b in chat.buttons() if b.callback_data == self.data]
        assert shown, f"{self.data} is not on the screen: {[b.callback_data for b in chat.buttons()]}"
        return await chat.press_button(shown[0])


@dataclass(frozen=True)
class TapFirst:
    """Press the first button on the screen whose data begins with `prefix` (its id varies)."""

    prefix: str
    presses = True

    async def __call__(self, chat: OfflineChat) -> list[Call]:
        shown = [b for b in chat.buttons() if (b.callback_data or "").startswith(self.prefix)]
        assert shown, f"no {self.prefix} button on the screen"
        return await chat.press_button(shown[0])


@dataclass(frozen=True)
class TapLanguage:
    """The other language's button."""

    presses = True

    async def __call__(self, chat: OfflineChat) -> list[Call]:
        return await Tap(f"lang:{OTHER_LANGUAGE[chat.language_code]}")(chat)


@dataclass(frozen=True)
class Notice:
    """A button of a pushed notice (not on the dialog's screen)."""

    data: str
    presses = True

    async def __call__(self, chat: OfflineChat) -> list[Call]:
        return await chat.press_data(self.data)


@dataclass(frozen=True)
class Type:
    words: str
    presses = False

    async def __call__(self, chat: OfflineChat) -> list[Call]:
        return await chat.send(self.words)


@dataclass(frozen=True)
class SendFile:
    name: str
    presses = False

    async def __call__(self, chat: OfflineChat) -> list[Call]:
        return await chat.send_document(PDF, self.name)


Act = Tap | TapFirst | TapLanguage | Notice | Type | SendFile
#: Steps taken after the walk and before the fault, for a step whose act depends on them: they return the act.
Prepare = Callable[[OfflineChat, AsyncEngine, Any], Awaitable[Act]]


async def tick_seven(chat: OfflineChat, engine: AsyncEngine, app) -> Act:
    await chat.press_data("day:7")
    return Tap("days")


async def priced_quote(chat: OfflineChat, engine: AsyncEngine, app) -> Act:
    """A life-cover quote asked for in the chat and priced by staff: the act is the notice's pay-later button."""
    for data in ("nav:insurance", "ins:quote", "inscover:life"):
        await chat.press_data(data)
    async with engine.connect() as conn:
        quote = (await conn.execute(select(InsuranceQuoteRequest.id, InsuranceQuoteRequest.loan_id))).one()
    price = {"insurer": "СК Надёжная", "premium": "12345.67", "valid_until": "2026-12-20"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as staff:
        answer = await staff.post(f"/api/v1/staff/insurance-quotes/{quote.id}/answer", json=price, headers=OPERATOR)
    assert answer.status_code == 200, answer.text
    return Notice(QuotePayment(loan_id=quote.loan_id, quote_id=quote.id, later=True).pack())


# --- the matrix -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A dialog's final step: the start it is taken from, what the borrower does, what it stores and how, and what
    the borrower is told once it goes through (any of `said`'s words in the chat's language)."""

    start: str
    act: Act | Prepare
    stored: Stored
    expected: Callable[[Any], Any]
    #: The state once it went through (None: the dialog is over).
    done: str | None
    said: dict[str, tuple[str, ...]]
    #: It goes through with a PDF sent.
    document: bool = False


def words(en: str | tuple[str, ...], ru: str | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {"en": en if isinstance(en, tuple) else (en,), "ru": ru if isinstance(ru, tuple) else (ru,)}


CASE_FILED = words(
    ("Your request is with our staff: case №", "Your request is added to case №"),
    ("Ваше обращение передано сотрудникам: №", "Ваше обращение добавлено к обращению №"),
)
SETTINGS = "SettingsForm:main"

STEPS: dict[str, Step] = {
    "linking": Step(
        "second_factor",
        Type(IVAN[1]),
        linked,
        becomes(True),
        "ReminderOffer:ask",
        words("linked to your account.", "привязан к вашему договору."),
    ),
    "reminder_offer": Step(
        "reminder_offer",
        Tap("remind:1"),
        setting("reminders_enabled"),
        becomes(True),
        None,
        words("Good: I will remind you.", "Хорошо, буду напоминать."),
    ),
    "loan_choice": Step(
        "loan_pick",
        TapFirst("loan:"),
        first_loan_selected,
        becomes(True),
        None,
        words("here is your loan.", "вот ваш кредит."),
    ),
    "settings_language": Step(
        "settings_language",
        TapLanguage(),
        setting("language"),
        OTHER_LANGUAGE.get,
        SETTINGS,
        words("Готово: теперь я говорю по-русски.", "Done: I will speak English now."),  # in the new language
    ),
    "settings_reminders": Step(
        "settings_main",
        Tap("set:reminders_off"),
        setting("reminders_enabled"),
        becomes(False),
        SETTINGS,
        words("Payment reminders: off", "Напоминания о платежах: выключены"),
    ),
    "settings_payment_notice": Step(
        "settings_main",
        Tap("set:payment_notice_off"),
        setting("payment_received_notices"),
        becomes(False),
        SETTINGS,
        words("Message when a payment reaches the bank: off", "Сообщение о поступлении платежа: выключено"),
    ),
    "settings_days": Step(
        "settings_days",
        tick_seven,
        setting("reminder_days_ahead"),
        becomes([7, 3, 1]),
        SETTINGS,
        words("Saved: reminders 7, 3 and 1 days", "Сохранено: напоминания за 7, 3 и 1 день"),
    ),
    "settings_hours": Step(
        "settings_hours",
        Tap("hours:8:20"),
        setting("daytime_start"),
        becomes(time(8, 0)),
        SETTINGS,
        words("only between 08:00 and 20:00", "только с 08:00 до 20:00"),
    ),
    "settings_zone": Step(
        "settings_zone",
        Tap("tz:3"),
        setting("time_zone"),
        becomes("Asia/Yekaterinburg"),
        SETTINGS,
        words("(Yekaterinburg time)", "Екатеринбург"),
    ),
    "settings_unlink": Step(
        "settings_unlink",
        Tap("unlink:1"),
        linked,
        becomes(False),
        None,
        words("The chat is unlinked.", "Чат отвязан."),
    ),
    "early_estimate": Step(
        "early_mode",
        Tap("early:shorter_term"),
        rows(SupportCase),
        lambda before: before,
        "EarlyRepayment:estimate",
        words("If you repay RUB\xa0150,000.00 early", "досрочно погасить 150\xa0000,00\xa0₽"),
    ),
    "early_repayment": Step(
        "early_confirm",
        Tap("earlystep:confirm"),
        rows(SupportCase),
        one_more,
        None,
        CASE_FILED,
    ),
    "refinancing": Step(
        "refinancing_confirm",
        Tap("refistep:confirm"),
        rows(SupportCase),
        one_more,
        None,
        CASE_FILED,
    ),
    "person": Step(
        "person_topic",
        Type("Please call me about my payment"),
        rows(SupportCase),
        one_more,
        None,
        CASE_FILED,
    ),
    "person_unlinked": Step(
        "person_unlinked",
        Type("I cannot find my contract"),
        unlinked_cases,
        one_more,
        None,
        CASE_FILED,
    ),
    "certificate_now": Step(
        "certificates_delivery",
        Tap("certsign:0"),
        rows(CertificateRequest),
        one_more,
        "Survey:score",
        words("How satisfied are you with getting the certificate here?", "удобно получить справку здесь?"),
        document=True,
    ),
    "certificate_signed": Step(
        "certificates_delivery",
        Tap("certsign:1"),
        rows(CertificateRequest),
        one_more,
        None,
        words("Your request is queued", "Заявка принята"),
    ),
    "insurance_upload": Step(
        "insurance_upload_file",
        SendFile("policy.pdf"),
        rows(Document),
        one_more,
        None,
        words(
            ("is sent to the bank's staff for verification", "is already being checked"),
            ("отправлен сотрудникам банка на проверку", "уже на проверке"),
        ),
    ),
    "insurance_quote": Step(
        "insurance_quote_kind",
        Tap("inscover:life"),
        rows(InsuranceQuoteRequest),
        one_more,
        None,
        words(
            ("your request for a renewal quote (life insurance) is sent", "(life insurance) was already asked for"),
            ("запрос предложения по продлению (страхование жизни) отправлен", "(страхование жизни) уже запрошено"),
        ),
    ),
    "insurance_pay_later": Step(
        "linked",
        priced_quote,
        quote_choices,
        becomes([True]),
        None,
        words("Noted: you will pay RUB\xa012,345.67", "Записал: вы оплатите страхование жизни"),
    ),
    "holiday_submit": Step(
        "holiday_consent",
        Tap("hol:submit"),
        rows(HolidayApplication),
        one_more,
        None,
        words("is sent. The bank's staff will consider it", "отправлено. Сотрудники банка рассмотрят его"),
    ),
    "holiday_withdraw": Step(
        "holiday_withdraw",
        Tap("holwithdraw:1"),
        rows(HolidayApplication, HolidayApplication.status == "withdrawn"),
        one_more,
        "HolidayApplications:detail",
        words(" is withdrawn.", " отозвано."),
    ),
    "holiday_proof": Step(
        "holiday_proof",
        SendFile("proof.pdf"),
        rows(Document, Document.holiday_id.is_not(None)),
        one_more,
        "HolidayApplications:proof",
        words("Attached: proof.pdf.", "Приложен: proof.pdf."),
    ),
    "survey": Step(
        "survey_comment",
        Type("Всё быстро"),
        rows(Feedback),
        one_more,
        None,
        words("Thank you for your rating!", "Спасибо за оценку!"),
    ),
}
LANGUAGES = ("en", "ru")
#: Each cell in one language, alternating along the rows and the columns, so every step and every fault is met in
#: both (the apology and the answers come from the chat's language, whichever the cell).
CELLS = [
    pytest.param(name, fault, LANGUAGES[(row + column) % 2], id=f"{name}-{fault}-{LANGUAGES[(row + column) % 2]}")
    for row, name in enumerate(STEPS)
    for column, fault in enumerate(FAULTS)
]


@pytest.fixture
async def backend(switch: Switch, bot_settings, monkeypatch) -> AsyncIterator[BackendClient]:
    """The bot's client as in production, a safe call retried once (at once here), with a short timeout."""
    monkeypatch.setattr("bot.backend.client._RETRY_BACKOFF_SECONDS", (0.0,))
    client = BackendClient.create(
        bot_settings.backend_url, token=SERVICE_TOKEN, timeout=TIMEOUT, retries=1, transport=switch
    )
    yield client
    await switch.settle()
    await client.aclose()


async def _enter(chat_factory, name: str, cell: Cell) -> OfflineChat:
    start = OWN_STARTS.get(name) or STARTS[name]
    chat = chat_factory(cell.user_id, language_code=cell.language, phone=cell.phone)
    await chat_factory.walker.walk(chat, start.steps)
    assert await state_of(chat) == start.state, f"the walk to {name} ended elsewhere"
    return chat


@pytest.mark.parametrize(("name", "fault", "language"), CELLS)
async def test_the_backend_failing_at_the_final_step(
    name, fault, language, demo, chat_factory, switch, engine, app, caplog
):
    step = STEPS[name]
    who = (OWN_STARTS.get(step.start) or STARTS[step.start]).who or IVAN
    cell = Cell(24_000 + list(STEPS).index(name), who[0], language)
    chat = await _enter(chat_factory, step.start, cell)
    act = step.act if isinstance(step.act, Act) else await step.act(chat, engine, app)
    state, draft = await state_of(chat), await data_of(chat)
    before = await step.stored(engine, cell)

    switch.mode = FAULTS[fault]
    calls = await act(chat)
    switch.mode = "up"
    assert texts(calls) == [APOLOGY[language]], "not told in the chat's language, or told more"
    if act.presses:
        assert any(isinstance(c.method, AnswerCallbackQuery) for c in calls), "the button's spinner was not stopped"
    assert await state_of(chat) == state, "the dialog moved on"
    assert await data_of(chat) == draft, "the draft was changed or lost"
    if fault != "slow":
        assert await step.stored(engine, cell) == before, "stored although the backend failed"
    await switch.settle()  # the slow backend's late work is done by now
    if fault == "slow":
        assert switch.stalled, "the write never reached the backend"
        assert await step.stored(engine, cell) == step.expected(before), "the late work was not done"

    calls = await act(chat)  # the same button, text or file again
    said = "\n".join(texts(calls))
    assert any(words in said for words in step.said[language]), f"not told it went through: {said}"
    assert APOLOGY[language] not in said
    assert step.document == any(isinstance(c.method, SendDocument) for c in calls)
    assert await state_of(chat) == step.done, said
    assert await step.stored(engine, cell) == step.expected(before), "not stored exactly once"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
