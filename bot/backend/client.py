"""Typed async calls to the backend: the service token, the chat's id header, timeouts, retries for safe calls."""

import asyncio
import logging
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from bot.backend.errors import BackendError, BackendUnavailable, NotLinked
from bot.backend.models import LinkResult, LoanItem, LoanSchedule, LoanSummary, Preferences, Profile

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)
_LOANS = TypeAdapter(list[LoanItem])
_RETRY_BACKOFF_SECONDS = (0.2, 0.6, 1.5, 3.0, 5.0)


class BackendClient:
    """One borrower-scoped method per backend call the bot and the scheduler make.

    Safe calls (GET, and writes the backend makes idempotent) are retried on a timeout, a lost connection or a
    5xx; a refusal (4xx) is raised at once as `BackendError`, and `NotLinked` when the chat has no borrower.
    """

    def __init__(self, http: httpx.AsyncClient, *, retries: int = 2) -> None:
        self._http = http
        self._retries = retries

    @classmethod
    def create(
        cls,
        base_url: str,
        *,
        token: str,
        timeout: float = 5.0,
        retries: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> "BackendClient":
        """A client with its own connection pool; `transport` lets the shell and tests call the app in-process."""
        http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(timeout),
            transport=transport,
        )
        return cls(http, retries=retries)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(
        self,
        method: str,
        path: str,
        *,
        user: int | None = None,
        safe: bool,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = dict(headers or {})
        if user is not None:
            headers["X-Telegram-User-Id"] = str(user)
        attempts = 1 + (self._retries if safe else 0)
        for attempt in range(attempts):
            try:
                response = await self._http.request(method, path.lstrip("/"), json=json, params=params, headers=headers)
            except httpx.TransportError as exc:
                failure = f"{type(exc).__name__}"
            else:
                if response.status_code < 500:
                    return _checked(response)
                failure = f"HTTP {response.status_code}"
            log.warning("backend %s %s failed (%s), attempt %d of %d", method, path, failure, attempt + 1, attempts)
            if attempt + 1 < attempts:
                await asyncio.sleep(_RETRY_BACKOFF_SECONDS[min(attempt, len(_RETRY_BACKOFF_SECONDS) - 1)])
        raise BackendUnavailable(f"{method} {path}: {failure}")

    async def _get(self, path: str, model: type[T], *, user: int, params: dict[str, Any] | None = None) -> T:
        response = await self._call("GET", path, user=user, safe=True, params=params)
        return model.model_validate_json(response.content)

    # --- the borrower's account -------------------------------------------------------------------------------

    async def profile(self, user: int) -> Profile:
        return await self._get("me", Profile, user=user)

    async def link(self, user: int, *, phone: str, second_factor: str, language: str | None) -> LinkResult:
        body = {
            "telegram_user_id": user,
            "phone": phone,
            "second_factor": second_factor,
            "consent": True,
            "language": language,
        }
        response = await self._call("POST", "link", safe=False, json=body)
        return LinkResult.model_validate_json(response.content)

    async def unlink(self, user: int) -> None:
        await self._call("DELETE", "me/link", user=user, safe=True)

    async def preferences(self, user: int) -> Preferences:
        return await self._get("me/settings", Preferences, user=user)

    async def update_preferences(self, user: int, **changes: Any) -> Preferences:
        """PATCH with only the given fields; setting a field twice to the same value is harmless, so it retries."""
        response = await self._call("PATCH", "me/settings", user=user, safe=True, json=changes)
        return Preferences.model_validate_json(response.content)

    # --- loans ----------------------------------------------------------------------------------------------

    async def loans(self, user: int) -> list[LoanItem]:
        response = await self._call("GET", "me/loans", user=user, safe=True)
        return _LOANS.validate_json(response.content)

    async def summary(self, user: int, loan_id: int) -> LoanSummary:
        return await self._get(f"me/loans/{loan_id}/summary", LoanSummary, user=user)

    async def schedule(self, user: int, loan_id: int) -> LoanSchedule:
        return await self._get(f"me/loans/{loan_id}/schedule", LoanSchedule, user=user)


def _checked(response: httpx.Response) -> httpx.Response:
    """The response itself when it succeeded, else the backend's refusal as an exception."""
    if response.is_success:
        return response
    try:
        error = response.json()["error"]
        code, message = str(error.pop("code")), str(error.pop("message"))
    except (ValueError, KeyError, TypeError, AttributeError):
        code, message, error = f"http_{response.status_code}", response.reason_phrase, {}
    kind = NotLinked if code == "not_linked" else BackendError
    raise kind(response.status_code, code, message, error)
