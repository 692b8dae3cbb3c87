"""The remaining create-requests take the bot's idempotency key: a document upload and an insurance quote request
may carry one, unique per borrower; a keyed request for a person is kept (case_request) with the case it reached,
unique per borrower or, for an unlinked chat, per Telegram account.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 12:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.db_types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYED = ("document", "insurance_quote_request")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = api.db_types.UtcDateTime(timezone=True)


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_case_request_{column}_{target}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    for table in KEYED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
            batch.create_unique_constraint(
                f"uq_{table}_borrower_id_idempotency_key", ["borrower_id", "idempotency_key"]
            )
    op.create_table(
        "case_request",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("borrower_id", ID, nullable=True),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("opened", sa.Boolean(), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("id", ID, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _fk("case_id", "support_case"),
        _fk("borrower_id", "borrower"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_request")),
        sa.UniqueConstraint("borrower_id", "idempotency_key", name=op.f("uq_case_request_borrower_id_idempotency_key")),
        sa.UniqueConstraint(
            "telegram_user_id", "idempotency_key", name=op.f("uq_case_request_telegram_user_id_idempotency_key")
        ),
    )
    op.create_index(op.f("ix_case_request_case_id"), "case_request", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_case_request_case_id"), table_name="case_request")
    op.drop_table("case_request")
    for table in reversed(KEYED):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_borrower_id_idempotency_key", type_="unique")
            batch.drop_column("idempotency_key")
