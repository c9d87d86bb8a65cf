"""Pages that belong to the product rather than a journey: home, cookie choice, statement, expiry."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, request
from werkzeug.wrappers import Response

from harness.demo.supplier_d import release
from harness.demo.supplier_d.release import current, render

_CONSENT_LIFETIME = timedelta(days=365)


def home() -> str:
    """The product's landing page: the forms this council buys from Supplier D."""
    return render("home.html", title="Online forms")


def cookies() -> Response:
    """Record the cookie choice from the banner's form, then go back to the page it was on."""
    choice = request.form.get("cookies")
    target = _safe_next(request.form.get("next", ""))
    response = Response(status=303, headers={"Location": target})
    if choice in ("accept", "reject"):
        value = "accepted" if choice == "accept" else "rejected"
        response.set_cookie(
            current().consent_cookie,
            value,
            max_age=int(_CONSENT_LIFETIME.total_seconds()),
            samesite="Lax",
            httponly=True,
        )
        release.set_cookie_message(
            "You have accepted all cookies."
            if choice == "accept"
            else "You have rejected non-essential cookies. Only cookies that make the forms work are set."
        )
    return response


def _safe_next(target: str) -> str:
    """Only ever return to a page of this release, so the banner cannot be used to send people away."""
    prefix = current().url_prefix + "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(prefix):
        return prefix
    return parts.path + (f"?{parts.query}" if parts.query else "")


def accessibility() -> str:
    """The accessibility statement every page's footer links to."""
    return render("accessibility.html", title="Accessibility statement")


def session_expired() -> str:
    """Where the old release sends people whose details page timed out."""
    return render("session_expired.html", title="Your session has expired")


def register(bp: Blueprint) -> None:
    """Add these pages to one release's blueprint."""
    bp.add_url_rule("/", "home", home)
    bp.add_url_rule("/cookies", "cookies", cookies, methods=["POST"])
    bp.add_url_rule("/accessibility", "accessibility", accessibility)
    bp.add_url_rule("/session-expired", "session_expired", session_expired)
