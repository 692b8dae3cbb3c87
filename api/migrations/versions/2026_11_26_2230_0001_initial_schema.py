"""Initial schema: borrowers, loans, payments, insurance, requests, cases, outbox, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 22:30:48.026882
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.db_types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "borrower",
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("middle_name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("linked_at", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("personal_data_consent_at", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("reminders_enabled", sa.Boolean(), nullable=False),
        sa.Column("reminder_days_ahead", sa.JSON(), nullable=False),
        sa.Column("daytime_start", sa.Time(), nullable=False),
        sa.Column("daytime_end", sa.Time(), nullable=False),
        sa.Column("selected_loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("unreachable_since", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_survey_at", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_borrower")),
        sa.UniqueConstraint("external_id", name=op.f("uq_borrower_external_id")),
        sa.UniqueConstraint("phone", name=op.f("uq_borrower_phone")),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_borrower_telegram_user_id")),
    )
    op.create_table(
        "link_attempt",
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_attempt")),
    )
    with op.batch_alter_table("link_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_link_attempt_user_at", ["telegram_user_id", "at"], unique=False)

    op.create_table(
        "staff_member",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.Enum("operator", "supervisor", name="staffrole", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_member")),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_staff_member_telegram_user_id")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_staff_member_token_sha256")),
    )
    op.create_table(
        "feedback",
        sa.Column("borrower_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                "certificate",
                "holiday",
                "support_case",
                "general",
                name="feedbacksubject",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subject_id", sa.BigInteger(), nullable=True),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_feedback_score_range")),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrower.id"], name=op.f("fk_feedback_borrower_id_borrower"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_borrower_id"), ["borrower_id"], unique=False)

    op.create_table(
        "loan",
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("borrower_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_number", sa.String(length=32), nullable=False),
        sa.Column("contract_date", sa.Date(), nullable=False),
        sa.Column("principal", api.db_types.Money(precision=14, scale=2), nullable=False),
        sa.Column("rate_percent", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("first_payment_date", sa.Date(), nullable=False),
        sa.Column("payment_day", sa.SmallInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("active", "closed", name="loanstatus", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("property_address", sa.String(length=300), nullable=False),
        sa.Column("property_is_only_home", sa.Boolean(), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("payment_day BETWEEN 1 AND 31", name=op.f("ck_loan_payment_day_range")),
        sa.CheckConstraint("principal > 0", name=op.f("ck_loan_principal_positive")),
        sa.CheckConstraint("rate_percent >= 0 AND rate_percent < 100", name=op.f("ck_loan_rate_range")),
        sa.CheckConstraint("term_months BETWEEN 1 AND 600", name=op.f("ck_loan_term_range")),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrower.id"], name=op.f("fk_loan_borrower_id_borrower"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan")),
        sa.UniqueConstraint("contract_number", name=op.f("uq_loan_contract_number")),
        sa.UniqueConstraint("external_id", name=op.f("uq_loan_external_id")),
    )
    with op.batch_alter_table("loan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loan_borrower_id"), ["borrower_id"], unique=False)

    # borrower.selected_loan_id and loan.borrower_id refer to each other: this side is added last.
    with op.batch_alter_table("borrower", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_borrower_selected_loan_id_loan"), "loan", ["selected_loan_id"], ["id"], ondelete="SET NULL"
        )

    op.create_table(
        "certificate_request",
        sa.Column("borrower_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "interest_paid",
                "outstanding_debt",
                "schedule",
                "closure",
                name="certificatekind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("year", sa.SmallInteger(), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "ready",
                "pending_staff",
                "rejected",
                name="certificatestatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("delivered_at", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("decision_reason", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["borrower_id"],
            ["borrower.id"],
            name=op.f("fk_certificate_request_borrower_id_borrower"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["staff_member.id"],
            name=op.f("fk_certificate_request_decided_by_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loan.id"], name=op.f("fk_certificate_request_loan_id_loan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_request")),
    )
    with op.batch_alter_table("certificate_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_request_borrower_id"), ["borrower_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificate_request_loan_id"), ["loan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificate_request_status"), ["status"], unique=False)

    op.create_table(
        "holiday_application",
        sa.Column("borrower_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "job_loss",
                "income_drop",
                "sick_leave",
                "disability",
                "new_dependant",
                "other",
                name="holidayreason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("income_before", api.db_types.Money(precision=14, scale=2), nullable=False),
        sa.Column("income_after", api.db_types.Money(precision=14, scale=2), nullable=False),
        sa.Column("months", sa.SmallInteger(), nullable=False),
        sa.Column(
            "mode",
            sa.Enum("full", "reduced", name="holidaymode", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("reduced_payment", api.db_types.Money(precision=14, scale=2), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.Column("precheck_eligible", sa.Boolean(), nullable=False),
        sa.Column("precheck", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "approved",
                "rejected",
                "withdrawn",
                name="holidaystatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("decision_reason", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "income_before >= 0 AND income_after >= 0", name=op.f("ck_holiday_application_income_non_negative")
        ),
        sa.CheckConstraint("months BETWEEN 1 AND 6", name=op.f("ck_holiday_application_months_range")),
        sa.ForeignKeyConstraint(
            ["borrower_id"],
            ["borrower.id"],
            name=op.f("fk_holiday_application_borrower_id_borrower"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["staff_member.id"],
            name=op.f("fk_holiday_application_decided_by_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loan.id"], name=op.f("fk_holiday_application_loan_id_loan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_application")),
        sa.UniqueConstraint(
            "borrower_id", "idempotency_key", name=op.f("uq_holiday_application_borrower_id_idempotency_key")
        ),
    )
    with op.batch_alter_table("holiday_application", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holiday_application_borrower_id"), ["borrower_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_holiday_application_loan_id"), ["loan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_holiday_application_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_holiday_application_pending_loan",
            ["loan_id"],
            unique=True,
            postgresql_where=sa.text("status = 'submitted'"),
            sqlite_where=sa.text("status = 'submitted'"),
        )

    op.create_table(
        "insurance_policy",
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "property", "life", "title", name="policykind", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("insurer", sa.String(length=200), nullable=False),
        sa.Column("policy_number", sa.String(length=64), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("premium", api.db_types.Money(precision=14, scale=2), nullable=True),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loan.id"], name=op.f("fk_insurance_policy_loan_id_loan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance_policy")),
        sa.UniqueConstraint("external_id", name=op.f("uq_insurance_policy_external_id")),
    )
    with op.batch_alter_table("insurance_policy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_insurance_policy_expires_on"), ["expires_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_insurance_policy_loan_id"), ["loan_id"], unique=False)

    op.create_table(
        "insurance_quote_request",
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "property", "life", "title", name="policykind", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("pay_later", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "sent",
                "cancelled",
                name="quotestatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loan.id"], name=op.f("fk_insurance_quote_request_loan_id_loan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance_quote_request")),
    )
    with op.batch_alter_table("insurance_quote_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_insurance_quote_request_loan_id"), ["loan_id"], unique=False)
        batch_op.create_index(
            "uq_insurance_quote_request_open_kind",
            ["loan_id", "kind"],
            unique=True,
            postgresql_where=sa.text("status = 'requested'"),
            sqlite_where=sa.text("status = 'requested'"),
        )

    op.create_table(
        "notification",
        sa.Column("dedupe_key", sa.String(length=128), nullable=False),
        sa.Column("borrower_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "payment_due",
                "payment_overdue",
                "insurance_expiry",
                "holiday_decided",
                "certificate_ready",
                "certificate_rejected",
                "insurance_document_decided",
                name="notificationkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("not_before", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "claimed",
                "sent",
                "failed",
                "cancelled",
                name="notificationstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("claimed_until", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrower.id"], name=op.f("fk_notification_borrower_id_borrower"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loan.id"], name=op.f("fk_notification_loan_id_loan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notification_dedupe_key")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_borrower_id"), ["borrower_id"], unique=False)
        batch_op.create_index("ix_notification_status_not_before", ["status", "not_before"], unique=False)

    op.create_table(
        "payment",
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", api.db_types.Money(precision=14, scale=2), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("regular", "early", name="paymentkind", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column(
            "early_mode",
            sa.Enum(
                "shorter_term",
                "smaller_payment",
                name="earlymode",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind = 'regular' OR early_mode IS NOT NULL", name=op.f("ck_payment_early_has_mode")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_amount_positive")),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_payment_loan_id_loan"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("external_id", name=op.f("uq_payment_external_id")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_loan_id"), ["loan_id"], unique=False)

    op.create_table(
        "support_case",
        sa.Column("borrower_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "reason",
            sa.Enum(
                "requested",
                "misunderstood",
                "complaint",
                "low_rating",
                "early_repayment",
                "refinancing",
                "re_registration",
                "certificate",
                "other",
                name="casereason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.String(length=2000), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("recent_steps", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "taken", "closed", name="casestatus", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("assigned_to", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("topic_id", sa.BigInteger(), nullable=True),
        sa.Column("closed_at", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to"],
            ["staff_member.id"],
            name=op.f("fk_support_case_assigned_to_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrower.id"], name=op.f("fk_support_case_borrower_id_borrower"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loan.id"], name=op.f("fk_support_case_loan_id_loan"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_case")),
    )
    with op.batch_alter_table("support_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_case_borrower_id"), ["borrower_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_support_case_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_support_case_active_borrower",
            ["borrower_id"],
            unique=True,
            postgresql_where=sa.text("status IN ('open', 'taken')"),
            sqlite_where=sa.text("status IN ('open', 'taken')"),
        )

    op.create_table(
        "document",
        sa.Column("borrower_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "insurance_policy",
                "holiday_proof",
                name="documentpurpose",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "policy_kind",
            sa.Enum(
                "property", "life", "title", name="policykind", native_enum=False, create_constraint=True, length=32
            ),
            nullable=True,
        ),
        sa.Column("holiday_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "approved",
                "rejected",
                name="reviewstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", api.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", api.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("decision_reason", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrower.id"], name=op.f("fk_document_borrower_id_borrower"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["staff_member.id"], name=op.f("fk_document_decided_by_staff_member"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["holiday_id"],
            ["holiday_application.id"],
            name=op.f("fk_document_holiday_id_holiday_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_document_loan_id_loan"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_borrower_id"), ["borrower_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_holiday_id"), ["holiday_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_loan_id"), ["loan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("borrower", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_borrower_selected_loan_id_loan"), type_="foreignkey")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_status"))
        batch_op.drop_index(batch_op.f("ix_document_loan_id"))
        batch_op.drop_index(batch_op.f("ix_document_holiday_id"))
        batch_op.drop_index(batch_op.f("ix_document_borrower_id"))

    op.drop_table("document")
    with op.batch_alter_table("support_case", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_support_case_active_borrower",
            postgresql_where=sa.text("status IN ('open', 'taken')"),
            sqlite_where=sa.text("status IN ('open', 'taken')"),
        )
        batch_op.drop_index(batch_op.f("ix_support_case_status"))
        batch_op.drop_index(batch_op.f("ix_support_case_borrower_id"))

    op.drop_table("support_case")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_loan_id"))

    op.drop_table("payment")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_status_not_before")
        batch_op.drop_index(batch_op.f("ix_notification_borrower_id"))

    op.drop_table("notification")
    with op.batch_alter_table("insurance_quote_request", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_insurance_quote_request_open_kind",
            postgresql_where=sa.text("status = 'requested'"),
            sqlite_where=sa.text("status = 'requested'"),
        )
        batch_op.drop_index(batch_op.f("ix_insurance_quote_request_loan_id"))

    op.drop_table("insurance_quote_request")
    with op.batch_alter_table("insurance_policy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_insurance_policy_loan_id"))
        batch_op.drop_index(batch_op.f("ix_insurance_policy_expires_on"))

    op.drop_table("insurance_policy")
    with op.batch_alter_table("holiday_application", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_holiday_application_pending_loan",
            postgresql_where=sa.text("status = 'submitted'"),
            sqlite_where=sa.text("status = 'submitted'"),
        )
        batch_op.drop_index(batch_op.f("ix_holiday_application_status"))
        batch_op.drop_index(batch_op.f("ix_holiday_application_loan_id"))
        batch_op.drop_index(batch_op.f("ix_holiday_application_borrower_id"))

    op.drop_table("holiday_application")
    with op.batch_alter_table("certificate_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_request_status"))
        batch_op.drop_index(batch_op.f("ix_certificate_request_loan_id"))
        batch_op.drop_index(batch_op.f("ix_certificate_request_borrower_id"))

    op.drop_table("certificate_request")
    with op.batch_alter_table("loan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loan_borrower_id"))

    op.drop_table("loan")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_borrower_id"))

    op.drop_table("feedback")
    op.drop_table("staff_member")
    with op.batch_alter_table("link_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_link_attempt_user_at")

    op.drop_table("link_attempt")
    op.drop_table("borrower")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
