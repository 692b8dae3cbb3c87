"""The queues as staff see them: oldest first, filters, who holds what, age in staff hours against the target."""

from datetime import timedelta

import pytest

from api.errors import ApiError
from api.models import CaseReason, DocumentPurpose, HolidayStatus, InsuranceQuoteRequest, PolicyKind
from api.work import holds, queues
from api.work.items import Queue
from api.work.queues import Count, Filters, Held
from tests.api.outbox_helpers import add_record, case_row, certificate_row, document_row, holiday_row
from tests.work.conftest import T0

USER = 700_900_101


async def listing(session, queue, staff, settings, clock, **filters):
    return await queues.entries(session, queue, Filters(**filters), staff=staff, settings=settings, now=clock())


async def test_oldest_first_with_age_against_the_target(session, engine, borrower, anna, settings, clock):
    older = await add_record(engine, holiday_row(*borrower, created_at=T0, status=HolidayStatus.REJECTED))
    newer = await add_record(engine, holiday_row(*borrower, created_at=T0 + timedelta(days=5), idempotency_key="b"))
    oldest = await add_record(engine, certificate_row(*borrower, created_at=T0 - timedelta(days=1)))
    recent = await add_record(engine, certificate_row(*borrower, created_at=clock() - timedelta(hours=1), year=2024))
    found = await listing(session, Queue.CERTIFICATES, anna, settings, clock)
    assert [entry.record.id for entry in found] == [oldest, recent]
    assert [entry.age for entry in found] == [timedelta(hours=9 + 35), timedelta(hours=1)]
    assert [entry.overdue for entry in found] == [True, False]  # the target is 8 staff hours
    assert found[0].target == timedelta(hours=8)
    assert (found[0].first_name, found[0].contract_number) == ("Иван", "ИК-2021/000457")
    waiting = await listing(session, Queue.HOLIDAYS, anna, settings, clock)
    # Wednesday 13:00 to Thursday 12:00 is 5 + 3 staff hours, inside the 16 of a holiday
    assert [(entry.record.id, entry.age, entry.overdue) for entry in waiting] == [(newer, timedelta(hours=8), False)]
    decided = await listing(session, Queue.HOLIDAYS, anna, settings, clock, status="rejected")
    assert [(entry.record.id, entry.age, entry.overdue) for entry in decided] == [(older, None, False)]


async def test_targets_come_from_the_settings(session, engine, borrower, anna, settings, clock):
    await add_record(engine, certificate_row(*borrower, created_at=clock() - timedelta(hours=3)))
    patient = settings.model_copy(
        update={"queue_target_hours": settings.queue_target_hours.model_copy(update={"certificates": 2})}
    )
    [entry] = await listing(session, Queue.CERTIFICATES, anna, patient, clock)
    assert (entry.target, entry.overdue) == (timedelta(hours=2), True)


async def test_held_by_me_and_unheld(session, engine, borrower, anna, boris, settings, clock):
    ids = [
        await add_record(
            engine,
            document_row(
                *borrower, created_at=T0 + timedelta(minutes=minute), content=b"%PDF-1.4\n%" + bytes([minute])
            ),
        )
        for minute in range(3)
    ]
    await holds.take(session, queue=Queue.DOCUMENTS, item_id=ids[0], staff=anna, now=clock())
    await holds.take(session, queue=Queue.DOCUMENTS, item_id=ids[1], staff=boris, now=clock())
    everything = await listing(session, Queue.DOCUMENTS, anna, settings, clock)
    assert [(entry.record.id, entry.holder and entry.holder.name) for entry in everything] == [
        (ids[0], "Анна"),
        (ids[1], "Борис"),
        (ids[2], None),
    ]
    assert [
        entry.record.id for entry in await listing(session, Queue.DOCUMENTS, anna, settings, clock, held=Held.MINE)
    ] == [ids[0]]
    unheld = await listing(session, Queue.DOCUMENTS, anna, settings, clock, held=Held.UNHELD)
    assert [entry.record.id for entry in unheld] == [ids[2]]


async def test_purpose_of_documents(session, engine, borrower, anna, settings, clock):
    policy = await add_record(engine, document_row(*borrower, created_at=T0))
    holiday = await add_record(engine, holiday_row(*borrower, created_at=T0))
    proof = await add_record(
        engine,
        document_row(
            *borrower, created_at=T0, purpose=DocumentPurpose.HOLIDAY_PROOF, policy_kind=None, holiday_id=holiday
        ),
    )
    for purpose, expected in (
        (None, [policy, proof]),
        (DocumentPurpose.HOLIDAY_PROOF, [proof]),
        (DocumentPurpose.INSURANCE_POLICY, [policy]),
    ):
        found = await listing(session, Queue.DOCUMENTS, anna, settings, clock, purpose=purpose)
        assert [entry.record.id for entry in found] == expected


async def test_cases_hardship_first_and_flagged_for_a_supervisor(
    session, engine, borrower, other_borrower, anna, settings, clock
):
    plain = await add_record(engine, case_row(*borrower, created_at=T0))
    flagged = await add_record(
        engine,
        case_row(
            *other_borrower, created_at=T0 + timedelta(hours=1), reason=CaseReason.HARDSHIP, needs_supervisor=True
        ),
    )
    assert [entry.record.id for entry in await listing(session, Queue.CASES, anna, settings, clock)] == [flagged, plain]
    assert [entry.record.id for entry in await listing(session, Queue.CASES, anna, settings, clock, flagged=True)] == [
        flagged
    ]
    await holds.take(session, queue=Queue.CASES, item_id=plain, staff=anna, now=clock())
    taken = await listing(session, Queue.CASES, anna, settings, clock, held=Held.MINE)
    assert [(entry.record.id, entry.holder.name, entry.holder.since) for entry in taken] == [(plain, "Анна", clock())]


async def test_an_unknown_status_is_refused(session, anna, settings, clock):
    with pytest.raises(ApiError) as refused:
        await listing(session, Queue.QUOTES, anna, settings, clock, status="approved")
    assert refused.value.details["statuses"] == ["requested", "sent", "cancelled"]


async def test_counts_per_queue(session, engine, borrower, anna, boris, settings, clock):
    borrower_id, loan_id = borrower
    await add_record(engine, holiday_row(*borrower, created_at=T0))
    certificate = await add_record(engine, certificate_row(*borrower, created_at=T0))
    await add_record(engine, certificate_row(*borrower, created_at=clock(), year=2024))
    await add_record(engine, certificate_row(*borrower, created_at=T0, year=2023, status="rejected"))
    await add_record(
        engine,
        InsuranceQuoteRequest(borrower_id=borrower_id, loan_id=loan_id, kind=PolicyKind.LIFE, created_at=clock()),
    )
    case = await add_record(engine, case_row(*borrower, created_at=T0))
    await holds.take(session, queue=Queue.CERTIFICATES, item_id=certificate, staff=anna, now=clock())
    await holds.take(session, queue=Queue.CASES, item_id=case, staff=boris, now=clock())
    found = await queues.counts(session, staff=anna, settings=settings, now=clock())
    assert found == {
        Queue.HOLIDAYS: Count(waiting=1, unheld=1, mine=0, overdue=1),
        Queue.CERTIFICATES: Count(waiting=2, unheld=1, mine=1, overdue=1),
        Queue.DOCUMENTS: Count(waiting=0, unheld=0, mine=0, overdue=0),
        Queue.QUOTES: Count(waiting=1, unheld=1, mine=0, overdue=0),
        Queue.CASES: Count(waiting=1, unheld=0, mine=0, overdue=1),
    }


async def test_detail_with_borrower_proof_and_history(session, engine, borrower, anna, settings, clock):
    holiday = await add_record(engine, holiday_row(*borrower, created_at=T0))
    proof = await add_record(
        engine,
        document_row(
            *borrower, created_at=T0, purpose=DocumentPurpose.HOLIDAY_PROOF, policy_kind=None, holiday_id=holiday
        ),
    )
    await holds.take(session, queue=Queue.HOLIDAYS, item_id=holiday, staff=anna, now=clock())
    found = await queues.detail(session, Queue.HOLIDAYS, holiday, settings=settings, now=clock())
    assert (found.borrower.first_name, found.loan.contract_number) == ("Иван", "ИК-2021/000457")
    assert [document.id for document in found.documents] == [proof]
    assert found.entry.holder.name == "Анна"
    assert [(step.actor, step.action) for step in found.history] == [("Анна", "take")]
    assert found.entry.age == timedelta(hours=35)
