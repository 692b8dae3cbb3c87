"""The borrower card in real headless Chromium: found by contract number, read in ru and en, a transcript opened."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from api.models import (
    Borrower,
    CaseMessage,
    CaseReason,
    Feedback,
    FeedbackSubject,
    MessageDirection,
    MessageKind,
    Notification,
    NotificationKind,
    NotificationStatus,
    StaffRole,
    SupportCase,
)
from tests.api.outbox_helpers import add_record, session_of
from tests.console.helpers import shoot

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def demo_borrower(engine, number: int) -> int:
    async with session_of(engine) as session:
        return await session.scalar(select(Borrower.id).where(Borrower.external_id == f"DEMO-B-{number:02d}"))


async def anna_in_arrears_asked_for_help(engine, staff_id: int) -> tuple[int, int]:
    """Demo borrower 2 (in arrears) opened a hardship case, a member of staff answered; a reminder and a rating."""
    anna = await demo_borrower(engine, 2)
    opened = NOW - timedelta(hours=3)
    case_id = await add_record(
        engine,
        SupportCase(
            borrower_id=anna, created_at=opened, reason=CaseReason.HARDSHIP, reasons=["hardship"], summary="Просрочка"
        ),
    )
    for minutes, direction, text, number in (
        (0, MessageDirection.BORROWER, "Не могу заплатить в этом месяце, потеряла работу", 11),
        (25, MessageDirection.STAFF, "Понимаю. Давайте посмотрим кредитные каникулы.", 12),
        (27, MessageDirection.NOTE, "Предложить каникулы на 3 месяца", 13),
    ):
        await add_record(
            engine,
            CaseMessage(
                case_id=case_id,
                at=opened + timedelta(minutes=minutes),
                direction=direction,
                staff_id=None if direction is MessageDirection.BORROWER else staff_id,
                kind=MessageKind.TEXT,
                text=text,
                telegram_message_id=number,
            ),
        )
    await add_record(
        engine,
        Notification(
            dedupe_key="demo-overdue-2",
            borrower_id=anna,
            kind=NotificationKind.PAYMENT_OVERDUE,
            due_date=date(2026, 11, 10),
            not_before=NOW - timedelta(days=5),
            status=NotificationStatus.SENT,
            sent_at=NOW - timedelta(days=5),
        ),
    )
    await add_record(
        engine,
        Feedback(borrower_id=anna, subject=FeedbackSubject.GENERAL, score=4, comment="Спасибо", created_at=NOW),
    )
    return anna, case_id


async def test_find_and_read_a_borrower_card_in_both_languages(page, signed_in, demo, engine, staff_login, clock):
    login = await staff_login(StaffRole.OPERATOR, name="Ольга Операторова")
    anna, case_id = await anna_in_arrears_asked_for_help(engine, login.member.id)
    await signed_in(page, login)

    await page.goto("/console/borrowers")
    await page.keyboard.press("/")  # the search field takes the focus
    await page.keyboard.type("ик-002318")  # Анна П.'s contract, typed in lower case
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/console/borrowers?q=*")
    await shoot(page, "card-search-ru")
    [match] = await page.locator("table.matches a").all()
    await match.click()
    await page.wait_for_url(f"**/console/borrowers/{anna}")
    assert "Анна" in await page.locator("h1").inner_text()
    assert "Просрочка" in await page.locator(".arrears").first.inner_text()
    assert "Telegram не привязан" in await page.locator(".badges").inner_text()  # nobody linked a demo chat
    assert "Финансовые трудности" in await page.locator("#cases").inner_text()
    assert "Уведомление о просрочке" in await page.locator("#reminders").inner_text()
    assert "Есть комментарий (для супервайзеров)" in await page.locator("#feedback").inner_text()

    await page.click(f"button[hx-target='#transcript-{case_id}']")
    transcript = page.locator(f"#transcript-{case_id} .transcript")
    await transcript.wait_for()
    assert "потеряла работу" in await transcript.inner_text()
    assert "Внутренняя заметка" in await transcript.inner_text()
    await shoot(page, "card-ru")

    await page.click("button[name=language][value=en]")
    await page.wait_for_load_state()
    assert "In arrears" in await page.locator(".arrears").first.inner_text()
    assert "Money trouble" in await page.locator("#cases").inner_text()
    await shoot(page, "card-en")
    await page.locator("#loans details").nth(1).locator("summary").click()  # the schedule, the unpaid rows marked
    assert await page.locator("#loans table.schedule tr.overdue").count() == 2
