"""The backend calls of the staff relay, part of `BackendClient`: staff members, cases by id or topic, the card,
the transcript, take and close, and an unlinked chat's case. Every write is safe to repeat, so every call is
retried."""

from collections.abc import Awaitable, Callable

import httpx

from bot.backend.errors import BackendError
from bot.backend.filings import OpenedCase, SupportCase
from bot.backend.relay import CaseCard, RelayCase, StaffMember


class RelayCalls:
    """Mixed into `BackendClient`, whose `_call` (token, retries, errors) every method here uses."""

    _call: Callable[..., Awaitable[httpx.Response]]

    async def staff_member(self, telegram_user_id: int) -> StaffMember | None:
        """The active staff member with this Telegram account, or None (anyone else in the staff group)."""
        try:
            response = await self._call("GET", f"relay/staff/{telegram_user_id}", safe=True)
        except BackendError as exc:
            if exc.status == 404:
                return None
            raise
        return StaffMember.model_validate_json(response.content)

    async def relay_case(self, case_id: int) -> RelayCase:
        response = await self._call("GET", f"relay/cases/{case_id}", safe=True)
        return RelayCase.model_validate_json(response.content)

    async def case_of_topic(self, topic_id: int) -> RelayCase | None:
        try:
            response = await self._call("GET", f"relay/topics/{topic_id}", safe=True)
        except BackendError as exc:
            if exc.status == 404:
                return None
            raise
        return RelayCase.model_validate_json(response.content)

    async def set_topic(self, case_id: int, topic_id: int) -> RelayCase:
        response = await self._call("PUT", f"relay/cases/{case_id}/topic", safe=True, json={"topic_id": topic_id})
        return RelayCase.model_validate_json(response.content)

    async def case_card(self, case_id: int) -> CaseCard:
        response = await self._call("GET", f"relay/cases/{case_id}/card", safe=True)
        return CaseCard.model_validate_json(response.content)

    async def record_message(
        self,
        case_id: int,
        *,
        direction: str,
        kind: str,
        telegram_message_id: int,
        text: str | None = None,
        file_id: str | None = None,
        staff_telegram_id: int | None = None,
    ) -> None:
        """Keep a relayed message in the case's transcript (once per Telegram message id)."""
        body = {
            "direction": direction,
            "staff_telegram_id": staff_telegram_id,
            "kind": kind,
            "text": text,
            "file_id": file_id,
            "telegram_message_id": telegram_message_id,
        }
        await self._call("POST", f"relay/cases/{case_id}/messages", safe=True, json=body)

    async def queue_copy(
        self,
        case_id: int,
        *,
        direction: str,
        kind: str,
        source_chat_id: int,
        telegram_message_id: int,
        text: str | None = None,
        file_id: str | None = None,
        staff_telegram_id: int | None = None,
    ) -> None:
        """Keep a relayed message in the transcript with the relay task that copies it (once per message id)."""
        body = {
            "direction": direction,
            "staff_telegram_id": staff_telegram_id,
            "kind": kind,
            "text": text,
            "file_id": file_id,
            "telegram_message_id": telegram_message_id,
            "source_chat_id": source_chat_id,
        }
        await self._call("POST", f"relay/cases/{case_id}/copies", safe=True, json=body)

    async def take_case(self, case_id: int, *, staff_telegram_id: int) -> RelayCase:
        body = {"staff_telegram_id": staff_telegram_id}
        response = await self._call("POST", f"relay/cases/{case_id}/take", safe=True, json=body)
        return RelayCase.model_validate_json(response.content)

    async def close_case(
        self, case_id: int, *, staff_telegram_id: int | None = None, blocked: bool = False
    ) -> RelayCase:
        """Hand the chat back to the bot: staff closed it, the borrower left, or the borrower blocked the bot."""
        body = {"staff_telegram_id": staff_telegram_id, "blocked": blocked}
        response = await self._call("POST", f"relay/cases/{case_id}/close", safe=True, json=body)
        return RelayCase.model_validate_json(response.content)

    async def open_unlinked_case(
        self,
        user: int,
        *,
        name: str,
        language: str,
        reason: str,
        summary: str = "",
        recent_steps: list[str] | None = None,
        key: str,
    ) -> OpenedCase:
        """A chat not linked to a borrower asks for a person: opens its case or joins the active one, once per
        `key` (so safe)."""
        body = {
            "telegram_user_id": user,
            "telegram_name": name[:64],
            "language": language,
            "reason": reason,
            "summary": summary,
            "recent_steps": recent_steps or [],
        }
        headers = {"Idempotency-Key": key}
        response = await self._call("POST", "unlinked/support-cases", safe=True, json=body, headers=headers)
        return OpenedCase.model_validate_json(response.content)

    async def unlinked_case(self, user: int) -> SupportCase | None:
        """The unlinked chat's open or taken case, or None."""
        try:
            response = await self._call("GET", f"unlinked/support-cases/{user}", safe=True)
        except BackendError as exc:
            if exc.status == 404:
                return None
            raise
        return SupportCase.model_validate_json(response.content)
