"""Blue badge application, second half: address (results in a dropdown), declaration, review, done.

This lookup shows its matches in a select with a "Select" button, the other common pattern on
council form platforms. The old release submits the form as soon as the dropdown changes.
"""

from __future__ import annotations

import secrets
from datetime import date

from flask import Blueprint, request
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.supplier_d import forms, release
from harness.demo.supplier_d.blue_badge import BADGE, PIP_ANSWERS, page


def address() -> str | Response:
    """Postcode and Look up, then the matches in a dropdown; two small forms on one page."""
    answers = BADGE.answers()
    if (back := BADGE.guard("badge_address", answers)) is not None:
        return back
    if request.method == "POST" and request.form.get("action") == "select":
        uprn = forms.text(request.form, "uprn")
        chosen = council.address_by_uprn(uprn) if uprn in answers.get("lookup_results", []) else None
        if chosen is None:
            release.keep_form("address", {}, {"uprn": "Select an address from the list"})
            return release.go("badge_address")
        answers.update(address=chosen.label, uprn=chosen.uprn)
        return BADGE.saved(answers, "badge_declaration")
    if request.method == "POST":
        postcode = forms.text(request.form, "postcode")
        problem = forms.postcode_error(postcode)
        matches = council.addresses_for_postcode(postcode) if problem is None else []
        if problem is None and not matches:
            problem = (
                f"We could not find any addresses for {forms.tidy_postcode(postcode)}. Check the postcode"
            )
        if problem is not None:
            answers.pop("lookup_results", None)
            release.store(BADGE.key, answers)
            release.keep_form("address", {"postcode": postcode}, {"postcode": problem})
            return release.go("badge_address")
        answers["lookup_postcode"] = forms.tidy_postcode(postcode)
        answers["lookup_results"] = [a.uprn for a in matches]
        release.store(BADGE.key, answers)
        return release.go("badge_address", _anchor="uprn")
    values, errors = release.take_form("address")
    values.setdefault("postcode", str(answers.get("lookup_postcode", "")))
    values.setdefault("uprn", str(answers.get("uprn", "")))
    found = (council.address_by_uprn(str(u)) for u in answers.get("lookup_results", []))
    results = [a for a in found if a is not None] if "postcode" not in errors else []
    return page(
        "address.html",
        "Applicant's address",
        "badge_address",
        values=values,
        errors=errors,
        options=[(a.uprn, a.label) for a in results],
    )


def declaration() -> str | Response:
    """The declaration: one required checkbox."""
    answers = BADGE.answers()
    if (back := BADGE.guard("badge_declaration", answers)) is not None:
        return back
    if request.method == "POST":
        if request.form.get("declaration") != "agreed":
            release.keep_form("declaration", {}, {"declaration": "Tick the box to confirm the declaration"})
            return release.go("badge_declaration")
        answers["declaration"] = "agreed"
        return BADGE.saved(answers, "badge_review")
    values, errors = release.take_form("declaration")
    values.setdefault("declaration", str(answers.get("declaration", "")))
    return page("declaration.html", "Declaration", "badge_declaration", values=values, errors=errors)


def review() -> str | Response:
    """Review your application, then Submit application."""
    answers = BADGE.answers()
    if (back := BADGE.guard("badge_review", answers)) is not None:
        return back
    answers.pop("editing", None)
    if request.method == "POST":
        answers["reference"] = f"BB-{secrets.randbelow(90_000) + 10_000}"
        release.store(BADGE.key, answers)
        return release.go("badge_confirmation")
    release.store(BADGE.key, answers)
    born = date(int(answers["dob_year"]), int(answers["dob_month"]), int(answers["dob_day"]))
    return page(
        "review.html",
        "Review your application",
        "badge_review",
        answers=answers,
        date_of_birth=f"{born.day} {born:%B %Y}",
        pip=PIP_ANSWERS[str(answers["pip"])],
    )


def confirmation() -> str | Response:
    """Application received, with the reference."""
    answers = release.load(BADGE.key)
    if "reference" not in answers:
        return release.go("badge_start")
    return page(
        "confirmation.html", "Application received", answers=answers, postal_address=council.POSTAL_ADDRESS
    )


def register(bp: Blueprint) -> None:
    """Add these blue badge pages to one release's blueprint."""
    both = ["GET", "POST"]
    bp.add_url_rule("/blue-badge/address", "badge_address", address, methods=both)
    bp.add_url_rule("/blue-badge/declaration", "badge_declaration", declaration, methods=both)
    bp.add_url_rule("/blue-badge/review", "badge_review", review, methods=both)
    bp.add_url_rule("/blue-badge/confirmation", "badge_confirmation", confirmation)
