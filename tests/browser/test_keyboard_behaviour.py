"""The keyboard-only behaviour in a real Chromium: reaches real controls, is blocked by clickable divs."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from harness.browser.behaviours.keyboard import KeyboardBehaviour
from harness.model.findings import JourneyBlocked

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser


def test_reaches_and_presses_a_real_button_with_tab_and_enter(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/keyboard-button.html")
    keyboard = KeyboardBehaviour()
    keyboard.fill(page, page.get_by_label("Postcode"), "MB1 4QX", "Postcode")
    presses = keyboard.reach(page, page.get_by_role("button", name="Continue"), "Continue")
    assert presses == 2  # past the 'Help with addresses' link, as a person would Tab
    page.keyboard.press("Enter")
    assert page.title() == "pressed: MB1 4QX"


def test_goes_back_with_shift_tab_when_the_control_is_earlier(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/keyboard-button.html")
    keyboard = KeyboardBehaviour()
    keyboard.reach(page, page.get_by_role("link", name="Last link"), "Last link")
    presses = keyboard.reach(page, page.get_by_label("Postcode"), "Postcode")
    assert page.evaluate("document.activeElement.id") == "postcode"
    assert presses < 8  # a short way back, not round the whole page


def test_chooses_a_radio_with_the_arrow_keys(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/keyboard-button.html")
    KeyboardBehaviour().choose(page, page.get_by_label("2 bins"), "2 bins")
    assert page.get_by_label("2 bins").is_checked()
    assert not page.get_by_label("1 bin").is_checked()


def test_reports_a_blocker_on_a_clickable_div(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/keyboard-clickable-div.html")
    with pytest.raises(JourneyBlocked) as caught:
        KeyboardBehaviour().activate(page, page.get_by_text("Find address"), "Find address")
    finding = caught.value.finding
    assert (finding.rule_id, finding.criteria, finding.impact.value, finding.blocker) == (
        "keyboard-reachable", ("2.1.1",), "critical", True)
    assert finding.selector == "#fail1"
    assert "Find address" in finding.message
    assert page.title() == "Keyboard: a clickable div"  # never clicked


def test_is_not_fooled_by_a_skip_link_that_points_at_the_control(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/keyboard-skip-link-decoy.html")
    with pytest.raises(JourneyBlocked) as caught:
        KeyboardBehaviour().activate(page, page.get_by_text("Continue", exact=True), "Continue")
    assert caught.value.finding.rule_id == "keyboard-reachable"
    assert page.title() == "Keyboard: a skip link that points at the control"
