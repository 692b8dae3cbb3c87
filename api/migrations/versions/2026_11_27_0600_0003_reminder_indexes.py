"""Indexes for the scheduler at scale: the outbox rows a claim can take, and whether a policy was renewed.

`ix_notification_due` holds the pending and claimed rows in the order a claim takes them (not_before, id), so a claim
reads its batch off the index instead of sorting every due row. `ix_insurance_policy_loan_kind_expires` lets the
planner's "renewed already?" check on expiring policies be answered from the index alone.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIMABLE = "status IN ('pending', 'claimed')"


def upgrade() -> None:
    op.create_index(
        "ix_notification_due",
        "notification",
        ["not_before", "id"],
        unique=False,
        postgresql_where=sa.text(CLAIMABLE),
        sqlite_where=sa.text(CLAIMABLE),
    )
    op.create_index(
        "ix_insurance_policy_loan_kind_expires", "insurance_policy", ["loan_id", "kind", "expires_on"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_insurance_policy_loan_kind_expires", table_name="insurance_policy")
    op.drop_index("ix_notification_due", table_name="notification")
