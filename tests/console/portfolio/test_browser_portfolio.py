"""The portfolio in real headless Chromium: a supervisor reads it in ru and en, changes the period and downloads
a table as CSV; the charts are looked at in the screenshots."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from api.models import (
    Borrower,
    CaseMessage,
    CaseReason,
    CaseStatus,
    CertificateKind,
    CertificateRequest,
    CertificateStatus,
    Feedback,
    FeedbackSubject,
    Loan,
    MessageDirection,
    MessageKind,
    Notification,
    NotificationKind,
    NotificationStatus,
    StaffRole,
    SupportCase,
)
from tests.api.outbox_helpers import session_of
from tests.console.helpers import SCREENSHOTS, shoot

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def twelve_weeks_of_work(engine, staff_ids: list[int]) -> None:
    """Ratings, reminders, cases answered and certificates spread over the last twelve weeks of the demo bank."""
    async with session_of(engine) as session:
        borrowers = (await session.scalars(select(Borrower.id).order_by(Borrower.id))).all()
        loans = dict((await session.execute(select(Loan.borrower_id, Loan.id).order_by(Loan.id.desc()))).all())
        rows = []
        for week in range(12):
            start = NOW - timedelta(weeks=week, days=2)
            for n in range(3 + week % 4):
                who = borrowers[(week + n) % len(borrowers)]
                rows.append(
                    Feedback(
                        borrower_id=who,
                        subject=FeedbackSubject.GENERAL,
                        score=5 - (n + week) % 4,
                        created_at=start + timedelta(hours=n),
                    )
                )
                status = (NotificationStatus.SENT, NotificationStatus.SENT, NotificationStatus.FAILED)[n % 3]
                rows.append(
                    Notification(
                        dedupe_key=f"shot-{week}-{n}",
                        borrower_id=who,
                        kind=NotificationKind.PAYMENT_DUE,
                        not_before=start + timedelta(hours=n),
                        status=status,
                    )
                )
            case = SupportCase(
                borrower_id=None,
                telegram_user_id=5000 + week,
                created_at=start,
                reason=CaseReason.HARDSHIP if week < 3 else CaseReason.REQUESTED,
                reasons=["hardship" if week < 3 else "requested"],
                status=CaseStatus.OPEN if week < 3 else CaseStatus.CLOSED,
            )
            session.add(case)
            await session.flush()
            rows.append(
                CaseMessage(
                    case_id=case.id,
                    at=start + timedelta(minutes=15 + 10 * (week % 5)),
                    direction=MessageDirection.STAFF,
                    staff_id=staff_ids[week % len(staff_ids)],
                    kind=MessageKind.TEXT,
                    text="Здравствуйте",
                    telegram_message_id=1,
                )
            )
            kind = list(CertificateKind)[week % 3]
            rows.append(
                CertificateRequest(
                    borrower_id=borrowers[0],
                    loan_id=loans[borrowers[0]],
                    kind=kind,
                    signed=week % 2 == 0,
                    status=CertificateStatus.READY,
                    created_at=start,
                )
            )
        session.add_all(rows)
        await session.commit()


async def test_read_the_portfolio_change_the_period_and_download_a_csv(
    page, signed_in, demo, engine, staff_login, clock
):
    anna = await staff_login(StaffRole.OPERATOR, name="Анна Операторова")
    login = await staff_login(StaffRole.SUPERVISOR, name="Борис Супервайзеров")
    await twelve_weeks_of_work(engine, [anna.member.id, login.member.id])
    await signed_in(page, login)

    await page.click("a[data-key=p]")
    await page.wait_for_url("**/console/portfolio")
    assert await page.locator("h1").inner_text() == "Клиентский портфель"
    assert await page.locator("svg.chart").count() == 5
    csat = page.locator("#csat table tbody tr")
    assert await csat.count() == 12
    await shoot(page, "portfolio-ru")
    await page.locator("#reminders .chart-box").screenshot(path=str(SCREENSHOTS / "portfolio-chart-reminders-ru.png"))

    async with page.expect_download() as waiting:
        await page.click("#csat a.csv")
    download = await waiting.value
    assert download.suggested_filename == "portfolio-csat-12w-2026-11-26.csv"
    text = (await asyncio.to_thread(Path(await download.path()).read_bytes)).decode("utf-8-sig")
    assert text.splitlines()[0] == "Неделя с;Оценки;Оценки 4–5;CSAT, %"
    assert len(text.splitlines()) == 13

    await page.select_option("#weeks", "4")
    await page.click(".period button")
    await page.wait_for_url("**/console/portfolio?weeks=4")
    assert await csat.count() == 4

    await page.click("button[name=language][value=en]")
    await page.wait_for_load_state()
    assert await page.locator("h1").inner_text() == "Client portfolio"
    assert "Satisfaction by week" in await page.locator("#csat h2").inner_text()
    await page.goto("/console/portfolio?weeks=12")
    await shoot(page, "portfolio-en")
