"""Finding a borrower for the card: by contract number or by name, a few matches at most."""

from dataclasses import dataclass

from sqlalchemy import String, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from api.models import Borrower, Loan

MATCHES_SHOWN = 20
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class Match:
    borrower_id: int
    full_name: str
    contract_numbers: list[str]


def _escaped(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column: InstrumentedAttribute[String], term: str):
    """`term` anywhere in `column`, any case. SQLite folds only ASCII case, so the capitalised and upper-cased
    forms are tried too (a name typed in lower case finds «Иванов», a contract «ИК-…»); PostgreSQL folds them all."""
    patterns = {f"%{_escaped(variant)}%" for variant in (term, term.capitalize(), term.upper())}
    return or_(*(column.ilike(pattern, escape="\\") for pattern in patterns))


async def find_borrowers(session: AsyncSession, query: str) -> list[Match]:
    """Borrowers whose contract number contains the query, or whose names contain each of its words."""
    words = query.strip()[:QUERY_MAX_LENGTH].split()
    if not words:
        return []
    by_contract = select(Loan.borrower_id).where(_contains(Loan.contract_number, " ".join(words)))
    by_name = and_(
        *(
            or_(
                *(_contains(column, word) for column in (Borrower.last_name, Borrower.first_name, Borrower.middle_name))
            )
            for word in words
        )
    )
    borrowers = (
        await session.scalars(
            select(Borrower)
            .where(or_(Borrower.id.in_(by_contract), by_name))
            .order_by(Borrower.last_name, Borrower.first_name, Borrower.id)
            .limit(MATCHES_SHOWN)
        )
    ).all()
    numbers: dict[int, list[str]] = {borrower.id: [] for borrower in borrowers}
    for borrower_id, number in await session.execute(
        select(Loan.borrower_id, Loan.contract_number).where(Loan.borrower_id.in_(numbers)).order_by(Loan.id)
    ):
        numbers[borrower_id].append(number)
    return [Match(borrower.id, borrower.full_name, numbers[borrower.id]) for borrower in borrowers]
