"""The bot's and the scheduler's Redis clients (FSM storage, locks, the shared Telegram budget), quick to give up when
Redis is down: a few tries within a tenth of a second instead of redis-py's default ten (up to five seconds), so an
update gets the outage's answer (`bot/middlewares/errors.py`) and a send its in-process permit
(`bot/limits/fallback.py`) at once. What counts as Redis being down is `REDIS_DOWN`."""

from redis import exceptions
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

#: Redis refused or dropped the connection, did not answer in time, or is still loading its data after a restart
#: (`BusyLoadingError` is a `ConnectionError`).
REDIS_DOWN: tuple[type[Exception], ...] = (exceptions.ConnectionError, exceptions.TimeoutError)
#: Two more tries, 20 and 40 ms apart: a connection Redis closed on its restart is made again at once.
RETRY = Retry(ExponentialBackoff(cap=0.1, base=0.02), retries=2)
#: A Redis that stops answering (the network to it cut) is given up after this long.
CONNECT_SECONDS = 1.0
ANSWER_SECONDS = 2.0


def redis_options() -> dict[str, object]:
    """The client's options (for `Redis.from_url`, and aiogram's `RedisStorage.from_url(connection_kwargs=...)`)."""
    return {
        "retry": RETRY,
        "retry_on_error": list(REDIS_DOWN),
        "socket_connect_timeout": CONNECT_SECONDS,
        "socket_timeout": ANSWER_SECONDS,
    }


def connect(url: str) -> Redis:
    return Redis.from_url(url, **redis_options())
