"""The annuity payment A = P·r / (1 − (1 + r)^−n), r = annual rate / 1200."""

from decimal import Decimal, localcontext

from api.engine.interest import PRECISION
from api.engine.money import as_decimal, to_kopecks


def annuity_payment(principal: Decimal, rate_percent: Decimal, months: int) -> Decimal:
    """The level monthly payment repaying `principal` in `months` months, to the kopeck (rate 0: P/n)."""
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    principal, rate_percent = as_decimal(principal), as_decimal(rate_percent)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if rate_percent == 0:
            return to_kopecks(principal / months)
        r = rate_percent / 1200
        return to_kopecks(principal * r / (1 - (1 + r) ** -months))
