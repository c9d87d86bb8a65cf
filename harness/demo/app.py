"""The Flask application for the demo council: an index page and every supplier's products."""

from __future__ import annotations

import secrets

from flask import Flask, render_template
from jinja2 import StrictUndefined

from harness.demo import careful, council, legacy, supplier_c, supplier_d


def create_app() -> Flask:
    """Build the demo council app; each process gets a fresh secret, so old session cookies simply lapse."""
    app = Flask(__name__)
    app.secret_key = secrets.token_hex(32)
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True)
    app.jinja_env.undefined = StrictUndefined  # a template typo fails loudly instead of showing a blank
    app.register_blueprint(careful.bp)
    app.register_blueprint(legacy.bp)
    for blueprint in supplier_c.blueprints:
        app.register_blueprint(blueprint)
    for blueprint in supplier_d.blueprints:
        app.register_blueprint(blueprint)
    app.add_url_rule("/", "index", _index)
    app.context_processor(_council_details)
    return app


def _index() -> str:
    """A plain list of every supplier's journeys, for people trying the demo by hand."""
    return render_template("index.html")


def _council_details() -> dict[str, str]:
    """Contact details every template may show, from one place so they never disagree."""
    return {"council_phone": council.PHONE, "council_phone_hours": council.PHONE_HOURS}
