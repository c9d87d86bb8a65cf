"""The watchdog stops a page that holds the browser, from outside the page, in a real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from harness.browser.watchdog import PageUnresponsive, Watchdog

pytestmark = pytest.mark.browser


def test_a_script_that_never_lets_go_is_stopped_and_the_page_answers_again(page: Page) -> None:
    page.set_content("<title>Spinning</title><h1>Find your bin day</h1>")
    watchdog = Watchdog(page, grace_s=5)
    with (pytest.raises(PageUnresponsive, match="its script ran for more than 1 s during the test") as raised,
          watchdog.limit(1, "the test")):
        page.evaluate("() => { while (true) {} }")
    assert raised.value.kind == "script"
    assert page.evaluate("() => document.title") == "Spinning"


def test_a_call_that_never_returns_on_a_page_that_answers_closes_the_page(page: Page) -> None:
    page.set_content("<title>Waiting</title>")
    watchdog = Watchdog(page, grace_s=0.5)
    with (pytest.raises(PageUnresponsive, match="the call under way never returned") as raised,
          watchdog.limit(1, "the test")):
        page.evaluate("() => new Promise(() => {})")
    assert raised.value.kind == "closed"
    assert page.is_closed()


def test_a_page_stopped_at_once_ends_the_block_with_the_reason(page: Page) -> None:
    page.set_content("<title>Dialogs</title>")
    watchdog = Watchdog(page)
    with pytest.raises(PageUnresponsive, match="opened 20 dialogs"), watchdog.limit(30, "the test"):
        watchdog.stop_now("The page opened 20 dialogs.")
        page.evaluate("() => 1")
    watchdog.forgive()
    with watchdog.limit(30, "the test"):
        assert page.evaluate("() => 1") == 1


def test_a_block_within_its_limit_is_left_alone(page: Page) -> None:
    page.set_content("<title>Quick</title>")
    watchdog = Watchdog(page)
    with watchdog.limit(30, "the test"):
        assert page.title() == "Quick"
    with pytest.raises(ValueError, match="the scenario's own"), watchdog.limit(30, "the test"):
        raise ValueError("the scenario's own error")
    assert not page.is_closed()
