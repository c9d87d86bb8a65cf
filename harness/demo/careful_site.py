"""Supplier A's site: the blueprint every careful journey registers on, page rendering and shared validation."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.answers import Answers

bp = Blueprint("careful", __name__, url_prefix="/supplier-a")

PRODUCT = "Millbrook online services"
"""Supplier A's product: the name on its home page and accessibility statement."""

WHO = {"myself": "Myself", "someone-else": "Someone else"}
"""The answers to "who is this for?", by the value each radio sends."""

Errors = dict[str, str]
"""Field id to error message, in page order: the error summary links to each id."""

_NI_NUMBER = re.compile(r"^[A-Z]{2}[0-9]{6}[A-D]$")
_MONEY = re.compile(r"^(?:[0-9]+(?:\.[0-9]{1,2})?|\.[0-9]{1,2})$")
MAX_AMOUNT_PENCE = 100_000_00
"""Amounts of £100,000 or more are refused as typing slips, in every careful journey."""


@dataclass(frozen=True)
class Service:
    """One careful journey: its name (the title's middle part) and its answers in the session cookie."""

    name: str
    answers: Answers
    check: str
    """The endpoint of the journey's check answers page, where a Change link returns to."""

    def render(self, template: str, heading: str, errors: Errors, **context: object) -> str:
        """A page of this journey; the title says the step, and "Error:" first when there are errors."""
        return render_template(f"careful/{template}", service=self.name, page_title=heading, errors=errors,
                               changing=changing(), **context)

    def go_on(self, next_page: str) -> Response:
        """Redirect after a valid answer (post/redirect/get, so refresh and back do not resubmit)."""
        if changing():
            missing = self.answers.first_unanswered()
            if missing is None:
                return redirect(url_for(f".{self.check}"))
            return redirect(url_for(f".{missing}", change="1"))
        return redirect(url_for(f".{next_page}"))

    def back(self, previous_page: str) -> str:
        """Where the Back link goes: the check answers page when changing an answer, else the page before."""
        return url_for(f".{self.check}") if changing() else url_for(f".{previous_page}")

    def on_behalf(self) -> bool:
        """Whether the visitor said the application is for someone else."""
        return self.answers.all().get("who") == "someone-else"


def changing() -> bool:
    """Whether the visitor came from a Change link, so should go back to check answers."""
    return request.args.get("change") == "1" or request.form.get("change") == "1"


def new_reference(prefix: str) -> str:
    """A reference such as BB-482913: short enough to read out on the phone."""
    return f"{prefix}-{secrets.randbelow(900_000) + 100_000}"


def uploaded_name(upload: FileStorage | None) -> str:
    """The name of a file the visitor chose, or "" when they chose none; the demo keeps nothing else."""
    if upload is None or not upload.filename:
        return ""
    return upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:100]


# Validation: GOV.UK wording, tolerant of spaces, case, pound signs and commas --------------------------


def validate_query(query: str, field: str = "query") -> Errors:
    """A postcode or place must be given and must find at least one address."""
    if not query:
        return {field: "Enter a postcode, or a street and town"}
    if not council.find_addresses(query):
        return {field: "We cannot find an address for that postcode or place – check it and try again"}
    return {}


def phone_error(phone: str, whose: str = "your") -> str:
    """The message for a missing or malformed UK phone number, or "" if it will do."""
    digits = "".join(c for c in phone if c.isdigit())
    if not phone:
        return f"Enter {whose} phone number"
    if not 10 <= len(digits) <= 13:  # 10 or 11 digits in the UK, up to 13 with a country code
        return "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    return ""


def email_error(email: str) -> str:
    """An optional email address must still look like one: an @ and a dot after it."""
    if email and ("@" not in email or "." not in email.rsplit("@", 1)[-1]):
        return "Enter an email address in the correct format, like name@example.com"
    return ""


def ni_number(text: str) -> str | None:
    """A National Insurance number written the GOV.UK way ("QQ 12 34 56 C"), or None if it is not one."""
    compact = re.sub(r"[\s-]+", "", text).upper()
    if not _NI_NUMBER.match(compact):
        return None
    return f"{compact[:2]} {compact[2:4]} {compact[4:6]} {compact[6:8]} {compact[8]}"


def pence(text: str) -> int | None:
    """Pounds typed the way people type them ("£1,255.00", "125.5", "850") in pence; None if not money."""
    compact = re.sub(r"[\s,£]+", "", text)
    if compact.lower().endswith("gbp"):
        compact = compact[:-3]
    if not _MONEY.match(compact):
        return None
    pounds, _, fraction = compact.partition(".")
    return int(pounds or "0") * 100 + int(fraction.ljust(2, "0") or "0")


def money_error(text: str, missing: str, name: str, example: str, allow_zero: bool) -> tuple[str, int]:
    """An amount of money in pence, or the message that says what is wrong with it (and 0).

    `missing` is the whole message for an empty field; `name` starts the others ("Savings must be ...").
    """
    if not text:
        return missing, 0
    amount = pence(text)
    if amount is None:
        return f"{name} must be a number of pounds, like {example}", 0
    if amount == 0 and not allow_zero:
        return f"{name} must be £0.01 or more", 0
    if amount >= MAX_AMOUNT_PENCE:
        return f"{name} must be less than {council.pounds(MAX_AMOUNT_PENCE)}", 0
    return "", amount


def date_of_birth(parts: Mapping[str, str], whose: str) -> tuple[str, list[str], date | None]:
    """A date of birth from day, month and year boxes: (message, parts in error, date).

    Messages follow the GOV.UK date input pattern: say which part is missing, else what is wrong.
    """
    subject = "Date of birth" if whose == "your" else "Their date of birth"
    missing = [p for p in ("day", "month", "year") if not parts[p]]
    if len(missing) == 3:
        return f"Enter {whose} date of birth", missing, None
    if missing:
        return f"{subject} must include a {' and '.join(missing)}", missing, None
    if not all(parts[p].isdigit() for p in ("day", "month", "year")):
        return f"{subject} must be a real date, like 27 3 1950", ["day", "month", "year"], None
    if len(parts["year"]) != 4:
        return "Year must include 4 numbers", ["year"], None
    try:
        born = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return f"{subject} must be a real date, like 27 3 1950", ["day", "month", "year"], None
    if born >= date.today():
        return f"{subject} must be in the past", ["day", "month", "year"], None
    if born.year < 1890:
        return f"{subject} must be after 1 January 1890", ["year"], None
    return "", [], born


validate_card = council.card_errors
"""The test gateway's card checks, shared by every supplier's pay page."""
