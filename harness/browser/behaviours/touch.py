"""Touch: a smartphone user who taps controls and types on the on-screen keyboard."""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page, Request

from harness.browser.behaviours.base import Behaviour

TAP_CLICK_WAIT_S = 1.0
CLICK_TO_REQUEST_S = 0.1
NAVIGATION_COMMIT_WAIT_S = 30.0
ARM_CLICK_JS = """
() => {
  window.__a11yClicked = false;
  document.addEventListener('click', () => { window.__a11yClicked = true; }, {capture: true, once: true});
}
"""


class TouchBehaviour(Behaviour):
    """Taps instead of clicking, so touch-only handlers and small targets behave as on a phone.

    The persona's context must have has_touch = true, or the browser refuses to tap.
    """

    id = "touch"
    description = "Taps controls on a touch screen and types on the on-screen keyboard."

    def activate(self, page: Page, control: Locator, name: str) -> None:
        # The browser turns a tap into a click a moment after the touch ends, so tap() returns before the
        # click, and before any navigation it starts. Wait for the click, then for that navigation to
        # replace the page, as a person waits; otherwise the next look at the page meets a vanishing one.
        started: list[object] = []
        committed: list[object] = []

        def on_request(request: Request) -> None:
            if request.is_navigation_request() and request.frame == page.main_frame:
                started.append(request)

        def on_navigated(frame: Frame) -> None:
            if frame == page.main_frame:
                committed.append(frame)

        page.on("request", on_request)
        page.on("framenavigated", on_navigated)
        try:
            page.evaluate(ARM_CLICK_JS)
            control.tap()
            self._wait_for_click(page, started, committed)
            deadline = time.monotonic() + NAVIGATION_COMMIT_WAIT_S
            while started and not committed and time.monotonic() < deadline:
                page.wait_for_timeout(25)
        finally:
            page.remove_listener("request", on_request)
            page.remove_listener("framenavigated", on_navigated)

    @staticmethod
    def _wait_for_click(page: Page, started: list[object], committed: list[object]) -> None:
        deadline = time.monotonic() + TAP_CLICK_WAIT_S
        while time.monotonic() < deadline and not (started or committed):
            try:
                clicked = page.evaluate("() => window.__a11yClicked !== false")
            except PlaywrightError:
                return  # the old page is gone: the tap's navigation is under way
            if clicked:
                page.wait_for_timeout(CLICK_TO_REQUEST_S * 1000)  # a form post is sent just after its click
                return
            page.wait_for_timeout(25)

    def fill(self, page: Page, field: Locator, value: str, name: str) -> None:
        field.tap()
        field.fill(value)

    def choose(self, page: Page, option: Locator, name: str) -> None:
        if not option.is_checked():
            option.tap()
