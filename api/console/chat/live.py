"""The chat page's event stream: the bus's events about one case, as server-sent events (sse-starlette), each a
name and ids; a first `ready` event tells the page it is listening, so it loads what it may have missed."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends

from api.console.deps import ConsoleMember
from api.deps import SessionDep
from api.events.bus import EventBus
from api.models import StaffMember

#: A comment line this often keeps proxies from closing an idle stream.
PING_SECONDS = 15


async def _member_then_release(member: ConsoleMember, session: SessionDep) -> StaffMember:
    """The signed-in member, with the request's database session closed at once: a page left open for hours holds
    its stream, never a pooled connection."""
    await session.close()
    return member


LiveMember = Annotated[StaffMember, Depends(_member_then_release)]


async def case_stream(events: EventBus, case_id: int) -> AsyncIterator[dict[str, str]]:
    async with events.subscribe() as subscription:
        yield {"event": "ready", "data": "{}"}
        async for event in subscription:
            if event.ids.get("case_id") == case_id:
                yield {"event": event.name, "data": event.to_json()}
