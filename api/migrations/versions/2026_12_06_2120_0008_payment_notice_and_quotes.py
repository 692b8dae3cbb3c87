"""The payment-received notice (its own opt-out), and renewal quotes priced by staff and told to the borrower.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.db_types

revision: str = "0008"
down_revision: str | None = "0007"
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
    # Plain ALTERs on the borrower: a batch would copy the table, and on SQLite dropping the old copy cascades to
    # every loan and record under it.
    op.add_column(
        "borrower", sa.Column("payment_received_notices", sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    with op.batch_alter_table("notification") as batch:
        batch.alter_column(
            "kind", existing_type=_kind(_KINDS), type_=_kind(_KINDS + _NEW_KINDS), existing_nullable=False
        )
    with op.batch_alter_table("insurance_quote_request") as batch:
        batch.add_column(sa.Column("borrower_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))
    op.execute(
        "UPDATE insurance_quote_request SET borrower_id = "
        "(SELECT loan.borrower_id FROM loan WHERE loan.id = insurance_quote_request.loan_id)"
    )
    with op.batch_alter_table("insurance_quote_request") as batch:
        batch.alter_column(
            "borrower_id", existing_type=sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        )
        batch.create_index(batch.f("ix_insurance_quote_request_borrower_id"), ["borrower_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_insurance_quote_request_borrower_id_borrower"),
            "borrower",
            ["borrower_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.add_column(sa.Column("insurer", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("premium", api.db_types.Money(precision=14, scale=2), nullable=True))
        batch.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("pay_by", sa.Date(), nullable=True))
        batch.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("answered_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))
        batch.add_column(sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=True))
        batch.alter_column("pay_later", existing_type=sa.Boolean(), nullable=True)
        batch.create_foreign_key(
            batch.f("fk_insurance_quote_request_answered_by_staff_member"),
            "staff_member",
            ["answered_by"],
            ["id"],
            ondelete="SET NULL",
        )
    # The choice to pay at once or later is now asked once the price is known.
    op.execute("UPDATE insurance_quote_request SET pay_later = NULL WHERE status = 'requested'")


def downgrade() -> None:
    op.execute("DELETE FROM notification WHERE kind IN ('payment_received', 'insurance_quote_ready')")
    op.execute("UPDATE insurance_quote_request SET pay_later = false WHERE pay_later IS NULL")
    with op.batch_alter_table("insurance_quote_request") as batch:
        batch.drop_constraint(batch.f("fk_insurance_quote_request_answered_by_staff_member"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_insurance_quote_request_borrower_id_borrower"), type_="foreignkey")
        batch.drop_index(batch.f("ix_insurance_quote_request_borrower_id"))
        batch.drop_column("borrower_id")
        batch.alter_column("pay_later", existing_type=sa.Boolean(), nullable=False)
        batch.drop_column("chosen_at")
        batch.drop_column("answered_by")
        batch.drop_column("answered_at")
        batch.drop_column("pay_by")
        batch.drop_column("valid_until")
        batch.drop_column("premium")
        batch.drop_column("insurer")
    with op.batch_alter_table("notification") as batch:
        batch.alter_column(
            "kind", existing_type=_kind(_KINDS + _NEW_KINDS), type_=_kind(_KINDS), existing_nullable=False
        )
    op.drop_column("borrower", "payment_received_notices")
