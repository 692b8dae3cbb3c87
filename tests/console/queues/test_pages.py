"""The queue pages and actions over HTTP, as an operator and as a supervisor: counts, filters, the panel, take,
release, reassign with collisions, and each decision told to the borrower through the outbox."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from api.models import AuditEntry, CertificateRequest, NotificationKind, StaffRole
from tests.api.outbox_helpers import add_record, certificate_row, linked_borrower, outbox, session_of
from tests.console.queues.helpers import QUEUES, htmx, one_of_each, text_of
from tests.samples import PNG, pdf

USER = 700_910_001
QUEUE_NAMES = ("holidays", "certificates", "documents", "quotes", "cases")


@pytest.fixture
async def items(engine, bank, client, clock):
    borrower = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    return await one_of_each(engine, bank, borrower, clock)


async def _english(client) -> None:
    assert (
        await client.post("/console/language", data={"language": "en", "csrf_token": client.csrf})
    ).status_code == 303


async def test_overview_counts_every_queue_in_both_languages(console_client, items):
    operator = await console_client(StaffRole.OPERATOR)
    page = await operator.get(QUEUES)
    assert page.status_code == 200
    assert "Кредитные каникулы" in page.text and "в очереди: 1" in page.text
    await _english(operator)
    page = await operator.get(QUEUES)
    for name in (
        "Payment holidays",
        "Certificates to sign",
        "Documents to verify",
        "Insurance quotes",
        "Support cases",
    ):
        assert name in page.text
    assert page.text.count("1 waiting") == 5
    assert "1 overdue" in page.text  # the holiday and the certificate have waited 35 staff hours


@pytest.mark.parametrize("queue", QUEUE_NAMES)
async def test_every_queue_page_lists_its_item_overdue_with_its_holder(console_client, items, queue):
    for role in StaffRole:
        member = await console_client(role)
        await _english(member)
        page = await member.get(f"{QUEUES}/{queue}")
        assert page.status_code == 200
        assert f'id="row-{items.of(queue)}"' in page.text
        assert 'class="overdue"' in page.text or queue == "quotes"  # the quote was asked today
        assert "nobody" in page.text


async def test_oldest_first_overdue_and_the_filters(console_client, engine, items, clock):
    newer = await add_record(
        engine, certificate_row(items.borrower_id, items.loan_id, created_at=clock() - timedelta(hours=1), year=2024)
    )
    operator = await console_client()
    page = (await operator.get(f"{QUEUES}/certificates")).text
    assert page.index(f'id="row-{items.certificate}"') < page.index(f'id="row-{newer}"')
    assert f'<tr id="row-{items.certificate}" class="overdue"' in page
    assert f'<tr id="row-{newer}" class=""' in page
    await operator.post(f"{QUEUES}/certificates/{newer}/take", headers=htmx(operator))
    rows = await operator.get(f"{QUEUES}/certificates?held=mine", headers=htmx(operator, "rows"))
    assert "<h1>" not in rows.text  # the rows alone, for htmx to swap in
    assert f'row-{newer}"' in rows.text and f'row-{items.certificate}"' not in rows.text
    unheld = (await operator.get(f"{QUEUES}/certificates?held=unheld")).text
    assert f'row-{items.certificate}"' in unheld and f'row-{newer}"' not in unheld
    rejected = (await operator.get(f"{QUEUES}/certificates?status=rejected")).text
    assert 'id="queue-empty"' in rejected
    flagged = (await operator.get(f"{QUEUES}/cases?flagged=1")).text
    assert 'id="queue-empty"' in flagged


async def test_take_then_a_colleague_sees_the_collision(console_client, items, clock):
    anna = await console_client()
    boris = await console_client()
    for queue in QUEUE_NAMES:
        taken = await anna.post(f"{QUEUES}/{queue}/{items.of(queue)}/take", headers=htmx(anna))
        assert taken.status_code == 200 and taken.headers["HX-Trigger"] == "queue-changed"
        assert 'id="outcome"' in taken.text and 'id="release"' in taken.text
        opened = await boris.get(f"{QUEUES}/{queue}/{items.of(queue)}", headers=htmx(boris))
        assert anna.login.name in text_of(opened.text, "collision")
        assert 'id="take"' not in opened.text
        second = await boris.post(f"{QUEUES}/{queue}/{items.of(queue)}/take", headers=htmx(boris))
        assert second.status_code == 200 and anna.login.name in text_of(second.text, "collision")
        plain = await boris.post(f"{QUEUES}/{queue}/{items.of(queue)}/take", data={"csrf_token": boris.csrf})
        assert plain.status_code == 409
        released = await boris.post(f"{QUEUES}/{queue}/{items.of(queue)}/release", headers=htmx(boris))
        assert anna.login.name in text_of(released.text, "collision")  # not theirs to release


async def test_release_own_and_a_supervisor_reassigns(console_client, engine, items):
    anna = await console_client()
    vera = await console_client(StaffRole.SUPERVISOR)
    path = f"{QUEUES}/documents/{items.document}"
    await anna.post(f"{path}/take", headers=htmx(anna))
    moved = await vera.post(
        f"{path}/reassign",
        data={"to": str(vera.login.member.id), "seen_holder": str(anna.login.member.id)},
        headers=htmx(vera),
    )
    assert 'id="collision"' not in moved.text and vera.login.name in text_of(moved.text, "holder")
    stale = await vera.post(
        f"{path}/reassign",
        data={"to": str(anna.login.member.id), "seen_holder": str(anna.login.member.id)},
        headers=htmx(vera),
    )
    assert vera.login.name in text_of(stale.text, "collision")  # the page she acted on was out of date
    released = await vera.post(f"{path}/release", headers=htmx(vera))
    assert text_of(released.text, "holder") == "Пока никто."
    async with session_of(engine) as session:
        actions = (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity == "document").order_by(AuditEntry.id)
            )
        ).all()
    assert actions == ["take", "reassign", "release"]


async def test_actions_need_the_csrf_token(console_client, items):
    anna = await console_client()
    for path, data in (
        (f"{QUEUES}/holidays/{items.holiday}/take", {}),
        (f"{QUEUES}/holidays/{items.holiday}/release", {}),
        (f"{QUEUES}/certificates/{items.certificate}/decision", {"decision": "refuse", "reason": "x"}),
        (f"{QUEUES}/quotes/{items.quote}/answer", {"insurer": "СК", "premium": "1", "valid_until": "2026-12-01"}),
    ):
        assert (await anna.post(path, data=data)).status_code == 403
        assert (await anna.post(path, data=data | {"csrf_token": "forged"})).status_code == 403
    opened = await anna.get(f"{QUEUES}/holidays/{items.holiday}")
    assert 'id="take"' in opened.text


async def test_holiday_decision_is_a_supervisors_and_told_to_the_borrower(console_client, engine, items):
    operator = await console_client()
    path = f"{QUEUES}/holidays/{items.holiday}"
    assert 'id="supervisor-decides"' in (await operator.get(path)).text
    refused = await operator.post(
        f"{path}/decision", data={"decision": "approve", "reason": "ok", "csrf_token": operator.csrf}
    )
    assert refused.status_code == 403
    supervisor = await console_client(StaffRole.SUPERVISOR)
    no_reason = await supervisor.post(f"{path}/decision", data={"decision": "approve"}, headers=htmx(supervisor))
    assert 'id="outcome"' in no_reason.text and "причину" in no_reason.text
    decided = await supervisor.post(
        f"{path}/decision", data={"decision": "approve", "reason": "Условия закона выполнены"}, headers=htmx(supervisor)
    )
    assert decided.headers["HX-Trigger"] == "queue-changed" and 'id="decision-form"' not in decided.text
    [notice] = await outbox(engine)
    assert (notice.kind, notice.payload["decision"], notice.payload["reason"]) == (
        NotificationKind.HOLIDAY_DECIDED,
        "approved",
        "Условия закона выполнены",
    )
    again = await supervisor.post(
        f"{path}/decision", data={"decision": "reject", "reason": "Нет", "csrf_token": supervisor.csrf}
    )
    assert again.status_code == 409
    async with session_of(engine) as session:
        [entry] = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "decide_approved"))).all()
    assert entry.actor == f"staff:{supervisor.login.member.id}"
    assert entry.address == "127.0.0.1"


async def test_two_supervisors_deciding_at_once_decide_once(console_client, engine, items):
    first = await console_client(StaffRole.SUPERVISOR)
    second = await console_client(StaffRole.SUPERVISOR)
    path = f"{QUEUES}/holidays/{items.holiday}/decision"
    answers = await asyncio.gather(
        first.post(path, data={"decision": "approve", "reason": "Да", "csrf_token": first.csrf}),
        second.post(path, data={"decision": "reject", "reason": "Нет", "csrf_token": second.csrf}),
    )
    assert sorted(answer.status_code for answer in answers) == [303, 409]
    assert len(await outbox(engine)) == 1


async def test_certificate_issued_with_the_signed_pdf(console_client, engine, client, items):
    operator = await console_client()
    path = f"{QUEUES}/certificates/{items.certificate}/decision"
    picture = await operator.post(
        path,
        data={"decision": "issue", "reason": "Подписано"},
        files={"signed_pdf": ("s.png", PNG, "image/png")},
        headers=htmx(operator),
    )
    assert "PDF" in text_of(picture.text, "outcome")
    missing = await operator.post(path, data={"decision": "issue", "reason": "Подписано"}, headers=htmx(operator))
    assert "PDF" in text_of(missing.text, "outcome")
    signed = pdf("signed by the bank")
    issued = await operator.post(
        path,
        data={"decision": "issue", "reason": "Подписано"},
        files={"signed_pdf": ("s.pdf", signed, "application/pdf")},
        headers=htmx(operator),
    )
    assert 'id="outcome"' in issued.text and 'class="notice ok"' in issued.text
    [notice] = await outbox(engine)
    assert notice.kind is NotificationKind.CERTIFICATE_READY
    delivered = await client.get(
        f"/api/v1/me/certificates/{items.certificate}/pdf", headers={"X-Telegram-User-Id": str(USER)}
    )
    assert delivered.content == signed


async def test_certificate_refused(console_client, engine, items):
    operator = await console_client()
    refused = await operator.post(
        f"{QUEUES}/certificates/{items.certificate}/decision",
        data={"decision": "refuse", "reason": "Нет платежей за год", "csrf_token": operator.csrf},
    )
    assert refused.status_code == 303
    async with session_of(engine) as session:
        certificate = await session.get(CertificateRequest, items.certificate)
    assert (certificate.status.value, certificate.decision_reason) == ("rejected", "Нет платежей за год")
    assert [row.kind for row in await outbox(engine)] == [NotificationKind.CERTIFICATE_REJECTED]


async def test_document_accepted_with_the_policy_registered(console_client, engine, items):
    operator = await console_client()
    path = f"{QUEUES}/documents/{items.document}"
    shown = await operator.get(f"{QUEUES}/documents/{items.document}/file")
    assert shown.status_code == 200 and shown.headers["content-type"] == "application/pdf"
    policy = {
        "register_policy": "1",
        "insurer": "СК Надёжная",
        "policy_number": "П-1",
        "kind": "property",
        "starts_on": "2026-12-01",
    }
    incomplete = await operator.post(
        f"{path}/decision", data={"decision": "approve", "reason": "Полис верный"} | policy, headers=htmx(operator)
    )
    assert "expires_on" in text_of(incomplete.text, "outcome")
    accepted = await operator.post(
        f"{path}/decision",
        data={"decision": "approve", "reason": "Полис верный", "expires_on": "2027-11-30", "premium": "12 500,00"}
        | policy,
        headers=htmx(operator),
    )
    assert 'class="notice ok"' in accepted.text
    [notice] = await outbox(engine)
    assert notice.kind is NotificationKind.INSURANCE_DOCUMENT_DECIDED and notice.payload["expires_on"] == "2027-11-30"


async def test_quote_answered_and_bad_prices_refused(console_client, engine, items, clock):
    operator = await console_client()
    path = f"{QUEUES}/quotes/{items.quote}/answer"
    until = (clock().date() + timedelta(days=20)).isoformat()
    for bad in ({"premium": "-5"}, {"premium": "много"}, {"valid_until": "2020-01-01"}, {"insurer": ""}):
        answer = await operator.post(
            path,
            data={"insurer": "СК Партнёр", "premium": "12345,67", "valid_until": until} | bad,
            headers=htmx(operator),
        )
        assert 'class="notice error"' in answer.text, bad
    answered = await operator.post(
        path, data={"insurer": "СК Партнёр", "premium": "12 345,67", "valid_until": until}, headers=htmx(operator)
    )
    assert 'class="notice ok"' in answered.text
    [notice] = await outbox(engine)
    assert (notice.kind, notice.payload["premium"]) == (NotificationKind.INSURANCE_QUOTE_READY, "12345.67")


async def test_history_and_borrower_on_the_panel(console_client, items):
    anna = await console_client()
    await _english(anna)
    await anna.post(f"{QUEUES}/holidays/{items.holiday}/take", headers=htmx(anna))
    panel = await anna.get(f"{QUEUES}/holidays/{items.holiday}")
    assert panel.status_code == 200 and "<h1>" in panel.text  # a whole page when loaded directly
    assert f"{anna.login.name}: took it" in text_of(panel.text, "history")
    assert "Иван" in panel.text and "ИК-2021/000457" in panel.text
