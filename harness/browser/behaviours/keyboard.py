"""Keyboard-only: reach controls with Tab and Shift+Tab, radios with arrows, operate with Enter and Space.

Never clicks and never focuses an element from script: if Tab cannot reach a control, neither can a
person who cannot use a mouse (WCAG 2.1.1), and the journey stops with a blocker finding.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import FilePayload, Locator, Page

from harness.browser.behaviours.base import Behaviour
from harness.browser.page_facts import describe_element
from harness.browser.tab_walk import MAX_PRESSES
from harness.model.findings import Finding, JourneyBlocked
from harness.model.rules import RULES

# Where focus is relative to the element we want: reached, inside the same radio group, or which way to go.
FOCUS_STATE_JS = """
(el) => {
  const a = document.activeElement;
  const reached = !!a && a !== document.body && (el === a || el.contains(a));
  const sameGroup = !!a && el.type === 'radio' && a.type === 'radio' && a.name === el.name
    && a.form === el.form;
  const before = !!a && a !== document.body && a !== el
    && !!(el.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_PRECEDING);
  return {reached, sameGroup, before};
}
"""
FOCUSABLE_COUNT_JS = """
() => document.querySelectorAll(
  'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]'
).length
"""
KIND_JS = """
(el) => {
  const role = (el.getAttribute('role') || '').toLowerCase();
  if (el.type === 'checkbox' || el.type === 'radio' || role === 'checkbox' || role === 'radio') return 'toggle';
  return 'press';
}
"""
RADIO_GROUP_SIZE_JS = "(el) => el.form ? el.form.querySelectorAll(`input[type=radio][name=\"${CSS.escape(el.name)}\"]`).length : document.querySelectorAll(`input[type=radio][name=\"${CSS.escape(el.name)}\"]`).length"


class KeyboardBehaviour(Behaviour):
    id = "keyboard-only"
    description = "Uses Tab, Shift+Tab, arrows, Enter and Space; never a pointer."

    def activate(self, page: Page, control: Locator, name: str) -> None:
        self.reach(page, control, name)
        key = "Space" if control.evaluate(KIND_JS) == "toggle" else "Enter"
        # Locator.press on the already-focused element waits for any navigation it starts, as a click would.
        page.locator("*:focus").press(key)

    def fill(self, page: Page, field: Locator, value: str, name: str) -> None:
        self.reach(page, field, name)
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type(value)

    def choose(self, page: Page, option: Locator, name: str) -> None:
        self.reach(page, option, name)
        if not option.is_checked():
            page.keyboard.press("Space")

    def select(self, page: Page, field: Locator, option: str, name: str) -> None:
        self.reach(page, field, name)  # then the arrow keys pick the option, as select_option does
        field.select_option(label=option)

    def attach(self, page: Page, field: Locator, file: FilePayload, name: str) -> None:
        self.reach(page, field, name)  # a keyboard user must reach the file input to open the picker
        field.set_input_files(file)

    def reach(self, page: Page, target: Locator, name: str) -> int:
        """Move focus to target with the keys a person would use; return how many presses it took."""
        state = target.evaluate(FOCUS_STATE_JS)
        if state["reached"]:
            return 0
        key = "Shift+Tab" if not state["before"] and _target_precedes_focus(target) else "Tab"
        limit = min(MAX_PRESSES, int(page.evaluate(FOCUSABLE_COUNT_JS)) + 3)
        for presses in range(1, limit + 1):
            page.keyboard.press(key)
            state = target.evaluate(FOCUS_STATE_JS)
            if state["reached"]:
                return presses
            if state["sameGroup"]:
                return presses + self._arrow_to(page, target, name)
        raise JourneyBlocked(unreachable_finding(page, target, name, limit, key))

    def _arrow_to(self, page: Page, target: Locator, name: str) -> int:
        """Inside a radio group, arrows move between options (Tab would leave the group)."""
        size = int(target.evaluate(RADIO_GROUP_SIZE_JS))
        for presses in range(1, size + 1):
            page.keyboard.press("ArrowDown")
            if target.evaluate(FOCUS_STATE_JS)["reached"]:
                return presses
        raise JourneyBlocked(unreachable_finding(page, target, name, size, "ArrowDown"))


def _target_precedes_focus(target: Locator) -> bool:
    """True when the target comes before the focused element, so Shift+Tab is the shorter way."""
    result: Any = target.evaluate(
        "(el) => { const a = document.activeElement; if (!a || a === document.body) return false;"
        " return !!(el.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING); }")
    return bool(result)


def unreachable_finding(page: Page, target: Locator, name: str, presses: int, key: str) -> Finding:
    info = describe_element(target)
    return RULES["keyboard-reachable"].finding(
        f"'{name}' cannot be reached with the keyboard: {presses} presses of {key} never moved focus to it, so "
        "someone who cannot use a mouse cannot go on.",
        page_url=page.url, selector=info["selector"], snippet=info["html"], blocker=True)
