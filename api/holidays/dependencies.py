"""The caller's own payment-holiday application from the path; anyone else's is answered as missing."""

from typing import Annotated

from fastapi import Depends, Path
from sqlalchemy import select

from api.deps import BorrowerDep, SessionDep
from api.errors import not_found
from api.models import HolidayApplication


async def owned_holiday(
    borrower: BorrowerDep, session: SessionDep, holiday_id: Annotated[int, Path(gt=0, lt=2**63)]
) -> HolidayApplication:
    application = await session.scalar(
        select(HolidayApplication).where(
            HolidayApplication.id == holiday_id, HolidayApplication.borrower_id == borrower.id
        )
    )
    if application is None:
        raise not_found("holiday")
    return application


HolidayDep = Annotated[HolidayApplication, Depends(owned_holiday)]
