"""The chat page's event stream: the bus's events about one case, as server-sent events (sse-starlette), each a
name and ids; a first `ready` event tells the page it is listening, so it loads what it may have missed."""

from collections.abc import AsyncIterator

from fastapi import Request

from api.console.deps import console_member
from api.events.bus import EventBus

#: A comment line this often keeps proxies from closing an idle stream.
PING_SECONDS = 15


async def check_member(request: Request) -> None:
    """The signed-in member, checked on a session closed at once (the stream may stay open for hours)."""
    app = request.app
    async with app.state.sessionmaker() as session:
        await console_member(request, session, app.state.settings, app.state.clock())


async def case_stream(events: EventBus, case_id: int) -> AsyncIterator[dict[str, str]]:
    async with events.subscribe() as subscription:
        yield {"event": "ready", "data": "{}"}
        async for event in subscription:
            if event.ids.get("case_id") == case_id:
                yield {"event": event.name, "data": event.to_json()}
