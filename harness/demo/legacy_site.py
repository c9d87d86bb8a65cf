"""Supplier B's site: the blueprint every legacy journey registers on, page rendering and the card gateway.

Supplier B builds each module as its own little product: one page title for every page of a module,
validation that says little, and forms that forget what was typed. Planted barriers are listed in
barriers.toml; comments name them where they are made.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

from flask import Blueprint, render_template
from werkzeug.datastructures import FileStorage

from harness.demo import council

bp = Blueprint("legacy", __name__, url_prefix="/supplier-b")

GENERIC_ERROR = "There were errors on the page. Please complete all mandatory fields marked *."

_NI_NUMBER = re.compile(r"^[A-Z]{2}[0-9]{6}[A-D]$")
_MONEY = re.compile(r"^[0-9]+(?:\.[0-9]{1,2})?$")


def render(template: str, *, title: str, **context: object) -> str:
    """A legacy page. Barriers page-title-repeated: `title` is the module's name, the same on every page."""
    context.setdefault("error", "")
    context.setdefault("viewport", "width=device-width, initial-scale=1")
    return render_template(f"legacy/{template}", title=title, **context)


def new_reference(prefix: str) -> str:
    """A reference such as BB-482913."""
    return f"{prefix}-{secrets.randbelow(900_000) + 100_000}"


def looks_like_ni_number(text: str) -> bool:
    """Two letters, six digits and a final letter A to D, spaces ignored ("QQ 12 34 56 C")."""
    return bool(_NI_NUMBER.match(re.sub(r"\s+", "", text).upper()))


def pence(text: str) -> int | None:
    """Pounds as typed ("125.50", "£1,255", "850") in pence; None if it is not an amount of money."""
    compact = re.sub(r"[\s,£]+", "", text)
    if not _MONEY.match(compact):
        return None
    pounds, _, fraction = compact.partition(".")
    return int(pounds) * 100 + int(fraction.ljust(2, "0") or "0")


def uploaded_name(upload: FileStorage | None) -> str:
    """The name of a file the visitor chose, or "" when they chose none; the demo keeps nothing else."""
    if upload is None or not upload.filename:
        return ""
    return upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:100]


def card_accepted(form: Mapping[str, str]) -> bool:
    """The test gateway's rules: a Luhn-valid number, a future expiry, a name and a 3 or 4 digit code."""
    digits = form.get("card_number", "").replace(" ", "").replace("-", "")
    expiry = council.parse_expiry(form.get("expiry", ""))
    csc = form.get("csc", "").strip()
    return (
        digits.isdigit()
        and 12 <= len(digits) <= 19
        and council.card_number_passes_luhn(digits)
        and expiry is not None
        and not council.expiry_has_passed(*expiry)
        and bool(form.get("card_name", "").strip())
        and csc.isdigit()
        and len(csc) in (3, 4)
    )
