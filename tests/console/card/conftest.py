"""The demo borrowers for the console's browser tests: the bot tests' `demo` fixture (seeded once a process)."""

from tests.bot.conftest import demo  # noqa: F401  (a fixture, used by name)
