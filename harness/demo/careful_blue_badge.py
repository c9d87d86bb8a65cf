"""Supplier A: apply for a blue badge, for yourself or for someone else, with a way through without a photo."""

from __future__ import annotations

from datetime import date

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.answers import Answers
from harness.demo.careful_site import (
    WHO,
    Errors,
    Service,
    bp,
    changing,
    date_of_birth,
    new_reference,
    ni_number,
    uploaded_name,
    validate_query,
)

BLUE_BADGE = Service(
    name="Apply for a blue badge",
    answers=Answers("careful-blue-badge", (
        ("blue_badge_who", "who"),
        ("blue_badge_details", "ni_number"),
        ("blue_badge_find_address", "query"),
        ("blue_badge_select_address", "uprn"),
        ("blue_badge_mobility", "mobility"),
        ("blue_badge_photo", "photo"),
    )),
    check="blue_badge_check",
)
POSTAL_ADDRESS = f"Blue Badge team, {council.COUNCIL_NAME}, Town Hall, Market Square, Millbrook, MB1 1AA"
MOBILITY = {"yes": "Yes", "no": "No"}
PHOTO_LATER = "later"
"""The photo answer of someone who will post a photo or bring one to a library appointment."""

_answers = BLUE_BADGE.answers.all
_save = BLUE_BADGE.answers.save
_guard = BLUE_BADGE.answers.guard


def _whose() -> str:
    """ "your" or "their": the questions speak to the visitor, or about the person they are helping."""
    return "their" if BLUE_BADGE.on_behalf() else "your"


@bp.get("/blue-badge/start")
def blue_badge_start() -> str:
    """Start page: who can get a badge, what you need, and the other ways to apply."""
    return BLUE_BADGE.render("blue_badge/start.html", BLUE_BADGE.name, {}, postal_address=POSTAL_ADDRESS)


@bp.route("/blue-badge/who", methods=["GET", "POST"])
def blue_badge_who() -> str | Response:
    """Whether the badge is for the visitor or for someone they are helping."""
    if request.method == "GET" and _answers().get("reference"):
        session.pop(BLUE_BADGE.answers.cookie_key, None)  # a sent application: a new visit starts afresh
    choice = request.form.get("who", _answers().get("who", ""))
    errors: Errors = {}
    if request.method == "POST":
        if choice not in WHO:
            errors["who"] = "Select who the blue badge is for"
        else:
            _save(who=choice)
            return BLUE_BADGE.go_on("blue_badge_details")
    options = [("myself", "Myself", ""),
               ("someone-else", "Someone else", "For example, a relative or friend you are helping")]
    return BLUE_BADGE.render("question.html", "Who is the blue badge for?", errors, field="who",
                             options=options, choice=choice, hint="", back=BLUE_BADGE.back("blue_badge_start"))


@bp.route("/blue-badge/details", methods=["GET", "POST"])
def blue_badge_details() -> str | Response:
    """Name, date of birth and National Insurance number of the person the badge is for."""
    if gap := _guard("blue_badge_details"):
        return gap
    whose = _whose()
    saved = _answers()
    fields = ("name", "dob-day", "dob-month", "dob-year", "ni_number")
    values = {f: request.form.get(f, saved.get(f, "")).strip() for f in fields}
    errors: Errors = {}
    dob_parts: list[str] = []
    if request.method == "POST":
        errors, dob_parts, born, ni = _validate_details(values, whose)
        if not errors and born is not None and ni is not None:
            _save(**{**values, "ni_number": ni, "dob": born.isoformat()})
            return BLUE_BADGE.go_on("blue_badge_find_address")
    heading = "Their details" if whose == "their" else "Your details"
    return BLUE_BADGE.render("blue_badge/details.html", heading, errors, values=values, dob_parts=dob_parts,
                             on_behalf=whose == "their", back=BLUE_BADGE.back("blue_badge_who"))


@bp.route("/blue-badge/find-address", methods=["GET", "POST"])
def blue_badge_find_address() -> str | Response:
    """Address lookup by postcode, or by street and town for people who do not know the postcode."""
    if gap := _guard("blue_badge_find_address"):
        return gap
    query = request.form.get("query", _answers().get("query", "")).strip()
    errors: Errors = {}
    if request.method == "POST":
        errors = validate_query(query)
        if not errors:
            _save(query=query, uprn="")
            return BLUE_BADGE.go_on("blue_badge_select_address")
    on_behalf = BLUE_BADGE.on_behalf()
    heading = "What is their address?" if on_behalf else "What is your address?"
    intro = ("Give the address of the person who needs the badge. We will post the badge there."
             if on_behalf else "We will post the badge to this address.")
    return BLUE_BADGE.render("find_address.html", heading, errors, query=query, intro=intro, on_behalf=on_behalf,
                             back=BLUE_BADGE.back("blue_badge_details"))


@bp.route("/blue-badge/select-address", methods=["GET", "POST"])
def blue_badge_select_address() -> str | Response:
    """Choose one of the addresses the lookup found."""
    if gap := _guard("blue_badge_select_address"):
        return gap
    query = _answers()["query"]
    found = council.find_addresses(query)
    uprn = request.form.get("uprn", _answers().get("uprn", ""))
    errors: Errors = {}
    if request.method == "POST":
        if uprn not in {a.uprn for a in found}:
            errors["uprn"] = "Select the address"
        else:
            _save(uprn=uprn)
            return BLUE_BADGE.go_on("blue_badge_mobility")
    back = url_for(".blue_badge_find_address", change="1" if changing() else None)
    return BLUE_BADGE.render("select_address.html", "Select the address", errors, query=query, found=found,
                             uprn=uprn, back=back, search_again=back)


@bp.route("/blue-badge/mobility", methods=["GET", "POST"])
def blue_badge_mobility() -> str | Response:
    """The eligibility question that gives most people a badge without further assessment."""
    if gap := _guard("blue_badge_mobility"):
        return gap
    whose = _whose()
    choice = request.form.get("mobility", _answers().get("mobility", ""))
    errors: Errors = {}
    if request.method == "POST":
        if choice not in MOBILITY:
            errors["mobility"] = ("Select yes if they get the higher rate of the mobility part of PIP"
                                  if whose == "their" else
                                  "Select yes if you get the higher rate of the mobility part of PIP")
        else:
            _save(mobility=choice)
            return BLUE_BADGE.go_on("blue_badge_photo")
    subject = "they" if whose == "their" else "you"
    heading = (f"Do {subject} get the higher rate of the mobility part of Personal Independence Payment "
               "(PIP)?")
    hint = f"It is on {whose} PIP award letter. It is sometimes called the enhanced rate."
    no_hint = f"{whose.capitalize()} application can still go ahead. We will write to ask how walking is affected."
    options = [("yes", "Yes", ""), ("no", "No", no_hint)]
    return BLUE_BADGE.render("question.html", heading, errors, field="mobility", options=options, choice=choice,
                             hint=hint, back=BLUE_BADGE.back("blue_badge_select_address"))


@bp.route("/blue-badge/photo", methods=["GET", "POST"])
def blue_badge_photo() -> str | Response:
    """A photo for the badge, or a promise to post one or bring one to a library appointment."""
    if gap := _guard("blue_badge_photo"):
        return gap
    saved = _answers()
    saved_name = saved.get("photo_name", "") if saved.get("photo") == "upload" else ""
    later = request.form.get("no_photo") == "yes" if request.method == "POST" else saved.get("photo") == PHOTO_LATER
    errors: Errors = {}
    if request.method == "POST":
        name = uploaded_name(request.files.get("photo"))
        if name:
            _save(photo="upload", photo_name=name)
            return BLUE_BADGE.go_on("blue_badge_check")
        if later:
            _save(photo=PHOTO_LATER, photo_name="")
            return BLUE_BADGE.go_on("blue_badge_check")
        if saved_name:
            return BLUE_BADGE.go_on("blue_badge_check")  # keeps the photo chosen before
        errors["photo"] = "Choose a photo to upload, or select ‘I cannot upload a photo’"
    on_behalf = BLUE_BADGE.on_behalf()
    heading = "Upload a photo of the badge holder" if on_behalf else "Upload a photo of yourself"
    return BLUE_BADGE.render(
        "upload.html", heading, errors, back=BLUE_BADGE.back("blue_badge_mobility"),
        intro=f"We print the photo on the badge. It must be a recent colour photo of {'their' if on_behalf else 'your'}"
              " face, like a passport photo.",
        field="photo", label="Upload a photo", hint="The file must be a JPG or PNG, up to 10MB.",
        accept="image/jpeg,image/png", saved_name=saved_name,
        without_field="no_photo", without_label="I cannot upload a photo", without_checked=later,
        without_hint="You can send a printed photo by post, or bring one to an appointment at any Millbrook "
                     "library and we will take it for you. We will tell you how after you apply.")


@bp.route("/blue-badge/check", methods=["GET", "POST"])
def blue_badge_check() -> str | Response:
    """Every answer with a Change link whose name says what it changes; no fee to pay."""
    if missing := BLUE_BADGE.answers.first_unanswered():
        return redirect(url_for(f".{missing}"))
    if request.method == "POST":
        _save(reference=new_reference("BB"))
        return redirect(url_for(".blue_badge_confirmation"))
    answers = _answers()
    address = council.address_by_uprn(answers["uprn"])
    photo = answers["photo_name"] if answers["photo"] == "upload" else "Will post it or bring it to a library"

    def change(page: str) -> str:
        return url_for(f".{page}", change="1")

    rows = [
        ("Badge for", WHO[answers["who"]], change("blue_badge_who"), "who the badge is for"),
        ("Full name", answers["name"], change("blue_badge_details"), "full name"),
        ("Date of birth", _day_month_year(date.fromisoformat(answers["dob"])),
         change("blue_badge_details") + "#dob-day", "date of birth"),
        ("National Insurance number", answers["ni_number"], change("blue_badge_details") + "#ni_number",
         "National Insurance number"),
        ("Address", address.label if address else "", change("blue_badge_find_address"), "address"),
        ("Gets the higher rate of the mobility part of PIP", MOBILITY[answers["mobility"]],
         change("blue_badge_mobility"), "answer about the mobility part of PIP"),
        ("Photo", photo, change("blue_badge_photo"), "photo"),
    ]
    return BLUE_BADGE.render(
        "check_answers.html", "Check your answers before sending your application", {}, rows=rows,
        back=url_for(".blue_badge_photo"), declaration=False, declared=False,
        before_send="There is no fee. By sending this application you confirm that the details are correct "
                    "to the best of your knowledge.")


@bp.get("/blue-badge/confirmation")
def blue_badge_confirmation() -> str | Response:
    """Reference number, what happens next, and how to send a photo or get help."""
    answers = _answers()
    if not answers.get("reference"):
        return redirect(url_for(".blue_badge_start"))
    address = council.address_by_uprn(answers.get("uprn", ""))
    return BLUE_BADGE.render("blue_badge/confirmation.html", "Application sent", {}, answers=answers,
                             address=address.label if address else "", photo_later=answers["photo"] == PHOTO_LATER,
                             on_behalf=answers["who"] == "someone-else", postal_address=POSTAL_ADDRESS)


def _day_month_year(day: date) -> str:
    """A date of birth as GOV.UK writes it: "12 March 1941"."""
    return f"{day.day} {day:%B %Y}"


def _validate_details(values: dict[str, str], whose: str) -> tuple[Errors, list[str], date | None, str | None]:
    """Errors in page order, the date parts in error, the date of birth and the tidied NI number."""
    errors: Errors = {}
    if not values["name"]:
        errors["name"] = f"Enter {whose} full name"
    message, parts, born = date_of_birth(
        {p: values[f"dob-{p}"] for p in ("day", "month", "year")}, whose)
    if message:
        errors[f"dob-{parts[0]}"] = message
    ni = ni_number(values["ni_number"])
    if not values["ni_number"]:
        errors["ni_number"] = f"Enter {whose} National Insurance number"
    elif ni is None:
        errors["ni_number"] = "Enter a National Insurance number in the correct format, like QQ 12 34 56 C"
    return errors, parts, born, ni
