"""Garden waste subscription: the pages before and after the address lookup (see garden_address.py).

Start page, "do you live in the district?", your details, bins and terms, review, then the
payment provider, then confirmation. The old release times out the details page after two
minutes without warning, as the platform it was built on did.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, request
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.supplier_d import forms, payments, release
from harness.demo.supplier_d.journey import Journey, Step
from harness.demo.supplier_d.release import Errors, render

SERVICE = "Garden waste subscription"
GARDEN = Journey(
    "garden",
    (
        Step("garden_eligibility", "eligible"),
        Step("garden_address", "address"),
        Step("garden_details", "full_name"),
        Step("garden_subscription", "bins"),
    ),
    review="garden_review",
)
OLD_RELEASE_TIMEOUT_SECONDS = 120
_DETAILS = ("who", "their_name", "relationship", "full_name", "email", "phone")


def page(template: str, title: str, endpoint: str | None = None, **context: Any) -> str:
    """Render a garden waste page with the service name and, for steps, the stepper."""
    step = GARDEN.number(endpoint) if endpoint else None
    return render(
        f"garden/{template}",
        title=title,
        service=SERVICE,
        service_endpoint="garden_start",
        step=step,
        steps=GARDEN.count if step else None,
        **context,
    )


def start() -> str:
    """Before you start: what you need, how long it takes, and that there are no refunds."""
    return page("start.html", "Before you start", price=council.pounds(council.PRICE_PER_BIN_PENCE))


def eligibility() -> str | Response:
    """Do you live in the Millbrook district? Yes goes on; No explains where else to go."""
    answers = GARDEN.answers()
    if (back := GARDEN.guard("garden_eligibility", answers)) is not None:
        return back
    if request.method == "POST":
        choice = forms.text(request.form, "in_district")
        if choice not in ("yes", "no"):
            release.keep_form(
                "eligibility", {}, {"in_district-yes": "Select yes if you live in the Millbrook district"}
            )
            return release.go("garden_eligibility")
        if choice == "no":
            answers.pop("eligible", None)
            answers.pop("editing", None)
            release.store(GARDEN.key, answers)
            return release.go("garden_not_eligible")
        answers["eligible"] = "yes"
        return GARDEN.saved(answers, "garden_address")
    values, errors = release.take_form("eligibility")
    values.setdefault("in_district", answers.get("eligible", ""))
    return page(
        "eligibility.html",
        "Do you live in the Millbrook district?",
        "garden_eligibility",
        values=values,
        errors=errors,
    )


def not_eligible() -> str:
    """The exit page for people outside the district."""
    return page("not_eligible.html", "You cannot use this service")


def details() -> str | Response:
    """Who the subscription is for and how to contact the applicant, on one page."""
    answers = GARDEN.answers()
    if (back := GARDEN.guard("garden_details", answers)) is not None:
        return back
    old_release = release.current().barriers
    if request.method == "POST":
        opened = answers.get("details_opened")
        if old_release and opened is not None and time.time() - float(opened) > OLD_RELEASE_TIMEOUT_SECONDS:
            release.clear(GARDEN.key)
            return release.go("session_expired")
        values = forms.values_of(request.form, _DETAILS)
        errors = _details_errors(values)
        if errors:
            release.keep_form("details", values, errors)
            return release.go("garden_details")
        if values["who"] == "myself":
            values["their_name"] = values["relationship"] = ""
        answers.update(values)
        answers.pop("details_opened", None)
        return GARDEN.saved(answers, "garden_subscription")
    values, errors = release.take_form("details")
    if not values:
        values = {name: str(answers.get(name, "")) for name in _DETAILS}
    if old_release:
        answers["details_opened"] = time.time()
        release.store(GARDEN.key, answers)
    return page(
        "details.html",
        "Your details",
        "garden_details",
        values=values,
        errors=errors,
        timeout_seconds=OLD_RELEASE_TIMEOUT_SECONDS,
    )


def _details_errors(values: dict[str, str]) -> Errors:
    """What is missing or wrong on the details page, in the order the fields appear."""
    errors: Errors = {}
    if values["who"] not in ("myself", "someone_else"):
        errors["who-myself"] = "Select whether you are applying for yourself or someone else"
    if values["who"] == "someone_else":
        if not values["their_name"]:
            errors["their_name"] = "Enter the name of the person you are applying for"
        if not values["relationship"]:
            errors["relationship"] = "Enter your relationship to the person you are applying for"
    if not values["full_name"]:
        errors["full_name"] = "Enter your full name"
    if values["email"] and not forms.is_email(values["email"]):
        errors["email"] = "Enter an email address in the correct format, like name@example.com"
    if not values["phone"]:
        errors["phone"] = "Enter a phone number, so we can contact you about your subscription"
    elif not forms.is_phone(values["phone"]):
        errors["phone"] = "Enter a UK phone number, like 01632 960 001 or 07700 900 982"
    return errors


def subscription() -> str | Response:
    """How many bins, and agreeing to the terms, on one page."""
    answers = GARDEN.answers()
    if (back := GARDEN.guard("garden_subscription", answers)) is not None:
        return back
    if request.method == "POST":
        values = forms.values_of(request.form, ("bins", "terms"))
        errors: Errors = {}
        if values["bins"] not in {str(n) for n in range(1, council.MAX_BINS + 1)}:
            errors["bins"] = f"Select how many bins you want, from 1 to {council.MAX_BINS}"
        if values["terms"] != "agreed":
            errors["terms"] = "You must agree to the terms and conditions to continue"
        if errors:
            release.keep_form("subscription", values, errors)
            return release.go("garden_subscription")
        answers.update(bins=int(values["bins"]), terms="agreed")
        return GARDEN.saved(answers, "garden_review")
    values, errors = release.take_form("subscription")
    if not values:
        values = {"bins": str(answers.get("bins", "1")), "terms": str(answers.get("terms", ""))}
    options = [
        (str(n), f"{n} ({council.pounds(council.price_pence(n))} a year)")
        for n in range(1, council.MAX_BINS + 1)
    ]
    return page(
        "subscription.html",
        "Your subscription",
        "garden_subscription",
        values=values,
        errors=errors,
        options=options,
        price=council.pounds(council.PRICE_PER_BIN_PENCE),
    )


def review() -> str | Response:
    """Review your application: every answer with an Edit link, the total, then on to payment."""
    answers = GARDEN.answers()
    if (back := GARDEN.guard("garden_review", answers)) is not None:
        return back
    answers.pop("editing", None)
    release.store(GARDEN.key, answers)
    total = council.price_pence(int(answers["bins"]))
    if request.method == "POST":
        description = f"Garden waste subscription, {council.bins_label(int(answers['bins']))}"
        return payments.begin(total, description, done="garden_paid", cancel="garden_review")
    return page(
        "review.html",
        "Review your application",
        "garden_review",
        answers=answers,
        total=council.pounds(total),
        bins_label=council.bins_label(int(answers["bins"])),
    )


def paid() -> Response:
    """Where the payment provider returns after taking payment: issue the reference."""
    answers = release.load(GARDEN.key)
    if not payments.take_success() or "bins" not in answers:
        return release.go("garden_start")
    answers["reference"] = council.new_reference()
    answers["paid"] = council.pounds(council.price_pence(int(answers["bins"])))
    release.store(GARDEN.key, answers)
    return release.go("garden_confirmation")


def confirmation() -> str | Response:
    """Thank you, with the reference in a panel."""
    answers = release.load(GARDEN.key)
    if "reference" not in answers:
        return release.go("garden_start")
    return page(
        "confirmation.html",
        "Subscription confirmed",
        answers=answers,
        bins_label=council.bins_label(int(answers["bins"])),
    )


def register(bp: Blueprint) -> None:
    """Add the garden waste pages to one release's blueprint."""
    both = ["GET", "POST"]
    bp.add_url_rule("/garden-waste/", "garden_start", start)
    bp.add_url_rule("/garden-waste/eligibility", "garden_eligibility", eligibility, methods=both)
    bp.add_url_rule("/garden-waste/not-eligible", "garden_not_eligible", not_eligible)
    bp.add_url_rule("/garden-waste/your-details", "garden_details", details, methods=both)
    bp.add_url_rule("/garden-waste/subscription", "garden_subscription", subscription, methods=both)
    bp.add_url_rule("/garden-waste/review", "garden_review", review, methods=both)
    bp.add_url_rule("/garden-waste/paid", "garden_paid", paid)
    bp.add_url_rule("/garden-waste/confirmation", "garden_confirmation", confirmation)
