"""Alembic migrations of the backend's schema (static, reversible, date-prefixed)."""
