"""The second factor: the last four digits of one of the borrower's contracts, or the date of birth."""

import hmac
import re
from datetime import date, datetime

from api.models import Borrower

_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d%m%Y")


def _birth_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    return None


def matches(borrower: Borrower, answer: str) -> bool:
    """True when the answer is a contract's last four digits or the birth date; compared in constant time."""
    answer = answer.strip()
    if re.fullmatch(r"\d{4}", answer):
        digits = [re.sub(r"\D", "", loan.contract_number)[-4:] for loan in borrower.loans]
        return any(hmac.compare_digest(answer, tail) for tail in digits if len(tail) == 4)
    given = _birth_date(answer)
    return given is not None and given == borrower.birth_date
