"""Scan mode's reused pages: each persona keeps one page, and nothing one page leaves reaches the next."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from harness.browser.behaviours import BEHAVIOURS
from harness.browser.page_events import PageEvents
from harness.browser.shared_pages import SharedPages
from harness.model.findings import Finding
from harness.model.personas import load_personas
from harness.model.targets import origin_of

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PERSONAS = load_personas(REPO / "personas", BEHAVIOURS)


@pytest.fixture
def pages(browser: Browser) -> Iterator[SharedPages]:
    """Shared pages on the test browser, closed after the test."""
    shared = SharedPages(browser, {})
    yield shared
    shared.close()


def seen(pages: SharedPages, url: str) -> str:
    page = pages.page_for(PERSONAS["default"])
    page.goto(url)
    return page.locator("#seen").inner_text()


def test_without_the_wipe_the_next_page_sees_what_the_last_one_left(pages: SharedPages, pages_url: str) -> None:
    # The fixture page notices a returning visitor: the wipe test below means something only if this fails.
    assert seen(pages, f"{pages_url}/remembers.html?first") == "First visit."
    assert seen(pages, f"{pages_url}/remembers.html?second") == \
        "Seen before: cookie, local storage, session storage"


def test_clear_leaves_no_cookie_or_storage_for_the_next_page(pages: SharedPages, pages_url: str) -> None:
    page = pages.page_for(PERSONAS["default"])
    for visit in ("first", "second", "third"):
        assert seen(pages, f"{pages_url}/remembers.html?{visit}") == "First visit."
        pages.clear(page, {origin_of(pages_url)})
        assert pages.page_for(PERSONAS["default"]) is page  # the same page, reused
        assert page.url == "about:blank"


def test_each_persona_has_its_own_page_with_its_own_settings(pages: SharedPages, pages_url: str) -> None:
    default = pages.page_for(PERSONAS["default"])
    zoomed = pages.page_for(PERSONAS["low-vision-zoom"])
    assert default is not zoomed and default.context is not zoomed.context
    assert zoomed.viewport_size == PERSONAS["low-vision-zoom"].context["viewport"]
    assert pages.page_for(PERSONAS["default"]) is default


def test_a_closed_page_is_replaced_by_a_new_context(pages: SharedPages, pages_url: str) -> None:
    page = pages.page_for(PERSONAS["default"])
    page.close()
    again = pages.page_for(PERSONAS["default"])
    assert again is not page and not again.is_closed()
    assert seen(pages, f"{pages_url}/remembers.html") == "First visit."


def test_the_origin_guard_reports_to_the_walk_using_the_page_now(pages: SharedPages, pages_url: str) -> None:
    page = pages.page_for(PERSONAS["default"])
    earlier: list[Finding] = []
    now: list[Finding] = []
    PageEvents(page, earlier.append, {pages_url}).detach()
    events = PageEvents(page, now.append, {pages_url})
    page.goto(f"{pages_url}/tiny-service.html")  # inside: let through
    with suppress(PlaywrightError):
        page.goto("http://outside.invalid/")
    assert [f.rule_id for f in now] == ["navigation-outside-target"]
    assert earlier == []
    events.detach()
