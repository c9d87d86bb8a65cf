"""Millbrook District Council's own data, shared by both suppliers: addresses, collection rounds, prices."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

COUNCIL_NAME = "Millbrook District Council"
PHONE = "01632 960 123"  # Ofcom's drama range: never a real line
PHONE_HOURS = "Monday to Friday, 8:30am to 5pm (except bank holidays)"
POSTAL_ADDRESS = "Waste Services, Millbrook District Council, Town Hall, Market Square, Millbrook, MB1 1AA"
PRICE_PER_BIN_PENCE = 5200
MAX_BINS = 3

_POSTCODE_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class Street:
    """A street on one collection round."""

    name: str
    town: str
    postcode: str
    weekday: int
    """0 for Monday: the day the lorries come."""
    recycling_on_even_weeks: bool
    """Rubbish and recycling alternate; this says which falls in even ISO weeks."""

    @property
    def label(self) -> str:
        """The street as people say it: "Mill Lane, Millbrook"."""
        return f"{self.name}, {self.town}"


@dataclass(frozen=True, slots=True)
class Address:
    """One property the council collects from."""

    uprn: str
    number: str
    street: Street

    @property
    def label(self) -> str:
        """The address on one line, as shown in radio labels and summaries."""
        return f"{self.number} {self.street.name}, {self.street.town}, {self.street.postcode}"


@dataclass(frozen=True, slots=True)
class Collection:
    """The next collection of one kind of waste."""

    kind: str
    next_date: date
    frequency: str


MILL_LANE = Street("Mill Lane", "Millbrook", "MB1 4QX", weekday=1, recycling_on_even_weeks=True)
CHURCH_STREET = Street("Church Street", "Millbrook", "MB1 2AB", weekday=3, recycling_on_even_weeks=False)
THE_GREEN = Street("The Green", "Oakford", "MB3 7PL", weekday=4, recycling_on_even_weeks=True)

ADDRESSES: tuple[Address, ...] = (
    Address("100012", "12", MILL_LANE),
    Address("100014", "14", MILL_LANE),
    Address("100016", "16", MILL_LANE),
    Address("100203", "3", CHURCH_STREET),
    Address("100205", "5", CHURCH_STREET),
    Address("100207", "7", CHURCH_STREET),
    Address("100301", "1", THE_GREEN),
    Address("100302", "2", THE_GREEN),
)


def normalise_postcode(text: str) -> str:
    """Upper case with no spaces, so "mb1 4qx" and "MB14QX" compare equal (GOV.UK validation pattern)."""
    return re.sub(r"\s+", "", text).upper()


def looks_like_postcode(text: str) -> bool:
    """Whether the text has the shape of a UK postcode, known or not."""
    return bool(_POSTCODE_SHAPE.match(normalise_postcode(text)))


def addresses_for_postcode(text: str) -> list[Address]:
    """Addresses with exactly this postcode (the only lookup the legacy supplier offers)."""
    wanted = normalise_postcode(text)
    return [a for a in ADDRESSES if normalise_postcode(a.street.postcode) == wanted]


def find_addresses(query: str) -> list[Address]:
    """Addresses matching a postcode, or a place: every word typed must start a word of the address.

    People applying for someone else often know the street and town but not the postcode, so
    "Millbrook", "mill lane, millbrook" and "14 Mill Lane" all find addresses.
    """
    if looks_like_postcode(query):
        return addresses_for_postcode(query)
    words = _words(query)
    if not words:
        return []
    return [a for a in ADDRESSES if _all_words_match(words, _words(a.label))]


def find_streets(query: str) -> list[Street]:
    """The streets of the addresses a query finds, in the order first met."""
    streets: list[Street] = []
    for address in find_addresses(query):
        if address.street not in streets:
            streets.append(address.street)
    return streets


def address_by_uprn(uprn: str) -> Address | None:
    """The address with this property reference, if the council has one."""
    return next((a for a in ADDRESSES if a.uprn == uprn), None)


def next_collections(street: Street, today: date | None = None) -> list[Collection]:
    """The next rubbish, recycling and garden waste collections for a street, from today on."""
    today = today or date.today()
    first = today + timedelta(days=(street.weekday - today.weekday()) % 7)
    second = first + timedelta(days=7)
    recycling_first = (first.isocalendar().week % 2 == 0) == street.recycling_on_even_weeks
    recycling, rubbish = (first, second) if recycling_first else (second, first)
    return [
        Collection("Rubbish", rubbish, "Every 2 weeks"),
        Collection("Recycling", recycling, "Every 2 weeks"),
        Collection("Garden waste", recycling, "Every 2 weeks, if you subscribe"),
    ]


def long_date(day: date) -> str:
    """A date written out with its weekday, as GOV.UK style asks: "Tuesday 3 June 2025"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def price_pence(bins: int) -> int:
    """What a 12-month subscription costs for this many bins."""
    return bins * PRICE_PER_BIN_PENCE


def pounds(pence: int) -> str:
    """Money with a pound sign and pence, the way people check it: "£52.00"."""
    return f"£{pence // 100:,}.{pence % 100:02d}"


def bins_label(bins: int) -> str:
    """ "1 bin" or "2 bins": also the radio labels, so "1 bin" is never part of another option."""
    return "1 bin" if bins == 1 else f"{bins} bins"


def new_reference() -> str:
    """A subscription reference such as GW-482913."""
    return f"GW-{secrets.randbelow(900_000) + 100_000}"


def card_number_passes_luhn(digits: str) -> bool:
    """The Luhn checksum every real card number satisfies, so typos are caught before the gateway."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_expiry(text: str) -> tuple[int, int] | None:
    """Month and four-digit year from "12/30", "12 / 2030" or "1230"; None if it is not a date."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*[/\-. ]?\s*(\d{2}|\d{4})\s*", text)
    if not match:
        return None
    month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return month, year + 2000 if year < 100 else year


def expiry_has_passed(month: int, year: int, today: date | None = None) -> bool:
    """Whether a card expiring at the end of this month is already out of date."""
    today = today or date.today()
    return (year, month) < (today.year, today.month)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _all_words_match(wanted: list[str], words: list[str]) -> bool:
    return all(any(word.startswith(w) for word in words) for w in wanted)


def card_errors(values: Mapping[str, str]) -> dict[str, str]:
    """The checks the test card gateway makes, field id to GOV.UK Pay style message, in page order.

    Every supplier's pay page sends card details to the same test gateway, so they share these messages.
    """
    errors: dict[str, str] = {}
    digits = values["card_number"].replace(" ", "").replace("-", "")
    if not digits:
        errors["card_number"] = "Enter your card number"
    elif not digits.isdigit() or not 12 <= len(digits) <= 19 or not card_number_passes_luhn(digits):
        errors["card_number"] = "Check your card number – it is the long number on the front of your card"
    expiry = parse_expiry(values["expiry"])
    if not values["expiry"]:
        errors["expiry"] = "Enter the expiry date"
    elif expiry is None:
        errors["expiry"] = "Enter the expiry date as a month and year, like 12/30"
    elif expiry_has_passed(*expiry):
        errors["expiry"] = "The expiry date must be in the future"
    if not values["card_name"]:
        errors["card_name"] = "Enter the name as it is written on the card"
    if not values["csc"]:
        errors["csc"] = "Enter the security code"
    elif not (values["csc"].isdigit() and len(values["csc"]) in (3, 4)):
        errors["csc"] = "Enter the 3 digits on the back of your card (4 on the front for American Express)"
    return errors
