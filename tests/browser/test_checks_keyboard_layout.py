"""Keyboard and layout checks where one fixture page cannot show the behaviour: passing bypass pages, traps
that only Shift+Tab leaves, modal dialogs, and checks that put the page back as they found it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from harness.browser.checks import run_checks
from harness.model.findings import Outcome

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser

WALK_CHECKS = ["focus-visible", "keyboard-trap", "focus-not-obscured", "focus-order"]


def outcomes(page: Page, check_id: str) -> list[tuple[str, str]]:
    return [(f.outcome.value, f.selector) for f in run_checks(page, [check_id])]


def test_a_skip_link_or_a_main_landmark_lets_people_bypass_blocks(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/bypass-blocks-skip-link.html")
    assert outcomes(page, "bypass-blocks") == []  # skip link to #content, no main
    page.evaluate("() => { const link = document.querySelector('.skip-link');"
                  " link.textContent = 'click here'; link.href = '#postcode'; }")
    findings = run_checks(page, ["bypass-blocks"])  # a link within the page, but not past the header
    assert [(f.outcome, f.selector) for f in findings] == [(Outcome.VIOLATION, "body")]
    assert "The first link, 'click here', goes to #postcode, not to the main content." in findings[0].message
    page.evaluate("() => document.querySelector('.skip-link').remove()")
    assert outcomes(page, "bypass-blocks") == [("violation", "body")]
    page.evaluate("() => document.getElementById('content').setAttribute('role', 'main')")
    assert outcomes(page, "bypass-blocks") == []  # main landmark, no skip link


def test_a_trap_that_shift_tab_leaves_needs_review(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/keyboard-trap.html")
    page.evaluate("() => { window.trapBackwards = false; }")
    findings = run_checks(page, ["keyboard-trap"])
    assert [(f.outcome, f.selector) for f in findings] == [(Outcome.NEEDS_REVIEW, "#fail1")]
    assert "only Shift+Tab leaves" in findings[0].message


def test_a_modal_dialog_may_keep_focus_inside_it(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/keyboard-trap.html")
    page.evaluate("() => { const d = document.getElementById('fail1'); d.setAttribute('role', 'dialog');"
                  " d.setAttribute('aria-modal', 'true'); }")
    assert outcomes(page, "keyboard-trap") == []


def test_a_field_that_swallows_tab_is_a_trap_that_names_the_field(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/keyboard-trap.html")
    page.evaluate("() => { document.getElementById('fail1').remove();"
                  " document.getElementById('pass5').addEventListener('keydown', e => e.preventDefault()); }")
    findings = run_checks(page, ["keyboard-trap"])
    assert [(f.outcome, f.selector) for f in findings] == [(Outcome.VIOLATION, "#pass5")]
    assert "never moves focus on from 'Street'" in findings[0].message


def test_the_walk_starts_at_the_top_and_focus_is_put_back(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/focus-order.html")
    page.focus("#pass7")  # blur() alone would leave the browser's Tab starting point here
    for check_id in WALK_CHECKS:
        run_checks(page, [check_id])
        assert page.evaluate("document.activeElement.id") == "pass7"
    assert outcomes(page, "focus-order") == [("violation", "#fail1"), ("violation", "#fail2"),
                                             ("needs-review", "#review1")]
    assert page.evaluate("document.querySelectorAll('[data-a11y-tab], [data-a11y-trap]').length") == 0
    assert page.evaluate("document.querySelectorAll('style').length") == 1


def test_with_nothing_focused_the_next_tab_goes_to_the_top(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/keyboard-trap.html")
    run_checks(page, ["keyboard-trap"])
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pass1"


@pytest.mark.parametrize("check_id", ["text-spacing", "resize-text"])
def test_layout_checks_put_styles_markers_and_viewport_back(page: Page, pages_url: str, check_id: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{pages_url}/checks/{check_id}.html")
    html = page.evaluate("document.documentElement.outerHTML")
    assert ("violation", "#fail1") in outcomes(page, check_id)
    assert page.viewport_size == {"width": 320, "height": 640}
    assert page.evaluate("document.documentElement.outerHTML") == html


def test_text_that_grows_and_fits_passes_resize_text(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/resize-text.html")
    page.evaluate("() => { document.getElementById('fail1').remove();"
                  " document.querySelector('.small-print').style.fontSize = '0.8125rem'; }")
    assert outcomes(page, "resize-text") == []


def test_focus_visible_measures_from_the_top_with_nothing_focused(page: Page, pages_url: str) -> None:
    """A field the persona left focused is neither recorded as its unfocused look nor the place Tab starts."""
    page.goto(f"{pages_url}/checks/focus-visible.html")
    page.focus("#pass3")
    assert outcomes(page, "focus-visible") == [("violation", "#fail1"), ("violation", "#fail2")]


def test_the_keyboard_checks_share_one_tab_walk(page: Page, pages_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """All four walk checks on one page state press Tab no more often than keyboard-trap alone, and the walk sends
    its presses in batches: fewer calls than presses."""
    keys: list[str] = []

    def tab_presses(check_ids: list[str]) -> tuple[int, list[tuple[str, str]]]:
        tab = page.context.new_page()  # a page the walk has not seen, so nothing is cached for it
        tab.goto(f"{pages_url}/checks/focus-visible.html")
        keys.clear()
        press = tab.keyboard.press
        monkeypatch.setattr(tab.keyboard, "press", lambda key, **kwargs: (keys.append(key), press(key, **kwargs))[1])
        found = [(f.rule_id, f.selector) for f in run_checks(tab, check_ids)]
        tab.close()
        return sum(key.split("+").count("Tab") for key in keys), found  # "Tab+Tab+Tab" is three presses

    alone, _ = tab_presses(["keyboard-trap"])
    together, found = tab_presses(WALK_CHECKS)
    assert alone > 0
    assert len(keys) < together
    assert together == alone
    assert found == [("focus-visible", "#fail1"), ("focus-visible", "#fail2")]
