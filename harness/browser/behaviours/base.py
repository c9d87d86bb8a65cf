"""What every behaviour does: reach and operate the controls a journey needs, in its own way."""

from __future__ import annotations

from playwright.sync_api import FilePayload, Locator, Page


class Behaviour:
    """How a persona drives the browser. Subclasses override the three verbs a journey uses, and raise
    `harness.model.findings.JourneyBlocked` with the blocker finding when the person could not go on.

    Args:
        page: the page the persona is on.
        control / field / option: located by the journey, by role and accessible name where possible.
        name: the words the persona is looking for, for messages.
    """

    id = ""
    description = ""
    names_only = False
    """True when the person knows controls only by role and accessible name (a screen reader user)."""

    def activate(self, page: Page, control: Locator, name: str) -> None:
        raise NotImplementedError

    def fill(self, page: Page, field: Locator, value: str, name: str) -> None:
        raise NotImplementedError

    def choose(self, page: Page, option: Locator, name: str) -> None:
        raise NotImplementedError

    def select(self, page: Page, field: Locator, option: str, name: str) -> None:
        """Pick an option of a drop-down list by its text; every behaviour can open a native list."""
        field.focus()
        field.select_option(label=option)

    def attach(self, page: Page, field: Locator, file: FilePayload, name: str) -> None:
        """Choose a file for a file input; the operating system's file picker is out of reach of any test."""
        field.set_input_files(file)
