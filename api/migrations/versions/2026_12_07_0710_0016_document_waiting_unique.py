"""A file under review is stored once: partial unique indexes on the waiting policy (loan, kind, sha256) and the
waiting holiday proof (application, sha256), after any duplicates already waiting are rejected as repeats of the
earliest.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 07:10:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from api.db_types import UtcDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = "status = 'submitted'"
INDEXES = {
    "uq_document_waiting_policy": (["loan_id", "policy_kind", "sha256"], f"{WAITING} AND policy_kind IS NOT NULL"),
    "uq_document_waiting_proof": (["holiday_id", "sha256"], f"{WAITING} AND holiday_id IS NOT NULL"),
}
REPEAT = "The same file was already sent for review."

_LATER_REPEATS = sa.text(
    "UPDATE document SET status = 'rejected', decision_reason = :reason, decided_at = :now "
    "WHERE status = 'submitted' AND EXISTS (SELECT 1 FROM document AS earlier "
    "WHERE earlier.status = 'submitted' AND earlier.id < document.id AND earlier.sha256 = document.sha256 "
    "AND ((earlier.loan_id = document.loan_id AND earlier.policy_kind = document.policy_kind) "
    "OR earlier.holiday_id = document.holiday_id))"
)


def upgrade() -> None:
    op.get_bind().execute(
        _LATER_REPEATS.bindparams(sa.bindparam("now", type_=UtcDateTime())),
        {"reason": REPEAT, "now": datetime.now(UTC)},
    )
    for name, (columns, where) in INDEXES.items():
        op.create_index(
            name, "document", columns, unique=True, postgresql_where=sa.text(where), sqlite_where=sa.text(where)
        )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="document")
