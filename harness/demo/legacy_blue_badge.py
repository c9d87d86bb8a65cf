"""Supplier B's blue badge application, with the barriers listed under "blue-badge" in barriers.toml.

A mouse user gets through. The start page traps Tab in its feedback box (after Start now, so keyboard users
get past it), the details page forgets everything after a mistake, and the address lookup takes only a
postcode behind a clickable box, which stops keyboard users and people who do not know the postcode.
"""

from __future__ import annotations

from datetime import date

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.answers import Answers
from harness.demo.legacy_site import (
    GENERIC_ERROR,
    bp,
    looks_like_ni_number,
    new_reference,
    render,
    uploaded_name,
)

TITLE = "Blue Badge Application"
"""Barrier blue-badge-page-title-repeated: every page of the module has this title."""
CANNOT_UPLOAD = "I cannot upload a photo"

_ANSWERS = Answers("legacy-blue-badge", (
    ("blue_badge_who", "who"), ("blue_badge_details", "ni"), ("blue_badge_address", "postcode"),
    ("blue_badge_select_address", "uprn"), ("blue_badge_mobility", "mobility"), ("blue_badge_photo", "photo")))
_answers = _ANSWERS.all
_save = _ANSWERS.save


def _render(template: str, **context: object) -> str:
    return render(f"blue_badge/{template}", title=TITLE, **context)


@bp.get("/blue-badge/start")
def blue_badge_start() -> str:
    """Start page: online only, 'click here' links, a clipped notice and a feedback box that traps Tab."""
    return _render("start.html")


@bp.route("/blue-badge/who", methods=["GET", "POST"])
def blue_badge_who() -> str | Response:
    """Myself or someone else, as radios with no fieldset or legend."""
    if request.method == "GET" and _answers().get("reference"):
        session.pop(_ANSWERS.cookie_key, None)  # a finished application: start a new one
    error = ""
    if request.method == "POST":
        choice = request.form.get("who", "")
        if choice in ("Myself", "Someone else"):
            _save(who=choice)
            return redirect(url_for(".blue_badge_details"))
        error = GENERIC_ERROR
    return _render("who.html", error=error)


@bp.route("/blue-badge/details", methods=["GET", "POST"])
def blue_badge_details() -> str | Response:
    """The badge holder's details and contact details; a mistake clears every field."""
    if gap := _ANSWERS.guard("blue_badge_details"):
        return gap
    error = ni_error = ""
    if request.method == "POST":
        values = {f: request.form.get(f, "").strip()
                  for f in ("name", "day", "month", "year", "ni", "phone", "email")}
        born = _date_of_birth(values["day"], values["month"], values["year"])
        ni_ok = looks_like_ni_number(values["ni"])
        if values["name"] and born is not None and ni_ok:
            _save(name=values["name"], born=f"{born.day}/{born.month}/{born.year}",
                  ni=values["ni"].upper(), phone=values["phone"], email=values["email"])
            return redirect(url_for(".blue_badge_address"))
        error = GENERIC_ERROR
        ni_error = "" if ni_ok else "Invalid NI number"
    # Barrier blue-badge-details-values-cleared: the form comes back empty, whatever was typed.
    return _render("details.html", error=error, ni_error=ni_error)


@bp.route("/blue-badge/address", methods=["GET", "POST"])
def blue_badge_address() -> str | Response:
    """Postcode-only lookup behind a clickable div (barriers blue-badge-postcode-only-lookup, -clickable-div)."""
    if gap := _ANSWERS.guard("blue_badge_address"):
        return gap
    error = ""
    if request.method == "POST":
        postcode = request.form.get("postcode", "")
        if not council.looks_like_postcode(postcode):
            error = "Enter a valid postcode"
        elif not council.addresses_for_postcode(postcode):
            error = "No addresses found for this postcode"
        else:
            _save(postcode=postcode, uprn="")
            return redirect(url_for(".blue_badge_select_address"))
    return _render("address.html", error=error)


@bp.route("/blue-badge/select-address", methods=["GET", "POST"])
def blue_badge_select_address() -> str | Response:
    """Address radios."""
    if gap := _ANSWERS.guard("blue_badge_select_address"):
        return gap
    found = council.addresses_for_postcode(_answers().get("postcode", ""))
    if not found:
        return redirect(url_for(".blue_badge_address"))
    error = ""
    if request.method == "POST":
        uprn = request.form.get("uprn", "")
        if uprn in {a.uprn for a in found}:
            _save(uprn=uprn)
            return redirect(url_for(".blue_badge_mobility"))
        error = GENERIC_ERROR
    return _render("select_address.html", found=found, error=error)


@bp.route("/blue-badge/mobility", methods=["GET", "POST"])
def blue_badge_mobility() -> str | Response:
    """The eligibility question."""
    if gap := _ANSWERS.guard("blue_badge_mobility"):
        return gap
    error = ""
    if request.method == "POST":
        choice = request.form.get("mobility", "")
        if choice in ("Yes", "No"):
            _save(mobility=choice)
            return redirect(url_for(".blue_badge_photo"))
        error = GENERIC_ERROR
    return _render("mobility.html", error=error)


@bp.route("/blue-badge/photo", methods=["GET", "POST"])
def blue_badge_photo() -> str | Response:
    """A photo upload that also offers 'I cannot upload a photo' (the upload-alternative check passes here)."""
    if gap := _ANSWERS.guard("blue_badge_photo"):
        return gap
    error = ""
    if request.method == "POST":
        photo = uploaded_name(request.files.get("photo"))
        if photo or request.form.get("no_photo") == "yes":
            _save(photo=photo or CANNOT_UPLOAD)
            return redirect(url_for(".blue_badge_check"))
        error = GENERIC_ERROR
    return _render("photo.html", error=error, cannot_upload=CANNOT_UPLOAD)


@bp.route("/blue-badge/check", methods=["GET", "POST"])
def blue_badge_check() -> str | Response:
    """Answers with a 'Change' link on each row, every one going somewhere else (barrier -change-links)."""
    if missing := _ANSWERS.first_unanswered():
        return redirect(url_for(f".{missing}"))
    answers = _answers()
    if answers.get("reference"):
        return redirect(url_for(".blue_badge_sent"))
    if request.method == "POST":
        _save(reference=new_reference("BB"))
        return redirect(url_for(".blue_badge_sent"))
    return _render("check.html", answers=answers, address=council.address_by_uprn(answers["uprn"]))


@bp.get("/blue-badge/sent")
def blue_badge_sent() -> str | Response:
    """The reference number."""
    answers = _answers()
    if not answers.get("reference"):
        return redirect(url_for(".blue_badge_start"))
    return _render("sent.html", answers=answers)


def _date_of_birth(day: str, month: str, year: str) -> date | None:
    """A real date in the past from the three boxes, or None."""
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        return None
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return born if born < date.today() else None
