"""The loan's own account for repayments (loan.repayment_account), for payment details a borrower can pay with.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("loan") as batch:
        batch.add_column(sa.Column("repayment_account", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("loan") as batch:
        batch.drop_column("repayment_account")
