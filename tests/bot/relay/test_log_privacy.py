"""The logs of a whole run hold no personal data: demo borrowers link, read their balance, order a certificate,
apply for a payment holiday and talk to staff through the relay, and the scheduler pushes their reminders and the
certificate, with every logger at DEBUG (SQLAlchemy's, aiogram's, httpx's and httpcore's included) in the JSON
format production writes. None of the demo phones, names, contract numbers, birth dates or addresses may appear."""

import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from api.demo.cast import CAST
from bot.i18n import create_i18n
from bot.limits import RateLimiter
from ipoteka.logs import ContextIds, LogSettings, formatter, logger_levels
from scheduler.pump import Pump
from scheduler.runner import sending_limits
from scheduler.sender import Sender
from scheduler.settings import SchedulerSettings
from tests.bot.conftest import ANNA, OLGA
from tests.bot.relay.test_take_over import escalate, topic_of
from tests.bot.walks import enter, state_of

DEBUG_EVERYWHERE = LogSettings(log_format="json", log_level="DEBUG")


def personal_data() -> set[str]:
    """Every demo borrower's phone (as stored and as digits), names, birth date (both ways), contracts, addresses."""
    found: set[str] = set()
    for person in CAST:
        digits = person.phone.removeprefix("+")
        found |= {person.phone, digits, digits[1:], person.last_name, person.first_name, person.middle_name}
        found |= {person.birth_date.isoformat(), person.birth_date.strftime("%d.%m.%Y")}
        for loan in person.loans:
            found |= {loan.contract_number, loan.contract_number.replace("/", "-"), loan.address}
    return found


def leaks(text: str) -> dict[str, list[str]]:
    """Each piece of personal data found in `text`, with the lines holding it (the lines searched only for what the
    whole text holds: a run's log is megabytes)."""
    found: dict[str, list[str]] = {}
    for secret in personal_data():
        if secret not in text:
            continue
        pattern = re.compile(rf"(?<![0-9]){re.escape(secret)}(?![0-9])")
        lines = [line[:300] for line in text.splitlines() if pattern.search(line)]
        if lines:
            found[secret] = lines[:3]
    return found


@pytest.fixture
def run_log() -> Iterator[io.StringIO]:
    """Every record of the test, at DEBUG for every logger but the few `ipoteka/logs.py` caps (as `LOG_LEVEL=DEBUG`
    sets them), written as production writes it (JSON lines)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter(DEBUG_EVERYWHERE))
    handler.addFilter(ContextIds())
    root = logging.getLogger()
    touched = ["sqlalchemy", *logger_levels(DEBUG_EVERYWHERE)]
    levels = {name: logging.getLogger(name).level for name in touched}
    old_root = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy").setLevel(logging.DEBUG)  # SQLAlchemy keeps its own at WARNING unless told
    for name, level in logger_levels(DEBUG_EVERYWHERE).items():
        logging.getLogger(name).setLevel(level)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_root)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def test_the_scan_finds_a_phone_a_name_and_a_contract():
    line = '{"message": "linking +79161234567 failed for Иванов, contract ИК-2021/000457, born 12.04.1985"}'
    assert {"+79161234567", "Иванов", "ИК-2021/000457", "12.04.1985"} <= set(leaks(line))
    assert leaks('{"message": "update 79161234567123 handled; loan 457"}') == {}


@pytest.mark.slow
async def test_a_whole_run_logs_no_personal_data(
    run_log, app, clock, backend, bot, chat_factory, linked, operator, telegram, vtime
):
    ivan, _ = await enter(chat_factory, "holiday_documents", 31001)  # linked, in English, into the holiday wizard
    for step in ("hol:done", "hol:next", "hol:confirm", "hol:submit"):
        await ivan.press_data(step)
    assert await state_of(ivan) is None
    await ivan.send("/menu")
    await ivan.press("📊")  # balance
    await ivan.press_data("nav:menu")
    await ivan.press_data("nav:certificates")
    await ivan.press_data("cert:schedule")
    await ivan.press_data("certsign:0")
    await ivan.send("12.04.1985 +79161234567 ИК-2021/000457")  # what a borrower might type anywhere

    anna = await linked(ANNA, 31003)
    await escalate(anna, "Меня зовут Анна Петрова, мой телефон +79160000002, договор ИК-002318")
    thread = topic_of(telegram)
    await operator.say(thread, "/take")
    await operator.say(thread, "Анна Сергеевна, добрый день! Проверим договор ИК-002318.")
    await anna.send("Спасибо")
    await operator.say(thread, "/close")

    failed = chat_factory(31004, phone=OLGA[0], language_code="en")
    await failed.send("/start")
    await failed.press_data("consent:1")
    await failed.send_contact()
    await failed.send("01.01.1990")  # a wrong birth date: refused, counted

    clock.now = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)  # the day before Ivan's payment: reminders are due
    await backend.plan_reminders()
    limiter = RateLimiter(sending_limits(SchedulerSettings()), clock=vtime, sleep=vtime.sleep)
    outcomes = await Pump(backend, Sender(bot, backend, limiter, create_i18n()), poll_seconds=0.05).drain()
    assert outcomes["sent"] >= 2  # the certificate with its PDF and the payment reminders

    text = run_log.getvalue()
    assert len(text.splitlines()) > 500  # SQL, aiogram, httpx and the product's own lines: the scan saw them
    assert '"logger": "sqlalchemy.engine.Engine"' in text and '"logger": "httpx"' in text
    assert '"logger": "aiogram.event"' in text
    assert leaks(text) == {}
