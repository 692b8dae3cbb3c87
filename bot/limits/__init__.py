"""Telegram's sending limits kept on our side, one budget per bot token: so many messages overall per second, one a
second per chat, so many a minute into one group; in this process (`local`) or shared through Redis (`shared`) by
every process sending for the token (`fallback`: on a share of its own while Redis is down), each message taking its
permit through the Bot's session (`sending`)."""

from bot.limits.base import Limiter, Limits, Permit
from bot.limits.fallback import FallbackLimiter
from bot.limits.local import RateLimiter
from bot.limits.shared import SharedRateLimiter

__all__ = ["FallbackLimiter", "Limiter", "Limits", "Permit", "RateLimiter", "SharedRateLimiter", "create_limiter"]


def create_limiter(limits: Limits, *, redis_url: str | None, bot_token: str) -> Limiter:
    """Shared through Redis when `redis_url` is set (every process of the token in one budget; while Redis is down,
    each process on its own share of it), else this process's. The token's bot id (its part before the colon, never
    the secret) names the budget."""
    if not redis_url:
        return RateLimiter(limits)
    key = f"ipoteka-limits:{bot_token.partition(':')[0]}"
    return FallbackLimiter(SharedRateLimiter.from_url(redis_url, limits, key=key))
