"""Helpers for the queue tests: a borrower with one item in every queue, and the panel's banners read back."""

import re
from dataclasses import dataclass
from datetime import date

from api.models import InsuranceQuoteRequest, PolicyKind
from tests.api.outbox_helpers import add_record, case_row, certificate_row, document_row, holiday_row, pay_through
from tests.work.conftest import T0

QUEUES = "/console/queues"


@dataclass(frozen=True)
class Items:
    borrower_id: int
    loan_id: int
    holiday: int
    certificate: int
    document: int
    quote: int
    case: int

    def of(self, queue: str) -> int:
        return {
            "holidays": self.holiday,
            "certificates": self.certificate,
            "documents": self.document,
            "quotes": self.quote,
            "cases": self.case,
        }[queue]


async def one_of_each(engine, bank, borrower: tuple[int, int], clock) -> Items:
    """One waiting item in every queue, all of the borrower's; their payments made through November."""
    await pay_through(bank, "L-1", date(2026, 11, 10))
    quote = InsuranceQuoteRequest(
        borrower_id=borrower[0], loan_id=borrower[1], kind=PolicyKind.LIFE, created_at=clock()
    )
    return Items(
        *borrower,
        holiday=await add_record(engine, holiday_row(*borrower, created_at=T0)),
        certificate=await add_record(engine, certificate_row(*borrower, created_at=T0)),
        document=await add_record(engine, document_row(*borrower, created_at=T0)),
        quote=await add_record(engine, quote),
        case=await add_record(engine, case_row(*borrower, created_at=T0)),
    )


def htmx(client, target: str = "detail") -> dict[str, str]:
    return {"HX-Request": "true", "HX-Target": target, "X-CSRF-Token": client.csrf}


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with this id (tags dropped, spaces collapsed); "" when there is none."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(div|p|ol|table|section)>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""
