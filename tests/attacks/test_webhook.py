"""The bot's webhook (`ipoteka bot` with WEBHOOK_URL) as an attacker posts to it: without the secret header or with
a wrong one, a 401 whatever the body and nothing dispatched; with the secret, a body that is not an update is a 400
logged by its size only; a body over the server's limit, declared or streamed in chunks, a 413 before it is read
whole. The app is `bot/app/runner.py:create_webhook_app`, served on a loopback port by aiohttp's test server."""

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage
from aiohttp.test_utils import TestClient, TestServer

from bot.app.runner import WEBHOOK_PATH, create_webhook_app
from bot.offline import OfflineSession
from bot.settings import BotSettings
from tests.bot.telegram_fake import USER, start_update
from tests.helpers import eventually

SECRET = "webhook-secret-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TOKEN = "42:TEST"
#: aiohttp's limit on a request body (`web.Application(client_max_size=...)`, 1 MiB): an update is a few KiB.
MAX_BODY = 1024**2


@pytest.fixture
def webhook_settings() -> BotSettings:
    return BotSettings(webhook_url="https://bot.example.test/telegram/webhook", webhook_secret=SECRET)


@pytest.fixture
async def webhook(dispatcher, webhook_settings) -> AsyncIterator[tuple[TestClient, OfflineSession]]:
    session = OfflineSession()
    bot = Bot(TOKEN, session=session)
    async with TestClient(TestServer(create_webhook_app(dispatcher, bot, webhook_settings))) as client:
        yield client, session


def sent(session: OfflineSession) -> list[SendMessage]:
    return [call.method for call in session.log if isinstance(call.method, SendMessage)]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong-secret-0123456789"}, {SECRET_HEADER: ""}])
async def test_webhook_refuses_a_post_without_the_secret(webhook, headers):
    client, session = webhook

    response = await client.post(WEBHOOK_PATH, json=start_update(), headers=headers)

    assert response.status == 401
    await asyncio.sleep(0.2)
    assert session.log == []


@pytest.mark.parametrize("secret", [SECRET[:-1], SECRET + "0", SECRET.upper(), "Bearer " + SECRET], ids=repr)
async def test_webhook_refuses_a_secret_that_is_nearly_right(webhook, secret):
    client, session = webhook
    assert (await client.post(WEBHOOK_PATH, json=start_update(), headers={SECRET_HEADER: secret})).status == 401
    await asyncio.sleep(0)
    assert session.log == []


async def test_webhook_takes_an_update_with_the_secret(webhook):
    client, session = webhook

    response = await client.post(WEBHOOK_PATH, json=start_update(), headers={SECRET_HEADER: SECRET})

    assert response.status == 200
    await eventually(lambda: bool(sent(session)))
    [greeting] = sent(session)
    assert greeting.chat_id == USER
    assert "152-ФЗ" in greeting.text
    assert [b.text for b in greeting.reply_markup.inline_keyboard[0]] == ["✅ Согласен", "Нет, спасибо"]


async def test_webhook_redelivery_is_answered_once(webhook):
    """Telegram posts an update again when it thinks the first call failed: the chat gets one greeting."""
    client, session = webhook
    for _ in range(2):
        response = await client.post(WEBHOOK_PATH, json=start_update(901), headers={SECRET_HEADER: SECRET})
        assert response.status == 200
    await eventually(lambda: bool(sent(session)))
    await asyncio.sleep(0.2)  # room for a second answer, were one coming
    assert len(sent(session)) == 1


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b"[]", b'"update"', b'{"update_id": "x"}', b'{"message": {"text": "no id"}}', b""],
    ids=["bad JSON", "not UTF-8", "a list", "a string", "a wrong id", "no update_id", "empty"],
)
async def test_webhook_refuses_a_body_that_is_not_an_update_with_400(webhook, body, caplog):
    client, session = webhook
    caplog.set_level(logging.DEBUG)

    response = await client.post(WEBHOOK_PATH, data=body, headers={SECRET_HEADER: SECRET})

    assert response.status == 400
    assert (await response.json())["ok"] is False
    await asyncio.sleep(0)
    assert session.log == []
    assert "no id" not in caplog.text and "not json" not in caplog.text
    assert f"({len(body)} bytes)" in caplog.text


async def test_webhook_without_the_secret_is_401_whatever_the_body(webhook):
    client, _ = webhook
    assert (await client.post(WEBHOOK_PATH, data=b"{not json")).status == 401


async def test_webhook_takes_only_posts_on_its_path(webhook):
    client, session = webhook

    assert (await client.get(WEBHOOK_PATH, headers={SECRET_HEADER: SECRET})).status == 405
    assert (await client.post("/", json=start_update(), headers={SECRET_HEADER: SECRET})).status == 404
    assert session.log == []


def test_the_webhook_app_needs_a_secret(dispatcher, bot_settings):
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        create_webhook_app(dispatcher, Bot(TOKEN, session=OfflineSession()), bot_settings)


# --- oversized bodies -------------------------------------------------------------------------------------------


async def _post_raw(client: TestClient, head: bytes, parts: list[bytes]) -> tuple[bytes, int]:
    """POST `head` then `parts` over a socket of our own until the server answers; the answer's status line and how
    many bytes of body were sent before it came (the rest of a declared body is never sent)."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    writer.write(head)
    sent_bytes = 0
    answer = asyncio.ensure_future(reader.readline())
    try:
        for part in parts:
            if answer.done():
                break
            writer.write(part)
            sent_bytes += len(part)
            try:
                await asyncio.wait_for(writer.drain(), timeout=5)
            except (ConnectionError, TimeoutError):
                break
            await asyncio.sleep(0)
        async with asyncio.timeout(10):
            return await answer, sent_bytes
    finally:
        answer.cancel()
        writer.close()


def _head(extra: str) -> bytes:
    lines = [
        f"POST {WEBHOOK_PATH} HTTP/1.1",
        "Host: bot",
        f"{SECRET_HEADER}: {SECRET}",
        "Content-Type: application/json",
    ]
    return ("\r\n".join([*lines, extra]) + "\r\n\r\n").encode()


CHUNK = b"[" + b"0," * (64 * 1024)  # one valid-looking JSON prefix, sent again and again


async def test_a_declared_oversized_body_is_413_before_it_is_sent_whole(webhook):
    client, session = webhook
    declared = 50 * MAX_BODY
    status, sent_bytes = await _post_raw(client, _head(f"Content-Length: {declared}"), [CHUNK] * 50 * 8)
    assert status.startswith(b"HTTP/1.1 413"), status
    assert sent_bytes < declared / 10, "the server read on past its limit"
    assert session.log == []


async def test_a_chunked_oversized_body_is_413_before_it_ends(webhook):
    client, session = webhook
    chunk = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n"
    status, sent_bytes = await _post_raw(client, _head("Transfer-Encoding: chunked"), [chunk] * 50 * 8)
    assert status.startswith(b"HTTP/1.1 413"), status
    assert sent_bytes < 10 * MAX_BODY, "the server read on past its limit"
    assert session.log == []


async def test_an_oversized_body_without_the_secret_is_401_unread(webhook):
    client, session = webhook
    head = _head(f"Content-Length: {50 * MAX_BODY}").replace(f"{SECRET_HEADER}: {SECRET}\r\n".encode(), b"")
    status, sent_bytes = await _post_raw(client, head, [CHUNK] * 50 * 8)
    assert status.startswith(b"HTTP/1.1 401"), status
    assert sent_bytes < MAX_BODY
    assert session.log == []
