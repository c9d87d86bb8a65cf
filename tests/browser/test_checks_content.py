"""Content and timing checks on pages the single fixture page per check cannot show: passing pages, the
time-limit probe with the journey's timer recorder, and pages left as they were found."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import BrowserContext, Page

from harness.browser.axe_scan import DEFAULT_TAGS, scan_page
from harness.browser.checks import run_checks, timing
from harness.browser.checks.registry import Hit, PageContext
from harness.browser.checks.service import offline_route, upload_route
from harness.browser.checks.timing import TIMER_RECORDER_JS
from harness.model.findings import Finding, Outcome
from tests.pages_server import HtmlHandler

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser


def _found(page: Page, check_id: str) -> list[tuple[str, str]]:
    findings: list[Finding] = run_checks(page, [check_id])
    assert [f.one_line() for f in findings if f.outcome is Outcome.ERROR] == []
    return [(f.outcome.value, f.selector) for f in findings]


@pytest.mark.parametrize(("check_id", "page_name"), [
    ("amount-before-payment", "amount-before-payment-pass"),
    ("no-app-only", "no-app-only-pass"),
    ("upload-alternative", "upload-alternative-pass"),
    ("captcha-alternative", "captcha-alternative-pass"),
    ("statement-link", "statement-link-pass"),
])
def test_the_gov_uk_pattern_passes(page: Page, pages_url: str, check_id: str, page_name: str) -> None:
    page.goto(f"{pages_url}/checks/{page_name}.html")
    assert _found(page, check_id) == []


def test_a_card_details_page_without_an_amount_is_a_violation(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/amount-before-payment-card.html")
    findings = run_checks(page, ["amount-before-payment"])
    assert [(f.outcome.value, f.selector) for f in findings] == [("violation", "#card-no")]
    assert "asks for the Card number" in findings[0].message


def test_a_third_party_captcha_with_no_way_round_is_for_a_person_to_judge(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/captcha-alternative-widget.html")
    assert _found(page, "captcha-alternative") == [("needs-review", "#widget")]


@pytest.mark.parametrize("check_id", ["link-purpose", "table-headers", "amount-before-payment", "no-app-only",
                                      "upload-alternative", "captcha-alternative", "statement-link"])
def test_a_check_leaves_the_page_as_it_found_it(page: Page, pages_url: str, check_id: str) -> None:
    page.goto(f"{pages_url}/checks/{check_id}.html")
    before = page.content()
    assert run_checks(page, [check_id])
    assert page.content() == before


# time-limit: the fixture page (no recorder) is a violation; these cover the rest of the probe.

@pytest.fixture
def recorded(context: BrowserContext) -> BrowserContext:
    """The journey's context: the timer recorder runs before each page's own scripts."""
    context.add_init_script(TIMER_RECORDER_JS)
    return context


def test_the_recorder_notes_long_timers_still_pending(recorded: BrowserContext, pages_url: str) -> None:
    page = recorded.new_page()
    page.goto(f"{pages_url}/checks/time-limit-warned.html")
    assert page.evaluate("window.__a11yTimers") == [
        {"kind": "setTimeout", "delay": 18 * 60_000, "pending": True},
        {"kind": "setTimeout", "delay": 20 * 60_000, "pending": True}]
    page.get_by_role("button", name="Stay signed in", include_hidden=True).dispatch_event("click")
    assert [t["pending"] for t in page.evaluate("window.__a11yTimers")] == [False, False, True, True]


def test_a_warning_with_stay_signed_in_before_the_session_ends_passes(recorded: BrowserContext,
                                                                     pages_url: str) -> None:
    page = recorded.new_page()
    page.goto(f"{pages_url}/checks/time-limit-warned.html")
    assert _found(page, "time-limit") == []


def test_ending_the_session_with_no_warning_is_found_with_the_recorder(recorded: BrowserContext,
                                                                      pages_url: str) -> None:
    page = recorded.new_page()
    page.goto(f"{pages_url}/checks/time-limit.html")
    findings = run_checks(page, ["time-limit"])
    assert [(f.outcome.value, f.selector) for f in findings] == [("violation", "body")]
    assert findings[0].message.startswith("Within 20 minutes without activity the page moved to '")
    assert "time-limit-expired.html" in findings[0].message


def test_a_session_that_ends_in_place_is_found_by_its_wording(recorded: BrowserContext, pages_url: str) -> None:
    page = recorded.new_page()
    page.goto(f"{pages_url}/checks/time-limit-expired-text.html")
    findings = run_checks(page, ["time-limit"])
    assert [f.message for f in findings] == [(
        "Within 15 minutes without activity the page said the session had ended ('Your session has timed out'), "
        "with no warning beforehand and no way to ask for more time.")]


def test_the_probe_leaves_the_journeys_page_and_clock_alone(recorded: BrowserContext, pages_url: str) -> None:
    page = recorded.new_page()
    page.goto(f"{pages_url}/checks/time-limit.html")
    page.get_by_label("Address line 1").fill("1 High Street")
    run_checks(page, ["time-limit"])
    assert recorded.pages == [page]  # the probe's page was in a context of its own, now closed
    assert page.url.endswith("/checks/time-limit.html")
    assert page.get_by_label("Address line 1").input_value() == "1 High Street"
    assert abs(page.evaluate("Date.now()") - time.time() * 1000) < 60_000  # real time, not an hour ahead


def test_a_long_timer_on_a_page_that_cannot_be_opened_again_is_for_a_person_to_judge(
        recorded: BrowserContext, pages_url: str) -> None:
    page = recorded.new_page()
    page.goto(f"{pages_url}/checks/time-limit.html")
    page.evaluate("history.replaceState(null, '', 'time-limit-after-a-post.html')")  # the address answers 404
    findings = run_checks(page, ["time-limit"])
    assert [(f.outcome.value, f.selector) for f in findings] == [("needs-review", "body")]
    assert findings[0].message.startswith("The page sets a timer of 20 minutes that the harness could not run")


@pytest.fixture
def no_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(page: Page, timers: object) -> Iterator[Hit]:
        raise AssertionError("the page was probed with the clock")

    monkeypatch.setattr(timing, "_probe_with_clock", refuse)


@pytest.mark.usefixtures("no_probe")
def test_short_timers_only_need_no_probe(recorded: BrowserContext, pages_url: str) -> None:
    page = recorded.new_page()
    page.goto(f"{pages_url}/checks/time-limit-short-timers.html")
    assert _found(page, "time-limit") == []


@pytest.mark.usefixtures("no_probe")
def test_without_the_recorder_a_page_with_no_script_needs_no_probe(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/statement-link-pass.html")
    assert _found(page, "time-limit") == []


def test_a_meta_refresh_is_a_time_limit(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/time-limit-refresh.html")
    findings = run_checks(page, ["time-limit"])
    assert [(f.outcome.value, f.selector) for f in findings] == [("violation", "html > head > meta:nth-of-type(2)")]
    assert findings[0].message == ("The page moves to 'time-limit-expired.html' after 20 minutes (meta refresh), "
                                   "with no warning and no way to ask for more time.")
    assert page.locator("[data-a11y-time-limit]").count() == 0


def test_the_harness_own_axe_timer_is_not_taken_for_a_session_limit(recorded: BrowserContext,
                                                                    pages_url: str) -> None:
    """axe runs under a time limit of its own; once axe answers, that timer must not look like the page's."""
    page = recorded.new_page()
    page.goto(f"{pages_url}/checks/statement-link-pass.html")
    scan_page(page, DEFAULT_TAGS)
    assert page.evaluate(timing.TIMER_STATE_JS)["timers"] == []
    started = time.monotonic()
    assert run_checks(page, ["time-limit"]) == []
    assert time.monotonic() - started < 1.0, "no clock probe should be needed"


# -- precision: what the GOV.UK Design System's own examples showed (tests/data/precision/) ------------------


@pytest.mark.parametrize(("page_name", "expected"), [
    ("statement-link-component", [("needs-review", "body")]),  # a component on its own is not a service
    ("statement-link-start", [("violation", "body")]),  # a start page: the service's own page
    ("statement-link-form", [("violation", "body")]),  # a question page that sends answers
    ("statement-link", [("violation", "body")]),  # a site page with its privacy and cookies links
])
def test_a_missing_statement_link_is_a_violation_only_on_a_page_of_a_service(
        page: Page, pages_url: str, page_name: str, expected: list[tuple[str, str]]) -> None:
    page.goto(f"{pages_url}/checks/{page_name}.html")
    assert _found(page, "statement-link") == expected


def test_in_a_journey_every_page_is_a_page_of_the_service(page: Page, pages_url: str) -> None:
    """A page met walking a service's journey belongs to it, even with no form, start button or site links."""
    in_service = PageContext(in_service=True)
    page.goto(f"{pages_url}/checks/statement-link-component.html")
    assert [f.outcome for f in run_checks(page, ["statement-link"], in_service)] == [Outcome.VIOLATION]
    page.goto(f"{pages_url}/checks/upload-alternative-component.html")
    assert [(f.outcome, f.selector) for f in run_checks(page, ["upload-alternative"], in_service)] == [
        (Outcome.VIOLATION, "#review1")]


def test_a_file_field_outside_any_form_needs_review_and_one_in_a_form_is_a_violation(page: Page,
                                                                                   pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/upload-alternative-component.html")
    assert _found(page, "upload-alternative") == [("needs-review", "#review1")]
    page.goto(f"{pages_url}/checks/upload-alternative.html")
    assert _found(page, "upload-alternative") == [("violation", "#fail1")]


def test_a_choice_to_post_the_photo_instead_is_an_alternative_to_uploading(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/checks/upload-alternative-post-instead.html")
    assert _found(page, "upload-alternative") == []
    page.locator("label[for=how-post]").evaluate("label => { label.textContent = 'Upload it later' }")
    assert _found(page, "upload-alternative") == [("violation", "#photo")]


@pytest.mark.parametrize(("page_name", "expected"), [
    ("offline-alternative-details", []),  # "Other ways to apply", closed, names a library and writing to us
    ("offline-alternative-details-fail", [("violation", "body")]),  # closed, and names no way round
])
def test_an_offline_route_in_a_closed_details_counts(page: Page, pages_url: str, page_name: str,
                                                     expected: list[tuple[str, str]]) -> None:
    page.goto(f"{pages_url}/checks/{page_name}.html")
    assert page.locator("details").evaluate("details => details.open") is False
    assert _found(page, "offline-alternative") == expected


# Wordings people use for a way round the internet, and look-alikes that are not one.
OFFLINE_WORDINGS = [
    "I will post a photo instead", "You can send it to us by post", "Post copies to Millbrook Council",
    "Send a copy of your payslip to our address at the Town Hall", "Write to us at Millbrook Council",
    "You can pay by cheque", "Call us on 01632 960 123", "Phone the blue badge team", "Ring us if you need help",
    "Apply by phone", "Use Relay UK or our textphone", "Bring your documents to an appointment",
    "Show us the letter in person", "Visit your local council office", "Ask at any Millbrook library",
    "Take it to a library and we will scan it", "Drop it off at the Town Hall reception",
    "Someone can help you fill in the form", "Ask a friend to help", "Our staff can help you apply",
    "We can help you with this", "You can get help from our assisted digital team",
]
NOT_OFFLINE_WORDINGS = [
    "Upload a photo of your face", "We will post your badge to you", "Your badge will be posted to you",
    "Enter your postcode", "Telephone number", "Visit our website for more", "Post-it notes are not accepted",
    "Make sure the photo is in focus", "Help us improve this service", "Help with your bill",
    "Phone 01632 960 123, Monday to Friday, 8:30am to 5pm",  # a footer's contact line, not an offer
]


@pytest.mark.parametrize("wording", OFFLINE_WORDINGS)
def test_a_way_round_the_internet_is_recognised_by_its_meaning(wording: str) -> None:
    assert offline_route(wording), wording
    assert upload_route(f"Upload a photo. {wording}."), wording


@pytest.mark.parametrize("wording", NOT_OFFLINE_WORDINGS)
def test_a_look_alike_is_not_taken_for_a_way_round(wording: str) -> None:
    assert offline_route(wording) is None
    assert upload_route(f"Upload a photo. {wording}.") is None


@pytest.mark.parametrize("wording", ["If you cannot upload a photo, tell us", "Continue without uploading",
                                     "I do not want to upload it", "We'll contact you about other ways"])
def test_saying_what_to_do_instead_of_uploading_is_a_way_round(wording: str) -> None:
    assert upload_route(wording)
    assert offline_route(wording) is None


def test_links_with_one_name_to_one_place_are_not_a_clash(page: Page, pages_url: str) -> None:
    """ACT b20e66: the same page by another address (a fragment, an immediate refresh), an SVG link beside an HTML
    one to the same address, and a hidden link are no clash; two other sites under one name with nothing around
    them to tell them apart are."""
    page.goto(f"{pages_url}/act/link-purpose-same-place.html")
    findings = run_checks(page, ["link-purpose"])
    assert [(f.outcome.value, f.selector) for f in findings] == [("violation", "#fail1")]
    page.evaluate("() => document.getElementById('first').insertAdjacentText('afterend', ' in Millbrook')")
    assert _found(page, "link-purpose") == [("needs-review", "#fail1")]  # the text around them may tell them apart


@pytest.mark.parametrize(("content", "limited"), [
    ("30", True), ("72000; url=later.html", True), ("0: later.html", False), ("+5; later.html", False),
    ("72001; later.html", False), ("foo; url=later.html", False), ("0; url=later.html", False)])
def test_a_meta_refresh_is_read_as_browsers_read_it(page: Page, content: str, limited: bool) -> None:
    """ACT bc659a: only a valid refresh with a delay of up to 20 hours is a time limit ('+5' and '0:' are none)."""
    page.set_content(f'<html lang="en"><head><meta http-equiv="refresh" content="{content}"><title>T</title></head>'
                     '<body><p>Waiting</p></body></html>')
    page.evaluate("() => window.stop()")
    assert [f.outcome for f in run_checks(page, ["time-limit"])] == ([Outcome.VIOLATION] if limited else [])


def test_only_the_first_valid_meta_refresh_counts(page: Page) -> None:
    page.set_content('<html lang="en"><head><meta http-equiv="refresh" content="0: a.html">'
                     '<meta http-equiv="refresh" content="5; b.html"><meta http-equiv="refresh" content="9; c.html">'
                     '<title>T</title></head><body></body></html>')
    findings = run_checks(page, ["time-limit"])
    assert [f.message.split(" after")[0] for f in findings] == ["The page moves to 'b.html'"]


class _SessionService(HtmlHandler):
    """A service that sends every page but its start to the start page when the visit has no session cookie."""

    def do_GET(self) -> None:
        if self.path == "/check":
            self._send('<!DOCTYPE html><html lang="en"><head><title>Check your answers</title></head><body><main>'
                       '<h1>Check your answers</h1><dl><dt>Name</dt><dd>Sam</dd><dd><a href="/change/name">Change</a>'
                       '</dd><dt>Address</dt><dd>1 Mill Lane</dd><dd><a href="/change/address">Change</a></dd></dl>'
                       '</main></body></html>')
        elif self.path == "/start":
            self._send('<!DOCTYPE html><title>Apply</title><h1>Apply</h1><a href="/check">Start now</a>')
        elif "session=1" not in (self.headers.get("Cookie") or ""):
            self._send("", status=302, headers={"Location": "/start"})
        else:
            self._send(f"<!DOCTYPE html><title>{self.path}</title><h1>{self.path}</h1>")


def test_links_that_lead_to_one_page_only_without_a_session_still_clash(page: Page) -> None:
    """Fetched without the journey's session, both 'Change' links are sent to the start page: not one place."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SessionService)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.context.add_cookies([{"name": "session", "value": "1", "domain": "127.0.0.1", "path": "/"}])
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/check")
        assert [outcome for outcome, _ in _found(page, "link-purpose")] == ["violation"]
    finally:
        server.shutdown()
