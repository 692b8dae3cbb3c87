"""The loan's day-count convention (loan.day_count): monthly, actual_365 or actual_actual; existing loans monthly.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("loan") as batch:
        batch.add_column(
            sa.Column(
                "day_count",
                sa.Enum(
                    "monthly",
                    "actual_365",
                    "actual_actual",
                    name="daycount",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="monthly",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("loan") as batch:
        batch.drop_constraint(batch.f("ck_loan_daycount"), type_="check")
        batch.drop_column("day_count")
