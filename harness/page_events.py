"""Watch a journey's browser context for what real pages throw at it: dialogs, new tabs, downloads,
crashes and navigation outside the target's allowed origins. Each becomes a finding; the journey goes on."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable
from contextlib import suppress

from playwright.sync_api import BrowserContext, Dialog, Download, Page, Request, Route
from playwright.sync_api import Error as PlaywrightError

from harness.findings import Finding, Impact, Outcome
from harness.targets import origin_of

NoteFinding = Callable[[Finding], None]


def _event(rule_id: str, message: str, help_text: str, page_url: str, impact: Impact = Impact.MINOR,
           outcome: Outcome = Outcome.ERROR, snippet: str = "") -> Finding:
    return Finding(outcome=outcome, impact=impact, rule_id=rule_id, source="harness", message=message,
                   help=help_text, help_url="", page_url=page_url, snippet=snippet)


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
        self._handlers: dict[str, Callable[..., None]] = {
            "dialog": self._on_dialog, "requestfailed": self._on_request_failed, "request": self._on_request,
            "requestfinished": self._on_request_done, "download": self._on_download, "crash": self._on_crash}
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

    def _on_dialog(self, dialog: Dialog) -> None:
        kind = dialog.type
        self.note(_event(
            "unexpected-dialog",
            f"The page opened a browser '{kind}' dialog; the harness answered it and went on.",
            "Browser dialogs interrupt people and some assistive technology; prefer messages on the page.",
            self.page.url, snippet=dialog.message[:500]))
        try:
            # Leaving the page and plain alerts are accepted, as a person would; prompts get no answer.
            dialog.dismiss() if kind == "prompt" else dialog.accept()
        except PlaywrightError:
            pass  # the page closed the dialog itself

    def _on_download(self, download: Download) -> None:
        self.note(_event(
            "unexpected-download",
            f"Pressing a control started a download ('{download.suggested_filename}') instead of "
            "showing a page; the harness cancelled it.",
            "Say on the link that it downloads a file, with its type and size.", self.page.url))
        try:
            download.cancel()
        except PlaywrightError:
            pass

    def _on_new_page(self, popup: Page) -> None:
        if popup is self.page:
            return
        self.note(_event(
            "new-window-opened",
            f"The page opened a new tab or window ({popup.url}); the persona stayed on the original page.",
            "Open links in the same tab unless people are told a new one will open (WCAG 3.2.5 advice).",
            self.page.url, impact=Impact.MINOR))
        try:
            popup.close()
        except PlaywrightError:
            pass

    def _on_request(self, request: Request) -> None:
        self.in_flight += 1

    def _on_request_done(self, request: Request) -> None:
        self.in_flight = max(0, self.in_flight - 1)

    def _on_request_failed(self, request: Request) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.navigation_failure = f"{request.failure or 'failed'} loading {request.url}"

    def _on_crash(self, page: Page) -> None:
        self.crashed = True

    def _on_outside_request(self, route: Route) -> None:
        request = route.request
        if not request.is_navigation_request() or request.frame.parent_frame is not None:
            # Images, scripts and embedded frames from other sites are the page's business; only the
            # persona's own navigation is kept inside the target.
            route.continue_()
            return
        self.note(_event(
            "navigation-outside-target",
            f"The journey was about to go to {origin_of(request.url)}, outside the target's allowed "
            "origins, so the harness stopped it there.",
            "If that site is part of the service (a payment provider, say), add its origin to "
            "allowed_origins in the target file.", self.page.url, impact=Impact.SERIOUS))
        route.abort("blockedbyclient")


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
