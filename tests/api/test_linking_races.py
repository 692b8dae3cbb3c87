"""Linking under contention, on both databases with real concurrent requests: twenty wrong second factors at once
are judged against the limit one at a time (five counted, the rest locked out), and twenty chats linking one
borrower at once leave exactly one linked, the one that was told so."""

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Borrower, LinkAttempt
from tests.helpers import link, seed_borrower

USER = 700_009_601
AT_ONCE = 20


async def _failures(engine) -> int:
    async with AsyncSession(engine) as session:
        return await session.scalar(select(func.count()).select_from(LinkAttempt).where(LinkAttempt.success.is_(False)))


async def test_wrong_factors_at_once_count_no_more_than_the_limit(bank, client, engine):
    await seed_borrower(bank)
    responses = await asyncio.gather(*(link(client, USER, factor="9999") for _ in range(AT_ONCE)))
    codes = sorted(r.json()["error"]["code"] for r in responses)
    assert codes == ["link_failed"] * 4 + ["link_locked"] * (AT_ONCE - 4), codes
    assert await _failures(engine) == 5
    left = sorted(r.json()["error"].get("attempts_left") for r in responses if r.status_code == 403)
    assert left == [1, 2, 3, 4]
    assert (await link(client, USER)).json()["error"]["code"] == "link_locked"  # the right factor, too late


async def test_chats_linking_one_borrower_at_once_leave_one_linked(bank, client, engine):
    await seed_borrower(bank)
    users = [USER + 100 + n for n in range(AT_ONCE)]
    responses = await asyncio.gather(*(link(client, user) for user in users))
    linked = [user for user, r in zip(users, responses, strict=True) if r.status_code == 200]
    refused = {r.json()["error"]["code"] for r in responses if r.status_code != 200}
    assert len(linked) == 1 and refused == {"borrower_linked_elsewhere"}
    async with AsyncSession(engine) as session:
        assert await session.scalar(select(Borrower.telegram_user_id)) == linked[0]
