"""The network between the bot and the backend cut for a few seconds (`tests/network_cut.py`, a TCP proxy the test
controls in front of the backend served over HTTP), at the worst moment: the borrower's payment-holiday application
reached the backend and its answer was lost. The borrower is told the bank is not answering and nothing is lost,
every try while the network is down gets the same answer, and once it is back the same button sends the application
and says so: stored once (the draft's idempotency key), the dialog finished, the chat as usable as before. The bot
needs nothing done to recover: its connection pool drops the dead connections by itself."""

from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest

from bot.backend import BackendClient
from tests.bot.replies import text
from tests.bot.switch import NOT_ANSWERING
from tests.bot.walks import data_of, enter, state_of
from tests.conftest import SERVICE_TOKEN
from tests.helpers import as_user
from tests.network_cut import NetworkCut

USER = 25001
#: While the network is cut, short, so a call into it gives up soon; else the production default
#: (BACKEND_TIMEOUT_SECONDS), so a busy machine's slow answer is not taken for a cut.
CUT_TIMEOUT, TIMEOUT = 0.5, 5.0
SUBMIT = rb"POST /api/v1/me/loans/\d+/holidays "


@pytest.fixture
async def network(backend_url) -> AsyncIterator[NetworkCut]:
    address = urlsplit(backend_url)
    async with NetworkCut(address.hostname, address.port) as network:
        yield network


@pytest.fixture
async def backend(network) -> AsyncIterator[BackendClient]:
    """The bot's client over real HTTP through the network, retrying safe calls once (production: BACKEND_RETRIES,
    twice)."""
    client = BackendClient.create(f"{network.url}/api/v1", token=SERVICE_TOKEN, timeout=TIMEOUT, retries=1)
    yield client
    await client.aclose()


def timeout(backend: BackendClient, seconds: float) -> None:
    backend._http.timeout = httpx.Timeout(seconds)


async def applications(client, user_id: int) -> list[dict]:
    return (await client.get("/api/v1/me/holidays", headers=as_user(user_id))).json()


async def test_the_network_cut_as_the_application_is_sent(network, backend, demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "holiday_consent", USER)
    draft = await data_of(chat)

    timeout(backend, CUT_TIMEOUT)
    network.cut_after(SUBMIT)
    calls = await chat.press_data("hol:submit")
    assert network.lost_answers == 1 and network.is_cut
    assert NOT_ANSWERING in text(calls) and "nothing you entered is lost" in text(calls)
    [stored] = await applications(client, USER)  # it reached the bank; the borrower could not know
    assert await state_of(chat) == "HolidayWizard:consent" and await data_of(chat) == draft

    for _ in range(2):
        assert NOT_ANSWERING in text(await chat.press_data("hol:submit"))  # each try while it is down: told
    assert network.swallowed >= 4  # every try of either tap was taken and never answered
    assert await state_of(chat) == "HolidayWizard:consent" and await data_of(chat) == draft

    network.restore()
    timeout(backend, TIMEOUT)
    calls = await chat.press_data("hol:submit")
    assert f"Application № {stored['id']} is sent." in text(calls)
    assert [a["id"] for a in await applications(client, USER)] == [stored["id"]]  # stored once
    assert await state_of(chat) is None
    calls = await chat.send("/menu")
    assert NOT_ANSWERING not in text(calls) and "Your applications" not in text(calls)
