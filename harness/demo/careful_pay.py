"""Supplier A: pay your council tax, an amount you type, shown back large before any card details."""

from __future__ import annotations

import re
from datetime import date

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.answers import Answers
from harness.demo.careful_site import Errors, Service, bp, money_error, new_reference, validate_card

PAY = Service(
    name="Pay your council tax",
    answers=Answers("careful-pay", (("pay_account", "amount"),)),
    check="pay_check",
)
BALANCE_PENCE = 1018_00
"""What every demo account still owes this year: an amount above it is probably a typing slip."""
PAYMENT_LINE = "01632 960 456"
"""The automated payment line, open all day (Ofcom's drama range: never a real line)."""
POSTAL_ADDRESS = f"Council Tax, {council.COUNCIL_NAME}, Town Hall, Market Square, Millbrook, MB1 1AA"

_answers = PAY.answers.all
_save = PAY.answers.save


@bp.get("/pay/start")
def pay_start() -> str:
    """Start page: what you need, and every other way to pay."""
    return PAY.render("pay/start.html", PAY.name, {}, payment_line=PAYMENT_LINE, postal_address=POSTAL_ADDRESS)


@bp.route("/pay/account", methods=["GET", "POST"])
def pay_account() -> str | Response:
    """The account number from the bill, and the amount in pounds."""
    saved = _answers()
    if request.method == "GET" and saved.get("reference"):
        session.pop(PAY.answers.cookie_key, None)  # paid already: a new visit starts afresh
        saved = {}
    number = request.form.get("account_number", saved.get("account_number_typed", "")).strip()
    typed = request.form.get("amount", saved.get("amount_typed", "")).strip()
    errors: Errors = {}
    if request.method == "POST":
        digits = re.sub(r"[\s-]+", "", number)
        if not number:
            errors["account_number"] = "Enter your council tax account number"
        elif not (digits.isdigit() and len(digits) == 8):
            errors["account_number"] = "Enter your account number as 8 numbers, like 6001 2345"
        message, amount = money_error(typed, "Enter the amount you want to pay", "Amount", "125.50",
                                      allow_zero=False)
        if message:
            errors["amount"] = message
        if not errors:
            _save(account_number=digits, account_number_typed=number, amount=str(amount), amount_typed=typed,
                  confirmed="")
            return redirect(url_for(".pay_check"))
    return PAY.render("pay/account.html", "Your council tax account", errors, number=number, typed=typed,
                      back=PAY.back("pay_start"))


@bp.route("/pay/check", methods=["GET", "POST"])
def pay_check() -> str | Response:
    """The amount in large type, a warning when it is more than is owed, and Change links."""
    if missing := PAY.answers.first_unanswered():
        return redirect(url_for(f".{missing}"))
    if request.method == "POST":
        _save(confirmed="yes")
        return redirect(url_for(".pay_card"))
    answers = _answers()
    amount = int(answers["amount"])
    return PAY.render("pay/check.html", "Check your payment", {}, amount=council.pounds(amount),
                      account=_spaced(answers["account_number"]), balance=council.pounds(BALANCE_PENCE),
                      over_balance=amount > BALANCE_PENCE, back=url_for(".pay_account", change="1"))


@bp.route("/pay/card", methods=["GET", "POST"])
def pay_card() -> str | Response:
    """Card details, with the amount on the page and on the button; a second press never pays twice."""
    answers = _answers()
    if answers.get("reference"):
        return redirect(url_for(".pay_confirmation"))
    if answers.get("confirmed") != "yes" or PAY.answers.first_unanswered():
        return redirect(url_for(".pay_check"))
    values = {f: request.form.get(f, "").strip() for f in ("card_number", "expiry", "card_name", "csc")}
    errors: Errors = {}
    if request.method == "POST":
        errors = validate_card(values)
        if not errors:
            _save(reference=new_reference("CTP"), paid_on=date.today().isoformat(), confirmed="")
            return redirect(url_for(".pay_confirmation"))
        values["csc"] = ""  # like GOV.UK Pay, never echo the security code back into the page
    return PAY.render("pay/card.html", "Pay by debit or credit card", errors, values=values,
                      amount=council.pounds(int(answers["amount"])), account=_spaced(answers["account_number"]),
                      back=url_for(".pay_check"))


@bp.get("/pay/confirmation")
def pay_confirmation() -> str | Response:
    """Reference, amount and date: a receipt to keep."""
    answers = _answers()
    if not answers.get("reference"):
        return redirect(url_for(".pay_start"))
    return PAY.render("pay/confirmation.html", "Payment complete", {}, reference=answers["reference"],
                      amount=council.pounds(int(answers["amount"])), account=_spaced(answers["account_number"]),
                      paid_on=council.long_date(date.fromisoformat(answers["paid_on"])))


def _spaced(account_number: str) -> str:
    """An 8-digit account number in two groups of 4, as printed on the bill: "6001 2345"."""
    return f"{account_number[:4]} {account_number[4:]}"
