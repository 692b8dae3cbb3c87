"""The bot's operator side: the webhook server's `/healthz`, `/readyz` (503 naming the backend or Redis) and
`/metrics`; updates counted by dialog and outcome, backend calls timed by route template; and the update's id sent
to the backend as `X-Request-Id`, which the backend takes as its own request id."""

from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram import Bot
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import REGISTRY, generate_latest

from bot.app.dispatcher import setup_dispatcher
from bot.app.runner import create_webhook_app
from bot.backend import BackendClient
from bot.metrics import route_template
from bot.offline import OfflineChat, OfflineSession
from bot.settings import BotSettings
from tests.bot.conftest import IVAN, linking
from tests.bot.restarts import REDIS_URL
from tests.bot.switch import Switch
from tests.conftest import SERVICE_TOKEN
from tests.ops.scrape import samples, value

SECRET = "webhook-secret-0123456789"
UPDATES = "ipoteka_bot_updates_total"
CALLS = "ipoteka_backend_call_duration_seconds_count"


def scrape() -> str:
    return generate_latest(REGISTRY).decode()


def webhook_settings(**extra) -> BotSettings:
    return BotSettings(webhook_url="https://bot.example.test/telegram/webhook", webhook_secret=SECRET, **extra)


async def serve(dispatcher, settings: BotSettings) -> TestClient:
    client = TestClient(TestServer(create_webhook_app(dispatcher, Bot("42:TEST", session=OfflineSession()), settings)))
    await client.start_server()
    return client


@pytest.fixture
async def webhook(dispatcher) -> AsyncIterator[TestClient]:
    client = await serve(dispatcher, webhook_settings())
    yield client
    await client.close()


# --- health and readiness ----------------------------------------------------------------------------------------


async def test_healthz_asks_nothing(webhook, switch):
    switch.mode = "down"
    response = await webhook.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_readyz_asks_the_backend(webhook, switch):
    ready = await webhook.get("/readyz")
    assert ready.status == 200
    assert await ready.json() == {"status": "ok", "checks": {"backend": "ok"}, "failing": []}
    assert switch.calls[-1] == "GET /api/v1/healthz"

    switch.mode = "down"
    down = await webhook.get("/readyz")
    assert down.status == 503
    body = await down.json()
    assert body["failing"] == ["backend"]
    assert body["checks"]["backend"] == "failed: BackendUnavailable"


async def test_readyz_asks_redis_when_the_dialogs_live_there(backend, bot_settings):
    unreachable = RedisStorage.from_url("redis://127.0.0.1:9/0", key_builder=DefaultKeyBuilder(prefix="ops-test"))
    client = await serve(
        setup_dispatcher(backend=backend, settings=bot_settings, storage=unreachable), webhook_settings()
    )
    try:
        response = await client.get("/readyz")
        assert response.status == 503
        body = await response.json()
        assert body["failing"] == ["redis"]
        assert body["checks"]["backend"] == "ok"
    finally:
        await client.close()
        await unreachable.close()


async def test_readyz_is_ready_with_a_reachable_redis(backend, bot_settings, redis, prefix):
    storage = RedisStorage.from_url(REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix))
    client = await serve(setup_dispatcher(backend=backend, settings=bot_settings, storage=storage), webhook_settings())
    try:
        response = await client.get("/readyz")
        assert response.status == 200
        assert (await response.json())["checks"] == {"backend": "ok", "redis": "ok"}
    finally:
        await client.close()
        await storage.close()


# --- metrics -----------------------------------------------------------------------------------------------------


async def test_metrics_need_the_token_when_one_is_set(dispatcher):
    client = await serve(dispatcher, webhook_settings(metrics_token="metrics-token-0123456789"))
    try:
        assert (await client.get("/metrics")).status == 401
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer wrong"})
        assert wrong.status == 401
        served = await client.get("/metrics", headers={"Authorization": "Bearer metrics-token-0123456789"})
        assert served.status == 200
    finally:
        await client.close()


async def test_a_dialog_is_counted_and_its_backend_calls_timed(webhook, demo, chat_factory, switch):
    before = scrape()
    chat = chat_factory(24001, phone=IVAN[0])
    for step in linking(IVAN):  # onboarding, then the reminder offer: walked for real (a snapshot sends no update)
        await step(chat)
    await chat.press("📊")  # the balance
    await chat.press_data("loan:999999")  # a stale or forged button: the fallback
    switch.mode = "down"
    await chat.send("/menu")  # the backend away: the error boundary answers
    switch.mode = "up"

    response = await webhook.get("/metrics")  # the test client calls from the loopback
    assert response.status == 200
    after = await response.text()

    def more(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert more(UPDATES, dialog="onboarding", outcome="ok") >= 4
    assert more(UPDATES, dialog="balance", outcome="ok") == 1
    assert more(UPDATES, dialog="fallback", outcome="ok") == 1
    errors = [key for key in samples(after) if key[0] == UPDATES and ("outcome", "error") in key[1]]
    assert sum(more(UPDATES, **dict(labels)) for _, labels in errors) == 1  # the menu without the backend
    assert more("ipoteka_bot_update_duration_seconds_count", dialog="balance") == 1
    assert more(CALLS, method="GET", route="me/loans/{id}/balance", status="200") == 1
    assert more(CALLS, method="POST", route="link", status="200") == 1
    assert more(CALLS, method="GET", route="me", status="200") >= 1
    assert more(CALLS, method="GET", route="me/loans/{id}/summary", status="unavailable") == 1
    labels = {text for _, pairs in samples(after) for pair in pairs for text in pair}
    assert not any("24001" in text or "+7916" in text for text in labels)  # no chat, no phone, ever (a figure may)


async def test_an_update_no_handler_takes_is_counted_unhandled(dispatcher, chat_factory):
    before = scrape()
    chat = chat_factory(24002)
    await chat.feed({"my_chat_member": _member_update(24002)})
    assert value(scrape(), UPDATES, dialog="none", outcome="unhandled") == (
        value(before, UPDATES, dialog="none", outcome="unhandled") + 1
    )


def _member_update(user_id: int) -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": "Test"}
    bot = {"id": 42, "is_bot": True, "first_name": "Ipoteka Assistant"}
    return {
        "chat": {"id": user_id, "type": "private"},
        "from": user,
        "date": 1764150000,
        "old_chat_member": {"status": "member", "user": bot},
        "new_chat_member": {"status": "kicked", "user": bot, "until_date": 0},
    }


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("me/loans/17/summary", "me/loans/{id}/summary"),
        ("relay/topics/-1001000000001", "relay/topics/{id}"),
        ("me/holidays/3/documents", "me/holidays/{id}/documents"),
        ("scheduler/outbox/claim", "scheduler/outbox/claim"),
        ("me", "me"),
        ("terms", "terms"),
    ],
)
def test_route_templates_hold_no_ids(path, template):
    assert route_template(path) == template


# --- the update's id, across to the backend ----------------------------------------------------------------------


class Recording(httpx.AsyncBaseTransport):
    """The backend behind a switch, keeping each call's `X-Request-Id` as sent and as the backend echoed it."""

    def __init__(self, inner: Switch) -> None:
        self._inner = inner
        self.seen: list[tuple[str, str | None, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        self.seen.append((request.url.path, request.headers.get("X-Request-Id"), response.headers["X-Request-Id"]))
        return response


async def test_the_update_id_is_the_backends_request_id(switch, bot_settings, storage, bot, session):
    recording = Recording(switch)
    backend = BackendClient.create(bot_settings.backend_url, token=SERVICE_TOKEN, retries=0, transport=recording)
    dispatcher = setup_dispatcher(backend=backend, settings=bot_settings, storage=storage)
    updates: list[str] = []

    async def note(handler, update, data):
        updates.append(str(update.update_id))
        return await handler(update, data)

    dispatcher.update.outer_middleware(note)
    chat = OfflineChat(dispatcher, bot, session, user_id=24003, phone=IVAN[0])
    try:
        await chat.send("/start")
        first = len(recording.seen)
        await chat.press("✅")
        assert first >= 1 and len(recording.seen) > first and len(updates) == 2 and updates[0] != updates[1]
        for path, sent, echoed in recording.seen[:first]:
            assert sent == echoed == updates[0], path
        for path, sent, echoed in recording.seen[first:]:
            assert sent == echoed == updates[1], path

        await backend.outbox_counts()  # outside an update (the scheduler's calls): the backend makes an id
        _, sent, echoed = recording.seen[-1]
        assert sent is None and len(echoed) == 32
    finally:
        await backend.aclose()
