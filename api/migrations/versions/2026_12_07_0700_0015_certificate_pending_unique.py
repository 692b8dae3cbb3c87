"""One signed certificate request waits for staff per loan, kind and year or date: three partial unique indexes (a
year, a date, or neither), after any duplicates already waiting are rejected as repeats of the earliest.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 07:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from api.db_types import UtcDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = "status = 'pending_staff'"
INDEXES = {
    "uq_certificate_request_pending_year": (["loan_id", "kind", "year"], f"{PENDING} AND year IS NOT NULL"),
    "uq_certificate_request_pending_date": (["loan_id", "kind", "on_date"], f"{PENDING} AND on_date IS NOT NULL"),
    "uq_certificate_request_pending_kind": (["loan_id", "kind"], f"{PENDING} AND year IS NULL AND on_date IS NULL"),
}
REPEAT = "A repeat of an earlier request that waits for the same signature."

_LATER_REPEATS = sa.text(
    "UPDATE certificate_request SET status = 'rejected', decision_reason = :reason, decided_at = :now "
    "WHERE status = 'pending_staff' AND EXISTS (SELECT 1 FROM certificate_request AS earlier "
    "WHERE earlier.status = 'pending_staff' AND earlier.id < certificate_request.id "
    "AND earlier.loan_id = certificate_request.loan_id AND earlier.kind = certificate_request.kind "
    "AND (earlier.year = certificate_request.year OR (earlier.year IS NULL AND certificate_request.year IS NULL)) "
    "AND (earlier.on_date = certificate_request.on_date "
    "OR (earlier.on_date IS NULL AND certificate_request.on_date IS NULL)))"
)


def upgrade() -> None:
    now = datetime.now(UTC)
    op.get_bind().execute(
        _LATER_REPEATS.bindparams(sa.bindparam("now", type_=UtcDateTime())), {"reason": REPEAT, "now": now}
    )
    for name, (columns, where) in INDEXES.items():
        op.create_index(
            name,
            "certificate_request",
            columns,
            unique=True,
            postgresql_where=sa.text(where),
            sqlite_where=sa.text(where),
        )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="certificate_request")
