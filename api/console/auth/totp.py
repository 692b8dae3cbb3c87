"""Time-based one-time codes (RFC 6238, pyotp): the secret, its enrolment URI, and which time step a code is."""

import hmac
from datetime import datetime

import pyotp

ISSUER = "Ipoteka Assistant"
#: A code of the step before or after the current one is accepted too (clock drift of the phone).
DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_uri(secret: str, name: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=ISSUER)


def current_code(secret: str, now: datetime) -> str:
    return pyotp.TOTP(secret).at(now)


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step `code` belongs to (within the drift), or None; the caller refuses a step already used."""
    totp = pyotp.TOTP(secret)
    code = code.strip().replace(" ", "")
    step = totp.timecode(now)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            return step + offset
    return None
