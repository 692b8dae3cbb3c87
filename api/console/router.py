"""The console's routes assembled under /console (each section adds its router here) and its static files."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from api.console import home, staff_sessions
from api.console.auth.router import router as auth_router
from api.console.card.router import router as card_router
from api.console.chat.router import router as chat_router
from api.console.deps import install_console_errors
from api.console.portfolio.router import router as portfolio_router
from api.console.queues.router import router as queues_router

PREFIX = "/console"
STATIC_DIR = Path(__file__).resolve().parent / "static"

console_router = APIRouter(prefix=PREFIX, include_in_schema=False)
console_router.add_api_route("", home.home, methods=["GET"], name="console_home")
console_router.include_router(auth_router)
console_router.include_router(home.router)
console_router.include_router(card_router)
console_router.include_router(portfolio_router)
console_router.include_router(queues_router)
console_router.include_router(staff_sessions.router)
console_router.include_router(chat_router)


def mount_console(app: FastAPI) -> None:
    """The pages, /console/static and the console's refusal pages on `app`."""
    app.include_router(console_router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    install_console_errors(app)
