"""Screen reader: finds everything by role and accessible name, and operates it from the keyboard.

We cannot run NVDA or VoiceOver in a test run, so the persona uses what they use: the accessibility tree.
A control found only by its look (visible text beside it, a placeholder) does not exist for this person:
the journey stops there (the journey's locating consults `names_only`).
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from harness.browser.behaviours.base import Behaviour


class ScreenReaderBehaviour(Behaviour):
    id = "screen-reader"
    description = "Finds controls by role and accessible name only; operates them with Enter and Space."
    names_only = True

    def activate(self, page: Page, control: Locator, name: str) -> None:
        # A screen reader moves its virtual cursor to the control and sends Enter (Space for toggles),
        # whether or not the control is in the Tab order.
        control.focus()
        kind = control.evaluate("(el) => el.type === 'checkbox' || el.type === 'radio' || "
                                "['checkbox', 'radio', 'switch'].includes(el.getAttribute('role'))")
        control.press("Space" if kind else "Enter")

    def fill(self, page: Page, field: Locator, value: str, name: str) -> None:
        field.focus()
        field.fill(value)

    def choose(self, page: Page, option: Locator, name: str) -> None:
        option.focus()
        if not option.is_checked():
            option.press("Space")
