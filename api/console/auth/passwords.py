"""Staff passwords as argon2id hashes (argon2-cffi), checked off the event loop."""

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
GENERATED_BYTES = 12

#: argon2id with RFC 9106's second recommended parameters (64 MiB, 3 passes); the hash records them, so a change of
#: parameters still verifies the old hashes.
_hasher = PasswordHasher()


class WeakPasswordError(ValueError):
    """The password is shorter than MIN_LENGTH."""


def generate_password() -> str:
    return secrets.token_urlsafe(GENERATED_BYTES)


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"A console password has at least {MIN_LENGTH} characters.")
    return _hasher.hash(password)


async def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches the hash; without a hash (an unknown name) the password is hashed all the same,
    so a wrong name takes as long as a wrong password, and never matches."""

    def verify() -> bool:
        if password_hash is None:
            _hasher.hash(password)
            return False
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)
