"""Which bus the settings call for: Redis pub/sub with `REDIS_URL`, else LISTEN/NOTIFY on PostgreSQL, else in-process
(the embedded SQLite default runs one backend process)."""

from sqlalchemy.ext.asyncio import AsyncEngine

from api.events.bus import EventBus
from api.events.postgres import PostgresBus
from api.events.redis import RedisBus
from api.settings import Settings


def create_bus(settings: Settings, engine: AsyncEngine) -> EventBus:
    if settings.redis_url:
        return RedisBus(settings.redis_url, channel=settings.events_channel)
    if engine.dialect.name == "postgresql":
        return PostgresBus(engine, channel=settings.events_channel)
    return EventBus()
