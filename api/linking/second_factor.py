"""The second factor: the last four digits of one of the borrower's contracts, or the date of birth.

An answer that is neither (a date not in the calendar, such as 31.02.1985) is malformed: it is asked again and
uses up no attempt, since it cannot be a guess at anyone's data.
"""

import hmac
import re
import unicodedata
from datetime import date, datetime

from api.errors import ApiError
from api.models import Borrower

_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d%m%Y")
_DIGITS = re.compile(r"[0-9]{4}")


def malformed() -> ApiError:
    return ApiError(
        422,
        "second_factor_malformed",
        "The answer is neither 4 digits nor a calendar date (DD.MM.YYYY or YYYY-MM-DD); no attempt was used.",
    )


def _birth_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    return None


def _ascii_digits(text: str) -> str:
    """Digits as typed on any keyboard (fullwidth `０４５７`, Arabic-Indic `٠٤٥٧`) as the ASCII digits they mean."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def parse(answer: str) -> str | date:
    """The contract digits or the birth date the answer gives; raises `malformed()` for anything else."""
    answer = _ascii_digits(answer.strip())
    if _DIGITS.fullmatch(answer):
        return answer
    given = _birth_date(answer)
    if given is None:
        raise malformed()
    return given


def matches(borrower: Borrower, answer: str | date) -> bool:
    """True when the parsed answer is a contract's last four digits or the birth date; digits compared in constant
    time."""
    if isinstance(answer, date):
        return answer == borrower.birth_date
    digits = [re.sub(r"\D", "", loan.contract_number)[-4:] for loan in borrower.loans]
    return any(hmac.compare_digest(answer, tail) for tail in digits if len(tail) == 4)
