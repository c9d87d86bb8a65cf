"""The baseline behaviour: a sighted person with a mouse who clicks and types normally."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from harness.browser.behaviours.base import Behaviour


class PointerBehaviour(Behaviour):
    id = "pointer"
    description = "Clicks with a mouse and types normally."

    def activate(self, page: Page, control: Locator, name: str) -> None:
        control.click()

    def fill(self, page: Page, field: Locator, value: str, name: str) -> None:
        field.click()
        field.fill(value)

    def choose(self, page: Page, option: Locator, name: str) -> None:
        option.check()
