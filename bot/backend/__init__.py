"""The one typed HTTP client for the backend, shared by the bot and the scheduler."""

from bot.backend.client import BackendClient
from bot.backend.errors import BackendError, BackendUnavailable, NotLinked

__all__ = ["BackendClient", "BackendError", "BackendUnavailable", "NotLinked"]
