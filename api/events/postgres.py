"""PostgreSQL LISTEN/NOTIFY (on PostgreSQL without Redis): the database the workers share carries the events.

Publishing is a `pg_notify` on a pooled connection in a transaction of its own, after the change committed; the
listener holds one connection of its own per process (asyncpg's `add_listener`)."""

import asyncio

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.events.event import Event
from api.events.listening import ListeningBus


class PostgresBus(ListeningBus):
    def __init__(self, engine: AsyncEngine, *, channel: str) -> None:
        super().__init__()
        self._engine = engine
        self._channel = channel

    async def publish(self, event: Event) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                text("SELECT pg_notify(:channel, :payload)"), {"channel": self._channel, "payload": event.to_json()}
            )

    async def _receive(self, ready: asyncio.Event) -> None:
        url = self._engine.url.set(drivername="postgresql")
        connection = await asyncpg.connect(url.render_as_string(hide_password=False))
        lost = asyncio.Event()
        try:
            connection.add_termination_listener(lambda _: lost.set())
            await connection.add_listener(self._channel, lambda _conn, _pid, _channel, payload: self.deliver(payload))
            ready.set()
            await lost.wait()
        finally:
            if not connection.is_closed():
                await connection.close()
        raise ConnectionError("the listening connection was closed")
