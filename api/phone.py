"""Phone numbers: parsed and normalised to E.164 (Russian numbers may come without the country code)."""

import phonenumbers


def to_e164(raw: str, default_region: str = "RU") -> str:
    """The number in E.164 form; `ValueError` when it is not a valid phone number."""
    try:
        parsed = phonenumbers.parse(raw.strip(), default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("not a phone number") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
