"""Phone numbers: validated with libphonenumber, kept in one form (E.164), shown and linked from it."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, shortnumberinfo
from pydantic_core import PydanticCustomError

REGION = "JP"


def normalise(value: str) -> str:
    """Return the E.164 form ("+81312345678") or the short number ("110"); raise on anything else."""
    if not isinstance(value, str):
        raise PydanticCustomError("phone_type", "電話番号は文字列で書いてください", {})
    text = value.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if number is not None and len(digits) <= 4 and shortnumberinfo.is_valid_short_number_for_region(number, REGION):
        return str(number.national_number)
    raise PydanticCustomError("invalid_phone", "電話番号の形式が正しくありません (\"{value}\")", {"value": value})


def _parsed(e164: str) -> phonenumbers.PhoneNumber:
    return phonenumbers.parse(e164, REGION)


# Cached: a number is shown on many pages, and formatting it with libphonenumber is slow
# (at 100x a city it was 4 % of the build).
@lru_cache(maxsize=None)
def display(e164: str) -> str:
    """03-1234-5678 (or 110 for a short number)."""
    if not e164.startswith("+"):
        return e164
    return phonenumbers.format_number(_parsed(e164), PhoneNumberFormat.NATIONAL)


@lru_cache(maxsize=None)
def tel_uri(e164: str) -> str:
    """tel:+81-3-1234-5678 (or tel:110)."""
    if not e164.startswith("+"):
        return f"tel:{e164}"
    return phonenumbers.format_number(_parsed(e164), PhoneNumberFormat.RFC3966)
