"""Staff hold work items: `work_hold` (one holder per item), since when a case is held, and a certificate's signed
PDF as staff uploaded it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.db_types import UtcDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
KINDS = ("holiday", "certificate", "document", "quote")


def upgrade() -> None:
    op.create_table(
        "work_hold",
        sa.Column("id", ID, nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*KINDS, name="holdkind", native_enum=False, length=32, create_constraint=True),
            nullable=False,
        ),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("staff_id", ID, nullable=False),
        sa.Column("since", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_member.id"], name=op.f("fk_work_hold_staff_id_staff_member"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_hold")),
        sa.UniqueConstraint("kind", "item_id", name=op.f("uq_work_hold_kind_item_id")),
    )
    op.create_index(op.f("ix_work_hold_staff_id"), "work_hold", ["staff_id"], unique=False)
    with op.batch_alter_table("support_case") as batch:
        batch.add_column(sa.Column("assigned_at", UtcDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("certificate_request") as batch:
        batch.add_column(sa.Column("signed_pdf", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("certificate_request") as batch:
        batch.drop_column("signed_pdf")
    with op.batch_alter_table("support_case") as batch:
        batch.drop_column("assigned_at")
    op.drop_index(op.f("ix_work_hold_staff_id"), table_name="work_hold")
    op.drop_table("work_hold")
