"""Checks on what people type, shared by every journey so the same mistake gets the same message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from harness.demo import council

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"(?:\+44|0044|0)\d{9,10}")
_NI_NUMBER = re.compile(r"[A-Z]{2}\d{6}[A-D]")  # loose: the format people know from the QQ example


def text(form: Mapping[str, str], name: str) -> str:
    """A field's value with surrounding spaces removed; missing fields read as blank."""
    return form.get(name, "").strip()


def values_of(form: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """The named fields, trimmed, for keeping and re-showing after an error."""
    return {name: text(form, name) for name in names}


def is_email(value: str) -> bool:
    """Loose on purpose: the confirmation email is the real test of an address."""
    return bool(_EMAIL.fullmatch(value))


def is_phone(value: str) -> bool:
    """A UK phone number, allowing spaces, brackets, dashes and +44."""
    return bool(_PHONE.fullmatch(re.sub(r"[\s()\-]", "", value)))


def normalise_ni_number(value: str) -> str:
    """Upper case without spaces: "qq 12 34 56 c" is "QQ123456C"."""
    return re.sub(r"\s+", "", value).upper()


def is_ni_number(value: str) -> bool:
    """The shape of a National Insurance number: two letters, six digits, A to D."""
    return bool(_NI_NUMBER.fullmatch(normalise_ni_number(value)))


def date_of_birth_error(day: str, month: str, year: str, today: date | None = None) -> tuple[str, str] | None:
    """The part of a date of birth to point at and what is wrong with it, or None if it is fine."""
    today = today or date.today()
    parts = {"day": day, "month": month, "year": year}
    missing = [name for name, value in parts.items() if not value]
    if len(missing) == 3:
        return "day", "Enter the date of birth"
    if missing:
        return missing[0], "Date of birth must include a " + " and ".join(missing)
    if not all(value.isdigit() for value in parts.values()):
        return "day", "Date of birth must be a real date, using numbers"
    if len(year) != 4:
        return "year", "Year must include 4 numbers, for example 1956"
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return "day", "Date of birth must be a real date"
    if born >= today:
        return "day", "Date of birth must be in the past"
    if today.year - born.year > 120:
        return "year", "Check the year of birth – it must be after " + str(today.year - 120)
    return None


def postcode_error(value: str) -> str | None:
    """What is wrong with a postcode typed by hand, or None."""
    if not value:
        return "Enter the postcode"
    if not council.looks_like_postcode(value):
        return "Enter a real postcode, for example MB1 4QX"
    return None


def tidy_postcode(value: str) -> str:
    """A postcode as printed on letters: "mb14qx" becomes "MB1 4QX"."""
    squashed = council.normalise_postcode(value)
    return f"{squashed[:-3]} {squashed[-3:]}"
