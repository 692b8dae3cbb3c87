"""A loan's standing on the borrower's today, for the cards staff see: its position and any arrears."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.clock import local_date
from api.engine import LoanPosition
from api.errors import ApiError
from api.loans.arrears import Arrears, arrears_on
from api.loans.state import load_state
from api.models import Borrower, Loan, LoanStatus


@dataclass(frozen=True)
class Standing:
    position: LoanPosition
    #: Installments due before today and unpaid (one due today is only due); None when there are none.
    arrears: Arrears | None


async def standing_of(session: AsyncSession, loan: Loan, borrower: Borrower, now: datetime) -> Standing | None:
    """None for a closed loan, or one whose records do not add up (the card then shows the loan bare)."""
    if loan.status is not LoanStatus.ACTIVE:
        return None
    try:
        state = await load_state(session, loan)
    except ApiError:
        return None
    today = local_date(now, borrower.time_zone)
    return Standing(position=state.position(today), arrears=arrears_on(state, today))
