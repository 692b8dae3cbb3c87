"""Notices due to one borrower's chat, made as staff make them: a holiday decision told, and copies of it."""

from datetime import UTC, datetime

from api.models import Notification
from tests.api.outbox_helpers import add_record, holiday_row, outbox, session_of

DECIDED_AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


async def decisions_told(engine, supervisor, borrower, count: int) -> list[int]:
    """`count` holiday-decision notices to the borrower's chat, due now; their ids."""
    borrower_id, loan_id = borrower
    holiday = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=DECIDED_AT))
    response = await supervisor.post(f"/api/v1/staff/holidays/{holiday}/decision", json={"decision": "approve"})
    assert response.status_code == 200
    [told] = await outbox(engine)
    async with session_of(engine) as db:
        for n in range(1, count):
            db.add(
                Notification(
                    borrower_id=told.borrower_id,
                    loan_id=told.loan_id,
                    kind=told.kind,
                    dedupe_key=f"{told.dedupe_key}:{n}",
                    payload=told.payload,
                    not_before=told.not_before,
                )
            )
        await db.commit()
    return [row.id for row in await outbox(engine)]
