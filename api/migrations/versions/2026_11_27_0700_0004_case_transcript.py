"""The transcript of support cases (case_message), the supervisor flag on a case and an index of cases by topic.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.db_types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("support_case") as batch:
        batch.add_column(sa.Column("needs_supervisor", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.create_index(batch.f("ix_support_case_topic_id"), ["topic_id"], unique=False)
    op.create_table(
        "case_message",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("direction", _enum("messagedirection", "borrower", "staff", "note"), nullable=False),
        sa.Column("staff_id", ID, nullable=True),
        sa.Column("kind", _enum("messagekind", "text", "photo", "document", "other"), nullable=False),
        sa.Column("text", sa.String(length=4096), nullable=True),
        sa.Column("file_id", sa.String(length=256), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=False),
        sa.Column("id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["support_case.id"], name=op.f("fk_case_message_case_id_support_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_member.id"], name=op.f("fk_case_message_staff_id_staff_member"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_message")),
        sa.UniqueConstraint(
            "case_id",
            "direction",
            "telegram_message_id",
            name=op.f("uq_case_message_case_id_direction_telegram_message_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("case_message")
    with op.batch_alter_table("support_case") as batch:
        batch.drop_index(batch.f("ix_support_case_topic_id"))
        batch.drop_column("needs_supervisor")
