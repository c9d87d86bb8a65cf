"""Supplier C: a council tax payment product whose releases 1.0 and 2.0 are served side by side.

Both releases share every page; each `Release` says which barriers it has, so procurement can compare
what the supplier fixed in 2.0 and what it broke (the barriers are listed for the harness's own tests).
Every release still lets a mouse user pay: the barriers stop some people, not everyone.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.answers import Answers

SUPPLIER = "QuickPay Councils Ltd"
SERVICE = "Pay your council tax"
MAX_AMOUNT_PENCE = 10_000_000
"""£100,000: far above any council tax bill, so only a typing slip of several digits is refused."""

_AMOUNT = re.compile(r"(\d+)(?:\.(\d{1,2}))?")

Errors = dict[str, str]
"""Field id to error message, in page order: the error summary links to each id."""


@dataclass(frozen=True, slots=True)
class Release:
    """One release of the product; each flag that is False (or None) is a barrier of that release.

    Both releases keep the barrier offline-alternative: the start page never names a way to pay
    that does not need the internet.
    """

    slug: str
    """The URL segment and blueprint suffix: "v1"."""
    version: str
    labelled_amount: bool
    """False: the amount field's only name is its placeholder (placeholder-label, WCAG 3.3.2)."""
    amount_before_payment: bool
    """False: the page before the card page neither shows the amount nor lets people change it
    (amount-before-payment and extra-zero, WCAG 3.3.4)."""
    statement: bool
    """False: no page links to an accessibility statement (statement-link)."""
    session_minutes: int | None
    """Minutes after which the card page sends people to "session expired" with no warning and no way
    to ask for more time (time-limit, WCAG 2.2.1); None for no limit."""


V1 = Release("v1", "1.0", labelled_amount=False, amount_before_payment=False, statement=False,
             session_minutes=None)
V2 = Release("v2", "2.0", labelled_amount=True, amount_before_payment=True, statement=True, session_minutes=15)
RELEASES = (V1, V2)


def make_blueprint(release: Release) -> Blueprint:
    """The pay-an-amount journey of one release, under /supplier-c/<slug>/."""
    bp = Blueprint(f"supplier_c_{release.slug}", __name__, url_prefix=f"/supplier-c/{release.slug}")
    # One cookie key per release, so trying both releases in one browser never mixes their answers.
    answers = Answers(f"supplier-c-{release.slug}", (("account", "amount"),))

    def page(template: str, heading: str, errors: Errors, **context: object) -> str:
        """Render a page; the title names the step, and starts "Error:" when there are errors."""
        return render_template(f"supplier_c/{template}", release=release, service=SERVICE,
                               supplier=SUPPLIER, page_title=heading, errors=errors, **context)

    def amount() -> str:
        return council.pounds(int(answers.all().get("amount", "0") or 0))

    @bp.get("/")
    def home() -> Response:
        """The product offers one journey, so its address goes straight to the start page."""
        return redirect(url_for(".start"))

    @bp.get("/pay/start")
    def start() -> str:
        """Start page: what people need, and (in every release) no other way to pay."""
        return page("start.html", SERVICE, {})

    @bp.route("/pay/account", methods=["GET", "POST"])
    def account() -> str | Response:
        """Account number and amount; a Change link brings people back here with their answers kept."""
        if request.method == "GET" and answers.all().get("reference"):
            session.pop(answers.cookie_key, None)  # paid already: a new visit is a new payment
        saved = answers.all()
        number = request.form.get("account_number", saved.get("account_number", "")).strip()
        typed = request.form.get("amount", saved.get("amount_typed", "")).strip()
        errors: Errors = {}
        if request.method == "POST":
            errors, pence = _validate_account(number, typed)
            if not errors:
                answers.save(account_number="".join(number.split()), amount=str(pence), amount_typed=typed,
                             confirmed="")
                return redirect(url_for(".confirm"))
        return page("account.html", "Your council tax account", errors, number=number, typed=typed)

    @bp.route("/pay/confirm", methods=["GET", "POST"])
    def confirm() -> str | Response:
        """The last page before the card details (release 1.0 leaves the amount off it)."""
        if gap := answers.guard("confirm"):
            return gap
        if request.method == "POST":
            answers.save(confirmed="yes")
            return redirect(url_for(".card"))
        heading = "Check your payment" if release.amount_before_payment else "Confirm payment"
        return page("confirm.html", heading, {}, answers=answers.all(), amount=amount())

    @bp.route("/pay/card", methods=["GET", "POST"])
    def card() -> str | Response:
        """Card details, with the amount on the page and on the button."""
        saved = answers.all()
        if saved.get("reference"):
            return redirect(url_for(".complete"))  # already paid: never take the money twice
        if gap := answers.guard("confirm"):
            return gap
        if saved.get("confirmed") != "yes":
            return redirect(url_for(".confirm"))
        if release.session_minutes is not None:
            if request.method == "GET":
                answers.save(card_opened=str(int(time.time())))
            elif time.time() - int(saved.get("card_opened", "0")) > release.session_minutes * 60:
                return redirect(url_for(".expired"))
        fields = ("card_number", "expiry", "card_name", "csc")
        values = {f: request.form.get(f, "").strip() for f in fields}
        errors: Errors = {}
        if request.method == "POST":
            errors = council.card_errors(values)
            if not errors:
                answers.save(reference=f"CT-{secrets.randbelow(900_000) + 100_000}", confirmed="")
                return redirect(url_for(".complete"))
            values["csc"] = ""  # never echo the security code back into the page
        return page("card.html", "Pay by card", errors, values=values, amount=amount())

    @bp.get("/pay/expired")
    def expired() -> str:
        """Where release 2.0's card page sends people when its time runs out."""
        if release.session_minutes is None:
            abort(404)
        # The answers are kept, as a real session would keep them until "Start again" begins afresh:
        # the time limit is enforced when the card details arrive, not by forgetting them here.
        return page("expired.html", "Your session has expired", {}, minutes=release.session_minutes)

    @bp.get("/pay/complete")
    def complete() -> str | Response:
        """The receipt: reference number and what was paid."""
        saved = answers.all()
        if not saved.get("reference"):
            return redirect(url_for(".start"))
        return page("complete.html", "Payment complete", {}, answers=saved, amount=amount())

    @bp.get("/accessibility")
    def accessibility() -> str:
        """The accessibility statement release 2.0 added and links to from every page."""
        if not release.statement:
            abort(404)
        reviewed = date.today().replace(day=1)  # follows the calendar so the statement never looks stale
        return page("accessibility.html", "Accessibility statement", {}, reviewed=council.long_date(reviewed))

    return bp


def _validate_account(number: str, typed: str) -> tuple[Errors, int]:
    """The account number and the amount in pence, with GOV.UK style messages; pence is 0 on an error."""
    errors: Errors = {}
    digits = "".join(number.split())
    if not digits:
        errors["account_number"] = "Enter your council tax account number"
    elif not (digits.isdigit() and len(digits) == 8):
        errors["account_number"] = "Account number must be 8 digits, like 60012345"
    pence = _pence(typed)
    if not typed:
        errors["amount"] = "Enter the amount you want to pay"
    elif pence is None:
        errors["amount"] = "Amount must be in pounds and pence, like 125.50"
    elif pence == 0:
        errors["amount"] = "Amount must be £0.01 or more"
    elif pence > MAX_AMOUNT_PENCE:
        errors["amount"] = f"Amount must be {council.pounds(MAX_AMOUNT_PENCE)} or less"
    return errors, pence or 0


def _pence(typed: str) -> int | None:
    """Pence from "125.50", "£125.50", "1,255" or "125.5"; None if it is not an amount of money."""
    match = _AMOUNT.fullmatch(typed.replace(",", "").replace(" ", "").removeprefix("£"))
    if not match:
        return None
    pounds, pennies = match.group(1), (match.group(2) or "0").ljust(2, "0")
    return int(pounds) * 100 + int(pennies)


blueprints = tuple(make_blueprint(release) for release in RELEASES)
