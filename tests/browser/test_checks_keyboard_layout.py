"""Keyboard and layout checks where one fixture page cannot show the behaviour: passing bypass pages, traps
that only Shift+Tab leaves, modal dialogs, and checks that put the page back as they found it."""

from __future__ import annotations

import time

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
    page.evaluate("() => { const link = document.querySelector('.skip-link'); document.querySelector('h1').remove();"
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


# -- the W3C ACT rules' cases (benchmarks/act_report.py): each barrier beside a well-built look-alike -------------


def test_a_trap_that_puts_focus_back_after_a_delay_is_caught(page: Page, pages_url: str) -> None:
    """ACT 80af7b: quick presses outran a button that takes focus back 10 ms after losing it."""
    page.goto(f"{pages_url}/act/keyboard-trap-delayed.html")
    findings = run_checks(page, ["keyboard-trap"])
    assert [(f.outcome, f.selector) for f in findings] == [(Outcome.VIOLATION, "#fail1")]
    page.reload()
    page.evaluate("() => document.getElementById('fail1').removeAttribute('onblur')")
    assert outcomes(page, "keyboard-trap") == []


def test_a_widget_that_names_its_exit_key_is_no_trap_while_the_key_works(page: Page, pages_url: str) -> None:
    """ACT 80af7b and ebe86a: 'Press Ctrl+M to leave' and Ctrl+M leaves; the same words with a key that does
    nothing, or no words at all, leave people stuck."""
    page.goto(f"{pages_url}/act/keyboard-trap-exit-key.html")
    assert outcomes(page, "keyboard-trap") == []
    page.evaluate("() => { window.exitWorks = false; document.getElementById('link1').textContent = 'Map help'; }")
    findings = run_checks(page, ["keyboard-trap"])  # the DOM changed too, so the walk is not taken from before
    assert [(f.outcome, f.selector) for f in findings] == [(Outcome.VIOLATION, "#fail1")]
    assert "The page says 'Press Ctrl+M to leave the map', but pressing Control+m" in findings[0].message
    page.evaluate("() => { window.exitWorks = true; document.getElementById('instruction').remove(); }")
    assert outcomes(page, "keyboard-trap") == [("violation", "#fail1")]


def test_focus_shown_on_a_wrapper_or_beside_the_element_is_visible(page: Page, pages_url: str) -> None:
    """ACT oj04fd: an indicator drawn by :focus-within on a wrapper, or lit by a script beside the link."""
    page.goto(f"{pages_url}/act/focus-visible-wrapper.html")
    assert outcomes(page, "focus-visible") == [("violation", "#fail1")]
    page.evaluate("() => { document.querySelector('style').textContent += '.wrapped:focus-within { border-color:"
                  " transparent; }'; document.getElementById('pass2').onfocus = null; }")
    assert outcomes(page, "focus-visible") == [("violation", "#pass1"), ("violation", "#pass2"),
                                               ("violation", "#fail1")]


def test_bypass_blocks_takes_a_later_skip_link_and_not_a_main_hidden_from_everyone(page: Page, pages_url: str) -> None:
    """ACT cf77f2, b40fd1, 047fe0: a skip link after the logo link passes; a main with aria-hidden does not count;
    a heading at the start of the content is for a person to judge; with none of them, a violation."""
    page.goto(f"{pages_url}/act/bypass-blocks-heading.html")
    assert outcomes(page, "bypass-blocks") == []
    page.evaluate("() => document.getElementById('skip').remove()")
    findings = run_checks(page, ["bypass-blocks"])
    assert [(f.outcome, f.selector) for f in findings] == [(Outcome.NEEDS_REVIEW, "body")]
    assert "the heading 'Bin collection day'" in findings[0].message
    page.evaluate("() => document.getElementById('heading').classList.add('off-screen')")
    assert outcomes(page, "bypass-blocks") == [("violation", "body")]
    page.evaluate("() => document.getElementById('hidden-main').removeAttribute('aria-hidden')")
    assert outcomes(page, "bypass-blocks") == []


def test_a_skip_button_is_for_a_person_to_try(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/act/bypass-blocks-heading.html")
    page.evaluate("() => { document.getElementById('heading').remove();"
                  " document.getElementById('skip').outerHTML = '<button id=\"skip\">Skip to main content</button>'; }")
    assert outcomes(page, "bypass-blocks") == [("needs-review", "body")]


def test_spacing_fixed_with_important_in_a_style_attribute_is_a_violation(page: Page, pages_url: str) -> None:
    """ACT 24afc2, 9e45ec, 78fd32: !important in a style attribute beats people's own spacing."""
    page.goto(f"{pages_url}/act/text-spacing-important.html")
    findings = run_checks(page, ["text-spacing"])
    assert [(f.outcome.value, f.selector) for f in findings] == [("violation", "#fail1"), ("violation", "#fail2")]
    assert "letter-spacing: 0.05em !important" in findings[0].message
    assert page.evaluate("document.querySelectorAll('[data-a11y-spacing]').length") == 0
    page.evaluate("() => { fail1.style.letterSpacing = '0.12em'; fail2.style.setProperty('line-height', '1.1'); }")
    assert outcomes(page, "text-spacing") == []


DOCUMENT_CHECKS = ["focus-visible", "keyboard-trap", "focus-not-obscured", "focus-order", "bypass-blocks",
                   "clickable-elements-focusable", "text-spacing", "resize-text", "reflow", "plain-language",
                   "captcha-alternative", "offline-alternative", "link-purpose", "time-limit"]


def test_an_svg_document_is_checked_without_errors_or_waiting(page: Page, pages_url: str) -> None:
    """An SVG document has no body: nine checks threw, and plain-language waited 30 s for one."""
    page.goto(f"{pages_url}/act/image.svg")
    started = time.monotonic()
    findings = run_checks(page, DOCUMENT_CHECKS)
    assert [f.one_line() for f in findings if f.outcome is Outcome.ERROR] == []
    assert time.monotonic() - started < 10


def test_offline_alternative_copes_with_an_svg_link(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/offline-alternative.html")
    page.evaluate("() => document.body.insertAdjacentHTML('beforeend', '<svg><a href=\"/\"><text y=\"10\">Home"
                  "</text></a></svg>')")
    assert [f.outcome for f in run_checks(page, ["offline-alternative"])] == [Outcome.VIOLATION]
