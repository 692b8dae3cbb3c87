"""The FastAPI application factory: settings, database, routes under /api/v1, the staff console under /console, the
error shape, and the operator's `/healthz`, `/readyz` and `/metrics` with the request id and timing middleware."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import AsyncEngine

from api.body_limit import BodyLimit
from api.certificates.drawing import Drawing
from api.certificates.router import router as certificates_router
from api.clock import Clock, system_clock
from api.console.router import mount_console
from api.db import checks_replanning, create_engine, create_sessionmaker
from api.documents.router import router as documents_router
from api.errors import UNAUTHORIZED, install_error_handlers
from api.events.factory import create_bus
from api.feedback.router import router as feedback_router
from api.holidays.router import router as holidays_router
from api.insurance.router import router as insurance_router
from api.integration.router import router as integration_router
from api.linking.router import router as linking_router
from api.loans.router import router as loans_router
from api.ops.request_id import RequestId
from api.ops.retry import RetryOnLostConnection
from api.ops.router import healthz
from api.ops.router import router as ops_router
from api.ops.timing import RequestTiming
from api.outbox.router import router as outbox_router
from api.preferences.router import router as preferences_router
from api.profile.router import router as profile_router
from api.relay.router import router as relay_router
from api.relay.task_router import router as relay_task_router
from api.settings import Settings
from api.staff.router import router as staff_router
from api.support.router import router as support_router
from api.support.router import unlinked_router as unlinked_support_router
from api.terms.router import router as terms_router

API_PREFIX = "/api/v1"

DESCRIPTION = """
The loan-data backend of Ipoteka Assistant.

* **bot** calls (service token, `X-Telegram-User-Id` header): linking, loans, certificates, insurance,
  payment holidays, support cases, feedback, settings;
* **integration** calls (integration token): idempotent upserts from the bank's systems;
* **scheduler** calls (service token): the outbox of reminders and notices;
* **relay** calls (service token): the bot relays escalated chats to the staff group's topics;
* **staff** calls (a staff member's token): queues and decisions.

Every error is JSON: `{"error": {"code": "...", "message": "..."}}`.
"""


def create_app(
    settings: Settings | None = None, *, engine: AsyncEngine | None = None, clock: Clock = system_clock
) -> FastAPI:
    """Build the app; the engine is created on start-up unless one is passed in (tests share one)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_engine = engine is None
        app.state.engine = engine or create_engine(settings)
        app.state.sessionmaker = create_sessionmaker(app.state.engine, check_replanning=checks_replanning(settings))
        app.state.events = create_bus(settings, app.state.engine)
        app.state.drawing = Drawing(settings.certificate_processes)
        try:
            yield
        finally:
            await app.state.drawing.close()
            await app.state.events.close()
            if own_engine:
                await app.state.engine.dispose()

    # The OpenAPI pages load Swagger UI and ReDoc from the backend itself: a bank's network has no CDN.
    app = FastAPIOffline(
        title="Ipoteka Assistant API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_file_bytes=settings.max_upload_bytes, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(RetryOnLostConnection)  # outside the body limit: each attempt reads the kept body anew
    app.add_middleware(RequestTiming)
    app.add_middleware(RequestId)  # outermost: every log line of the request carries its id

    v1 = APIRouter(prefix=API_PREFIX, responses=UNAUTHORIZED)
    for router in (
        linking_router,
        integration_router,
        profile_router,
        loans_router,
        certificates_router,
        insurance_router,
        holidays_router,
        documents_router,
        support_router,
        unlinked_support_router,
        feedback_router,
        relay_router,
        relay_task_router,
        preferences_router,
        outbox_router,
        staff_router,
        terms_router,
    ):
        v1.include_router(router)
    app.include_router(v1)
    mount_console(app)

    app.include_router(ops_router)
    app.add_api_route("/health", healthz, include_in_schema=False)  # the older name, kept for the benchmarks
    app.add_api_route(f"{API_PREFIX}/healthz", healthz, include_in_schema=False)  # where the bot looks, by BACKEND_URL
    return app
