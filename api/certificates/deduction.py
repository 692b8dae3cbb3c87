"""The tax-deduction overview: interest paid per calendar year and in total, against the law's cap (SPEC §6).

Tax Code art. 220: for a loan taken from 2014 on, the mortgage-interest deduction base is at most 3,000,000 ₽
of interest, and the refund is 13% of the base, at most 390,000 ₽. The figures are the interest certificates'.
"""

from datetime import date
from decimal import Decimal

from api.certificates.coverage import covered_years
from api.certificates.schemas import InterestOverview, InterestYear
from api.loans.state import LoanState

INTEREST_CAP = Decimal("3000000.00")
REFUND_RATE_PERCENT = 13
MAX_REFUND = (INTEREST_CAP * REFUND_RATE_PERCENT / 100).quantize(Decimal("0.01"))
CAP_FROM = date(2014, 1, 1)  # loans taken before it have no cap on the interest deducted


def interest_overview(state: LoanState, *, today: date) -> InterestOverview:
    """Each year an interest certificate covers on `today`, the total since the loan began and the cap it uses."""
    years = covered_years(state, today=today)
    total = sum((year.interest for year in years), Decimal("0.00"))
    capped = state.loan.contract_date >= CAP_FROM
    return InterestOverview(
        loan_id=state.loan.id,
        years=[InterestYear(year=year.year, interest=year.interest, as_of=year.as_of) for year in years],
        total_interest=total,
        cap_applies=capped,
        interest_cap=INTEREST_CAP,
        cap_used=min(total, INTEREST_CAP) if capped else None,
        cap_left=max(INTEREST_CAP - total, Decimal("0.00")) if capped else None,
        refund_rate_percent=REFUND_RATE_PERCENT,
        max_refund=MAX_REFUND,
    )
