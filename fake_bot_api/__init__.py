"""A fake Telegram Bot API server for tests and benchmarks, enforcing Telegram's flood limits."""

from fake_bot_api.limits import OVERALL, PER_CHAT, PER_GROUP, Limit
from fake_bot_api.records import Delivery, Rejection, Topic
from fake_bot_api.server import FakeBotApi

__all__ = ["OVERALL", "PER_CHAT", "PER_GROUP", "Delivery", "FakeBotApi", "Limit", "Rejection", "Topic"]
