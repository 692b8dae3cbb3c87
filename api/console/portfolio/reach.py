"""How many borrowers the assistant can reach now: linked to a chat, and of those, not refused by Telegram."""

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Borrower


@dataclass(frozen=True)
class Reach:
    borrowers: int
    linked: int
    #: Linked borrowers Telegram refused a message to (they blocked the bot or left it).
    unreachable: int

    @property
    def reachable(self) -> int:
        return self.linked - self.unreachable


async def reach(session: AsyncSession) -> Reach:
    linked = Borrower.telegram_user_id.is_not(None)
    row = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((linked, 1), else_=0)), 0),
                func.coalesce(func.sum(case((linked & Borrower.unreachable_since.is_not(None), 1), else_=0)), 0),
            )
        )
    ).one()
    return Reach(*row)
