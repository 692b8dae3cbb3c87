"""The payment-received notice (its own opt-out) and the notice kinds of a payment received and a quote priced.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-06 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = [
    "payment_due",
    "payment_overdue",
    "insurance_expiry",
    "holiday_decided",
    "certificate_ready",
    "certificate_rejected",
    "insurance_document_decided",
]
_NEW_KINDS = ["payment_received", "insurance_quote_ready"]


def _kind(values: list[str]) -> sa.Enum:
    return sa.Enum(*values, name="notificationkind", native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("borrower") as batch:
        batch.add_column(sa.Column("payment_received_notices", sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table("notification") as batch:
        batch.alter_column(
            "kind", existing_type=_kind(_KINDS), type_=_kind(_KINDS + _NEW_KINDS), existing_nullable=False
        )


def downgrade() -> None:
    op.execute("DELETE FROM notification WHERE kind IN ('payment_received', 'insurance_quote_ready')")
    with op.batch_alter_table("notification") as batch:
        batch.alter_column(
            "kind", existing_type=_kind(_KINDS + _NEW_KINDS), type_=_kind(_KINDS), existing_nullable=False
        )
    with op.batch_alter_table("borrower") as batch:
        batch.drop_column("payment_received_notices")
