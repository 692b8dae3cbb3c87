"""What a backend call can fail with: a refusal with its code, an unlinked chat, or no answer at all."""

from typing import Any


class BackendError(Exception):
    """The backend refused the call with `{"error": {"code", "message", ...}}`."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


class NotLinked(BackendError):
    """The chat is not (or no longer) linked to a borrower."""


class BackendUnavailable(Exception):
    """The backend did not answer in time, was unreachable, or failed with a 5xx after the retries."""
