"""Supplier B's council tax reduction application, with the barriers listed under "council-tax-reduction".

A mouse user gets through. Nobody can say they are applying for someone else, the Start now link sits
under a cookie banner, proof of income must be uploaded, a CAPTCHA has no alternative, and the confirmation
sends people to an app.
"""

from __future__ import annotations

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.answers import Answers
from harness.demo.legacy_site import GENERIC_ERROR, bp, new_reference, pence, render, uploaded_name

TITLE = "Council Tax Reduction"
"""Barrier council-tax-reduction-page-title-repeated: every page of the module has this title."""
WHO = ("Myself", "My partner")
"""Barrier council-tax-reduction-no-someone-else: there is no option for applying on someone else's behalf."""
HOUSEHOLD = ("Nobody else", "A partner", "Children", "Other adults")
_SUMMARY_TARGETS = {"name": "full-name", "phone": "phone-number", "email": "email-address"}
"""Barrier council-tax-reduction-error-summary-broken-links: ids the fields do not have (they are the keys)."""

_ANSWERS = Answers("legacy-council-tax-reduction", (
    ("ctr_who", "who"), ("ctr_contact", "email"), ("ctr_household", "household"), ("ctr_income", "income"),
    ("ctr_proof", "proof")))
_answers = _ANSWERS.all
_save = _ANSWERS.save


def _render(template: str, **context: object) -> str:
    return render(f"council_tax_reduction/{template}", title=TITLE, **context)


@bp.get("/council-tax-reduction/start")
def ctr_start() -> str:
    """Start page in legal language, with Start now under a fixed cookie banner."""
    return _render("start.html")


@bp.route("/council-tax-reduction/who", methods=["GET", "POST"])
def ctr_who() -> str | Response:
    """Myself or my partner: no way to apply for someone else."""
    if request.method == "GET" and _answers().get("reference"):
        session.pop(_ANSWERS.cookie_key, None)  # a finished application: start a new one
    error = ""
    if request.method == "POST":
        choice = request.form.get("who", "")
        if choice in WHO:
            _save(who=choice)
            return redirect(url_for(".ctr_contact"))
        error = GENERIC_ERROR
    return _render("who.html", options=WHO, error=error)


@bp.route("/council-tax-reduction/contact", methods=["GET", "POST"])
def ctr_contact() -> str | Response:
    """Name, phone and a required email; the error summary links to ids that do not exist."""
    if gap := _ANSWERS.guard("ctr_contact"):
        return gap
    saved = _answers()
    values = {f: request.form.get(f, saved.get(f, "")).strip() for f in ("name", "phone", "email")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not values["name"]:
            errors["name"] = "Full name is required"
        if len([c for c in values["phone"] if c.isdigit()]) < 10:
            errors["phone"] = "Phone number is invalid"
        if "@" not in values["email"] or "." not in values["email"].rsplit("@", 1)[-1]:
            errors["email"] = "Email is invalid"
        if not errors:
            _save(**values)
            return redirect(url_for(".ctr_household"))
    summary = [(_SUMMARY_TARGETS[field], message) for field, message in errors.items()]
    return _render("contact.html", values=values, errors=errors, summary=summary)


@bp.route("/council-tax-reduction/household", methods=["GET", "POST"])
def ctr_household() -> str | Response:
    """Who lives with the applicant, as radios with no fieldset or legend."""
    if gap := _ANSWERS.guard("ctr_household"):
        return gap
    error = ""
    if request.method == "POST":
        choice = request.form.get("household", "")
        if choice in HOUSEHOLD:
            _save(household=choice)
            return redirect(url_for(".ctr_income"))
        error = GENERIC_ERROR
    return _render("household.html", options=HOUSEHOLD, error=error)


@bp.route("/council-tax-reduction/income", methods=["GET", "POST"])
def ctr_income() -> str | Response:
    """Monthly income and savings, with hints not tied to their fields."""
    if gap := _ANSWERS.guard("ctr_income"):
        return gap
    error = ""
    if request.method == "POST":
        income, savings = pence(request.form.get("income", "")), pence(request.form.get("savings", ""))
        if income is not None and savings is not None:
            _save(income=council.pounds(income), savings=council.pounds(savings))
            return redirect(url_for(".ctr_proof"))
        error = GENERIC_ERROR
    return _render("income.html", error=error)


@bp.route("/council-tax-reduction/proof", methods=["GET", "POST"])
def ctr_proof() -> str | Response:
    """A required upload with no other way to send the proof (barrier -proof-upload-only)."""
    if gap := _ANSWERS.guard("ctr_proof"):
        return gap
    error = ""
    if request.method == "POST":
        proof = uploaded_name(request.files.get("proof"))
        if proof:
            _save(proof=proof)
            return redirect(url_for(".ctr_check"))
        error = "Please select a file to upload."
    return _render("proof.html", error=error)


@bp.route("/council-tax-reduction/check", methods=["GET", "POST"])
def ctr_check() -> str | Response:
    """Answers in a table without headers, 'Change' links, and an image CAPTCHA with no alternative."""
    if missing := _ANSWERS.first_unanswered():
        return redirect(url_for(f".{missing}"))
    answers = _answers()
    if answers.get("reference"):
        return redirect(url_for(".ctr_sent"))
    error = ""
    if request.method == "POST":
        # The CAPTCHA is for show: any answer, even none, is accepted, so the demo journey can finish.
        if request.form.get("confirm") == "yes":
            _save(reference=new_reference("CTR"))
            return redirect(url_for(".ctr_sent"))
        error = GENERIC_ERROR
    return _render("check.html", answers=answers, error=error)


@bp.get("/council-tax-reduction/sent")
def ctr_sent() -> str | Response:
    """The reference number, and an app as the only way to follow the application up."""
    answers = _answers()
    if not answers.get("reference"):
        return redirect(url_for(".ctr_start"))
    return _render("sent.html", answers=answers)
