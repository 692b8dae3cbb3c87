"""The planner's per-loan date of its next look (loan.reminders_next_on), indexed for the planner's selection.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("loan") as batch:
        batch.add_column(sa.Column("reminders_next_on", sa.Date(), nullable=True))
        batch.create_index(batch.f("ix_loan_reminders_next_on"), ["reminders_next_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("loan") as batch:
        batch.drop_index(batch.f("ix_loan_reminders_next_on"))
        batch.drop_column("reminders_next_on")
