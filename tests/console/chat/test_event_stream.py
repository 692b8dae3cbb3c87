"""The chat page's event stream over real HTTP (uvicorn): `ready` first, then each event about this case (a message
relayed from Telegram, a reply, a close), nothing about other cases, and ids only."""

import json

import httpx

from api.events.event import Event
from tests.api.relay_helpers import message, relay
from tests.console.chat.helpers import escalated_case


async def events(response: httpx.Response):
    """(event, data) pairs as they arrive."""
    name = None
    async for line in response.aiter_lines():
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and name:
            yield name, json.loads(line.split(":", 1)[1])
            name = None


async def test_the_stream_brings_this_cases_events_with_ids_only(app, bank, client, console_client, console_url):
    case_id = await escalated_case(bank, client)
    staff = await console_client()
    cookies = {cookie.name: cookie.value for cookie in staff.cookies.jar}  # signed in on the in-process app's host
    async with (
        httpx.AsyncClient(base_url=console_url, cookies=cookies, timeout=10) as http,
        http.stream("GET", f"/console/cases/{case_id}/events") as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        received = events(response)
        assert await anext(received) == ("ready", {})
        await app.state.events.publish(Event("case.message", {"case_id": case_id + 1, "message_id": 1}))
        stored = await relay(
            client, "POST", f"cases/{case_id}/messages", json=message(text="Вы здесь?", telegram_message_id=2)
        )
        name, data = await anext(received)
        assert name == "case.message"
        assert data == {"name": "case.message", "ids": {"case_id": case_id, "message_id": stored.json()["id"]}}
        await staff.post(f"/console/cases/{case_id}/close", headers={"HX-Request": "true", "X-CSRF-Token": staff.csrf})
        assert await anext(received) == ("case.changed", {"name": "case.changed", "ids": {"case_id": case_id}})


async def test_the_stream_is_refused_without_a_session(console_url):
    async with httpx.AsyncClient(base_url=console_url) as http:
        response = await http.get("/console/cases/1/events")
    assert response.status_code == 303
