"""`/healthz` (the process answers; nothing else is asked), `/readyz` (503 naming the failing checks) and
`/metrics` (Prometheus text), none under the API's authentication.

`/metrics` shows volumes of the bank's traffic, never personal data; it answers a loopback caller (a Prometheus
agent or sidecar on the host), or anyone with `METRICS_TOKEN` as a bearer token when that is set, so a scrape from
another host needs the token and the public address never serves it.
"""

import hmac
import ipaddress

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import BearerDep, NowDep, SessionDep, SettingsDep
from api.errors import ApiError
from api.ops import queues, readiness
from api.ops.metrics import exposition

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Alive: the process answers (no dependency is asked)")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Ready: the database answers, Redis when configured, migrations at head",
    responses={503: {"description": "A check failed; `failing` names it"}},
)
async def readyz(request: Request, settings: SettingsDep) -> JSONResponse:
    checks = await readiness.checks(settings, request.app.state.engine)
    failing = [name for name, result in checks.items() if result != "ok"]
    body = {"status": "unavailable" if failing else "ok", "checks": checks, "failing": failing}
    return JSONResponse(body, status_code=503 if failing else 200)


@router.get("/metrics", include_in_schema=False)
async def metrics(
    request: Request, settings: SettingsDep, credentials: BearerDep, session: SessionDep, now: NowDep
) -> Response:
    _allow_scrape(request, settings.metrics_token.get_secret_value() if settings.metrics_token else None, credentials)
    figures = await queues.read(session, now)
    return Response(exposition(figures), media_type=CONTENT_TYPE_LATEST)


def _allow_scrape(request: Request, token: str | None, credentials) -> None:
    if token is not None:
        given = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(401, "unauthorized", "The metrics token is required.")
        return
    if not is_loopback(request.client.host if request.client else None):
        raise ApiError(403, "forbidden", "Metrics are served to the loopback only unless METRICS_TOKEN is set.")


def is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
