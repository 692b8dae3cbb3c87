"""The survey's ratings as the backend stored them, read back from the database."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.models import Feedback


async def stored_ratings(engine: AsyncEngine) -> list[tuple]:
    """The ratings as stored: subject, its id, score, comment."""
    async with engine.connect() as conn:
        rows = await conn.execute(select(Feedback.subject, Feedback.subject_id, Feedback.score, Feedback.comment))
        return [tuple(row) for row in rows]
