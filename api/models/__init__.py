"""All SQLAlchemy models, imported here so the metadata is complete for Alembic and the app."""

from api.models.audit import AuditEntry
from api.models.base import Base
from api.models.borrower import Borrower
from api.models.canned_reply import CannedReply
from api.models.case_file import CaseFile
from api.models.case_message import CaseMessage, MessageDirection, MessageKind
from api.models.case_request import CaseRequest
from api.models.certificate import CertificateKind, CertificateRequest, CertificateStatus
from api.models.console_session import ConsoleSession, ConsoleSignInFailure
from api.models.document import Document, DocumentPurpose, ReviewStatus
from api.models.feedback import Feedback, FeedbackSubject
from api.models.hold import HoldKind, WorkHold
from api.models.holiday import HolidayApplication, HolidayMode, HolidayReason, HolidayStatus
from api.models.insurance import InsurancePolicy, InsuranceQuoteRequest, PolicyKind, QuoteStatus
from api.models.link_attempt import LinkAttempt
from api.models.loan import Loan, LoanStatus
from api.models.notification import Notification, NotificationKind, NotificationStatus
from api.models.payment import EarlyMode, Payment, PaymentKind
from api.models.relay_task import RelayTask, RelayTaskKind, RelayTaskStatus
from api.models.staff import StaffMember, StaffRole
from api.models.support import CaseReason, CaseStatus, SupportCase

__all__ = [
    "AuditEntry",
    "Base",
    "Borrower",
    "CannedReply",
    "CaseFile",
    "CaseMessage",
    "CaseReason",
    "CaseRequest",
    "CaseStatus",
    "CertificateKind",
    "CertificateRequest",
    "CertificateStatus",
    "ConsoleSession",
    "ConsoleSignInFailure",
    "Document",
    "DocumentPurpose",
    "EarlyMode",
    "Feedback",
    "FeedbackSubject",
    "HoldKind",
    "HolidayApplication",
    "HolidayMode",
    "HolidayReason",
    "HolidayStatus",
    "InsurancePolicy",
    "InsuranceQuoteRequest",
    "LinkAttempt",
    "Loan",
    "LoanStatus",
    "MessageDirection",
    "MessageKind",
    "Notification",
    "NotificationKind",
    "NotificationStatus",
    "Payment",
    "PaymentKind",
    "PolicyKind",
    "QuoteStatus",
    "RelayTask",
    "RelayTaskKind",
    "RelayTaskStatus",
    "ReviewStatus",
    "StaffMember",
    "StaffRole",
    "SupportCase",
    "WorkHold",
]
