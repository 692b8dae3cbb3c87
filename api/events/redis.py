"""Redis pub/sub (with `REDIS_URL`): every backend worker, on any host, subscribes to one channel."""

import asyncio

from redis.asyncio import Redis

from api.events.event import Event
from api.events.listening import ListeningBus


class RedisBus(ListeningBus):
    def __init__(self, url: str, *, channel: str) -> None:
        super().__init__()
        self._redis = Redis.from_url(url)
        self._channel = channel

    async def publish(self, event: Event) -> None:
        await self._redis.publish(self._channel, event.to_json())

    async def _receive(self, ready: asyncio.Event) -> None:
        async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
            await pubsub.subscribe(self._channel)
            ready.set()
            async for message in pubsub.listen():
                self.deliver(message["data"])

    async def close(self) -> None:
        await super().close()
        await self._redis.aclose()
