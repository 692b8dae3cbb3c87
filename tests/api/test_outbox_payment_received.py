"""A payment the bank records is told once, with the loan's progress after it, to borrowers who agreed to it."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from api.db import create_sessionmaker
from api.importer.kinds import PAYMENTS
from api.importer.loader import Outcome, load_file
from api.importer.reader import read_csv
from api.models import NotificationKind, NotificationStatus
from tests.api.outbox_helpers import SCHEDULER, installment_on, linked_borrower, outbox, pay, pay_through
from tests.helpers import as_user

USER = 700_200_101
PAID_THROUGH = date(2026, 11, 10)
DECEMBER = date(2026, 12, 10)
RECEIVED = NotificationKind.PAYMENT_RECEIVED


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
async def borrower(bank, client, engine, clock) -> tuple[int, int]:
    """The seed borrower in Moscow, linked, reminders on, paid up to November 2026 (those payments told long ago)."""
    clock.now = at(2026, 11, 10, 9, 0)
    ids = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", PAID_THROUGH)
    for row in await outbox(engine):
        assert row.kind is RECEIVED  # the November payment, recorded on its day
    clock.now = at(2026, 12, 10, 12, 0)  # 15:00 in Moscow, the December payment day
    return ids


async def received(engine) -> list:
    return [row for row in await outbox(engine, kind=RECEIVED) if row.payload["paid_on"] != PAID_THROUGH.isoformat()]


async def summary(client, loan_id: int) -> dict:
    response = await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_payment_posted_by_the_bank_is_told_once_with_the_progress_after_it(bank, client, engine, borrower):
    borrower_id, loan_id = borrower
    amount = installment_on(DECEMBER).payment
    await pay(bank, "L-1", paid_on=DECEMBER, amount=amount, ext="P-DEC")
    [row] = await received(engine)
    after = await summary(client, loan_id)
    assert row.borrower_id == borrower_id
    assert row.dedupe_key.startswith("payment_received:")
    assert row.status is NotificationStatus.PENDING
    assert row.payload == {
        "loan_id": loan_id,
        "payment_id": row.payload["payment_id"],
        "amount": "49300.88",
        "paid_on": "2026-12-10",
        "early": False,
        "percent_repaid": after["percent_repaid"],
        "installments_left": after["installments_left"],
        "principal_outstanding": after["outstanding_principal"],
        "closed": False,
        "arrears_cleared": False,
        "overdue_amount": "0.00",
    }
    assert (after["installments_left"], Decimal(after["outstanding_principal"])) == (
        111,
        installment_on(DECEMBER).balance_after,
    )

    await pay(bank, "L-1", paid_on=DECEMBER, amount=amount, ext="P-DEC")  # the same record again: nothing new
    assert len(await received(engine)) == 1


async def test_a_late_payment_that_clears_the_arrears_says_so(bank, engine, clock, borrower):
    clock.now = at(2026, 12, 14, 9, 0)  # the December installment is four days overdue
    due = installment_on(DECEMBER).payment
    await pay(bank, "L-1", paid_on=date(2026, 12, 13), amount=Decimal("20000.00"), ext="P-PART")
    await pay(bank, "L-1", paid_on=date(2026, 12, 14), amount=due - Decimal("20000.00"), ext="P-REST")
    part, rest = await received(engine)
    assert (part.payload["arrears_cleared"], part.payload["overdue_amount"]) == (False, f"{due - 20000:.2f}")
    assert (rest.payload["arrears_cleared"], rest.payload["overdue_amount"]) == (True, "0.00")


async def test_nobody_is_told_who_did_not_agree_or_turned_it_off(bank, client, engine, borrower):
    response = await client.patch(
        "/api/v1/me/settings", headers=as_user(USER), json={"payment_received_notices": False}
    )
    assert response.json()["payment_received_notices"] is False
    await pay(bank, "L-1", paid_on=DECEMBER, amount=Decimal("1000.00"), ext="P-1")
    assert await received(engine) == []

    await client.patch(
        "/api/v1/me/settings",
        headers=as_user(USER),
        json={"payment_received_notices": True, "reminders_enabled": False},
    )
    await pay(bank, "L-1", paid_on=DECEMBER, amount=Decimal("1000.00"), ext="P-2")
    assert await received(engine) == []


async def test_a_notice_turned_off_before_it_goes_out_is_not_sent(bank, client, engine, borrower):
    await pay(bank, "L-1", paid_on=DECEMBER, amount=Decimal("1000.00"), ext="P-1")
    assert len(await received(engine)) == 1
    await client.patch("/api/v1/me/settings", headers=as_user(USER), json={"payment_received_notices": False})
    claimed = (await client.post(f"{SCHEDULER}/outbox/claim", json={})).json()["items"]
    assert [item["kind"] for item in claimed] == []
    await client.patch("/api/v1/me/settings", headers=as_user(USER), json={"payment_received_notices": True})
    claimed = (await client.post(f"{SCHEDULER}/outbox/claim", json={})).json()["items"]
    assert [item["kind"] for item in claimed if item["payload"]["paid_on"] == "2026-12-10"] == ["payment_received"]


async def test_the_payment_withdraws_waiting_reminders_but_not_its_own_notice(bank, client, engine, clock, borrower):
    clock.now = at(2026, 12, 9, 6, 0)  # 09:00 in Moscow the day before
    assert (await client.post(f"{SCHEDULER}/reminders/plan", json={})).json()["payment_due"] == 1
    await pay(bank, "L-1", paid_on=date(2026, 12, 9), amount=Decimal("30000.00"), ext="P-1")
    await pay(bank, "L-1", paid_on=date(2026, 12, 9), amount=Decimal("19300.88"), ext="P-2")  # a second one
    assert await outbox(engine, kind=NotificationKind.PAYMENT_DUE) == []
    assert [row.payload["amount"] for row in await received(engine)] == ["30000.00", "19300.88"]


async def test_a_corrected_payment_rewrites_its_waiting_notice_and_an_old_one_is_not_news(bank, engine, borrower):
    await pay(bank, "L-1", paid_on=DECEMBER, amount=Decimal("1000.00"), ext="P-1")
    await pay(bank, "L-1", paid_on=DECEMBER, amount=Decimal("1500.00"), ext="P-1")
    [row] = await received(engine)
    assert row.payload["amount"] == "1500.00"
    await pay(bank, "L-1", paid_on=date(2026, 11, 30), amount=Decimal("10.00"), ext="P-OLD")  # ten days ago
    assert len(await received(engine)) == 1


async def test_an_import_tells_each_new_payment_once(engine, clock, settings, borrower, tmp_path):
    csv_path = tmp_path / "payments.csv"
    csv_path.write_text(
        "external_id;loan_external_id;paid_on;amount\nP-DEC;L-1;10.12.2026;49 300,88\n", encoding="utf-8"
    )
    csv = read_csv(csv_path, PAYMENTS)
    for expected in (Outcome.CREATED, Outcome.UNCHANGED):
        async with create_sessionmaker(engine)() as session:
            report = await load_file(session, csv=csv, bik=settings.bank.bik, now=clock.now)
        assert report.counts[expected] == 1
        [row] = await received(engine)
        assert (row.payload["amount"], row.payload["paid_on"]) == ("49300.88", "2026-12-10")


async def test_a_thanks_that_waited_over_a_week_is_cancelled_not_sent_late(bank, client, engine, clock, borrower):
    await pay(bank, "L-1", paid_on=DECEMBER, amount=Decimal("1000.00"), ext="P-1")
    await client.patch("/api/v1/me/settings", headers=as_user(USER), json={"reminders_enabled": False})
    clock.now = at(2026, 12, 17, 11, 0)  # an hour short of a week: still news
    await client.post(f"{SCHEDULER}/reminders/plan", json={})
    assert [row.status for row in await received(engine)] == [NotificationStatus.PENDING]
    clock.now = at(2026, 12, 18, 9, 0)
    await client.post(f"{SCHEDULER}/reminders/plan", json={})
    await client.patch("/api/v1/me/settings", headers=as_user(USER), json={"reminders_enabled": True})
    assert [row.status for row in await received(engine)] == [NotificationStatus.CANCELLED]
    assert (await client.post(f"{SCHEDULER}/outbox/claim", json={})).json()["items"] == []
