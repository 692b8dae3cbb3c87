"""The staff console's sign-in: a member's password hash, TOTP secret and language, server-side sessions, failed
sign-ins for the lock-out, and the client address on audit entries.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _staff_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["staff_id"], ["staff_member.id"], name=op.f(f"fk_{table}_staff_id_staff_member"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("staff_member") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("language", sa.String(length=2), nullable=True))
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("address", sa.String(length=45), nullable=True))
    op.create_table(
        "console_session",
        sa.Column("id", ID, primary_key=True),
        sa.Column("staff_id", ID, nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("address", sa.String(length=45), nullable=True),
        _staff_fk("console_session"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_session")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_console_session_token_sha256")),
    )
    op.create_index(op.f("ix_console_session_staff_id"), "console_session", ["staff_id"])
    op.create_table(
        "console_sign_in_failure",
        sa.Column("id", ID, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", ID, nullable=True),
        sa.Column("address", sa.String(length=45), nullable=False),
        _staff_fk("console_sign_in_failure"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_sign_in_failure")),
    )
    op.create_index("ix_console_sign_in_failure_staff_at", "console_sign_in_failure", ["staff_id", "at"])
    op.create_index("ix_console_sign_in_failure_address_at", "console_sign_in_failure", ["address", "at"])


def downgrade() -> None:
    op.drop_index("ix_console_sign_in_failure_address_at", table_name="console_sign_in_failure")
    op.drop_index("ix_console_sign_in_failure_staff_at", table_name="console_sign_in_failure")
    op.drop_table("console_sign_in_failure")
    op.drop_index(op.f("ix_console_session_staff_id"), table_name="console_session")
    op.drop_table("console_session")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("address")
    with op.batch_alter_table("staff_member") as batch:
        batch.drop_column("language")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")
        batch.drop_column("password_hash")
