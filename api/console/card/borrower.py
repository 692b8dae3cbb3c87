"""The whole borrower card, assembled for one member of staff: what their role may see and nothing else.

Neither role sees the borrower's phone, birth date or Telegram account (the second factors of linking and the
chat's identity: the staff API never shows them either), nor an uploaded file's content (opened through its own
audited download). A rating's comment is a supervisor's to read: it is the borrower's word on how staff served
them, and a low one already goes to a supervisor (SPEC §4); an operator sees the score and that a comment exists.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.console.card import records
from api.console.card.applications import Application, applications
from api.console.card.cases import CaseView, cases
from api.console.card.loans import LoanView, loan_views
from api.errors import not_found
from api.models import Borrower, CertificateRequest, Feedback, Notification, StaffMember, StaffRole
from api.settings import Settings


@dataclass(frozen=True)
class Rating:
    feedback: Feedback
    #: The borrower's comment, None when there is none or the viewer's role may not read it (`comment_hidden`).
    comment: str | None
    comment_hidden: bool


@dataclass(frozen=True)
class Card:
    borrower: Borrower
    loans: list[LoanView]
    applications: list[Application]
    cases: list[CaseView]
    certificates: list[CertificateRequest]
    ratings: list[Rating]
    reminders: list[Notification]

    @property
    def linked(self) -> bool:
        """A Telegram chat is linked to the borrower."""
        return self.borrower.is_linked

    @property
    def reachable(self) -> bool:
        """Linked, and Telegram has not refused a message to them (they blocked the bot or left it)."""
        return self.borrower.is_linked and self.borrower.unreachable_since is None


def may_read_comments(viewer: StaffMember) -> bool:
    return viewer.role is StaffRole.SUPERVISOR


async def borrower_card(
    session: AsyncSession, *, borrower_id: int, viewer: StaffMember, settings: Settings, now: datetime
) -> Card:
    """The card of borrower `borrower_id` as `viewer` may see it; a 404 `borrower_not_found` when there is none."""
    borrower = await session.get(Borrower, borrower_id)
    if borrower is None:
        raise not_found("borrower")
    staff_names = {row.id: row.name for row in await session.execute(select(StaffMember.id, StaffMember.name))}
    comments = may_read_comments(viewer)
    return Card(
        borrower=borrower,
        loans=await loan_views(session, borrower=borrower, settings=settings, now=now),
        applications=await applications(session, borrower_id=borrower_id, staff_names=staff_names),
        cases=await cases(session, borrower_id=borrower_id, staff_names=staff_names),
        certificates=await records.certificates_issued(session, borrower_id=borrower_id),
        ratings=[
            Rating(
                feedback=row,
                comment=row.comment if comments else None,
                comment_hidden=bool(row.comment) and not comments,
            )
            for row in await records.feedback(session, borrower_id=borrower_id)
        ],
        reminders=await records.reminders(session, borrower_id=borrower_id),
    )
