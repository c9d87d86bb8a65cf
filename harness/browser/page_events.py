"""Watch a journey's browser context for what real pages throw at it: dialogs, new tabs, downloads,
crashes and navigation outside the target's allowed origins. Each becomes a finding; the journey goes on.

It also keeps what the journey needs to name a broken page rather than fail on it later: the HTTP status of
the document now shown, the main frame's recent navigations (a page that redirects in a loop), and how many
dialogs the page has opened (a page that opens them for ever is stopped through `on_storm`)."""

from __future__ import annotations

import re
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress

from playwright.sync_api import BrowserContext, Dialog, Download, Frame, Page, Request, Response, Route
from playwright.sync_api import Error as PlaywrightError

from harness.model.findings import Finding
from harness.model.rules import RULES
from harness.model.targets import origin_of

NoteFinding = Callable[[Finding], None]
DIALOG_STORM = 20
"""Dialogs within DIALOG_STORM_S that make a storm: no page needs that many, and one that opens them in a loop
holds the browser for ever while the harness answers each."""
DIALOG_STORM_S = 10.0
LOOP_NAVIGATIONS = 8
"""Main-frame navigations after one action and within LOOP_WINDOW_S, among few addresses, that make a loop."""
LOOP_WINDOW_S = 10.0


class PageEvents:
    """Handlers registered on one page and its context; findings go to `note` as events happen."""

    def __init__(self, page: Page, note: NoteFinding, allowed_origins: Iterable[str] = ()) -> None:
        self.page = page
        self.note = note
        self.allowed_origins = frozenset(origin_of(o) for o in allowed_origins)
        self.crashed = False
        self.in_flight = 0
        """Requests the page has started and not yet finished: content that is still arriving."""
        self.navigation_failure = ""
        """Why the last main-frame navigation failed (e.g. 'net::ERR_TOO_MANY_REDIRECTS'), if it did."""
        self.redirects: list[str] = []
        """The addresses of the last main-frame navigation that failed after redirects, in order."""
        self.document_status: tuple[int, str, str] | None = None
        """(status, status text, address) of the last main-frame document the server answered."""
        self.on_storm: Callable[[str], None] | None = None
        """Told once when the page opens dialogs in a loop: the journey stops the page."""
        self.navigating = False
        """True from a main-frame navigation's request until its document commits or fails: the page cannot
        answer the browser meanwhile, and that is not a page that stopped responding."""
        self.dialogs = 0
        self._dialog_times: deque[float] = deque(maxlen=DIALOG_STORM)
        self._dialogs_seen: set[tuple[str, str]] = set()
        self._navigations: deque[tuple[float, str]] = deque(maxlen=4 * LOOP_NAVIGATIONS)
        self.also_detach: list[Callable[[], None]] = []
        """More listeners on the same page (the journey's document size cap) that end with these."""
        self._handlers: dict[str, Callable[..., None]] = {
            "dialog": self._on_dialog, "requestfailed": self._on_request_failed, "request": self._on_request,
            "requestfinished": self._on_request_done, "download": self._on_download, "crash": self._on_crash,
            "response": self._on_response, "framenavigated": self._on_navigated}
        for event, handler in self._handlers.items():
            page.on(event, handler)  # type: ignore[call-overload]
        page.context.on("page", self._on_new_page)
        if self.allowed_origins:
            _guard_for(page.context, outside_pattern(self.allowed_origins)).events = self

    def detach(self) -> None:
        """Stop listening, so a page reused for the next test (scan mode) reports to that test alone."""
        for event, handler in self._handlers.items():
            self.page.remove_listener(event, handler)
        self.page.context.remove_listener("page", self._on_new_page)
        guard = _GUARDS.get(self.page.context)
        if guard is not None and guard.events is self:
            guard.events = None
        for detach in self.also_detach:
            detach()

    def loop(self, since: float) -> list[str]:
        """The addresses of a redirect or refresh loop the main frame is in now, in order; empty if none.

        Chromium stops an HTTP redirect loop itself (ERR_TOO_MANY_REDIRECTS) but not a page that sends the
        browser on with `<meta http-equiv=refresh>` or `location.replace`: those go round for ever.
        """
        if "ERR_TOO_MANY_REDIRECTS" in self.navigation_failure and self.redirects:
            return self.redirects
        now = time.monotonic()
        recent = [url for at, url in self._navigations if at >= since and now - at <= LOOP_WINDOW_S]
        if len(recent) >= LOOP_NAVIGATIONS and len({_address(u) for u in recent}) <= len(recent) // 2:
            return recent
        return []

    def _on_dialog(self, dialog: Dialog) -> None:
        kind = dialog.type
        self.dialogs += 1
        now = time.monotonic()
        self._dialog_times.append(now)
        if (len(self._dialog_times) == DIALOG_STORM and now - self._dialog_times[0] <= DIALOG_STORM_S
                and self.on_storm is not None):
            storm, self.on_storm = self.on_storm, None
            storm(f"The page stopped responding: it opened {DIALOG_STORM} browser dialogs in "
                  f"{now - self._dialog_times[0]:.1f} s and kept opening more as each was answered (the last: "
                  f"'{kind}' saying '{dialog.message[:100]}'), so the harness stopped its script.")
        if (kind, dialog.message) not in self._dialogs_seen:
            # The same dialog again is the same finding: a page that repeats one is told once, not thousands of times.
            self._dialogs_seen.add((kind, dialog.message))
            self.note(RULES["unexpected-dialog"].finding(
                f"The page opened a browser '{kind}' dialog; the harness answered it and went on.",
                page_url=self.page.url, snippet=dialog.message[:500]))
        try:
            # Leaving the page and plain alerts are accepted, as a person would; prompts get no answer.
            dialog.dismiss() if kind == "prompt" else dialog.accept()
        except PlaywrightError:
            pass  # the page closed the dialog itself

    def _on_download(self, download: Download) -> None:
        self.note(RULES["unexpected-download"].finding(
            f"Pressing a control started a download ('{download.suggested_filename}') instead of "
            "showing a page; the harness cancelled it.", page_url=self.page.url))
        try:
            download.cancel()
        except PlaywrightError:
            pass

    def _on_new_page(self, popup: Page) -> None:
        if popup is self.page:
            return
        self.note(RULES["new-window-opened"].finding(
            f"The page opened a new tab or window ({popup.url}); the persona stayed on the original page.",
            page_url=self.page.url))
        try:
            popup.close()
        except PlaywrightError:
            pass

    def _on_request(self, request: Request) -> None:
        self.in_flight += 1
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.navigating = True

    def _on_request_done(self, request: Request) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.navigating = False  # answered without a new document (204), or a download

    def _on_request_failed(self, request: Request) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.navigating = False
            self.navigation_failure = f"{request.failure or 'failed'} loading {request.url}"
            chain: list[str] = []
            step: Request | None = request
            while step is not None and len(chain) < 50:
                chain.append(step.url)
                step = step.redirected_from
            self.redirects = chain[::-1]

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.is_navigation_request() and response.frame == self.page.main_frame:
            self.document_status = (response.status, response.status_text, response.url)

    def _on_navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self.navigating = False
            self._navigations.append((time.monotonic(), frame.url))

    def _on_crash(self, page: Page) -> None:
        self.crashed = True

    def _on_outside_request(self, route: Route) -> None:
        request = route.request
        if not request.is_navigation_request() or request.frame.parent_frame is not None:
            # Images, scripts and embedded frames from other sites are the page's business; only the
            # persona's own navigation is kept inside the target.
            route.continue_()
            return
        self.note(RULES["navigation-outside-target"].finding(
            f"The journey was about to go to {origin_of(request.url)}, outside the target's allowed "
            "origins, so the harness stopped it there.", page_url=self.page.url))
        route.abort("blockedbyclient")


def _address(url: str) -> str:
    """An address without its query and fragment: a loop that adds a counter or a timestamp is still a loop."""
    return url.split("#", 1)[0].split("?", 1)[0]


def outside_pattern(allowed_origins: Iterable[str]) -> re.Pattern[str]:
    """Web addresses outside these origins, as a pattern the browser side can match.

    A pattern rather than a Python function: Playwright matches a pattern without asking Python, so the
    page's own requests (every image, script and font) are not each held up for a round trip to the test.
    """
    allowed = "|".join(re.escape(origin) for origin in sorted(allowed_origins))
    return re.compile(rf"^(?!(?:{allowed})(?:[/?#]|$))https?://", re.IGNORECASE)


class _Guard:
    """One route per context keeps navigation inside the allowed origins, for whichever walk uses it now.

    Installed once and kept: scan mode reuses a context from page to page, and adding and removing a route
    for each page would cost two more round trips to the browser every time.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.events: PageEvents | None = None

    def handle(self, route: Route) -> None:
        if self.events is None:
            route.continue_()
        else:
            self.events._on_outside_request(route)


_GUARDS: weakref.WeakKeyDictionary[BrowserContext, _Guard] = weakref.WeakKeyDictionary()


def _guard_for(context: BrowserContext, pattern: re.Pattern[str]) -> _Guard:
    guard = _GUARDS.get(context)
    if guard is not None and guard.pattern.pattern == pattern.pattern:
        return guard
    if guard is not None:
        with suppress(PlaywrightError):
            context.unroute(guard.pattern, guard.handle)
    guard = _GUARDS[context] = _Guard(pattern)
    context.route(pattern, guard.handle)
    return guard
