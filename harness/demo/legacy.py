"""Supplier B: the same journeys as a legacy product, with the barriers listed in barriers.toml.

Every journey still works with a mouse: the barriers stop some people, not everyone. Garden waste and bin
day are here; blue badge, council tax reduction and paying an amount have a module each, on the same
blueprint (importing them registers their pages).
"""

from __future__ import annotations

from flask import jsonify, redirect, request, session, url_for
from werkzeug.wrappers import Response

# Importing a journey's module registers its pages on the blueprint.
import harness.demo.legacy_blue_badge
import harness.demo.legacy_council_tax
import harness.demo.legacy_pay  # noqa: F401
from harness.demo import council
from harness.demo.answers import Answers
from harness.demo.legacy_site import GENERIC_ERROR as _GENERIC_ERROR
from harness.demo.legacy_site import bp, card_accepted, render

__all__ = ["bp"]

# Barrier page-title-repeated: one title for every page of the product.
TITLE = "Garden Waste"
_STEPS = (("where", "uprn"), ("who", "who"), ("contact", "name"), ("bins", "bins"))


_ANSWERS = Answers("legacy", _STEPS)
_answers = _ANSWERS.all
_save = _ANSWERS.save
_first_unanswered = _ANSWERS.first_unanswered
_guard = _ANSWERS.guard


def _render(template: str, **context: object) -> str:
    return render(template, title=TITLE, **context)


@bp.get("/")
def home() -> str:
    """The product's landing page."""
    return _render("home.html")


@bp.get("/garden-waste/start")
def start() -> str:
    """Start page that names only the online route (barrier start-page-online-only)."""
    return _render("start.html", price=council.pounds(council.PRICE_PER_BIN_PENCE))


@bp.route("/garden-waste/where", methods=["GET", "POST"])
def where() -> str | Response:
    """Postcode-only lookup behind a clickable div (barriers postcode-only-lookup, find-address-clickable-div)."""
    if request.method == "GET" and _answers().get("reference"):
        session.pop("legacy", None)
    error = ""
    if request.method == "POST":
        postcode = request.form.get("postcode", "")
        if not council.looks_like_postcode(postcode):
            error = "Invalid postcode"
        elif not council.addresses_for_postcode(postcode):
            error = "No addresses found"
        else:
            _save(postcode=postcode, uprn="")
            return redirect(url_for(".address"))
    return _render("where.html", error=error)  # the typed postcode is not kept


@bp.route("/garden-waste/address", methods=["GET", "POST"])
def address() -> str | Response:
    """Address radios."""
    found = council.addresses_for_postcode(_answers().get("postcode", ""))
    if not found:
        return redirect(url_for(".where"))
    error = ""
    if request.method == "POST":
        uprn = request.form.get("uprn", "")
        if uprn in {a.uprn for a in found}:
            _save(uprn=uprn)
            return redirect(url_for(".who"))
        error = _GENERIC_ERROR
    return _render("address.html", found=found, error=error)


@bp.route("/garden-waste/who", methods=["GET", "POST"])
def who() -> str | Response:
    """Myself or someone else."""
    if gap := _guard("who"):
        return gap
    error = ""
    if request.method == "POST":
        choice = request.form.get("who", "")
        if choice in ("Myself", "Someone else"):
            _save(who=choice)
            return redirect(url_for(".contact"))
        error = _GENERIC_ERROR
    return _render("who.html", error=error)


@bp.route("/garden-waste/contact", methods=["GET", "POST"])
def contact() -> str | Response:
    """Unlabelled inputs, email required, errors as red text only (barriers contact-*)."""
    if gap := _guard("contact"):
        return gap
    error = ""
    if request.method == "POST":
        values = {f: request.form.get(f, "").strip() for f in ("name", "phone", "email")}
        if all(values.values()) and "@" in values["email"]:
            _save(**values)
            return redirect(url_for(".bins"))
        error = _GENERIC_ERROR  # the entered values are thrown away
    return _render("contact.html", error=error)


@bp.route("/garden-waste/bins", methods=["GET", "POST"])
def bins() -> str | Response:
    """Bin radios with no fieldset or legend (barrier bins-radios-no-fieldset)."""
    if gap := _guard("bins"):
        return gap
    error = ""
    if request.method == "POST":
        choice = request.form.get("bins", "")
        if choice in ("1", "2", "3"):
            _save(bins=choice)
            return redirect(url_for(".check"))
        error = _GENERIC_ERROR
    options = [(str(n), council.bins_label(n)) for n in range(1, council.MAX_BINS + 1)]
    return _render("bins.html", options=options, error=error)


@bp.route("/garden-waste/check", methods=["GET", "POST"])
def check() -> str | Response:
    """Answers without the amount to pay (barrier check-answers-no-amount)."""
    if missing := _first_unanswered():
        return redirect(url_for(f".{missing}"))
    if request.method == "POST":
        return redirect(url_for(".pay"))
    answers = _answers()
    chosen = council.address_by_uprn(answers["uprn"])
    return _render(
        "check.html", answers=answers, address=chosen, bins=council.bins_label(int(answers["bins"]))
    )


@bp.route("/garden-waste/pay", methods=["GET", "POST"])
def pay() -> str | Response:
    """The payment page of the supplier's card gateway."""
    answers = _answers()
    if answers.get("reference"):
        return redirect(url_for(".confirmation"))
    if missing := _first_unanswered():
        return redirect(url_for(f".{missing}"))
    error = ""
    if request.method == "POST":
        if card_accepted(request.form):
            _save(reference=council.new_reference())
            return redirect(url_for(".confirmation"))
        error = "Payment declined. Please check your card details."
    amount = council.pounds(council.price_pence(int(answers["bins"])))
    return _render("pay.html", amount=amount, error=error)


@bp.get("/garden-waste/confirmation")
def confirmation() -> str | Response:
    """Reference number."""
    answers = _answers()
    if not answers.get("reference"):
        return redirect(url_for(".start"))
    return _render("confirmation.html", answers=answers)


@bp.get("/bin-day")
def bin_day() -> str:
    """Search driven by a clickable span, results written in by script (barriers bin-day-*)."""
    return _render("bin_day.html")


@bp.get("/bin-day/lookup")
def bin_day_lookup() -> Response:
    """JSON for the bin-day page's script: postcodes only."""
    postcode = request.args.get("postcode", "")
    found = council.addresses_for_postcode(postcode) if council.looks_like_postcode(postcode) else []
    if not found:
        return jsonify(ok=False, error="Invalid postcode")
    street = found[0].street
    rows = [[c.kind, f"{c.next_date:%a %d/%m/%Y}"] for c in council.next_collections(street)]
    return jsonify(ok=True, street=street.label.upper(), rows=rows)

