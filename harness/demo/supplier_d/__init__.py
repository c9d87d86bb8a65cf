"""Supplier D, "Millbrook Online Forms": garden waste, blue badge and bin day forms, in two releases.

Built the way commercial council form platforms are, not to the GOV.UK Design System: its own
look, words and page patterns. The current release is served at /supplier-d/ and an older
release with known barriers at /supplier-d-v0/ (PLANTED.md lists them). Both releases share
every route and template; `release.current()` tells them apart.
"""

from __future__ import annotations

from flask import Blueprint

from harness.demo.supplier_d import (
    bin_day,
    blue_badge,
    blue_badge_finish,
    garden,
    garden_address,
    payments,
    site,
)
from harness.demo.supplier_d.release import RELEASES, Release

_MODULES = (site, garden, garden_address, payments, blue_badge, blue_badge_finish, bin_day)


def _blueprint(release: Release) -> Blueprint:
    """One release: every page, under its own URL prefix, with the package's templates and static files."""
    bp = Blueprint(
        release.blueprint,
        __name__,
        url_prefix=release.url_prefix,
        template_folder="templates",
        static_folder="static",
        static_url_path="/static",
    )
    for module in _MODULES:
        module.register(bp)
    return bp


blueprints: list[Blueprint] = [_blueprint(release) for release in RELEASES]
