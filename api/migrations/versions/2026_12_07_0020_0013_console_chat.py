"""The console's live chat: its messages have no Telegram message id, a reply's file is kept (case_file), the bot's
tasks for what the console did (relay_task) and the canned replies.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.db_types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = api.db_types.UtcDateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    with op.batch_alter_table("case_message") as batch:
        batch.alter_column("telegram_message_id", existing_type=sa.BigInteger(), nullable=True)
    op.create_table(
        "case_file",
        sa.Column("message_id", ID, nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("id", ID, nullable=False),
        _fk("case_file", "message_id", "case_message", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file")),
        sa.UniqueConstraint("message_id", name=op.f("uq_case_file_message_id")),
    )
    op.create_table(
        "relay_task",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("kind", _enum("relaytaskkind", "reply", "joined", "closed"), nullable=False),
        sa.Column("message_id", ID, nullable=True),
        sa.Column("staff_id", ID, nullable=True),
        sa.Column("status", _enum("relaytaskstatus", "pending", "claimed", "done", "failed"), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("claimed_until", WHEN, nullable=True),
        sa.Column("send_started_at", WHEN, nullable=True),
        sa.Column("delivered_at", WHEN, nullable=True),
        sa.Column("borrower_message_id", sa.BigInteger(), nullable=True),
        sa.Column("done_at", WHEN, nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("id", ID, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _fk("relay_task", "case_id", "support_case", "CASCADE"),
        _fk("relay_task", "message_id", "case_message", "CASCADE"),
        _fk("relay_task", "staff_id", "staff_member", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relay_task")),
    )
    op.create_index(op.f("ix_relay_task_case_id"), "relay_task", ["case_id"], unique=False)
    op.create_index("ix_relay_task_status_id", "relay_task", ["status", "id"], unique=False)
    op.create_table(
        "canned_reply",
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("text", sa.String(length=4096), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("updated_by", ID, nullable=True),
        sa.Column("id", ID, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _fk("canned_reply", "updated_by", "staff_member", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_reply")),
        sa.UniqueConstraint("title", name=op.f("uq_canned_reply_title")),
    )


def downgrade() -> None:
    op.drop_table("canned_reply")
    op.drop_index("ix_relay_task_status_id", table_name="relay_task")
    op.drop_index(op.f("ix_relay_task_case_id"), table_name="relay_task")
    op.drop_table("relay_task")
    op.drop_table("case_file")
    op.execute("DELETE FROM case_message WHERE telegram_message_id IS NULL")
    with op.batch_alter_table("case_message") as batch:
        batch.alter_column("telegram_message_id", existing_type=sa.BigInteger(), nullable=False)
