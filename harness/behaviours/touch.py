"""Touch: a smartphone user who taps controls and types on the on-screen keyboard."""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from harness.behaviours.base import Behaviour

TAP_CLICK_WAIT_S = 1.0
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
        # click (and any navigation it starts) has happened: wait for the click, as a person waits.
        page.evaluate(ARM_CLICK_JS)
        control.tap()
        deadline = time.monotonic() + TAP_CLICK_WAIT_S
        while time.monotonic() < deadline:
            try:
                if page.evaluate("() => window.__a11yClicked !== false"):
                    return
            except PlaywrightError:
                return  # the old page is gone: the tap's navigation is under way
            page.wait_for_timeout(25)

    def fill(self, page: Page, field: Locator, value: str, name: str) -> None:
        field.tap()
        field.fill(value)

    def choose(self, page: Page, option: Locator, name: str) -> None:
        if not option.is_checked():
            option.tap()
