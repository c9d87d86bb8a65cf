"""A page under test cannot fake or silence axe-core: it runs in a world of its own, and what cannot run is said.

Each page in tests/data/pages/axe-tamper has faint text (color-contrast, WCAG 1.4.3) and a script that tries to
stop axe-core finding it: a fake axe.run, axe deleted or made a getter returning junk, the built-ins axe-core
leans on broken, a Content-Security-Policy that allows no script, messages between frames swallowed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from harness.browser.axe_scan import (
    AXE_WORLD,
    _session,
    prepare_context,
    run_axe,
    scan_page,
    scan_page_with_evidence,
)
from harness.model.findings import Finding, Outcome

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser

HOSTILE = ["fake-run", "deleted", "getter-junk", "overrides", "csp", "messages-blocked"]


def contrast_failures(found: list[Finding]) -> list[str]:
    return [f.selector for f in found if f.rule_id == "color-contrast" and f.outcome is Outcome.VIOLATION]


def expected_selectors(name: str) -> list[str]:
    """The faint paragraph, on the page or inside its frame."""
    return ["iframe >> p"] if name == "messages-blocked" else ["p"]


def failures(found: list[Finding]) -> list[str]:
    return [f.message for f in found if f.rule_id == "axe-scan-failed"]


@pytest.mark.parametrize("name", ["low-contrast", *HOSTILE])
def test_a_hostile_page_still_gets_axes_real_findings(page: Page, pages_url: str, name: str) -> None:
    prepare_context(page.context)  # as a journey does, before the first page loads
    page.goto(f"{pages_url}/axe-tamper/{name}.html")
    found, evidence = scan_page_with_evidence(page)
    assert failures(found) == []
    assert contrast_failures(found) == expected_selectors(name)
    # The evidence a conformance table reads is axe's own: 1.4.3 was tested (and failed) here.
    assert "1.4.3" in evidence["axe_checked"]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_page_opened_before_the_page_was_prepared_is_scanned_too(page: Page, pages_url: str,
                                                                           name: str) -> None:
    """A new tab, say: axe-core is injected into its isolated world at the first scan, whatever the page did."""
    page.goto(f"{pages_url}/axe-tamper/{name}.html")
    found = scan_page(page)
    assert failures(found) == []
    assert contrast_failures(found) == expected_selectors(name)


def test_the_pages_own_axe_is_never_the_one_that_runs(page: Page, pages_url: str) -> None:
    """The page sees no axe-core of ours, and an axe of its own changes nothing."""
    prepare_context(page.context)
    page.goto(f"{pages_url}/axe-tamper/low-contrast.html")
    assert page.evaluate("() => typeof window.axe") == "undefined"
    page.evaluate("() => { window.axe = {run: () => Promise.resolve({violations: [], incomplete: []})}; }")
    assert [rule["id"] for rule in run_axe(page)["violations"]] == ["color-contrast"]
    assert AXE_WORLD not in page.evaluate("() => document.documentElement.outerHTML")


@pytest.mark.parametrize(("name", "ends"), [("deep-shadow", " >> div >> p"), ("frame-fake", "iframe >> p")])
def test_deep_shadow_roots_and_a_frame_that_fakes_axe_still_get_real_findings(page: Page, pages_url: str,
                                                                             name: str, ends: str) -> None:
    prepare_context(page.context)
    page.goto(f"{pages_url}/axe-tamper/{name}.html")
    found = scan_page(page)
    assert failures(found) == []
    (selector,) = contrast_failures(found)
    assert selector.endswith(ends)


@pytest.mark.parametrize(("name", "why"), [
    ("busy-loop", ("the page stopped responding",)),
    # Which of the two a reload loop reads as depends on where the limit finds it: waiting for the page's next
    # document, or for an answer from a document already gone.
    ("reload-loop", ("the page kept navigating", "the page stopped responding"))])
def test_a_page_that_never_lets_axe_finish_is_a_failed_scan_within_the_time_limit(
        page: Page, pages_url: str, name: str, why: tuple[str, ...]) -> None:
    """The limit is kept from outside the page: a timer inside it could not fire while its script runs."""
    prepare_context(page.context)
    page.goto(f"{pages_url}/axe-tamper/{name}.html")
    (finding,) = scan_page(page, time_limit_s=3)
    assert finding.rule_id == "axe-scan-failed"
    assert any(f"axe-core did not finish within 3 s ({reason})." in finding.message for reason in why), \
        finding.message


def break_axe(page: Page, script: str) -> None:
    """A fault made by the test inside axe's own world, standing in for an axe-core bug: the page cannot reach it."""
    cdp = _session(page)
    top = cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
    world = cdp.send("Page.createIsolatedWorld", {"frameId": top, "worldName": AXE_WORLD})["executionContextId"]
    reply = cdp.send("Runtime.evaluate", {"expression": script, "contextId": world})
    assert "exceptionDetails" not in reply


def test_axe_that_throws_is_recorded_as_a_failed_scan_saying_why(page: Page, pages_url: str) -> None:
    prepare_context(page.context)
    page.goto(f"{pages_url}/axe-tamper/low-contrast.html")
    break_axe(page, "axe.runPartial = () => { throw new Error('out of cheese'); }")
    found, evidence = scan_page_with_evidence(page)
    (finding,) = found
    assert (finding.rule_id, finding.outcome) == ("axe-scan-failed", Outcome.ERROR)
    assert finding.message == ("The axe-core scan could not run on this page state: axe-core threw Error: out of "
                               "cheese. Nothing it would have tested here counts as passed.")
    assert finding.help.startswith("Re-run the test; if it keeps failing, the page may stop axe-core working")
    assert finding.page_url.endswith("/axe-tamper/low-contrast.html")
    assert evidence == {"axe_checked": [], "axe_inapplicable": []}


@pytest.mark.parametrize(("junk", "said"), [
    ("'junk'", "the results are text, not an object"),
    ("({violations: 'none', incomplete: []})", "'violations' is text, not a list of rules"),
    ("({violations: [{id: '<img src=x onerror=alert(1)>', nodes: []}], incomplete: []})",
     "violations[0].id is '<img src=x onerror=alert(1)>', not an axe-core rule id"),
])
def test_axe_answering_junk_is_recorded_as_a_failed_scan(page: Page, pages_url: str, junk: str, said: str) -> None:
    prepare_context(page.context)
    page.goto(f"{pages_url}/axe-tamper/low-contrast.html")
    break_axe(page, f"axe.finishRun = async () => {junk};")
    (finding,) = scan_page(page)
    assert finding.rule_id == "axe-scan-failed"
    assert f"axe-core's results were malformed ({said})" in finding.message
