"""Every figure of the portfolio against rows put in by hand: exact counts, shares and percentiles, per week."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from api.console.portfolio import certificates, hardship, reach, reminders, response, satisfaction
from api.console.portfolio.period import last_weeks
from api.console.portfolio.reminders import Outcome
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
    StaffMember,
    StaffRole,
    SupportCase,
)
from tests.api.outbox_helpers import session_of

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday; this week began Monday 23 November, 00:00 Moscow
THIS_WEEK = datetime(2026, 11, 22, 21, 0, tzinfo=UTC)
LAST_WEEK = THIS_WEEK - timedelta(weeks=1)


def moscow(*args: int) -> datetime:
    return datetime(*args, tzinfo=MOSCOW).astimezone(UTC)


async def add(engine, *records) -> list[int]:
    async with session_of(engine) as session:
        session.add_all(records)
        await session.commit()
        return [record.id for record in records]


def borrower(number: int, **values) -> Borrower:
    fields = {
        "external_id": f"B-{number}",
        "last_name": "Иванов",
        "first_name": "Иван",
        "phone": f"+7916000{number:04d}",
        "birth_date": date(1985, 4, 12),
    }
    return Borrower(**fields | values)


@pytest.fixture
async def borrowers(engine) -> list[int]:
    """Four borrowers: two linked and reachable, one linked and unreachable, one not linked."""
    return await add(
        engine,
        borrower(1, telegram_user_id=1001),
        borrower(2, telegram_user_id=1002),
        borrower(3, telegram_user_id=1003, unreachable_since=LAST_WEEK),
        borrower(4),
    )


def test_weeks_run_monday_to_monday_in_the_bank_zone():
    period = last_weeks(3, now=NOW, zone=MOSCOW)
    assert period.weeks == (date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23))
    assert period.bounds[-2:] == (THIS_WEEK, THIS_WEEK + timedelta(weeks=1))
    assert period.start == THIS_WEEK - timedelta(weeks=2)


async def test_weekly_csat_counts_the_fours_and_fives(engine, borrowers):
    ratings = [
        (LAST_WEEK + timedelta(hours=1), 5),
        (LAST_WEEK + timedelta(days=2), 4),
        (LAST_WEEK + timedelta(days=3), 2),
        (THIS_WEEK - timedelta(seconds=1), 3),  # Sunday 23:59:59 Moscow: still last week
        (THIS_WEEK, 5),  # Monday 00:00 Moscow: this week
        (THIS_WEEK + timedelta(days=1), 1),
        (LAST_WEEK - timedelta(weeks=5), 5),  # before the period
    ]
    await add(
        engine,
        *(
            Feedback(borrower_id=borrowers[0], subject=FeedbackSubject.GENERAL, score=score, created_at=at)
            for at, score in ratings
        ),
    )
    async with session_of(engine) as session:
        weeks = await satisfaction.weekly_csat(session, last_weeks(3, now=NOW, zone=MOSCOW))
    assert [(w.week, w.ratings, w.satisfied, w.share) for w in weeks] == [
        (date(2026, 11, 9), 0, 0, None),
        (date(2026, 11, 16), 4, 2, Decimal("50.0")),
        (date(2026, 11, 23), 2, 1, Decimal("50.0")),
    ]


async def test_csat_share_is_rounded_to_a_tenth(engine, borrowers):
    await add(
        engine,
        *(
            Feedback(borrower_id=borrowers[0], subject=FeedbackSubject.HOLIDAY, score=score, created_at=THIS_WEEK)
            for score in (5, 5, 1)
        ),
    )
    async with session_of(engine) as session:
        [week] = await satisfaction.weekly_csat(session, last_weeks(1, now=NOW, zone=MOSCOW))
    assert (week.ratings, week.satisfied, week.share) == (3, 2, Decimal("66.7"))


async def test_reminders_by_outcome(engine, borrowers):
    reachable, _other, unreachable, _unlinked = borrowers
    rows = [
        (reachable, NotificationKind.PAYMENT_DUE, NotificationStatus.SENT, LAST_WEEK),
        (reachable, NotificationKind.PAYMENT_OVERDUE, NotificationStatus.SENT, LAST_WEEK + timedelta(days=1)),
        (reachable, NotificationKind.INSURANCE_EXPIRY, NotificationStatus.FAILED, LAST_WEEK + timedelta(days=2)),
        (reachable, NotificationKind.PAYMENT_DUE, NotificationStatus.CANCELLED, LAST_WEEK + timedelta(days=3)),
        (unreachable, NotificationKind.PAYMENT_DUE, NotificationStatus.FAILED, LAST_WEEK + timedelta(days=3)),
        (unreachable, NotificationKind.PAYMENT_DUE, NotificationStatus.CANCELLED, THIS_WEEK),
        (reachable, NotificationKind.PAYMENT_DUE, NotificationStatus.PENDING, THIS_WEEK + timedelta(days=5)),
        (reachable, NotificationKind.PAYMENT_DUE, NotificationStatus.CLAIMED, THIS_WEEK + timedelta(days=1)),
        (reachable, NotificationKind.HOLIDAY_DECIDED, NotificationStatus.SENT, THIS_WEEK),  # a status notice
        (reachable, NotificationKind.PAYMENT_DUE, NotificationStatus.SENT, THIS_WEEK + timedelta(weeks=1)),  # later
    ]
    await add(
        engine,
        *(
            Notification(dedupe_key=f"k{n}", borrower_id=who, kind=kind, status=status, not_before=at)
            for n, (who, kind, status, at) in enumerate(rows)
        ),
    )
    async with session_of(engine) as session:
        last, this = await reminders.weekly_reminders(session, last_weeks(2, now=NOW, zone=MOSCOW))
    assert (last.week, last.planned, last.outcomes) == (
        date(2026, 11, 16),
        5,
        {Outcome.SENT: 2, Outcome.WAITING: 0, Outcome.FAILED: 1, Outcome.UNDELIVERABLE: 1, Outcome.NOT_SENT: 1},
    )
    assert (this.planned, this.outcomes) == (
        3,
        {Outcome.SENT: 0, Outcome.WAITING: 2, Outcome.FAILED: 0, Outcome.UNDELIVERABLE: 1, Outcome.NOT_SENT: 0},
    )


async def test_reach_counts_linked_and_unreachable_borrowers(engine, borrowers):
    async with session_of(engine) as session:
        found = await reach.reach(session)
    assert (found.borrowers, found.linked, found.unreachable, found.reachable) == (4, 3, 1, 2)


async def test_reach_of_nobody(engine):
    async with session_of(engine) as session:
        found = await reach.reach(session)
    assert (found.borrowers, found.linked, found.unreachable) == (0, 0, 0)


def case(borrower_id: int | None, opened: datetime, reason=CaseReason.HARDSHIP, status=CaseStatus.OPEN, **values):
    return SupportCase(
        borrower_id=borrower_id, created_at=opened, reason=reason, reasons=[reason.value], status=status, **values
    )


async def test_open_hardship_cases_by_age(engine, borrowers):
    one, two, three, four = borrowers
    await add(
        engine,
        case(one, NOW - timedelta(hours=2)),
        case(two, NOW - timedelta(hours=23, minutes=59)),
        case(three, NOW - timedelta(days=2), status=CaseStatus.TAKEN),
        case(four, NOW - timedelta(days=3, minutes=1)),
        case(None, NOW - timedelta(days=30), telegram_user_id=5005),
        case(one, NOW - timedelta(days=10), status=CaseStatus.CLOSED),  # closed: not counted
        case(two, NOW - timedelta(days=10), status=CaseStatus.CLOSED, reason=CaseReason.COMPLAINT),
    )
    async with session_of(engine) as session:
        bands = await hardship.open_hardship_by_age(session, now=NOW)
    assert [(b.older_than.days, b.younger_than and b.younger_than.days, b.cases) for b in bands] == [
        (0, 1, 2),
        (1, 3, 1),
        (3, 7, 1),
        (7, None, 1),
    ]


async def test_certificates_issued_by_kind(engine, borrowers):
    async with session_of(engine) as session:
        loan = Loan(
            external_id="L-1",
            borrower_id=borrowers[0],
            contract_number="ИК-1",
            contract_date=date(2021, 3, 10),
            principal=Decimal(4_000_000),
            rate_percent=Decimal("12.5"),
            term_months=180,
            first_payment_date=date(2021, 4, 10),
            payment_day=10,
            property_address="Москва",
        )
        session.add(loan)
        await session.commit()
        loan_id = loan.id

    def issued(kind, *, signed=False, at=THIS_WEEK, decided=None, status=CertificateStatus.READY):
        return CertificateRequest(
            borrower_id=borrowers[0],
            loan_id=loan_id,
            kind=kind,
            signed=signed,
            status=status,
            created_at=at,
            decided_at=decided,
        )

    await add(
        engine,
        issued(CertificateKind.INTEREST_PAID),
        issued(CertificateKind.INTEREST_PAID, at=LAST_WEEK),
        issued(CertificateKind.INTEREST_PAID, signed=True, at=LAST_WEEK - timedelta(weeks=3), decided=THIS_WEEK),
        issued(CertificateKind.SCHEDULE, signed=True, status=CertificateStatus.PENDING_STAFF),
        issued(CertificateKind.OUTSTANDING_DEBT, signed=True, status=CertificateStatus.REJECTED, decided=THIS_WEEK),
        issued(CertificateKind.CLOSURE, at=LAST_WEEK - timedelta(days=1)),  # before the period
    )
    async with session_of(engine) as session:
        kinds = await certificates.issued_by_kind(session, last_weeks(2, now=NOW, zone=MOSCOW))
    assert [(k.kind, k.instant, k.signed, k.total) for k in kinds] == [
        (CertificateKind.INTEREST_PAID, 2, 1, 3),
        (CertificateKind.OUTSTANDING_DEBT, 0, 0, 0),
        (CertificateKind.SCHEDULE, 0, 0, 0),
        (CertificateKind.CLOSURE, 0, 0, 0),
    ]


def reply(case_id: int, at: datetime, number: int, direction=MessageDirection.STAFF, staff_id=None) -> CaseMessage:
    return CaseMessage(
        case_id=case_id,
        at=at,
        direction=direction,
        kind=MessageKind.TEXT,
        text="…",
        telegram_message_id=number,
        staff_id=staff_id,
    )


async def test_first_response_median_and_90th_percentile_by_week_and_by_staff(engine, borrowers):
    anna, boris = await add(
        engine,
        StaffMember(name="Анна", role=StaffRole.OPERATOR, token_sha256="a" * 64),
        StaffMember(name="Борис", role=StaffRole.SUPERVISOR, token_sha256="b" * 64),
    )
    opened = [LAST_WEEK + timedelta(days=day) for day in range(5)]
    cases = await add(
        engine,
        *(case(None, at, reason=CaseReason.REQUESTED, telegram_user_id=900 + n) for n, at in enumerate(opened)),
        case(None, THIS_WEEK + timedelta(hours=1), reason=CaseReason.REQUESTED, telegram_user_id=990),
    )
    # last week: waits 10, 20, 30 (Анна) and 40, 100 (Борис) minutes: median 30, p90 = 40 + 0.6 × 60 = 76
    waits = [(10, anna), (20, anna), (30, anna), (40, boris), (100, boris)]
    messages = [
        reply(case_id, at + timedelta(minutes=wait), 1, staff_id=who)
        for case_id, at, (wait, who) in zip(cases[:5], opened, waits, strict=True)
    ]
    messages += [
        reply(cases[0], opened[0] + timedelta(minutes=5), 2, MessageDirection.BORROWER),  # the borrower: no reply
        reply(cases[0], opened[0] + timedelta(minutes=7), 3, MessageDirection.NOTE, staff_id=boris),  # a note
        reply(cases[0], opened[0] + timedelta(minutes=50), 4, staff_id=boris),  # a second reply: not the first
    ]
    await add(engine, *messages)  # this week's case is not answered yet
    period = last_weeks(3, now=NOW, zone=MOSCOW)
    async with session_of(engine) as session:
        before, last, this = await response.weekly_first_response(session, period)
        by_staff = await response.first_response_by_staff(session, period)
    assert before.waits == response.Waits(0, 0, None, None)
    assert last.waits == response.Waits(5, 5, timedelta(minutes=30), timedelta(minutes=76))
    assert this.waits == response.Waits(1, 0, None, None)
    # Анна: 10, 20, 30: median 20, p90 = 20 + 0.8 × 10 = 28; Борис: 40, 100: median 70, p90 = 40 + 0.9 × 60 = 94
    assert [(row.name, row.waits) for row in by_staff] == [
        ("Анна", response.Waits(3, 3, timedelta(minutes=20), timedelta(minutes=28))),
        ("Борис", response.Waits(2, 2, timedelta(minutes=70), timedelta(minutes=94))),
    ]


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [([7.0], 0.9, 7.0), ([1.0, 2.0], 0.5, 1.5), ([1.0, 2.0, 3.0, 4.0], 0.9, 3.7), ([0.0, 10.0], 0.0, 0.0)],
)
def test_percentile_interpolates_like_percentile_cont(values, fraction, expected):
    assert response.percentile(values, fraction) == pytest.approx(expected)
