"""Council service checks: what people without the internet or a smartphone need from a service page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from playwright.sync_api import Page

from harness.browser.checks.registry import Hit, persona_check

# "Start now" and its cousins mark a service start page (the GOV.UK start page pattern).
START_CONTROL = re.compile(r"^\s*(start now|start|apply now|apply online|subscribe now|pay now|pay online|"
                           r"register now|book now)\s*$", re.IGNORECASE)
UK_PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\d)")
OTHER_ROUTE = re.compile(r"\b(by post|post it|send (?:a|the) (?:form|cheque)|cheque|in person|visit (?:us|our|the)|"
                         r"call (?:us|our)|phone us|telephone|textphone|relay uk|library|libraries)\b",
                         re.IGNORECASE)


@persona_check
def offline_alternative(page: Page) -> Iterator[Hit]:
    """A service start page must name a route that does not need the internet."""
    # text_content, not inner_text: an SVG link is a link too, and inner_text throws on any element not HTML.
    controls = page.get_by_role("link").or_(page.get_by_role("button")).all_text_contents()
    if not any(START_CONTROL.match(text) for text in controls):
        return  # not a service start page: nothing to check here
    text = page.locator("body").inner_text()
    if UK_PHONE.search(text) or OTHER_ROUTE.search(text):
        return
    yield Hit(message="This service start page names no other way to use the service (no phone number, "
                      "postal or in-person route), so people who cannot go online are left without one.",
              selector="body")
