"""Supplier B's council tax payment, with the barriers listed under "pay-an-amount" in barriers.toml.

A mouse user gets through. The amount field has only a placeholder, the confirmation page shows the account
but not the amount (so a slip of an extra zero goes unseen), and the card page expires without a warning.
"""

from __future__ import annotations

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.answers import Answers
from harness.demo.legacy_site import GENERIC_ERROR, bp, card_accepted, new_reference, pence, render

TITLE = "Online Payments"
"""Barrier pay-an-amount-page-title-repeated: every page of the module has this title."""
SESSION_MINUTES = 10
"""Barrier pay-an-amount-card-page-times-out: the card page leaves for 'session expired' after this long."""

_ANSWERS = Answers("legacy-pay", (("pay_account", "amount"),))
_answers = _ANSWERS.all
_save = _ANSWERS.save


NO_ZOOM_VIEWPORT = "width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no"


def _render(template: str, **context: object) -> str:
    # Barrier pay-zoom-disabled: the payment pages stop people pinching to zoom, "so the layout holds".
    return render(f"pay/{template}", title=TITLE, viewport=NO_ZOOM_VIEWPORT, **context)


@bp.get("/pay/start")
def pay_start() -> str:
    """Start page with positive tabindex values (barrier pay-an-amount-positive-tabindex)."""
    return _render("start.html")


@bp.route("/pay/account", methods=["GET", "POST"])
def pay_account() -> str | Response:
    """Account number, and an amount field named only by its placeholder."""
    if request.method == "GET" and _answers().get("reference"):
        session.pop(_ANSWERS.cookie_key, None)  # a finished payment: start a new one
    error = ""
    if request.method == "POST":
        account = request.form.get("account", "").replace(" ", "")
        amount = pence(request.form.get("amount", ""))
        if account.isdigit() and len(account) == 8 and amount:
            _save(account=account, amount=str(amount), confirmed="")
            return redirect(url_for(".pay_confirm"))
        error = GENERIC_ERROR
    return _render("account.html", error=error)


@bp.route("/pay/confirm", methods=["GET", "POST"])
def pay_confirm() -> str | Response:
    """Confirms the account but not the amount, with no way to change it (barrier -confirm-without-amount)."""
    if gap := _ANSWERS.guard("pay_confirm"):
        return gap
    if request.method == "POST":
        _save(confirmed="yes")
        return redirect(url_for(".pay_card"))
    return _render("confirm.html", answers=_answers())


@bp.route("/pay/card", methods=["GET", "POST"])
def pay_card() -> str | Response:
    """The card page, which leaves for 'session expired' after ten minutes with no warning."""
    answers = _answers()
    if answers.get("reference"):
        return redirect(url_for(".pay_complete"))
    if _ANSWERS.first_unanswered() or answers.get("confirmed") != "yes":
        return redirect(url_for(".pay_account"))
    error = ""
    if request.method == "POST":
        if card_accepted(request.form):
            _save(reference=new_reference("CT"))
            return redirect(url_for(".pay_complete"))
        error = "Payment declined. Please check your card details."
    return _render("card.html", amount=council.pounds(int(answers["amount"])), error=error,
                   timeout_ms=SESSION_MINUTES * 60 * 1000)


@bp.get("/pay/complete")
def pay_complete() -> str | Response:
    """The receipt."""
    answers = _answers()
    if not answers.get("reference"):
        return redirect(url_for(".pay_start"))
    return _render("complete.html", answers=answers, amount=council.pounds(int(answers["amount"])))


@bp.get("/pay/expired")
def pay_expired() -> str:
    """Where the card page's timer sends people.

    The answers are kept, so a harness that lets the timer run in another tab of the same browser does not
    end the journey it is testing in the first.
    """
    return _render("expired.html")
