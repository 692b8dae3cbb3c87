"""The webhook server's operator routes: `/healthz` (the process answers), `/readyz` (Redis answers when the FSM
lives there, the backend's `healthz` answers; 503 naming the failing check) and `/metrics` (Prometheus text; to a
loopback caller, or with `METRICS_TOKEN` as a bearer token when that is set). None asks Telegram."""

import asyncio
import hmac
import ipaddress
from collections.abc import Awaitable

from aiogram import Dispatcher
from aiogram.fsm.storage.redis import RedisStorage
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from bot.backend import BackendClient, BackendError
from bot.settings import BotSettings

CHECK_SECONDS = 2.0
#: The routes a reverse proxy in front of the replicas should not pass from outside (deploy/Caddyfile does not).
PATHS = ("/healthz", "/readyz", "/metrics")


def add_health_routes(app: web.Application, dispatcher: Dispatcher, settings: BotSettings) -> None:
    backend: BackendClient = dispatcher["backend"]
    storage = dispatcher.fsm.storage
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_request: web.Request) -> web.Response:
        named: dict[str, Awaitable[object]] = {"backend": backend.alive()}
        if isinstance(storage, RedisStorage):
            named["redis"] = storage.redis.ping()
        results = await asyncio.gather(*(_outcome(check) for check in named.values()))
        checks = dict(zip(named, results, strict=True))
        failing = [name for name, result in checks.items() if result != "ok"]
        body = {"status": "unavailable" if failing else "ok", "checks": checks, "failing": failing}
        return web.json_response(body, status=503 if failing else 200)

    async def metrics(request: web.Request) -> web.Response:
        refusal = _refusal(request, token)
        if refusal is not None:
            return refusal
        return web.Response(body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)


async def _outcome(check: Awaitable[object]) -> str:
    """`ok`, or how it failed: the error's type only (a message may carry an address)."""
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            await check
    except TimeoutError:
        return f"failed: no answer within {CHECK_SECONDS:g} s"
    except BackendError as exc:
        return f"failed: HTTP {exc.status}"
    except Exception as exc:
        return f"failed: {type(exc).__name__}"
    return "ok"


def _refusal(request: web.Request, token: str | None) -> web.Response | None:
    if token is not None:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if hmac.compare_digest(given.encode(), token.encode()):
            return None
        return web.json_response({"error": "the metrics token is required"}, status=401)
    try:
        loopback = ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        loopback = False
    return None if loopback else web.json_response({"error": "metrics are served to the loopback only"}, status=403)
