"""Watch a journey's browser context for what real pages throw at it: dialogs, new tabs, downloads,
crashes and navigation outside the target's allowed origins. Each becomes a finding; the journey goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from playwright.sync_api import Dialog, Download, Page, Request, Route
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
        page.on("dialog", self._on_dialog)
        page.on("requestfailed", self._on_request_failed)
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_request_done)
        page.on("download", self._on_download)
        page.on("crash", self._on_crash)
        page.context.on("page", self._on_new_page)
        if self.allowed_origins:
            page.context.route(self._outside_allowed, self._on_outside_request)

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

    def _outside_allowed(self, url: str) -> bool:
        return url.startswith(("http://", "https://")) and origin_of(url) not in self.allowed_origins

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


