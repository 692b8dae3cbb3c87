"""`ipoteka demo-data` refuses production, absurd dates, a database without schema, and clashes with real data."""

import pytest
from typer.testing import CliRunner

from ipoteka.cli import app
from tests.helpers import borrower_body
from tests.importer.cli_database import row_counts

runner = CliRunner()
SECRET = "q8Jr2mVx7LpN4sT9wKe3Zb6Hy1Ua5Dc0"


def test_production_is_refused(env, database_url):
    production = env | {"MODE": "production", "SERVICE_TOKEN": SECRET, "INTEGRATION_TOKEN": SECRET[::-1]}
    result = runner.invoke(app, ["demo-data", "--today", "2026-11-26"], env=production)
    assert result.exit_code == 1
    assert "never in production" in result.stderr
    assert not any(row_counts(database_url).values())


@pytest.mark.parametrize("today", ["2021-04-09", "2036-03-10", "1900-01-01"])
def test_a_date_outside_the_seed_loan_is_refused(env, database_url, today):
    result = runner.invoke(app, ["demo-data", "--today", today], env=env)
    assert result.exit_code == 1
    assert "within the seed loan's term, 2021-04-10 to 2036-03-10" in result.stderr
    assert not any(row_counts(database_url).values())


@pytest.mark.parametrize("today", ["26.11.2026", "tomorrow", "2026-02-30", ""])
def test_a_malformed_date_is_a_usage_error(env, today):
    result = runner.invoke(app, ["demo-data", "--today", today], env=env)
    assert result.exit_code == 2
    assert "is not an ISO date" in result.output


def test_a_database_without_schema_is_refused(tmp_path):
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/empty.db", "MODE": "test"}
    result = runner.invoke(app, ["demo-data", "--today", "2026-11-26"], env=env)
    assert result.exit_code == 2
    assert "run `ipoteka db upgrade` first" in result.stderr


def test_a_clash_with_real_data_loads_nothing(env, database_url, write_real_borrower):
    write_real_borrower(borrower_body())
    result = runner.invoke(app, ["demo-data", "--today", "2026-11-26"], env=env)
    assert result.exit_code == 1
    assert "clashes with another record" in result.stderr
    counts = row_counts(database_url)
    assert (counts["borrower"], counts["loan"], counts["staff_member"]) == (1, 0, 0)
