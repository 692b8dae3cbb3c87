"""The baseline for bench/api_balance.py and bench/load.py: a bare FastAPI endpoint reading one loan row from the same
database (`DATABASE_URL`, or the settings given)."""

from fastapi import FastAPI
from sqlalchemy import select

from api.db import create_engine, create_sessionmaker
from api.models import Loan
from api.settings import Settings


def create_bare_app(settings: Settings | None = None) -> FastAPI:
    engine = create_engine(settings or Settings())
    sessions = create_sessionmaker(engine)
    app = FastAPI()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/loan/{loan_id}")
    async def loan(loan_id: int) -> dict[str, str]:
        async with sessions() as session:
            row = await session.scalar(select(Loan).where(Loan.id == loan_id))
            return {"id": str(row.id), "principal": str(row.principal), "status": row.status.value}

    return app
