"""Decisions from the console: the role and the hold checked, made once even when two act at once, audited, the
hold dropped and the borrower told through the outbox in the same transaction."""

import asyncio
import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from api.db import create_sessionmaker
from api.documents.uploads import Upload
from api.errors import ApiError
from api.models import (
    AuditEntry,
    CertificateRequest,
    CertificateStatus,
    HolidayApplication,
    HolidayStatus,
    InsurancePolicy,
    InsuranceQuoteRequest,
    NotificationKind,
    PolicyKind,
    QuoteStatus,
    ReviewStatus,
)
from api.staff.schemas import NewPolicy, QuoteAnswer
from api.work import decisions, holds
from api.work.holds import HeldByOther
from api.work.items import Queue
from tests.api.outbox_helpers import (
    add_record,
    certificate_row,
    document_row,
    holiday_row,
    outbox,
    pay_through,
    session_of,
)
from tests.helpers import as_user
from tests.work.conftest import T0

USER = 700_900_201
SIGNED = b"%PDF-1.4\n% signed by staff\n%%EOF\n"
REASON = "Документы в порядке"


def signed_upload(content: bytes = SIGNED, content_type: str = "application/pdf") -> Upload:
    return Upload("spravka.pdf", content_type, content, hashlib.sha256(content).hexdigest())


@pytest.fixture
async def paid_borrower(bank, borrower) -> tuple[int, int]:
    await pay_through(bank, "L-1", date(2026, 11, 10))
    return borrower


async def test_holiday_is_a_supervisors_decision(session, engine, paid_borrower, anna, vera, clock):
    holiday = await add_record(engine, holiday_row(*paid_borrower, created_at=T0))
    with pytest.raises(ApiError) as refused:
        await decisions.decide_holiday(
            session, holiday_id=holiday, approved=True, reason=REASON, staff=anna, now=clock()
        )
    assert (refused.value.status, refused.value.code) == (403, "supervisor_only")
    await holds.take(session, queue=Queue.HOLIDAYS, item_id=holiday, staff=anna, now=clock())
    result = await decisions.decide_holiday(
        session, holiday_id=holiday, approved=True, reason=REASON, staff=vera, now=clock()
    )  # a supervisor may decide what an operator holds
    assert (result.status, result.decision_reason, result.decided_by) == ("approved", REASON, vera.id)
    assert await holds.holder(session, Queue.HOLIDAYS, holiday) is None
    [notice] = await outbox(engine)
    assert (notice.kind, notice.payload["decision"], notice.payload["reason"]) == (
        NotificationKind.HOLIDAY_DECIDED,
        "approved",
        REASON,
    )


async def test_an_item_a_colleague_holds_is_refused(session, engine, borrower, anna, boris, clock, settings):
    certificate = await add_record(engine, certificate_row(*borrower, created_at=T0))
    await holds.take(session, queue=Queue.CERTIFICATES, item_id=certificate, staff=anna, now=clock())
    with pytest.raises(HeldByOther):
        await decisions.refuse_certificate(
            session, certificate_id=certificate, reason="Нет оснований", staff=boris, settings=settings, now=clock()
        )
    assert await outbox(engine) == []
    assert (await holds.holder(session, Queue.CERTIFICATES, certificate)).staff_id == anna.id
    refused = await decisions.refuse_certificate(
        session, certificate_id=certificate, reason="Нет оснований", staff=anna, settings=settings, now=clock()
    )
    assert refused.status == "rejected"
    assert [row.kind for row in await outbox(engine)] == [NotificationKind.CERTIFICATE_REJECTED]


async def test_issued_certificate_is_the_signed_pdf(session, engine, client, paid_borrower, anna, settings, clock):
    certificate = await add_record(engine, certificate_row(*paid_borrower, created_at=T0))
    result = await decisions.issue_certificate(
        session,
        certificate_id=certificate,
        signed=signed_upload(),
        reason=REASON,
        staff=anna,
        settings=settings,
        now=clock(),
    )
    assert (result.status, result.issued_on) == ("ready", date(2026, 11, 26))
    [notice] = await outbox(engine)
    assert (notice.kind, notice.payload["certificate_id"]) == (NotificationKind.CERTIFICATE_READY, certificate)
    delivered = await client.get(f"/api/v1/me/certificates/{certificate}/pdf", headers=as_user(USER))
    assert (delivered.status_code, delivered.content) == (200, SIGNED)


async def test_a_signed_certificate_must_be_a_pdf(session, engine, borrower, anna, settings, clock):
    certificate = await add_record(engine, certificate_row(*borrower, created_at=T0))
    with pytest.raises(ApiError) as refused:
        await decisions.issue_certificate(
            session,
            certificate_id=certificate,
            signed=signed_upload(b"\x89PNG...", "image/png"),
            reason=REASON,
            staff=anna,
            settings=settings,
            now=clock(),
        )
    assert refused.value.code == "signed_pdf_required"
    async with session_of(engine) as other:
        assert (await other.get(CertificateRequest, certificate)).status is CertificateStatus.PENDING_STAFF


async def test_document_accepted_registers_the_policy(session, engine, borrower, anna, clock):
    document = await add_record(engine, document_row(*borrower, created_at=T0))
    policy = NewPolicy(
        insurer="СК Надёжная",
        policy_number="П-2027-1",
        kind=PolicyKind.PROPERTY,
        starts_on=date(2026, 12, 1),
        expires_on=date(2027, 11, 30),
    )
    result = await decisions.decide_document(
        session, document_id=document, approved=True, reason=REASON, policy=policy, staff=anna, now=clock()
    )
    assert result.status == ReviewStatus.APPROVED.value
    async with session_of(engine) as other:
        stored = await other.get(InsurancePolicy, result.policy_id)
    assert (stored.insurer, stored.expires_on) == ("СК Надёжная", date(2027, 11, 30))
    [notice] = await outbox(engine)
    assert notice.payload["policy_id"] == result.policy_id


async def test_document_rejected(session, engine, borrower, anna, clock):
    document = await add_record(engine, document_row(*borrower, created_at=T0))
    result = await decisions.decide_document(
        session, document_id=document, approved=False, reason="Полис нечитаем", policy=None, staff=anna, now=clock()
    )
    assert (result.status, result.decision_reason) == ("rejected", "Полис нечитаем")


def _quote(borrower: tuple[int, int], clock) -> InsuranceQuoteRequest:
    return InsuranceQuoteRequest(borrower_id=borrower[0], loan_id=borrower[1], kind=PolicyKind.LIFE, created_at=clock())


def _price(clock, insurer: str = "СК Партнёр") -> QuoteAnswer:
    return QuoteAnswer(insurer=insurer, premium=Decimal("12345.67"), valid_until=clock().date() + timedelta(days=20))


async def test_quote_answered(session, engine, borrower, anna, settings, clock):
    quote = await add_record(engine, _quote(borrower, clock))
    await holds.take(session, queue=Queue.QUOTES, item_id=quote, staff=anna, now=clock())
    result = await decisions.answer_quote(
        session, quote_id=quote, answer=_price(clock), staff=anna, settings=settings, now=clock()
    )
    assert (result.status, result.premium) == (QuoteStatus.SENT.value, Decimal("12345.67"))
    assert await holds.holder(session, Queue.QUOTES, quote) is None
    assert [row.kind for row in await outbox(engine)] == [NotificationKind.INSURANCE_QUOTE_READY]


async def _race(engine, *acts) -> list:
    sessions = create_sessionmaker(engine)
    opened = [sessions() for _ in acts]
    try:
        return await asyncio.gather(
            *(act(session) for act, session in zip(acts, opened, strict=True)), return_exceptions=True
        )
    finally:
        for session in opened:
            await session.close()


def _one_won(outcomes: list) -> None:
    refused = [outcome for outcome in outcomes if isinstance(outcome, ApiError)]
    assert len(refused) == 1, outcomes
    assert (refused[0].status, refused[0].code) == (409, "already_decided")


async def test_two_decisions_at_once_one_wins(engine, paid_borrower, anna, boris, vera, settings, clock):
    holiday = await add_record(engine, holiday_row(*paid_borrower, created_at=T0))
    certificate = await add_record(engine, certificate_row(*paid_borrower, created_at=T0))
    document = await add_record(engine, document_row(*paid_borrower, created_at=T0))
    quote = await add_record(engine, _quote(paid_borrower, clock))
    now = clock()
    _one_won(
        await _race(
            engine,
            lambda s: decisions.decide_holiday(
                s, holiday_id=holiday, approved=True, reason=REASON, staff=vera, now=now
            ),
            lambda s: decisions.decide_holiday(
                s, holiday_id=holiday, approved=False, reason="Нет", staff=vera, now=now
            ),
        )
    )
    _one_won(
        await _race(
            engine,
            lambda s: decisions.issue_certificate(
                s,
                certificate_id=certificate,
                signed=signed_upload(),
                reason=REASON,
                staff=anna,
                settings=settings,
                now=now,
            ),
            lambda s: decisions.refuse_certificate(
                s, certificate_id=certificate, reason="Нет", staff=boris, settings=settings, now=now
            ),
        )
    )
    _one_won(
        await _race(
            engine,
            lambda s: decisions.decide_document(
                s, document_id=document, approved=True, reason=REASON, policy=None, staff=anna, now=now
            ),
            lambda s: decisions.decide_document(
                s, document_id=document, approved=False, reason="Нет", policy=None, staff=boris, now=now
            ),
        )
    )
    _one_won(
        await _race(
            engine,
            lambda s: decisions.answer_quote(
                s, quote_id=quote, answer=_price(clock), staff=anna, settings=settings, now=now
            ),
            lambda s: decisions.answer_quote(
                s, quote_id=quote, answer=_price(clock, "СК Другая"), staff=boris, settings=settings, now=now
            ),
        )
    )
    kinds = [row.kind for row in await outbox(engine)]
    assert len(kinds) == 4  # one notice per item: the winner's
    assert {
        NotificationKind.HOLIDAY_DECIDED,
        NotificationKind.INSURANCE_DOCUMENT_DECIDED,
        NotificationKind.INSURANCE_QUOTE_READY,
    } < set(kinds)
    async with session_of(engine) as session:
        holiday_status = (await session.get(HolidayApplication, holiday)).status
        decided = (await session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("decide_%")))).all()
    assert holiday_status in (HolidayStatus.APPROVED, HolidayStatus.REJECTED)
    assert len(decided) == 3  # holiday, certificate, document; the quote's is `price_quote`
