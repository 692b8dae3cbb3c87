"""The queues in real headless Chromium: sign in, work every queue with the keyboard, decide a holiday and see the
borrower's chat receive the notice (the scheduler's outbox pump against the fake Bot API), and a collision between
two operators in two browsers. Each test saves screenshots of its pages."""

import pytest

from api.models import StaffRole
from tests.api.outbox_helpers import linked_borrower
from tests.console.browser import expect
from tests.console.helpers import VIEWPORT, htmx_settled, shoot
from tests.console.queues.helpers import QUEUES, one_of_each
from tests.scheduler.conftest import backend, make_scheduler, scheduler_settings, telegram, vtime  # noqa: F401 (fixtures)

USER = 700_910_101
QUEUE_NAMES = ("holidays", "certificates", "documents", "quotes", "cases")


@pytest.fixture
async def items(engine, bank, client, clock):
    borrower = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    return await one_of_each(engine, bank, borrower, clock)


async def test_work_every_queue_with_the_keyboard(page, signed_in, staff_login, clock, items):
    login = await staff_login(StaffRole.OPERATOR, name="Анна Петрова")
    await signed_in(page, login, language="en")
    await page.goto(QUEUES)
    assert "1 waiting" in await page.locator("#tile-holidays").inner_text()
    await shoot(page, "queues-overview-en")
    for number, queue in enumerate(QUEUE_NAMES, start=1):
        await page.goto(QUEUES)
        await page.keyboard.press(str(number))
        await page.wait_for_url(f"**{QUEUES}/{queue}")
        row = page.locator(f"#row-{items.of(queue)}")
        await page.keyboard.press("j")
        assert await row.get_attribute("aria-selected") == "true"
        await page.keyboard.press("Enter")
        await page.locator("#panel").wait_for()
        await htmx_settled(page)  # htmx has taken the panel's buttons in
        await page.keyboard.press("t")
        await page.locator("#outcome").wait_for()
        assert "You hold this item now." in await page.locator("#outcome").inner_text(), queue
        assert await page.locator("#release").count() == 1
        await row.filter(has_text="Анна Петрова").wait_for()  # the rows reloaded with the holder
        if queue == "holidays":
            await shoot(page, "queue-holidays-taken-en")
        await page.keyboard.press("r")
        await page.locator("#take").wait_for()
        assert "released" in await page.locator("#outcome").inner_text()
    await page.keyboard.press("k")
    await page.keyboard.press("?")
    help_text = await page.locator("#help").inner_text()
    for shortcut in ("Next / previous item", "Open the item", "Take the open item", "Release the open item"):
        assert shortcut in help_text
    await shoot(page, "queue-help-en")


async def test_a_supervisor_decides_a_holiday_and_the_borrower_is_told(
    page,
    signed_in,
    staff_login,
    clock,
    items,
    make_scheduler,  # noqa: F811 (the scheduler tests' fixture)
    telegram,  # noqa: F811
):
    login = await staff_login(StaffRole.SUPERVISOR, name="Вера Соколова")
    await signed_in(page, login, language="ru")
    await page.goto(f"{QUEUES}/holidays")
    await page.click(f"#row-{items.holiday} a.open")
    await page.locator("#decision-form").wait_for()
    assert "просрочено" in await page.locator("#panel header").inner_text()
    await shoot(page, "queue-holiday-panel-ru")
    await page.fill(
        "#decision-form textarea[name=reason]", "Доход снизился более чем на 30 %, условия закона выполнены"
    )
    await page.click("#approve")
    await page.locator("#outcome.ok").wait_for()
    assert await page.locator("#decision-form").count() == 0
    await page.locator("#queue-empty").wait_for()  # the decided application left the queue
    await shoot(page, "queue-holiday-decided-ru")
    assert await make_scheduler().pump().drain() == {"sent": 1}
    [push] = telegram.delivered_to(USER)
    assert "каникулы" in push.text and "условия закона выполнены" in push.text


async def test_two_operators_see_the_collision(browser, console_url, signed_in, staff_login, clock, items):
    anna, boris = (
        await staff_login(StaffRole.OPERATOR, name="Анна Петрова"),
        await staff_login(StaffRole.OPERATOR, name="Борис Иванов"),
    )
    contexts = [await browser.new_context(base_url=console_url, viewport=VIEWPORT) for _ in range(2)]
    try:
        first, second = [await context.new_page() for context in contexts]
        await signed_in(first, anna, language="ru")
        await signed_in(second, boris, language="ru")
        path = f"{QUEUES}/documents/{items.document}"
        await second.goto(path)  # Boris opened it first but has not taken it
        await first.goto(path)
        await first.click("#take")
        await first.locator("#release").wait_for()
        await second.click("#take")
        banner = second.locator("#collision")
        await banner.wait_for()
        assert "Анна Петрова" in await banner.inner_text()
        assert await second.locator("#take").count() == 0
        await shoot(second, "queue-collision-ru")
        await expect(second.locator(f"#row-{items.document}")).to_contain_text("Анна Петрова", timeout=10_000)
        await first.keyboard.press("r")
        await first.locator("#take").wait_for()
        await second.reload()
        assert await second.locator("#collision").count() == 0
    finally:
        for context in contexts:
            await context.close()
