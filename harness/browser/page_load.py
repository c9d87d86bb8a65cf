"""A page after each action: let it load and settle, and stop a journey that cannot be trusted to go on from it
(a redirect loop, an HTTP error page, a document cut short, a page that stopped answering)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.browser.axe_scan import first_line
from harness.browser.expectations import ExpectationFailed, StepTimedOut
from harness.browser.locating import PATIENCE_MS
from harness.browser.page_events import PageEvents
from harness.browser.page_facts import safe_title, safe_url, url_path
from harness.browser.watchdog import DOCUMENT_MAX_BYTES, PageUnresponsive, Watchdog
from harness.model.errors import ConfigError
from harness.model.findings import Finding, JourneyBlocked
from harness.model.rules import RULES

NAVIGATION_ATTEMPTS = 3
# Network failures worth a second try; anything else (a redirect loop, a bad address) is final.
TRANSIENT_NETWORK_ERRORS = ("ERR_CONNECTION_RESET", "ERR_CONNECTION_REFUSED", "ERR_CONNECTION_CLOSED",
                            "ERR_EMPTY_RESPONSE", "ERR_NETWORK_CHANGED", "ERR_TIMED_OUT",
                            "ERR_CONNECTION_TIMED_OUT", "ERR_INTERNET_DISCONNECTED",
                            "interrupted by another navigation")
NETWORK_QUIET_CAP_S = 3.0
SETTLE_ROUNDS = 3
STUCK_PAGE_SCAN_S = 15.0
"""How long the scan and screenshot of a page that stopped responding may take: enough for any page that answers."""
HTTP_FORM_ANSWERS = frozenset({400, 409, 422})
"""Error statuses services send with a form that shows what to correct: the persona reads the page and goes on."""


class PageLoad:
    """The page loading after the persona's last action, and the reasons it stops the journey.

    Args:
        note: where a finding about the load goes (the step under way).
    """

    def __init__(self, page: Page, *, events: PageEvents, watchdog: Watchdog, persona_name: str,
                 page_timeout_s: float, note: Callable[[Finding], None]) -> None:
        self.page = page
        self.events = events
        self.watchdog = watchdog
        self.persona_name = persona_name
        self.page_timeout_s = page_timeout_s
        self.note = note
        self.capped: Finding | None = None
        """A document cut short by the size cap: the step stops at the next settle (or verb)."""
        self.action_started = time.monotonic()
        """When the persona's last action began: page loads since then are what a loop is looked for in."""

    def open(self, url: str) -> None:
        """Go to a journey's first page, trying again when the connection drops (settle() lets it load)."""
        for attempt in range(1, NAVIGATION_ATTEMPTS + 1):
            try:
                self.page.goto(url, wait_until="commit")
                break
            except PlaywrightTimeoutError:
                raise ExpectationFailed(f"The start page did not respond within {self.page_timeout_s:g} s "
                                        f"({url}).") from None
            except PlaywrightError as exc:
                transient = next((e for e in TRANSIENT_NETWORK_ERRORS if e in str(exc)), None)
                if transient is None or attempt == NAVIGATION_ATTEMPTS:
                    raise
                self.note(RULES["navigation-retried"].finding(
                    f"Opening the start page failed ({transient}); the harness tried again "
                    f"(attempt {attempt + 1} of {NAVIGATION_ATTEMPTS}).", page_url=url))
                # Let the browser's own error page finish arriving, or it interrupts the next attempt.
                self.page.wait_for_timeout(250 * attempt)
                with suppress(PlaywrightError):
                    self.page.wait_for_load_state("load", timeout=2_000)

    def settle(self) -> None:
        """Let a page started by the last action load; a page that never finishes is used as it stands."""
        for _ in range(SETTLE_ROUNDS):
            try:
                self.page.wait_for_load_state("load", timeout=self.page_timeout_s * 1000)
            except PlaywrightError as exc:
                if self.events.crashed or "closed" in str(exc).lower():
                    raise
                # A page that never loads because it keeps leaving is a loop; one cut short, too large.
                self.stop_if_capped()
                self.stop_if_looping()
                self.note(RULES["page-load-timeout"].finding(
                    f"The page did not finish loading within {self.page_timeout_s:g} s; the journey went on with "
                    "what had arrived.", page_url=safe_url(self.page)))
                break
            # Content still arriving after the load event (fetched results, late widgets) is waited for, up
            # to a cap, so the scan sees what a person would; a quiet page costs no wait at all.
            deadline = time.monotonic() + NETWORK_QUIET_CAP_S
            while self.events.in_flight > 0 and time.monotonic() < deadline:
                self.page.wait_for_timeout(50)
            # A navigation that began late (a tap's click, a script's redirect) replaces the document under
            # us: go round again until the page holds still.
            try:
                self.page.evaluate("() => document.readyState")
                break
            except PlaywrightError as exc:
                if "destroyed" not in str(exc) and "navigat" not in str(exc).lower():
                    raise
        self.stop_if_capped()
        self.stop_if_looping()
        if self.page.url.startswith("chrome-error://"):
            raise ExpectationFailed(f"The next page could not be loaded: "
                                    f"{self.events.navigation_failure or 'the browser showed an error page'}.")
        self.stop_if_http_error()

    def record_where_stuck(self, exc: BaseException, finding: Finding, scan: Callable[[], None],
                           scan_limit_s: float) -> None:
        """Scan and photograph the page where the persona got stuck, within a limit; close a page that hung.

        A crashed, closed or stuck page must not hide the blocker behind a second error, nor hold the run.
        """
        closed = isinstance(exc, PageUnresponsive) and exc.kind == "closed"
        too_large = finding.rule_id == "document-too-large"
        looping = bool(self.events.loop(self.action_started))  # nothing holds still long enough to scan
        unresponsive = finding.rule_id == "page-unresponsive"
        if not (closed or too_large or looping):
            self.watchdog.forgive()
            # A page that stopped responding once gets a short while: it may well stop again.
            limit = STUCK_PAGE_SCAN_S if unresponsive else scan_limit_s
            with suppress(Exception), self.watchdog.limit(limit, "the scan of where the persona got stuck"):
                scan()
        if unresponsive or too_large or looping:
            # Nothing may touch it again: scan mode's next page gets a new one (SharedPages.page_for).
            with suppress(Exception), self.watchdog.limit(PATIENCE_MS / 1000, "closing the page"):
                self.page.close()

    def where(self) -> str:
        """The page for a message: its title and address, or why the browser shows an error page instead."""
        url = safe_url(self.page)
        if url.startswith("chrome-error://"):
            return f"the browser's error page ({self.events.navigation_failure or 'the page could not load'})"
        return f"'{safe_title(self.page)}' ({url})"

    def stop_if_looping(self) -> None:
        """A page that sends the browser round in a loop is named as such, not met later as missing text."""
        loop = self.events.loop(self.action_started)
        if loop:
            raise JourneyBlocked(self.loop_finding(loop))

    def loop_finding(self, loop: Sequence[str]) -> Finding:
        shown = [shown_address(url) for url in loop[-6:]]
        failure = self.events.navigation_failure.split(" loading ", 1)[0]
        return RULES["redirect-loop"].finding(
            f"The page redirects in a loop: {' → '.join(shown)} → … ({len(loop)} page loads"
            f"{', ' + failure if 'REDIRECTS' in failure else ''}), so the persona never reaches a page.",
            page_url=loop[0], blocker=True)

    def stop_if_http_error(self) -> None:
        """A page the server answered with an error: the journey cannot be trusted to go on from it."""
        answer = self.events.document_status
        if answer is None or answer[0] < 400 or answer[0] in HTTP_FORM_ANSWERS:
            return
        status, text, url = answer
        if url_path(url) != url_path(safe_url(self.page)):
            return  # the page has moved on since (history.pushState, a later navigation)
        raise JourneyBlocked(RULES["http-error"].finding(
            f"The server answered {url} with HTTP {status}{' ' + text if text else ''}, so {self.persona_name} met "
            "an error page instead of the service, and the journey cannot be trusted to go on.",
            page_url=url, blocker=True))

    def note_document_cap(self, url: str, received: int) -> None:
        """From the size cap, as the document arrives: the step stops at the next settle."""
        self.capped = RULES["document-too-large"].finding(
            f"The page is too large: its document ({url}) is more than {DOCUMENT_MAX_BYTES / 1e6:g} MB "
            f"({received / 1e6:.1f} MB had arrived or was declared), so the harness stopped loading it and closed "
            "the page; the journey cannot go on from a page cut short.", page_url=url, blocker=True)

    def stop_if_capped(self) -> None:
        capped, self.capped = self.capped, None
        if capped is not None:
            raise JourneyBlocked(capped)

    def blocker_from(self, exc: BaseException, step_name: str) -> Finding:
        """The blocker finding for what stopped a step: the page's fault named as such, or the harness's."""
        if isinstance(exc, JourneyBlocked):
            return exc.finding
        if self.capped is not None:
            return self.capped  # whatever failed after, a page cut short is why
        if isinstance(exc, PageUnresponsive):
            return RULES["page-unresponsive"].finding(f"'{step_name}' could not go on. {exc}",
                                                      page_url=safe_url(self.page), blocker=True)
        if self.events.crashed:
            return RULES["page-crashed"].finding(
                f"The browser page crashed during '{step_name}', so the journey could not go on.",
                page_url=safe_url(self.page), blocker=True)
        if isinstance(exc, StepTimedOut | ConfigError):
            return RULES["harness-error"].finding(f"'{step_name}' was stopped: {exc}",
                                                  page_url=safe_url(self.page), blocker=True, when="stopped")
        loop = self.events.loop(self.action_started)
        if loop and isinstance(exc, ExpectationFailed | PlaywrightError):
            return self.loop_finding(loop)
        if (isinstance(exc, ExpectationFailed | PlaywrightError) and not self.events.navigating
                and not self.watchdog.responds()):
            # Playwright's own timeout ended the call, but the reason is a page that no longer answers.
            self.watchdog.stop_script()
            return self.blocker_from(PageUnresponsive(
                f"The page stopped responding: it did not answer the browser ({first_line(str(exc))}), and "
                "still did not a moment later, so the harness stopped its script.", kind="script"), step_name)
        if isinstance(exc, ExpectationFailed | PlaywrightError):
            return RULES["journey-blocked"].finding(f"Could not complete '{step_name}': {first_line(str(exc))}",
                                                    page_url=safe_url(self.page), blocker=True)
        return RULES["harness-error"].finding(
            f"The harness failed during '{step_name}': {type(exc).__name__}: {first_line(str(exc))}",
            page_url=safe_url(self.page), blocker=True)


def shown_address(url: str) -> str:
    """An address as a message shows it: its path and query, cut short."""
    parts = urlsplit(url)
    shown = parts.path + (f"?{parts.query}" if parts.query else "") if parts.scheme in ("http", "https") else url
    return shown if len(shown) <= 60 else shown[:59] + "…"
