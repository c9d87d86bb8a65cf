"""Supplier D's two releases, and the helpers every route uses so one set of routes serves both.

Supplier D ("Millbrook Online Forms") is served twice: the current release at /supplier-d/ and an
older release at /supplier-d-v0/ that still has the barriers listed in PLANTED.md. Routes never
take the release as an argument; they ask `current()`, which reads it from the blueprint that
matched the request, so the same function and template serve both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

PRODUCT_NAME = "Millbrook Online Forms"

Errors = dict[str, str]
"""Field id to message, in page order, so the error summary lists them as the page shows them."""


@dataclass(frozen=True, slots=True)
class Release:
    """One deployment of the product: where it lives and whether it is the old one with barriers."""

    blueprint: str
    url_prefix: str
    barriers: bool
    version: str
    consent_cookie: str
    """Each release asks about cookies separately, as two deployments on one domain would."""


CAREFUL = Release("supplier_d", "/supplier-d", False, "4.2", "supplier_d_consent")
V0 = Release("supplier_d_v0", "/supplier-d-v0", True, "3.1", "supplier_d_v0_consent")
RELEASES: tuple[Release, ...] = (CAREFUL, V0)


def current() -> Release:
    """The release that served this request."""
    for release in RELEASES:
        if release.blueprint == request.blueprint:
            return release
    raise LookupError(f"not a Supplier D request: {request.blueprint!r}")


def _key(name: str) -> str:
    """Session keys carry the release, so trying both releases in one browser keeps two applications."""
    return f"{current().blueprint}:{name}"


def load(journey: str) -> dict[str, Any]:
    """A copy of this journey's answers so far; store() it back after changing it."""
    return dict(session.get(_key(journey), {}))


def store(journey: str, answers: Mapping[str, Any]) -> None:
    """Save a journey's answers (reassigned whole so the session cookie is rewritten)."""
    session[_key(journey)] = dict(answers)


def clear(journey: str) -> None:
    """Forget a journey's answers, after it ends or expires."""
    session.pop(_key(journey), None)


def keep_form(page: str, values: Mapping[str, str], errors: Errors) -> None:
    """Hold what was typed and what was wrong, for the GET after a failed POST (post-redirect-get).

    Errors are kept as a list of pairs: the session serialiser sorts dictionary keys, which would
    put the error summary out of page order.
    """
    session[_key("form:" + page)] = {"values": dict(values), "errors": list(errors.items())}


def take_form(page: str) -> tuple[dict[str, str], Errors]:
    """The values and errors kept by the last failed POST of this page, once."""
    kept = session.pop(_key("form:" + page), None) or {}
    return dict(kept.get("values", {})), {str(k): str(v) for k, v in kept.get("errors", [])}


def go(endpoint: str, **values: Any) -> Response:
    """Redirect to one of this release's pages by endpoint name, such as "garden_details"."""
    return redirect(url_for(f"{current().blueprint}.{endpoint}", **values))


def consent_given() -> bool:
    """Whether this browser has answered the cookie question for this release."""
    return request.cookies.get(current().consent_cookie) in ("accepted", "rejected")


def render(
    template: str,
    *,
    title: str,
    service: str | None = None,
    service_endpoint: str = "home",
    step: int | None = None,
    steps: int | None = None,
    errors: Errors | None = None,
    values: Mapping[str, str] | None = None,
    **context: Any,
) -> str:
    """Render a page with what the layout needs: the page title, the stepper and the cookie banner.

    The current release titles each page with its name, step and error state; the old release
    called every page by the product's name.
    """
    errors = errors or {}
    release = current()
    if release.barriers:
        page_title = PRODUCT_NAME
    else:
        parts = [title]
        if step is not None and steps is not None:
            parts.append(f"Step {step} of {steps}")
        parts.append(service or PRODUCT_NAME)
        parts.append("Millbrook District Council")
        page_title = ("Error: " if errors else "") + " – ".join(parts)
    return render_template(
        f"supplier_d/{template}",
        barriers=release.barriers,
        release=release,
        page_title=page_title,
        service=service or PRODUCT_NAME,
        service_endpoint="." + service_endpoint,
        step=step,
        steps=steps,
        errors=errors,
        values=dict(values or {}),
        show_cookie_banner=not consent_given(),
        cookie_message=session.pop(_key("cookie-message"), None),
        **context,
    )


def set_cookie_message(message: str) -> None:
    """A one-off confirmation shown where the cookie banner was."""
    session[_key("cookie-message")] = message
