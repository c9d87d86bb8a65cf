"""Touch: a smartphone user who taps controls and types on the on-screen keyboard."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from harness.behaviours.base import Behaviour


class TouchBehaviour(Behaviour):
    """Taps instead of clicking, so touch-only handlers and small targets behave as on a phone.

    The persona's context must have has_touch = true, or the browser refuses to tap.
    """

    id = "touch"
    description = "Taps controls on a touch screen and types on the on-screen keyboard."

    def activate(self, page: Page, control: Locator, name: str) -> None:
        control.tap()

    def fill(self, page: Page, field: Locator, value: str, name: str) -> None:
        field.tap()
        field.fill(value)

    def choose(self, page: Page, option: Locator, name: str) -> None:
        if not option.is_checked():
            option.tap()
