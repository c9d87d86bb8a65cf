"""Supplier A's garden waste and bin day journeys, built to the GOV.UK patterns, and its blueprint."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.answers import Answers
from harness.demo.careful_blue_badge import BLUE_BADGE
from harness.demo.careful_council_tax import COUNCIL_TAX_REDUCTION
from harness.demo.careful_pay import PAY
from harness.demo.careful_site import (
    PRODUCT,
    WHO,
    Errors,
    bp,
    email_error,
    phone_error,
    validate_card,
    validate_query,
)

__all__ = ["bp"]

GARDEN_WASTE = "Subscribe to garden waste collection"
BIN_DAY = "Find your bin collection day"

# Each question page and the answer it records, in journey order: a page needs every earlier answer.
_QUESTIONS = (("where", "query"), ("address", "uprn"), ("who", "who"), ("contact", "phone"), ("bins", "bins"))



# Session state ------------------------------------------------------------------------------------


_ANSWERS = Answers("careful", _QUESTIONS)
_answers = _ANSWERS.all
_save = _ANSWERS.save
_first_unanswered = _ANSWERS.first_unanswered
_guard = _ANSWERS.guard


def _changing() -> bool:
    """Whether the visitor came from a Change link, so should go back to check answers."""
    return request.args.get("change") == "1"


def _go_on(next_page: str) -> Response:
    """Redirect after a valid answer (post/redirect/get, so refresh and back do not resubmit)."""
    if _changing():
        missing = _first_unanswered()
        if missing is None:
            return redirect(url_for(".check"))
        return redirect(url_for(f".{missing}", change="1"))
    return redirect(url_for(f".{next_page}"))


def _chosen_address() -> council.Address | None:
    return council.address_by_uprn(_answers().get("uprn", ""))


def _bins() -> int:
    return int(_answers().get("bins", "0") or 0)


# Pages shared by both journeys ---------------------------------------------------------------------


@bp.get("/")
def home() -> str:
    """The supplier's product page, linking to each journey it offers."""
    services = (
        (url_for(".start"), GARDEN_WASTE),
        (url_for(".bin_day"), BIN_DAY),
        (url_for(".blue_badge_start"), BLUE_BADGE.name),
        (url_for(".council_tax_reduction_start"), COUNCIL_TAX_REDUCTION.name),
        (url_for(".pay_start"), PAY.name),
    )
    return render_template("careful/home.html", service=PRODUCT, page_title=PRODUCT, errors={}, services=services)


@bp.get("/accessibility")
def accessibility() -> str:
    """The accessibility statement every page links to (GOV.UK model statement headings)."""
    # The review date follows the calendar so the demo's statement never looks stale to the harness.
    reviewed = date.today().replace(day=1)
    return render_template(
        "careful/accessibility.html",
        service=PRODUCT,
        page_title="Accessibility statement",
        errors={},
        reviewed=council.long_date(reviewed),
    )


# Subscribe to garden waste collection -------------------------------------------------------------


@bp.get("/garden-waste/start")
def start() -> str:
    """Start page: price, what is collected, and the other ways to subscribe."""
    return render_template(
        "careful/start.html",
        service=GARDEN_WASTE,
        page_title=GARDEN_WASTE,
        errors={},
        price=council.pounds(council.PRICE_PER_BIN_PENCE),
        postal_address=council.POSTAL_ADDRESS,
    )


@bp.route("/garden-waste/where", methods=["GET", "POST"])
def where() -> str | Response:
    """Address lookup that accepts a postcode or a street and town."""
    if request.method == "GET" and _answers().get("reference"):
        session.pop("careful", None)  # a finished subscription: a new visit starts afresh
    query = request.form.get("query", _answers().get("query", "")).strip()
    errors: Errors = {}
    if request.method == "POST":
        errors = validate_query(query)
        if not errors:
            _save(query=query, uprn="")
            return _go_on("address")
    return _page("where.html", "Where is the bin?", errors, query=query)


@bp.route("/garden-waste/address", methods=["GET", "POST"])
def address() -> str | Response:
    """Choose one of the addresses the lookup found."""
    if gap := _guard("address"):
        return gap
    query = _answers()["query"]
    found = council.find_addresses(query)
    uprn = request.form.get("uprn", _answers().get("uprn", ""))
    errors: Errors = {}
    if request.method == "POST":
        if uprn not in {a.uprn for a in found}:
            errors["uprn"] = "Select the address where the bin will be"
        else:
            _save(uprn=uprn)
            return _go_on("who")
    return _page("address.html", "Select the address", errors, query=query, found=found, uprn=uprn)


@bp.route("/garden-waste/who", methods=["GET", "POST"])
def who() -> str | Response:
    """Whether the visitor subscribes for themself or for someone else."""
    if gap := _guard("who"):
        return gap
    choice = request.form.get("who", _answers().get("who", ""))
    errors: Errors = {}
    if request.method == "POST":
        if choice not in WHO:
            errors["who"] = "Select who the subscription is for"
        else:
            _save(who=choice)
            return _go_on("contact")
    return _page("who.html", "Who is the subscription for?", errors, choice=choice, address=_chosen_address())


@bp.route("/garden-waste/contact", methods=["GET", "POST"])
def contact() -> str | Response:
    """The contact's name and phone, with email optional so nobody needs an email address."""
    if gap := _guard("contact"):
        return gap
    fields = ("resident", "name", "phone", "email")
    saved = _answers()
    values = {f: request.form.get(f, saved.get(f, "")).strip() for f in fields}
    errors: Errors = {}
    if request.method == "POST":
        errors = _validate_contact(values)
        if not errors:
            _save(**values)
            return _go_on("bins")
    on_behalf = saved.get("who") == "someone-else"
    return _page("contact.html", "Your contact details", errors, values=values, on_behalf=on_behalf)


@bp.route("/garden-waste/bins", methods=["GET", "POST"])
def bins() -> str | Response:
    """How many bins, as radios in a fieldset whose legend is the page heading."""
    if gap := _guard("bins"):
        return gap
    choice = request.form.get("bins", _answers().get("bins", ""))
    errors: Errors = {}
    if request.method == "POST":
        if choice not in {str(n) for n in range(1, council.MAX_BINS + 1)}:
            errors["bins"] = "Select how many garden waste bins you need"
        else:
            _save(bins=choice)
            return _go_on("check")
    options = [(str(n), council.bins_label(n)) for n in range(1, council.MAX_BINS + 1)]
    return _page(
        "bins.html",
        "How many garden waste bins do you need?",
        errors,
        choice=choice,
        options=options,
        price=council.pounds(council.PRICE_PER_BIN_PENCE),
    )


@bp.route("/garden-waste/check", methods=["GET", "POST"])
def check() -> str | Response:
    """Every answer with a Change link, and the amount to pay before any card details."""
    if missing := _first_unanswered():
        return redirect(url_for(f".{missing}"))
    if request.method == "POST":
        _save(confirmed="yes")
        return redirect(url_for(".pay"))
    answers = _answers()
    return _page(
        "check.html",
        "Check your answers before you pay",
        {},
        answers=answers,
        address=_chosen_address(),
        who=WHO[answers["who"]],
        bins=council.bins_label(_bins()),
        amount=council.pounds(council.price_pence(_bins())),
    )


@bp.route("/garden-waste/pay", methods=["GET", "POST"])
def pay() -> str | Response:
    """Card details, with the amount on the page and on the button."""
    answers = _answers()
    if answers.get("reference"):
        return redirect(url_for(".confirmation"))  # already paid: never take the money twice
    if answers.get("confirmed") != "yes" or _first_unanswered():
        return redirect(url_for(".check"))
    fields = ("card_number", "expiry", "card_name", "csc")
    values = {f: request.form.get(f, "").strip() for f in fields}
    errors: Errors = {}
    if request.method == "POST":
        errors = validate_card(values)
        if not errors:
            _save(reference=council.new_reference(), confirmed="")
            return redirect(url_for(".confirmation"))
        values["csc"] = ""  # like GOV.UK Pay, never echo the security code back into the page
    amount = council.pounds(council.price_pence(_bins()))
    return _page("pay.html", "Pay for your garden waste subscription", errors, values=values, amount=amount)


@bp.get("/garden-waste/confirmation")
def confirmation() -> str | Response:
    """Reference number, what happens next, and how to get help."""
    answers = _answers()
    if not answers.get("reference"):
        return redirect(url_for(".start"))
    address = _chosen_address()
    if address is None:
        abort(404)
    garden = council.next_collections(address.street)[2]
    return _page(
        "confirmation.html",
        "Subscription complete",
        {},
        answers=answers,
        address=address,
        bins=council.bins_label(_bins()),
        several=_bins() > 1,
        amount=council.pounds(council.price_pence(_bins())),
        first_collection=council.long_date(garden.next_date),
    )


# Find your bin collection day ---------------------------------------------------------------------


@bp.get("/bin-day")
def bin_day() -> str:
    """The search form; it submits to a results page so the result has its own title."""
    return _bin_day_form({}, "")


@bp.get("/bin-day/collections")
def collections() -> str:
    """Collection days for each street the search finds, as tables with captions and header cells."""
    query = request.args.get("q", "").strip()
    errors = validate_query(query, field="q")
    if errors:
        return _bin_day_form(errors, query)
    streets = council.find_streets(query)
    heading = _results_heading(streets, query)
    rounds = [(street, council.next_collections(street)) for street in streets]
    return render_template(
        "careful/collections.html",
        service=BIN_DAY,
        page_title=heading,
        errors={},
        rounds=rounds,
        long_date=council.long_date,
        garden_waste_service=GARDEN_WASTE,
    )


def _results_heading(streets: list[council.Street], query: str) -> str:
    """Name the street when there is one, so the title and heading say whose days these are."""
    if len(streets) == 1:
        return f"Collection days for {streets[0].label}"
    return f"Collection days for {len(streets)} streets matching ‘{query}’"


def _bin_day_form(errors: Errors, query: str) -> str:
    return render_template(
        "careful/bin_day.html", service=BIN_DAY, page_title=BIN_DAY, errors=errors, query=query
    )


# Validation: GOV.UK wording, tolerant of spaces and case ------------------------------------------


def _validate_contact(values: Mapping[str, str]) -> Errors:
    """Name and phone are needed; email is optional but must look like an email address if given."""
    errors: Errors = {}
    if not values["name"]:
        errors["name"] = "Enter your full name"
    if message := phone_error(values["phone"]):
        errors["phone"] = message
    if message := email_error(values["email"]):
        errors["email"] = message
    return errors


def _page(template: str, heading: str, errors: Errors, **context: object) -> str:
    """Render a garden waste question page; the title says the step, and "Error:" when there are errors."""
    return render_template(
        f"careful/{template}",
        service=GARDEN_WASTE,
        page_title=heading,
        errors=errors,
        changing=_changing(),
        **context,
    )
