"""Staff passwords as argon2id hashes (argon2-cffi), checked off the event loop."""

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
GENERATED_BYTES = 12

_hasher = PasswordHasher()
# Checked when the name is unknown, so a wrong name costs the same time as a wrong password.
_UNKNOWN = _hasher.hash(secrets.token_urlsafe(GENERATED_BYTES))


class WeakPasswordError(ValueError):
    """The password is shorter than MIN_LENGTH."""


def generate_password() -> str:
    return secrets.token_urlsafe(GENERATED_BYTES)


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"A console password has at least {MIN_LENGTH} characters.")
    return _hasher.hash(password)


async def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches the hash; a missing hash is checked against a dummy and never matches."""

    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _UNKNOWN, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)
