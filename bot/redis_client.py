"""The bot's and the scheduler's Redis clients (FSM storage, locks, the shared Telegram budget), quick to give up when
Redis is down: a few tries within a tenth of a second instead of redis-py's default ten (up to five seconds), so an
update gets the outage's answer (`bot/middlewares/errors.py`) and a send its in-process permit
(`bot/limits/fallback.py`) at once. What counts as Redis being down is `REDIS_DOWN`.

The connections are a blocking pool: when all `MAX_CONNECTIONS` are in use (a burst of updates, each holding its
chat's lock, its state and its budget), a caller waits for one to come back, up to `ANSWER_SECONDS`. redis-py's
default pool refuses at once (`MaxConnectionsError`, a `ConnectionError`), so a busy bot told borrowers Redis was down
while it answered."""

from redis import exceptions
from redis.asyncio import BlockingConnectionPool, Redis
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
#: Connections one client keeps at most (redis-py's default pool size).
MAX_CONNECTIONS = 100


def redis_options() -> dict[str, object]:
    """The connections' options."""
    return {
        "retry": RETRY,
        "retry_on_error": list(REDIS_DOWN),
        "socket_connect_timeout": CONNECT_SECONDS,
        "socket_timeout": ANSWER_SECONDS,
    }


def connect(url: str, *, max_connections: int = MAX_CONNECTIONS) -> Redis:
    pool = BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=ANSWER_SECONDS, **redis_options()
    )
    return Redis.from_pool(pool)  # the client owns its pool: closing it closes the connections
