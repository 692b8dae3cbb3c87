"""Typed async calls to the backend: the service token, the chat's id header, the update's id as `X-Request-Id`,
timeouts, retries for safe calls, each call timed by route template (`bot.metrics.BACKEND_SECONDS`)."""

import asyncio
import logging
import re
import time
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from bot import tracing
from bot.backend.errors import BackendError, BackendUnavailable, NotLinked
from bot.backend.filings import (
    Certificate,
    CertificateFile,
    Document,
    EarlyRepaymentEstimate,
    FeedbackResult,
    FileCheck,
    InsuranceOverview,
    InterestOverview,
    OpenedCase,
    QuoteRequest,
    SupportCase,
)
from bot.backend.holidays import Holiday, HolidayApplication, HolidayApplicationTerms, HolidayPrecheck
from bot.backend.models import LinkResult, LoanBalance, LoanItem, LoanSummary, Preferences, Profile
from bot.backend.outbox import Claim, Claimed, OutboxCounts, PlanTally, Released, SentReported
from bot.backend.relay_calls import RelayCalls
from bot.backend.relay_tasks import RelayTaskCalls
from bot.backend.terms import GeneralTerms
from bot.metrics import BACKEND_SECONDS, route_template

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)
_LOANS = TypeAdapter(list[LoanItem])
_CERTIFICATES = TypeAdapter(list[Certificate])
_HOLIDAYS = TypeAdapter(list[Holiday])
_CASES = TypeAdapter(list[SupportCase])
_YEARS = TypeAdapter(list[int])
_FILE_NAME = re.compile(r'filename="([^"]+)"')
#: An upload: the file's name, its bytes and the type Telegram reported (the backend judges by the bytes).
Upload = tuple[str, bytes, str]
_RETRY_BACKOFF_SECONDS = (0.2, 0.6, 1.5, 3.0, 5.0)


class BackendClient(RelayCalls, RelayTaskCalls):
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
        files: dict[str, Upload] | None = None,
        data: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = dict(headers or {})
        if user is not None:
            headers["X-Telegram-User-Id"] = str(user)
        if (request_id := tracing.request_id()) is not None:
            headers["X-Request-Id"] = request_id
        timing = BACKEND_SECONDS.labels(method, route_template(path), "unavailable")
        attempts = 1 + (self._retries if safe else 0)
        for attempt in range(attempts):
            began = time.perf_counter()
            try:
                response = await self._http.request(
                    method, path.lstrip("/"), json=json, params=params, headers=headers, files=files, data=data
                )
            except httpx.TransportError as exc:
                timing.observe(time.perf_counter() - began)
                failure = f"{type(exc).__name__}"
            else:
                BACKEND_SECONDS.labels(method, route_template(path), str(response.status_code)).observe(
                    time.perf_counter() - began
                )
                if response.status_code < 500:
                    return _checked(response)
                failure = f"HTTP {response.status_code}"
            log.warning("backend %s %s failed (%s), attempt %d of %d", method, path, failure, attempt + 1, attempts)
            if attempt + 1 < attempts:
                await asyncio.sleep(_RETRY_BACKOFF_SECONDS[min(attempt, len(_RETRY_BACKOFF_SECONDS) - 1)])
        raise BackendUnavailable(f"{method} {path}: {failure}")

    async def alive(self) -> None:
        """The backend's `healthz` answers (the bot's readiness check); `BackendUnavailable` otherwise."""
        await self._call("GET", "healthz", safe=False)

    async def _get(self, path: str, model: type[T], *, user: int, params: dict[str, Any] | None = None) -> T:
        response = await self._call("GET", path, user=user, safe=True, params=params)
        return model.model_validate_json(response.content)

    async def _post(self, path: str, model: type[T], *, user: int, safe: bool, **body: Any) -> T:
        response = await self._call("POST", path, user=user, safe=safe, **body)
        return model.model_validate_json(response.content)

    # --- terms every dialog asks within ---------------------------------------------------------------------

    async def general_terms(self, user: int) -> GeneralTerms:
        """The text and file limits of the backend, the same for every chat (an unlinked one too)."""
        response = await self._call("GET", "terms", user=user, safe=True)
        return GeneralTerms.model_validate_json(response.content)

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

    async def balance(self, user: int, loan_id: int) -> LoanBalance:
        """The summary today and the principal owed after each installment, for the balance screen and its chart."""
        return await self._get(f"me/loans/{loan_id}/balance", LoanBalance, user=user)

    async def estimate_early_repayment(
        self, user: int, loan_id: int, *, amount: Decimal, mode: str, on_date: date | None = None
    ) -> EarlyRepaymentEstimate:
        """Pure arithmetic on the backend's side: stores nothing, so it is retried."""
        body = {"amount": str(amount), "mode": mode, "on_date": on_date.isoformat() if on_date else None}
        return await self._post(
            f"me/loans/{loan_id}/early-repayment/estimate", EarlyRepaymentEstimate, user=user, safe=True, json=body
        )

    # --- certificates ---------------------------------------------------------------------------------------

    async def certificate_years(self, user: int, loan_id: int) -> list[int]:
        response = await self._call("GET", f"me/loans/{loan_id}/certificates/years", user=user, safe=True)
        return _YEARS.validate_python(response.json()["years"])

    async def interest_overview(self, user: int, loan_id: int) -> InterestOverview:
        """Interest paid by year against the tax-deduction cap, as the interest certificates state it."""
        return await self._get(f"me/loans/{loan_id}/certificates/interest", InterestOverview, user=user)

    async def request_certificate(
        self,
        user: int,
        loan_id: int,
        *,
        kind: str,
        year: int | None = None,
        on_date: date | None = None,
        signed: bool = False,
        key: str,
    ) -> Certificate:
        """Records a request once per `key`: the backend answers a repeat with the stored one, so it is retried."""
        body = {"kind": kind, "year": year, "on_date": on_date.isoformat() if on_date else None, "signed": signed}
        return await self._post(
            f"me/loans/{loan_id}/certificates",
            Certificate,
            user=user,
            safe=True,
            json=body,
            headers={"Idempotency-Key": key},
        )

    async def certificates(self, user: int, *, limit: int = 20) -> list[Certificate]:
        response = await self._call("GET", "me/certificates", user=user, safe=True, params={"limit": limit})
        return _CERTIFICATES.validate_json(response.content)

    async def certificate_pdf(self, user: int, certificate_id: int) -> CertificateFile:
        response = await self._call("GET", f"me/certificates/{certificate_id}/pdf", user=user, safe=True)
        found = _FILE_NAME.search(response.headers.get("content-disposition", ""))
        name = found.group(1) if found else f"certificate-{certificate_id}.pdf"
        return CertificateFile(content=response.content, file_name=name)

    # --- insurance ------------------------------------------------------------------------------------------

    async def insurance(self, user: int, loan_id: int) -> InsuranceOverview:
        return await self._get(f"me/loans/{loan_id}/insurance", InsuranceOverview, user=user)

    async def check_file(self, user: int, *, upload: Upload) -> FileCheck:
        """The backend's judgement of a file (the rule every upload follows); it stores nothing, so it is retried."""
        return await self._post("me/documents/check", FileCheck, user=user, safe=True, files={"file": upload})

    async def upload_policy(
        self, user: int, loan_id: int, *, kind: str, upload: Upload, key: str
    ) -> tuple[Document, bool]:
        """The document and whether it is new; stored once per `key` (and one document per file under review: a
        repeat answers 200 with the stored one), so it is retried."""
        response = await self._call(
            "POST",
            f"me/loans/{loan_id}/insurance/documents",
            user=user,
            safe=True,
            files={"file": upload},
            data={"policy_kind": kind},
            headers={"Idempotency-Key": key},
        )
        return Document.model_validate_json(response.content), response.status_code == 201

    async def request_quote(self, user: int, loan_id: int, *, kind: str, key: str) -> tuple[QuoteRequest, bool]:
        """The request and whether it is new; stored once per `key` (and one open request per loan and kind: a
        repeat answers 200 with the stored or open one), so it is retried."""
        response = await self._call(
            "POST",
            f"me/loans/{loan_id}/insurance/quote-requests",
            user=user,
            safe=True,
            json={"kind": kind},
            headers={"Idempotency-Key": key},
        )
        return QuoteRequest.model_validate_json(response.content), response.status_code == 201

    async def choose_quote_payment(self, user: int, loan_id: int, quote_id: int, *, pay_later: bool) -> QuoteRequest:
        """The same choice again answers the same on the backend's side, so it is retried."""
        return await self._post(
            f"me/loans/{loan_id}/insurance/quote-requests/{quote_id}/choice",
            QuoteRequest,
            user=user,
            safe=True,
            json={"pay_later": pay_later},
        )

    # --- payment holidays -----------------------------------------------------------------------------------

    async def holiday_terms(self, user: int, loan_id: int) -> HolidayApplicationTerms:
        """What an application on the loan may ask for today; `BackendError` `loan_closed` for a repaid loan."""
        return await self._get(f"me/loans/{loan_id}/holidays/terms", HolidayApplicationTerms, user=user)

    async def holiday_precheck(self, user: int, loan_id: int, application: HolidayApplication) -> HolidayPrecheck:
        return await self._post(
            f"me/loans/{loan_id}/holidays/precheck",
            HolidayPrecheck,
            user=user,
            safe=True,
            json=application.model_dump(mode="json"),
        )

    async def apply_for_holiday(self, user: int, loan_id: int, application: HolidayApplication, *, key: str) -> Holiday:
        """Once per `key`: the backend answers a repeat with the stored application, so it is retried."""
        return await self._post(
            f"me/loans/{loan_id}/holidays",
            Holiday,
            user=user,
            safe=True,
            json=application.model_dump(mode="json"),
            headers={"Idempotency-Key": key},
        )

    async def holidays(self, user: int) -> list[Holiday]:
        response = await self._call("GET", "me/holidays", user=user, safe=True)
        return _HOLIDAYS.validate_json(response.content)

    async def holiday(self, user: int, holiday_id: int) -> Holiday:
        return await self._get(f"me/holidays/{holiday_id}", Holiday, user=user)

    async def upload_proof(self, user: int, holiday_id: int, *, upload: Upload, key: str) -> Document:
        """Attached once per `key` (and the same file once) on the backend's side, so it is retried."""
        return await self._post(
            f"me/holidays/{holiday_id}/documents",
            Document,
            user=user,
            safe=True,
            files={"file": upload},
            headers={"Idempotency-Key": key},
        )

    async def withdraw_holiday(self, user: int, holiday_id: int) -> Holiday:
        return await self._post(f"me/holidays/{holiday_id}/withdraw", Holiday, user=user, safe=True)

    # --- people: support cases and feedback ---------------------------------------------------------------

    async def open_case(
        self,
        user: int,
        *,
        reason: str,
        summary: str = "",
        recent_steps: list[str] | None = None,
        loan_id: int | None = None,
        details: dict[str, Any] | None = None,
        key: str,
    ) -> OpenedCase:
        """Opens a case or joins the borrower's open one, once per `key`: a repeat adds nothing to the case and
        answers as the first did, so it is retried."""
        body = {
            "reason": reason,
            "summary": summary,
            "recent_steps": recent_steps or [],
            "loan_id": loan_id,
            "details": details or {},
        }
        return await self._post(
            "me/support-cases", OpenedCase, user=user, safe=True, json=body, headers={"Idempotency-Key": key}
        )

    async def cases(self, user: int) -> list[SupportCase]:
        response = await self._call("GET", "me/support-cases", user=user, safe=True)
        return _CASES.validate_json(response.content)

    async def rate(
        self, user: int, *, subject: str, subject_id: int | None, score: int, comment: str | None = None, key: str
    ) -> FeedbackResult:
        """Records a rating once per `key`: the backend answers a repeat with the stored one, so it is retried."""
        body = {"subject": subject, "subject_id": subject_id, "score": score, "comment": comment}
        return await self._post(
            "me/feedback", FeedbackResult, user=user, safe=True, json=body, headers={"Idempotency-Key": key}
        )

    async def offer_survey(self, user: int, *, subject: str = "general", subject_id: int | None = None) -> bool:
        """Record that a survey about `subject` is shown now; False when one was offered in the last seven days, or
        the subject is a decision made long ago."""
        body = {"subject": subject, "subject_id": subject_id}
        try:
            await self._call("POST", "me/surveys", user=user, safe=False, json=body)
        except BackendError as exc:
            if exc.code in ("survey_too_soon", "survey_stale"):
                return False
            raise
        return True

    # --- the scheduler's outbox -----------------------------------------------------------------------------

    async def plan_reminders(self, *, since: date | None = None) -> PlanTally:
        """Planning adds each reminder once per key, so a repeat is harmless and retried."""
        body = {"since": since.isoformat()} if since else None
        response = await self._call("POST", "scheduler/reminders/plan", safe=True, json=body)
        return PlanTally.model_validate_json(response.content)

    async def claim_notifications(self, *, limit: int, lease_seconds: int) -> Claim:
        """Not retried: a lost answer would leave rows leased to no one until the lease ends."""
        body = {"limit": limit, "lease_seconds": lease_seconds}
        response = await self._call("POST", "scheduler/outbox/claim", safe=False, json=body)
        return Claim.model_validate_json(response.content)

    async def release_notifications(self, claimed: list[Claimed]) -> int:
        """Hand back claimed rows not started, claimable again at once; repeating it changes nothing, so it is
        retried. How many the backend took back."""
        body = {"items": [{"id": item.id, "attempt": item.attempts} for item in claimed]}
        response = await self._call("POST", "scheduler/outbox/release", safe=True, json=body)
        return Released.model_validate_json(response.content).released

    async def start_sending(self, notification_id: int, *, attempt: int) -> bool:
        """Record that the send starts; False when this claim may not send (its lease lapsed or it was re-claimed)."""
        try:
            await self._call(
                "POST", f"scheduler/outbox/{notification_id}/sending", safe=True, json={"attempt": attempt}
            )
        except BackendError as exc:
            if exc.status == 409:
                return False
            raise
        return True

    async def mark_sent(self, notification_ids: list[int]) -> SentReported:
        """Report these notifications delivered, in one call; repeating it changes nothing, so it is retried."""
        response = await self._call("POST", "scheduler/outbox/sent", safe=True, json={"ids": notification_ids})
        return SentReported.model_validate_json(response.content)

    async def mark_failed(
        self,
        notification_id: int,
        *,
        error: str,
        retry_after: int | None = None,
        permanent: bool = False,
        unreachable: bool = False,
    ) -> None:
        """Report a failed send; a repeat after a lost answer finds the row released (409) and changes nothing."""
        body = {
            "error": error[:500],
            "retry_after_seconds": retry_after,
            "permanent": permanent,
            "unreachable": unreachable,
        }
        try:
            await self._call("POST", f"scheduler/outbox/{notification_id}/failed", safe=True, json=body)
        except BackendError as exc:
            if exc.status != 409:
                raise

    async def outbox_counts(self) -> OutboxCounts:
        response = await self._call("GET", "scheduler/outbox/stats", safe=True)
        return OutboxCounts.model_validate_json(response.content)


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
