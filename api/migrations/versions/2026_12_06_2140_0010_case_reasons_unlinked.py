"""Support cases keep every reason (hardship added, flagged above the rest) and can belong to an unlinked chat
(no borrower: its Telegram id and name); link attempts count per borrower too.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
REASONS = (
    "requested",
    "misunderstood",
    "complaint",
    "low_rating",
    "early_repayment",
    "refinancing",
    "re_registration",
    "certificate",
    "other",
)
REASON_CHECK = op.f("ck_support_case_casereason")
ACTIVE = sa.text("status IN ('open', 'taken')")


def _reason_check(*values: str) -> str:
    return "reason IN ({})".format(", ".join(f"'{value}'" for value in values))


def _recreated(reason_values: tuple[str, ...]):
    """support_case in batch: on SQLite the table is copied, the reason's check rewritten (the reflected one left
    out by reading the column as a plain string)."""
    batch = op.batch_alter_table("support_case", reflect_args=[sa.Column("reason", sa.String(32), nullable=False)])
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(REASON_CHECK, "support_case", type_="check")
    return batch, _reason_check(*reason_values)


def upgrade() -> None:
    batch_op, check = _recreated(("hardship", *REASONS))
    with batch_op as batch:
        batch.alter_column("borrower_id", existing_type=ID, nullable=True)
        batch.add_column(sa.Column("telegram_user_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("telegram_name", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("reasons", sa.JSON(), nullable=True))
        batch.create_check_constraint(REASON_CHECK, check)
        batch.create_index(
            "uq_support_case_active_chat",
            ["telegram_user_id"],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )
    array = "json_array" if op.get_bind().dialect.name == "sqlite" else "json_build_array"
    op.execute(f"UPDATE support_case SET reasons = {array}(reason)")  # noqa: S608 (a function name, no input)
    with op.batch_alter_table("support_case") as batch:
        batch.alter_column("reasons", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("link_attempt") as batch:
        batch.add_column(sa.Column("borrower_id", ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_link_attempt_borrower_id_borrower"), "borrower", ["borrower_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_link_attempt_borrower_at", ["borrower_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("link_attempt") as batch:
        batch.drop_index("ix_link_attempt_borrower_at")
        batch.drop_constraint(op.f("fk_link_attempt_borrower_id_borrower"), type_="foreignkey")
        batch.drop_column("borrower_id")
    op.execute("DELETE FROM support_case WHERE borrower_id IS NULL")
    op.execute("UPDATE support_case SET reason = 'other' WHERE reason = 'hardship'")
    batch_op, check = _recreated(REASONS)
    with batch_op as batch:
        batch.drop_index("uq_support_case_active_chat")
        batch.drop_column("reasons")
        batch.drop_column("telegram_name")
        batch.drop_column("telegram_user_id")
        batch.alter_column("borrower_id", existing_type=ID, nullable=False)
        batch.create_check_constraint(REASON_CHECK, check)
