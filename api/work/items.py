"""The five kinds of staff work: which records each queue holds, which of them wait for staff, and how each is held."""

from dataclasses import dataclass
from enum import StrEnum

from api.models import (
    CaseStatus,
    CertificateRequest,
    CertificateStatus,
    Document,
    HoldKind,
    HolidayApplication,
    HolidayStatus,
    InsuranceQuoteRequest,
    QuoteStatus,
    ReviewStatus,
    SupportCase,
)

Item = HolidayApplication | CertificateRequest | Document | InsuranceQuoteRequest | SupportCase


class Queue(StrEnum):
    HOLIDAYS = "holidays"
    CERTIFICATES = "certificates"
    DOCUMENTS = "documents"
    QUOTES = "quotes"
    CASES = "cases"


@dataclass(frozen=True)
class Spec:
    """A queue's records: `waiting` are the statuses staff still act on; `statuses` every status a filter may ask."""

    model: type[Item]
    statuses: tuple[StrEnum, ...]
    waiting: tuple[StrEnum, ...]
    hold_kind: HoldKind | None  # None: the case holds its own holder (`assigned_to`)


SPECS = {
    Queue.HOLIDAYS: Spec(HolidayApplication, tuple(HolidayStatus), (HolidayStatus.SUBMITTED,), HoldKind.HOLIDAY),
    Queue.CERTIFICATES: Spec(
        CertificateRequest, tuple(CertificateStatus), (CertificateStatus.PENDING_STAFF,), HoldKind.CERTIFICATE
    ),
    Queue.DOCUMENTS: Spec(Document, tuple(ReviewStatus), (ReviewStatus.SUBMITTED,), HoldKind.DOCUMENT),
    Queue.QUOTES: Spec(InsuranceQuoteRequest, tuple(QuoteStatus), (QuoteStatus.REQUESTED,), HoldKind.QUOTE),
    Queue.CASES: Spec(SupportCase, tuple(CaseStatus), (CaseStatus.OPEN, CaseStatus.TAKEN), None),
}


def waiting(queue: Queue, record: Item) -> bool:
    """The record still waits for staff (a decided, answered or closed one is history)."""
    return record.status in SPECS[queue].waiting
