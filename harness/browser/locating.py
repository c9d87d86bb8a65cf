"""Finding fields and controls as a person would: by label, role and name first; by look alone, a finding."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import replace

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from harness.browser.behaviours.base import Behaviour
from harness.browser.checks.probes import NO_POSTCODE_ROUTE
from harness.browser.expectations import ExpectationFailed
from harness.browser.page_facts import element_fields, headings
from harness.browser.walker.snapshot import take_snapshot
from harness.model.findings import Finding, Impact, JourneyBlocked
from harness.model.not_found import Kind, not_found_message
from harness.model.rules import RULES

PATIENCE_MS = 5_000
"""How long a persona waits for something to appear before deciding it is not there."""

Strategies = list[tuple[str, Callable[[], Locator]]]
"""Ways of finding something, best first, each named by how it finds: 'role', 'label', 'text' ..."""


class Locating:
    """Finds what a persona looks for on the page, and notes (or, for a screen reader user, is stopped by)
    a control that only its look identifies.

    Args:
        note: where a finding about a control goes (the step under way).
        where: names the page for a message.
    """

    def __init__(self, page: Page, *, behaviour: Behaviour, persona_name: str, journey_id: str,
                 words: Mapping[str, str], note: Callable[[Finding], None], where: Callable[[], str]) -> None:
        self.page = page
        self.behaviour = behaviour
        self.persona_name = persona_name
        self.journey_id = journey_id
        self.words = words
        self.note = note
        self.where = where

    def first_found(self, strategies: Strategies) -> tuple[str, Locator] | None:
        """Try each way of finding something, best first, until one works or the persona's patience ends.

        Every strategy is tried on every pass, so a page without a proper button is not waited on for
        the full patience before the next strategy is tried.
        """
        deadline = time.monotonic() + PATIENCE_MS / 1000
        while True:
            found = first_match(strategies)
            if found is not None and found[0] > 0:
                # A page that draws its form late may draw it between two tries of one pass: the better ways
                # that failed a moment ago get one more try, so a late form is not taken for an unlabelled one.
                found = first_match(strategies[:found[0]]) or found
            if found is not None:
                return found[1], found[2]
            if time.monotonic() >= deadline:
                return None
            self.page.wait_for_timeout(100)

    def expect_heading(self, text: str) -> None:
        """A heading containing this text; text that only looks like a heading is a finding."""
        pattern = re.compile(re.escape(text), re.IGNORECASE)
        found = self.first_found([
            ("heading", lambda: self.page.get_by_role("heading", name=pattern)),
            ("text", lambda: self.page.get_by_text(pattern)),
        ])
        if found is None:
            raise ExpectationFailed(
                f"No heading containing '{text}' appeared on {self.where()}. "
                f"Headings on the page: {headings(self.page) or 'none'}. If the product words this "
                "differently, map the wording in the target file.")
        how, lookalike = found
        if how == "text":
            self.note(RULES["heading-marked-up"].finding(
                f"The text '{text}' reads as this page's heading, but it is not marked up as a heading, so "
                "screen reader users cannot find it by heading.", page_url=self.page.url,
                **element_fields(lookalike)))

    def expect_text(self, text: str) -> None:
        pattern = re.compile(re.escape(text), re.IGNORECASE)
        if self.first_found([("text", lambda: self.page.get_by_text(pattern))]) is None:
            raise ExpectationFailed(f"The text '{text}' did not appear on {self.where()}.")

    def quick_field(self, label: str) -> Locator | None:
        """A field or option by its label, if the loaded page has one: for things a persona looks for once."""
        located = self.page.get_by_label(label).filter(visible=True)
        return located.first if located.count() else None

    def quick_control(self, name: str | re.Pattern[str]) -> Locator | None:
        for role in ("link", "button"):
            located = self.page.get_by_role(role, name=name).filter(visible=True)
            if located.count():
                return located.first
        return None

    def no_postcode_route(self) -> str | None:
        """The words of a link or button offering a way on without a postcode, if the page has one."""
        control = self.quick_control(NO_POSTCODE_ROUTE)
        return " ".join(control.inner_text().split()) if control is not None else None

    def find_control(self, name: str) -> Locator:
        """By role and accessible name; failing that, by visible text, which is itself a finding."""
        page = self.page
        found = self.first_found([
            ("role", lambda: page.get_by_role("button", name=name, exact=True)),
            ("role", lambda: page.get_by_role("link", name=name, exact=True)),
            ("role", lambda: page.get_by_role("button", name=name)),
            ("role", lambda: page.get_by_role("link", name=name)),
            ("text", lambda: page.get_by_text(name, exact=True)),
            ("text", lambda: page.get_by_text(name)),
        ])
        if found is None:
            raise ExpectationFailed(self.not_found("control", name))
        how, control = found
        if how == "text":
            self.note_or_block(RULES["control-has-role"].finding(
                f"'{name}' looks like a control but is not a button or link, so screen reader and voice "
                "control users cannot find or operate it.", page_url=page.url, **element_fields(control)))
        return control

    def find_field(self, label: str) -> Locator:
        """By its label; failing that by placeholder or the text beside it, which is a finding."""
        page = self.page
        found = self.first_found([
            ("label", lambda: page.get_by_label(label)),
            ("placeholder", lambda: page.get_by_placeholder(label)),
            ("text", lambda: page.get_by_text(label).first.locator(
                "xpath=following::*[self::input or self::select or self::textarea][1]")),
        ])
        if found is None:
            raise ExpectationFailed(self.not_found("field", label))
        how, field = found
        if how != "label":
            self.note_or_block(RULES["field-label-associated"].finding(
                f"The field shown as '{label}' has no label tied to it, so screen reader users hear no name "
                "for it and voice control users cannot say its name.", page_url=page.url,
                **element_fields(field)))
        return field

    def not_found(self, kind: Kind, wanted: str) -> str:
        """What the page had instead, and the wording line that would find it there (never in a child frame,
        which the verbs cannot reach)."""
        return not_found_message(kind, wanted, self.where(), take_snapshot(self.page).within_reach(),
                                 journey_id=self.journey_id, words=self.words)

    def note_or_block(self, finding: Finding) -> None:
        """A control found only by its look: a finding, and the end of the road for a screen reader user."""
        if self.behaviour.names_only:
            raise JourneyBlocked(replace(finding, impact=Impact.CRITICAL, blocker=True,
                                  message=f"{finding.message} {self.persona_name} cannot go on."))
        self.note(finding)


def first_match(strategies: Strategies) -> tuple[int, str, Locator] | None:
    """The first way of finding something that finds a visible match now: its place in the list, name, match."""
    for index, (how, make) in enumerate(strategies):
        try:
            located = make().filter(visible=True)
            if located.count():
                return index, how, located.first
        except PlaywrightError:
            pass  # the page is navigating; try again on the next pass
    return None
