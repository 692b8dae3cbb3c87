"""A request the backend stored whose answer was lost is sent again with the idempotency key its dialog keeps in the
draft, and nothing is stored twice: a request for a person (a linked chat's, an unlinked chat's, the refinancing
form's, the early-repayment request: the chat's steps and words are not added to the case again), a renewed policy
and a holiday's proof uploaded, a renewal quote asked for (not stored again even once the first is no longer
waiting, which only the key tells)."""

from collections.abc import Awaitable, Callable
from functools import partial

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Document, InsuranceQuoteRequest, QuoteStatus, ReviewStatus
from bot.offline import Call, OfflineChat
from tests.bot.replies import text
from tests.bot.switch import NOT_ANSWERING
from tests.bot.test_holiday_submit import stored as holidays
from tests.bot.test_insurance import insurance_of
from tests.bot.walks import enter, state_of
from tests.helpers import as_user
from tests.samples import pdf

USER = 23801
FILE = pdf("sent twice")
FILED = "with our staff: case № "  # the first request's answer, not "Added to your request № "

Action = Callable[[OfflineChat], Awaitable[list[Call]]]


async def _lost_then_retried(chat: OfflineChat, switch, action: Action, between=None) -> list[Call]:
    """`action` stored by the backend with its answer lost (the borrower told, the dialog kept), then done again;
    `between` runs while the borrower waits. The retry's calls."""
    state = await state_of(chat)
    switch.mode = "late"
    assert NOT_ANSWERING in text(await action(chat))
    assert await state_of(chat) == state, "the dialog was not kept for a retry"
    switch.mode = "up"
    if between is not None:
        await between()
    return await action(chat)


async def _case(client, user: int, *, linked: bool) -> dict:
    if not linked:
        response = await client.get(f"/api/v1/unlinked/support-cases/{user}")
        assert response.status_code == 200, response.text
        return response.json()
    [case] = (await client.get("/api/v1/me/support-cases", headers=as_user(user))).json()
    return case


def _words(chat: OfflineChat) -> Awaitable[list[Call]]:
    return chat.send("Хочу обсудить график платежей")


async def _unlinked_topic(chat_factory, user: int) -> OfflineChat:
    chat = chat_factory(user, language_code="en")
    await chat.send("/start")
    await chat.press("Talk to a person")
    return chat


@pytest.mark.parametrize(
    ("start", "action"),
    [
        ("person_topic", _words),
        (None, _words),  # an unlinked chat's
        ("refinancing_confirm", lambda chat: chat.press_data("refistep:confirm")),
        ("early_confirm", lambda chat: chat.press_data("earlystep:confirm")),
    ],
    ids=["person", "unlinked", "refinancing", "early repayment"],
)
async def test_a_request_for_a_person_sent_again_adds_nothing_to_the_case(
    demo, chat_factory, client, switch, start, action
):
    chat = (await enter(chat_factory, start, USER))[0] if start else await _unlinked_topic(chat_factory, USER)
    stored: list[dict] = []

    async def the_case_as_stored() -> None:
        stored.append(await _case(client, USER, linked=start is not None))

    calls = await _lost_then_retried(chat, switch, action, the_case_as_stored)
    case = await _case(client, USER, linked=start is not None)
    assert case == stored[0], "the retry changed the case (steps or words added again)"
    assert f"{FILED}{case['id']}" in text(calls)


async def _set(engine, model, **values) -> None:
    async with AsyncSession(engine) as session:
        await session.execute(update(model).values(**values))
        await session.commit()


async def test_a_policy_sent_again_is_stored_once(demo, chat_factory, client, engine, switch):
    chat, _ = await enter(chat_factory, "insurance_upload_file", USER)
    staff_rejected = partial(_set, engine, Document, status=ReviewStatus.REJECTED)
    await _lost_then_retried(chat, switch, lambda chat: chat.send_document(FILE, "policy.pdf"), staff_rejected)
    documents = (await insurance_of(client, USER))["documents"]
    assert [(d["file_name"], d["status"]) for d in documents] == [("policy.pdf", "rejected")]
    assert await state_of(chat) is None


async def test_a_holidays_proof_sent_again_is_attached_once(demo, chat_factory, client, engine, switch):
    chat, _ = await enter(chat_factory, "holiday_proof", USER)
    staff_rejected = partial(_set, engine, Document, status=ReviewStatus.REJECTED)
    calls = await _lost_then_retried(chat, switch, lambda chat: chat.send_document(FILE, "income.pdf"), staff_rejected)
    assert "Attached: income.pdf." in text(calls)
    [holiday] = await holidays(client, USER)
    assert [(d["file_name"], d["status"]) for d in holiday["documents"]] == [("income.pdf", "rejected")]


async def test_a_quote_asked_for_again_is_stored_once(demo, chat_factory, client, engine, switch):
    chat, _ = await enter(chat_factory, "insurance_quote_kind", USER)
    staff_cancelled = partial(_set, engine, InsuranceQuoteRequest, status=QuoteStatus.CANCELLED)
    await _lost_then_retried(chat, switch, lambda chat: chat.press_data("inscover:life"), staff_cancelled)
    assert (await insurance_of(client, USER))["open_quote_requests"] == []
    async with AsyncSession(engine) as session:
        kinds = (await session.scalars(select(InsuranceQuoteRequest.kind))).all()
    assert kinds == ["life"]
