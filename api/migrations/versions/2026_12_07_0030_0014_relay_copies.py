"""The Telegram relay's copies go through relay_task too: two kinds (copy_in, copy_out) and the copy's source chat.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("reply", "joined", "closed")
COPIES = ("copy_in", "copy_out")
KIND_CHECK = op.f("ck_relay_task_relaytaskkind")


def _kind_check(*values: str) -> str:
    return "kind IN ({})".format(", ".join(f"'{value}'" for value in values))


def _recreated():
    """relay_task in batch: on SQLite the table is copied, the kind's check rewritten (the reflected one left out by
    reading the column as a plain string)."""
    batch = op.batch_alter_table("relay_task", reflect_args=[sa.Column("kind", sa.String(32), nullable=False)])
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(KIND_CHECK, "relay_task", type_="check")
    return batch


def upgrade() -> None:
    with _recreated() as batch:
        batch.add_column(sa.Column("source_chat_id", sa.BigInteger(), nullable=True))
        batch.create_check_constraint(KIND_CHECK, _kind_check(*KINDS, *COPIES))


def downgrade() -> None:
    op.execute("DELETE FROM relay_task WHERE kind IN ('copy_in', 'copy_out')")
    with _recreated() as batch:
        batch.drop_column("source_chat_id")
        batch.create_check_constraint(KIND_CHECK, _kind_check(*KINDS))
