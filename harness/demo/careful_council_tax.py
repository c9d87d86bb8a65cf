"""Supplier A: apply for council tax reduction, for yourself or for someone else, with proof sent any way."""

from __future__ import annotations

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.answers import Answers
from harness.demo.careful_site import (
    WHO,
    Errors,
    Service,
    bp,
    email_error,
    money_error,
    new_reference,
    phone_error,
    uploaded_name,
)

COUNCIL_TAX_REDUCTION = Service(
    name="Apply for council tax reduction",
    answers=Answers("careful-council-tax-reduction", (
        ("council_tax_reduction_who", "who"),
        ("council_tax_reduction_details", "phone"),
        ("council_tax_reduction_household", "household"),
        ("council_tax_reduction_income", "income"),
        ("council_tax_reduction_proof", "proof"),
    )),
    check="council_tax_reduction_check",
)
POSTAL_ADDRESS = f"Council Tax Reduction, {council.COUNCIL_NAME}, Town Hall, Market Square, Millbrook, MB1 1AA"
OFFICE = "the customer service desk at Millbrook Town Hall, Monday to Friday, 9am to 5pm"
HOUSEHOLD = {"nobody": "Nobody else", "partner": "A partner", "children": "Children",
             "partner-and-children": "A partner and children"}
PROOF_LATER = "later"
"""The proof answer of someone who will post copies or bring them to the council office."""

_SERVICE = COUNCIL_TAX_REDUCTION
_answers = _SERVICE.answers.all
_save = _SERVICE.answers.save
_guard = _SERVICE.answers.guard


@bp.get("/council-tax-reduction/start")
def council_tax_reduction_start() -> str:
    """Start page: who can get a reduction, what you need, and the other ways to apply."""
    return _SERVICE.render("council_tax_reduction/start.html", _SERVICE.name, {}, postal_address=POSTAL_ADDRESS,
                           office=OFFICE)


@bp.route("/council-tax-reduction/who", methods=["GET", "POST"])
def council_tax_reduction_who() -> str | Response:
    """Whether the visitor applies for themself or for someone they are helping."""
    if request.method == "GET" and _answers().get("reference"):
        session.pop(_SERVICE.answers.cookie_key, None)  # a sent application: a new visit starts afresh
    choice = request.form.get("who", _answers().get("who", ""))
    errors: Errors = {}
    if request.method == "POST":
        if choice not in WHO:
            errors["who"] = "Select who you are applying for"
        else:
            _save(who=choice)
            return _SERVICE.go_on("council_tax_reduction_details")
    options = [("myself", "Myself", ""),
               ("someone-else", "Someone else",
                "For example, a relative you care for. You need their permission to apply for them.")]
    return _SERVICE.render("question.html", "Who are you applying for?", errors, field="who", options=options,
                           choice=choice, hint="", back=_SERVICE.back("council_tax_reduction_start"))


@bp.route("/council-tax-reduction/details", methods=["GET", "POST"])
def council_tax_reduction_details() -> str | Response:
    """The applicant's name, and a phone number (and optional email) to contact the visitor on."""
    if gap := _guard("council_tax_reduction_details"):
        return gap
    saved = _answers()
    values = {f: request.form.get(f, saved.get(f, "")).strip() for f in ("name", "phone", "email")}
    on_behalf = _SERVICE.on_behalf()
    errors: Errors = {}
    if request.method == "POST":
        if not values["name"]:
            errors["name"] = "Enter their full name" if on_behalf else "Enter your full name"
        if message := phone_error(values["phone"]):
            errors["phone"] = message
        if message := email_error(values["email"]):
            errors["email"] = message
        if not errors:
            _save(**values)
            return _SERVICE.go_on("council_tax_reduction_household")
    # Someone applying for another person gives that person's name and their own contact details, so the
    # heading names neither: each part has its own legend saying whose details they are.
    heading = "Name and contact details" if on_behalf else "Your details"
    return _SERVICE.render("council_tax_reduction/details.html", heading, errors, values=values,
                           on_behalf=on_behalf, back=_SERVICE.back("council_tax_reduction_who"))


@bp.route("/council-tax-reduction/household", methods=["GET", "POST"])
def council_tax_reduction_household() -> str | Response:
    """Who else lives in the home: it changes how much reduction there can be."""
    if gap := _guard("council_tax_reduction_household"):
        return gap
    on_behalf = _SERVICE.on_behalf()
    choice = request.form.get("household", _answers().get("household", ""))
    errors: Errors = {}
    if request.method == "POST":
        if choice not in HOUSEHOLD:
            errors["household"] = "Select who lives with them" if on_behalf else "Select who lives with you"
        else:
            _save(household=choice)
            return _SERVICE.go_on("council_tax_reduction_income")
    heading = "Who lives with them?" if on_behalf else "Who lives with you?"
    hint = "Children means anyone under 18. Do not count lodgers."
    options = [(value, label, "") for value, label in HOUSEHOLD.items()]
    return _SERVICE.render("question.html", heading, errors, field="household", options=options, choice=choice,
                           hint=hint, back=_SERVICE.back("council_tax_reduction_details"))


@bp.route("/council-tax-reduction/income", methods=["GET", "POST"])
def council_tax_reduction_income() -> str | Response:
    """Monthly income and savings in pounds, typed the way people type money."""
    if gap := _guard("council_tax_reduction_income"):
        return gap
    on_behalf = _SERVICE.on_behalf()
    whose = "their" if on_behalf else "your"
    saved = _answers()
    values = {f: request.form.get(f, saved.get(f"{f}_typed", "")).strip() for f in ("income", "savings")}
    errors: Errors = {}
    if request.method == "POST":
        income_message, income = money_error(
            values["income"], f"Enter {whose} monthly income, or 0 if there is none", "Monthly income",
            "850 or 1,200.50", allow_zero=True)
        savings_message, savings = money_error(
            values["savings"], f"Enter {whose} savings, or 0 if there are none", "Savings", "1200 or 0",
            allow_zero=True)
        if income_message:
            errors["income"] = income_message
        if savings_message:
            errors["savings"] = savings_message
        if not errors:
            _save(income=str(income), savings=str(savings), income_typed=values["income"],
                  savings_typed=values["savings"])
            return _SERVICE.go_on("council_tax_reduction_proof")
    heading = "Their income and savings" if on_behalf else "Your income and savings"
    return _SERVICE.render("council_tax_reduction/income.html", heading, errors, values=values, whose=whose,
                           back=_SERVICE.back("council_tax_reduction_household"))


@bp.route("/council-tax-reduction/proof", methods=["GET", "POST"])
def council_tax_reduction_proof() -> str | Response:
    """Proof of income as a file, or copies sent by post or brought to the council office."""
    if gap := _guard("council_tax_reduction_proof"):
        return gap
    saved = _answers()
    saved_name = saved.get("proof_name", "") if saved.get("proof") == "upload" else ""
    later = (request.form.get("no_proof") == "yes" if request.method == "POST"
             else saved.get("proof") == PROOF_LATER)
    errors: Errors = {}
    if request.method == "POST":
        name = uploaded_name(request.files.get("proof"))
        if name:
            _save(proof="upload", proof_name=name)
            return _SERVICE.go_on("council_tax_reduction_check")
        if later:
            _save(proof=PROOF_LATER, proof_name="")
            return _SERVICE.go_on("council_tax_reduction_check")
        if saved_name:
            return _SERVICE.go_on("council_tax_reduction_check")  # keeps the file chosen before
        errors["proof"] = "Choose a file to upload, or select ‘I cannot upload proof of income’"
    whose = "their" if _SERVICE.on_behalf() else "your"
    return _SERVICE.render(
        "upload.html", "Upload proof of income", errors, back=_SERVICE.back("council_tax_reduction_income"),
        intro=f"This can be {whose} payslips from the last 2 months, a bank statement, or a benefit award letter.",
        field="proof", label="Upload proof of income", hint="The file must be a JPG, PNG or PDF, up to 10MB.",
        accept="image/jpeg,image/png,application/pdf", saved_name=saved_name,
        without_field="no_proof", without_label="I cannot upload proof of income", without_checked=later,
        without_hint=f"You can post copies to {POSTAL_ADDRESS}, or bring them to {OFFICE}. "
                     "Do not send originals.")


@bp.route("/council-tax-reduction/check", methods=["GET", "POST"])
def council_tax_reduction_check() -> str | Response:
    """Every answer with a Change link, and a declaration to confirm before sending."""
    if missing := _SERVICE.answers.first_unanswered():
        return redirect(url_for(f".{missing}"))
    answers = _answers()
    errors: Errors = {}
    declared = request.form.get("declaration") == "yes"
    if request.method == "POST":
        if declared:
            _save(reference=new_reference("CTR"))
            return redirect(url_for(".council_tax_reduction_confirmation"))
        errors["declaration"] = "Confirm the information is correct"
    on_behalf = answers["who"] == "someone-else"
    proof = (answers["proof_name"] if answers["proof"] == "upload"
             else "Will post copies or bring them to the council office")

    def change(page: str, field: str = "") -> str:
        return url_for(f".{page}", change="1") + (f"#{field}" if field else "")

    details = "council_tax_reduction_details"
    rows = [
        ("Applying for", WHO[answers["who"]], change("council_tax_reduction_who"), "who you are applying for"),
        ("Their full name" if on_behalf else "Full name", answers["name"], change(details, "name"), "full name"),
        ("Your phone number" if on_behalf else "Phone number", answers["phone"], change(details, "phone"), "phone number"),
        ("Your email address" if on_behalf else "Email address", answers["email"] or "Not given", change(details, "email"), "email address"),
        ("Who lives with " + ("them" if on_behalf else "you"), HOUSEHOLD[answers["household"]],
         change("council_tax_reduction_household"), "who lives in the home"),
        ("Monthly income", council.pounds(int(answers["income"])), change("council_tax_reduction_income", "income"),
         "monthly income"),
        ("Savings", council.pounds(int(answers["savings"])), change("council_tax_reduction_income", "savings"),
         "savings"),
        ("Proof of income", proof, change("council_tax_reduction_proof"), "proof of income"),
    ]
    return _SERVICE.render(
        "check_answers.html", "Check your answers before sending your application", errors, rows=rows,
        back=url_for(".council_tax_reduction_proof"), declaration=True, declared=declared,
        before_send="Giving false information on purpose to get a reduction is a crime.")


@bp.get("/council-tax-reduction/confirmation")
def council_tax_reduction_confirmation() -> str | Response:
    """Reference number, what happens next, and how to send proof or get help."""
    answers = _answers()
    if not answers.get("reference"):
        return redirect(url_for(".council_tax_reduction_start"))
    return _SERVICE.render("council_tax_reduction/confirmation.html", "Application sent", {}, answers=answers,
                           proof_later=answers["proof"] == PROOF_LATER, postal_address=POSTAL_ADDRESS,
                           office=OFFICE)
