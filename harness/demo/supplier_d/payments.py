"""Millbrook Payments: the card page of the payment provider the forms hand over to.

Real council form platforms pass people to a separate payment provider with its own look, and
get them back when the payment is taken. This one is a test environment: it accepts only the
test card 4444 3333 2222 1111 with an expiry date that has not passed. It asks for the card
number and expiry date only, as some providers' saved-merchant flows do. The provider's pages
are the same in both releases of the forms.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.supplier_d import forms, release
from harness.demo.supplier_d.release import Errors

TEST_CARD = "4444333322221111"
_KEY = "payment"


def begin(amount_pence: int, description: str, *, done: str, cancel: str) -> Response:
    """Hand over to the provider for this amount; it returns to `done` when paid, `cancel` if not."""
    release.store(_KEY, {"amount": amount_pence, "description": description, "done": done, "cancel": cancel})
    return release.go("payment_card")


def take_success() -> bool:
    """Whether the last payment went through, once: a refresh cannot reuse a payment."""
    payment = release.load(_KEY)
    release.clear(_KEY)
    return bool(payment.get("paid"))


def card() -> str | Response:
    """The card page: card number and expiry date, and a button saying how much will be taken."""
    payment = release.load(_KEY)
    if "amount" not in payment:
        return release.go("home")
    if request.method == "POST":
        values = forms.values_of(request.form, ("card_number", "expiry"))
        errors = card_errors(values)
        if errors:
            release.keep_form("payment", values, errors)
            return release.go("payment_card")
        payment["paid"] = True
        release.store(_KEY, payment)
        return release.go(str(payment["done"]))
    values, errors = release.take_form("payment")
    return _render(payment, values, errors)


def cancel() -> Response:
    """Cancel payment: back to the form's review page with nothing taken."""
    payment = release.load(_KEY)
    release.clear(_KEY)
    return release.go(str(payment.get("cancel", "home")))


def card_errors(values: dict[str, str]) -> Errors:
    """The test gateway's checks, in page order."""
    errors: Errors = {}
    digits = values["card_number"].replace(" ", "").replace("-", "")
    if not digits:
        errors["card_number"] = "Enter your card number"
    elif not digits.isdigit() or not 12 <= len(digits) <= 19 or not council.card_number_passes_luhn(digits):
        errors["card_number"] = "Enter a valid card number, the long number on the front of your card"
    elif digits != TEST_CARD:
        errors["card_number"] = "Your card was declined. Check the card number or use a different card"
    expiry = council.parse_expiry(values["expiry"])
    if not values["expiry"]:
        errors["expiry"] = "Enter the expiry date"
    elif expiry is None:
        errors["expiry"] = "Enter the expiry date as MM/YY, for example 08/29"
    elif council.expiry_has_passed(*expiry):
        errors["expiry"] = "This card has expired. Check the expiry date"
    return errors


def _render(payment: dict[str, Any], values: dict[str, str], errors: Errors) -> str:
    """The provider's own layout, not the forms' one: a different company's page."""
    title = ("Error: " if errors else "") + "Enter card details – Millbrook Payments"
    return render_template(
        "supplier_d/payments/card.html",
        page_title=title,
        amount=council.pounds(int(payment["amount"])),
        description=payment["description"],
        values=values,
        errors=errors,
    )


def register(bp: Blueprint) -> None:
    """Add the provider's pages under this release, so each release's session holds its own payment."""
    bp.add_url_rule("/payments/card", "payment_card", card, methods=["GET", "POST"])
    bp.add_url_rule("/payments/cancel", "payment_cancel", cancel, methods=["POST"])
