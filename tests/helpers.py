"""Test helpers: load the seed's example borrower and loan through the integration API, link a chat, wait, and a
virtual time for rate limiters."""

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

SEED_PHONE = "+79161234567"
SEED_BIRTH = "1985-04-12"
SEED_ACCOUNT = "40817810400000000001"  # its control key fits the test bank's BIC 044525000


def borrower_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "last_name": "Иванов",
        "first_name": "Иван",
        "middle_name": "Петрович",
        "phone": SEED_PHONE,
        "birth_date": SEED_BIRTH,
        "language": "ru",
        "time_zone": "Europe/Moscow",
    }
    return body | overrides


def loan_body(borrower: str = "B-1", **overrides: Any) -> dict[str, Any]:
    body = {
        "borrower_external_id": borrower,
        "contract_number": "ИК-2021/000457",
        "contract_date": "2021-03-10",
        "principal": "4000000.00",
        "rate_percent": "12.5",
        "term_months": 180,
        "first_payment_date": "2021-04-10",
        "property_address": "г. Москва, ул. Примерная, д. 1, кв. 1",
        "repayment_account": SEED_ACCOUNT,
    }
    return body | overrides


async def put(bank: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await bank.put(f"/api/v1/integration/{path}", json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def seed_borrower(bank: httpx.AsyncClient, ext: str = "B-1", loan_ext: str = "L-1", **loan: Any) -> int:
    """Load the seed's 4,000,000 / 12.5% / 180-month loan for a borrower; returns the loan id."""
    await put(bank, f"borrowers/{ext}", borrower_body())
    return (await put(bank, f"loans/{loan_ext}", loan_body(ext, **loan)))["id"]


async def link(client: httpx.AsyncClient, telegram_user_id: int, *, factor: str = "0457", phone: str = SEED_PHONE):
    return await client.post(
        "/api/v1/link",
        json={"telegram_user_id": telegram_user_id, "phone": phone, "second_factor": factor, "consent": True},
    )


def as_user(telegram_user_id: int) -> dict[str, str]:
    return {"X-Telegram-User-Id": str(telegram_user_id)}


async def eventually(check: Callable[[], bool], seconds: float = 20) -> None:
    """Wait for `check` to hold: the bot and the scheduler work in the background."""
    async with asyncio.timeout(seconds):
        while not check():  # noqa: ASYNC110 (a condition the code under test does not signal)
            await asyncio.sleep(0.02)


class VirtualTime:
    """Monotonic seconds that pass only when someone waits (for a rate limiter and the fake Bot API's windows)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)
