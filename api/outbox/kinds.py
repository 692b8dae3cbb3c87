"""Notification kinds by purpose: reminders need the borrower's consent, status notices are always owed."""

from api.models import NotificationKind

REMINDER_KINDS = frozenset(
    {NotificationKind.PAYMENT_DUE, NotificationKind.PAYMENT_OVERDUE, NotificationKind.INSURANCE_EXPIRY}
)
STATUS_KINDS = frozenset(NotificationKind) - REMINDER_KINDS
