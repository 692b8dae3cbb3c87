"""The backend client: refusals raised at once, safe calls retried on 5xx and lost connections, writes not."""

import httpx
import pytest

from bot.backend import BackendClient, BackendError, BackendUnavailable, NotLinked

PROFILE = {
    "id": 1,
    "first_name": "Иван",
    "language": "ru",
    "time_zone": "Europe/Moscow",
    "selected_loan_id": 7,
    "reminders_enabled": True,
    "reminder_days_ahead": [3, 1],
    "daytime_start": "09:00:00",
    "daytime_end": "21:00:00",
    "linked_at": None,
    "survey_allowed": True,
}


def _client(handler, retries: int = 2) -> tuple[BackendClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request, len(seen))

    client = BackendClient.create(
        "http://api/api/v1", token="t", retries=retries, transport=httpx.MockTransport(record)
    )
    return client, seen


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    monkeypatch.setattr("bot.backend.client._RETRY_BACKOFF_SECONDS", (0,))


async def test_a_call_carries_the_token_and_the_chat():
    client, seen = _client(lambda request, n: httpx.Response(200, json=PROFILE))
    profile = await client.profile(555)
    assert profile.first_name == "Иван"
    assert str(seen[0].url) == "http://api/api/v1/me"
    assert seen[0].headers["Authorization"] == "Bearer t"
    assert seen[0].headers["X-Telegram-User-Id"] == "555"


async def test_a_safe_call_is_retried_after_a_5xx_and_a_lost_connection():
    def flaky(request, n):
        if n == 1:
            return httpx.Response(503)
        if n == 2:
            raise httpx.ConnectError("refused")
        return httpx.Response(200, json=PROFILE)

    client, seen = _client(flaky)
    assert (await client.profile(1)).id == 1
    assert len(seen) == 3


async def test_a_safe_call_gives_up_after_the_retries():
    client, seen = _client(lambda request, n: httpx.Response(502), retries=2)
    with pytest.raises(BackendUnavailable):
        await client.profile(1)
    assert len(seen) == 3


async def test_linking_is_never_sent_twice():
    client, seen = _client(lambda request, n: httpx.Response(500))
    with pytest.raises(BackendUnavailable):
        await client.link(1, phone="+79161234567", second_factor="0457", language=None)
    assert len(seen) == 1


async def test_a_refusal_is_raised_at_once_with_its_code_and_details():
    body = {"error": {"code": "link_failed", "message": "no match", "attempts_left": 3}}
    client, seen = _client(lambda request, n: httpx.Response(403, json=body))
    with pytest.raises(BackendError) as refused:
        await client.link(1, phone="+79161234567", second_factor="0000", language="ru")
    assert (refused.value.status, refused.value.code, refused.value.details) == (
        403,
        "link_failed",
        {"attempts_left": 3},
    )
    assert len(seen) == 1


async def test_an_unlinked_chat_is_its_own_error():
    body = {"error": {"code": "not_linked", "message": "not linked"}}
    client, _ = _client(lambda request, n: httpx.Response(403, json=body))
    with pytest.raises(NotLinked):
        await client.profile(1)


async def test_a_refusal_without_the_error_shape_still_has_a_code():
    client, _ = _client(lambda request, n: httpx.Response(404, text="<html>not found</html>"))
    with pytest.raises(BackendError) as refused:
        await client.summary(1, 2)
    assert refused.value.code == "http_404"


async def test_a_timeout_is_unavailability():
    def slow(request, n):
        raise httpx.ReadTimeout("slow")

    client, seen = _client(slow, retries=1)
    with pytest.raises(BackendUnavailable):
        await client.loans(1)
    assert len(seen) == 2
