"""Settings: placeholder secrets are refused outside dev/demo/test mode; bad values are refused everywhere."""

import pytest
from pydantic import ValidationError

from api.settings import Settings

STRONG = "q3J8vT0xWm9yZb2LcR7nHf4sKd6pEa1u"


def test_dev_mode_runs_on_the_embedded_defaults():
    settings = Settings(_env_file=None)
    assert settings.mode == "dev"
    assert settings.database_url.startswith("sqlite+aiosqlite://")


@pytest.mark.parametrize(
    "tokens",
    [
        {},  # the dev defaults
        {"service_token": "short", "integration_token": STRONG},
        {"service_token": STRONG, "integration_token": "change-me-" + "x" * 40},
    ],
)
def test_production_refuses_placeholder_secrets(tokens):
    with pytest.raises(ValidationError, match="must be a random secret"):
        Settings(_env_file=None, mode="production", **tokens)


def test_production_accepts_real_secrets():
    settings = Settings(_env_file=None, mode="production", service_token=STRONG, integration_token=STRONG[::-1])
    assert settings.service_token.get_secret_value() == STRONG


def test_staff_hours_must_be_in_order():
    with pytest.raises(ValidationError, match="STAFF_HOURS_START"):
        Settings(_env_file=None, staff_hours_start=18, staff_hours_end=9)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://db/ipoteka")
    monkeypatch.setenv("BANK__BIK", "044525999")
    settings = Settings(_env_file=None)
    assert settings.database_url == "postgresql+asyncpg://db/ipoteka"
    assert settings.bank.bik == "044525999"
