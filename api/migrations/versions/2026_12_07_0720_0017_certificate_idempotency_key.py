"""A certificate request may carry the bot's idempotency key, unique per borrower (requests without one, none).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE = "uq_certificate_request_borrower_id_idempotency_key"


def upgrade() -> None:
    with op.batch_alter_table("certificate_request") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(UNIQUE, ["borrower_id", "idempotency_key"])


def downgrade() -> None:
    with op.batch_alter_table("certificate_request") as batch:
        batch.drop_constraint(UNIQUE, type_="unique")
        batch.drop_column("idempotency_key")
