"""A support case for the console chat's tests: the seed borrower linked and asking for a person, as the bot does."""

from sqlalchemy import select

from api.models import RelayTask
from tests.api.outbox_helpers import session_of
from tests.api.relay_helpers import message, open_case, relay
from tests.helpers import link, seed_borrower

CHAT = 7001


async def escalated_case(bank, client, words: str = "Почему вырос платёж?") -> int:
    await seed_borrower(bank)
    assert (await link(client, CHAT)).status_code == 200
    case_id = await open_case(client, CHAT, summary=words)
    response = await relay(client, "POST", f"cases/{case_id}/messages", json=message(text=words))
    assert response.status_code == 201, response.text
    return case_id


async def tasks_of(engine, case_id: int) -> list[RelayTask]:
    async with session_of(engine) as db:
        return list(await db.scalars(select(RelayTask).where(RelayTask.case_id == case_id).order_by(RelayTask.id)))
