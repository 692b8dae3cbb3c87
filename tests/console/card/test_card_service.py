"""The borrower card below the web layer: every part from the rows the bank and the bot wrote, as a role may see it."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from api import audit
from api.console.card import borrower as card_service
from api.console.card.cases import case_transcript
from api.console.card.search import find_borrowers
from api.errors import ApiError
from api.models import (
    AuditEntry,
    CertificateKind,
    CertificateStatus,
    Feedback,
    FeedbackSubject,
    HolidayStatus,
    Notification,
    NotificationKind,
    NotificationStatus,
    StaffMember,
    StaffRole,
)
from tests.api.outbox_helpers import (
    SUPERVISOR_TOKEN,
    add_record,
    add_staff,
    certificate_row,
    client_with,
    document_row,
    holiday_row,
    linked_borrower,
    pay_through,
    session_of,
    set_borrower,
)
from tests.api.relay_helpers import message, open_case, relay
from tests.helpers import as_user, borrower_body, loan_body, put

USER = 700_900_001
OTHER_USER = 700_900_002
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


async def card_of(engine, settings, clock, borrower_id: int, role: StaffRole = StaffRole.OPERATOR):
    async with session_of(engine) as session:
        viewer = await session.scalar(select(StaffMember).where(StaffMember.role == role))
        return await card_service.borrower_card(
            session, borrower_id=borrower_id, viewer=viewer, settings=settings, now=clock()
        )


@pytest.fixture
async def members(engine) -> dict[StaffRole, int]:
    return {
        StaffRole.OPERATOR: await add_staff(engine, StaffRole.OPERATOR, "card-operator"),
        StaffRole.SUPERVISOR: await add_staff(engine, StaffRole.SUPERVISOR, SUPERVISOR_TOKEN),
    }


@pytest.fixture
async def ivan(bank, client, engine) -> tuple[int, int]:
    return await linked_borrower(bank, client, engine, telegram_user_id=USER)


async def test_each_loan_shows_the_bots_figures_its_schedule_payments_and_arrears(
    client, bank, engine, settings, clock, members, ivan
):
    borrower, loan = ivan
    await pay_through(bank, "L-1", date(2026, 10, 10))  # November unpaid: 16 days overdue on 26 November
    card = await card_of(engine, settings, clock, borrower)
    [view] = card.loans
    bot_summary = await client.get(f"/api/v1/me/loans/{loan}/summary", headers=as_user(USER))
    assert view.summary.model_dump(mode="json") == bot_summary.json()
    bot_schedule = await client.get(f"/api/v1/me/loans/{loan}/schedule", headers=as_user(USER))
    assert view.schedule.model_dump(mode="json") == bot_schedule.json()
    assert (view.arrears.amount, view.arrears.since, view.arrears.days) == (
        Decimal("49300.88"),
        date(2026, 11, 10),
        16,
    )
    [payment] = view.payments
    paid = Decimal(bot_summary.json()["principal_paid"]) + Decimal(bot_summary.json()["interest_paid"])
    assert (payment.paid_on, payment.amount) == (date(2026, 10, 10), paid)


async def test_a_paid_up_and_a_closed_loan(bank, engine, settings, clock, members, ivan):
    borrower, _loan = ivan
    await pay_through(bank, "L-1", date(2026, 11, 10))
    closed = loan_body("B-1", contract_number="ИК-2015/000001", status="closed", closed_on="2024-01-10")
    await put(bank, "loans/L-9", closed)
    paid_up, finished = (await card_of(engine, settings, clock, borrower)).loans
    assert paid_up.arrears is None and paid_up.summary.overdue_amount == 0
    assert finished.loan.contract_number == "ИК-2015/000001"
    assert finished.summary.closed and finished.arrears is None


async def test_linked_and_reachable(bank, client, engine, settings, clock, members, ivan):
    borrower, _loan = ivan
    card = await card_of(engine, settings, clock, borrower)
    assert (card.linked, card.reachable) == (True, True)
    await set_borrower(engine, borrower, unreachable_since=T0)
    card = await card_of(engine, settings, clock, borrower)
    assert (card.linked, card.reachable) == (True, False)
    await put(bank, "borrowers/B-2", borrower_body(phone="+79160000002"))
    await put(bank, "loans/L-2", loan_body("B-2", contract_number="ИК-2022/000999"))
    async with session_of(engine) as session:
        [match] = await find_borrowers(session, "000999")
    card = await card_of(engine, settings, clock, match.borrower_id)
    assert (card.linked, card.reachable) == (False, False)


async def test_applications_newest_first_with_their_history(app, client, engine, settings, clock, members, ivan):
    borrower, loan = ivan
    holiday = await add_record(engine, holiday_row(borrower, loan, created_at=T0))
    certificate = await add_record(engine, certificate_row(borrower, loan, created_at=T0 + timedelta(hours=1)))
    document = await add_record(engine, document_row(borrower, loan, created_at=T0 + timedelta(hours=2)))
    unsigned = certificate_row(
        borrower, loan, created_at=T0, signed=False, status=CertificateStatus.READY, issued_on=date(2026, 11, 20)
    )
    await add_record(engine, unsigned)
    async with session_of(engine) as session:
        audit.record(session, actor="bot", action="apply", entity="holiday_application", entity_id=holiday)
        audit.record(session, actor="bot", action="apply", entity="holiday_application", entity_id=holiday + 1000)
        await session.commit()
    clock.now = T0 + timedelta(days=1)
    async with client_with(app, SUPERVISOR_TOKEN) as supervisor:
        decided = await supervisor.post(
            f"/api/v1/staff/holidays/{holiday}/decision", json={"decision": "reject", "reason": "Нет справки"}
        )
    assert decided.status_code == 200, decided.text
    card = await card_of(engine, settings, clock, borrower)
    assert [(a.kind.value, a.record.id) for a in card.applications] == [
        ("document", document),
        ("certificate_request", certificate),
        ("holiday_application", holiday),
    ]
    history = card.applications[-1].history
    assert [(h.action, h.staff_name) for h in history] == [
        ("apply", None),
        ("decide_rejected", f"supervisor {SUPERVISOR_TOKEN}"),
    ]
    assert card.applications[-1].record.status is HolidayStatus.REJECTED
    assert card.applications[-1].record.decision_reason == "Нет справки"
    assert [(c.kind, c.signed) for c in card.certificates] == [(CertificateKind.INTEREST_PAID, False)]


async def test_cases_with_message_counts_and_an_audited_transcript(
    client, bank, engine, settings, clock, members, ivan
):
    borrower, _loan = ivan
    case_id = await open_case(client, USER, summary="Хочу поговорить с человеком")
    for number, text in enumerate(("Мне не пришёл график", "Проверьте, пожалуйста"), start=100):
        response = await relay(
            client, "POST", f"cases/{case_id}/messages", json=message(telegram_message_id=number, text=text)
        )
        assert response.status_code == 201, response.text
    [view] = (await card_of(engine, settings, clock, borrower)).cases
    assert (view.case.id, view.messages, view.assigned_to) == (case_id, 2, None)
    async with session_of(engine) as session:
        reader = await session.get(StaffMember, members[StaffRole.OPERATOR])
        read = await case_transcript(session, borrower_id=borrower, case_id=case_id, staff=reader)
        assert [m.text for m in read.messages] == ["Мне не пришёл график", "Проверьте, пожалуйста"]
        with pytest.raises(ApiError) as refused:  # the case exists, but is not this borrower's
            await case_transcript(session, borrower_id=borrower + 1, case_id=case_id, staff=reader)
        assert refused.value.status == 404
    async with session_of(engine) as session:
        readings = (await session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "read_transcript"))).all()
    assert readings == [f"staff:{members[StaffRole.OPERATOR]}"]


async def test_a_comment_is_for_a_supervisor_the_score_for_everyone(engine, settings, clock, members, ivan):
    borrower, _loan = ivan
    for score, comment, at in ((2, "Оператор был груб", T0), (5, None, T0 + timedelta(hours=1))):
        await add_record(
            engine,
            Feedback(
                borrower_id=borrower, subject=FeedbackSubject.SUPPORT_CASE, score=score, comment=comment, created_at=at
            ),
        )
    operator = await card_of(engine, settings, clock, borrower, StaffRole.OPERATOR)
    assert [(r.feedback.score, r.comment, r.comment_hidden) for r in operator.ratings] == [
        (5, None, False),
        (2, None, True),
    ]
    supervisor = await card_of(engine, settings, clock, borrower, StaffRole.SUPERVISOR)
    assert [(r.comment, r.comment_hidden) for r in supervisor.ratings] == [(None, False), ("Оператор был груб", False)]


async def test_the_latest_pushes_from_the_outbox(engine, settings, clock, members, ivan):
    borrower, loan = ivan
    shown = card_service.records.REMINDERS_SHOWN
    for number in range(shown + 3):
        await add_record(
            engine,
            Notification(
                dedupe_key=f"due:{number}",
                borrower_id=borrower,
                loan_id=loan,
                kind=NotificationKind.PAYMENT_DUE,
                due_date=date(2026, 12, 10),
                not_before=T0 + timedelta(minutes=number),
                status=NotificationStatus.FAILED if number % 2 else NotificationStatus.SENT,
            ),
        )
    reminders = (await card_of(engine, settings, clock, borrower)).reminders
    assert len(reminders) == shown
    assert [r.dedupe_key for r in reminders[:2]] == [f"due:{shown + 2}", f"due:{shown + 1}"]
    assert reminders[1].status is NotificationStatus.FAILED


async def test_an_unknown_borrower_is_not_found(engine, settings, clock, members):
    with pytest.raises(ApiError) as refused:
        await card_of(engine, settings, clock, 999_999)
    assert (refused.value.status, refused.value.code) == (404, "borrower_not_found")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("000457", ["Иванов"]),
        ("ик-2021", ["Иванов"]),
        ("иванов", ["Иванов"]),
        ("Иван Петрович", ["Иванов"]),
        ("Петров", ["Иванов", "Петрова"]),  # «Петрович» is Ivan's middle name
        ("Анна Петрова", ["Петрова"]),
        ("%", []),
        ("   ", []),
        ("Сидоров", []),
    ],
)
async def test_find_a_borrower_by_contract_or_name(bank, client, engine, ivan, query, found):
    await put(
        bank,
        "borrowers/B-2",
        borrower_body(phone="+79160000002", last_name="Петрова", first_name="Анна", middle_name=None),
    )
    await put(bank, "loans/L-2", loan_body("B-2", contract_number="ИК-2022/000999"))
    async with session_of(engine) as session:
        matches = await find_borrowers(session, query)
    assert [m.full_name.split()[0] for m in matches] == found
    if found == ["Иванов"]:
        assert matches[0].contract_numbers == ["ИК-2021/000457"]
