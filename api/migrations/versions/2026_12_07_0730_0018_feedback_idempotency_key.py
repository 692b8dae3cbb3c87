"""A rating may carry the bot's idempotency key, unique per borrower (ratings without one, none).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE = "uq_feedback_borrower_id_idempotency_key"


def upgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(UNIQUE, ["borrower_id", "idempotency_key"])


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_constraint(UNIQUE, type_="unique")
        batch.drop_column("idempotency_key")
