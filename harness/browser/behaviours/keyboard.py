"""Keyboard-only: reach controls with Tab and Shift+Tab, radios with arrows, operate with Enter and Space.

Never clicks and never focuses an element from script: if Tab cannot reach a control, neither can a
person who cannot use a mouse (WCAG 2.1.1), and the journey stops with a blocker finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import FilePayload, Locator, Page

from harness.browser.behaviours.base import Behaviour
from harness.browser.page_facts import describe_element
from harness.model.findings import Finding, JourneyBlocked
from harness.model.rules import RULES

MAX_PRESSES = 400

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


# Mark every element that should take focus with its place in the document, and remember how each
# looks unfocused, so each Tab stop can be compared with its own unfocused rendering. Focus goes first, so
# the element that had it is not recorded as looking focused when unfocused; and blur() alone would leave
# the browser's Tab starting point on it, so a new first element takes focus and goes, and Tab starts from
# the top of the page.
PREPARE_WALK_JS = """
() => {
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const start = document.createElement('span');
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus({preventScroll: true});
  start.remove();
  const selector = 'a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), '
    + 'select:not([disabled]), textarea:not([disabled]), summary, iframe, [tabindex]:not([tabindex="-1"]), '
    + '[contenteditable=""], [contenteditable="true"]';
  const look = el => { const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color,
            s.borderColor, s.textDecorationLine, s.textDecorationThickness].join('|'); };
  window.__a11yWalk = [];
  Array.from(document.querySelectorAll(selector)).forEach((el, i) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0 && getComputedStyle(el).position !== 'absolute') return;
    // Not rendered (inside a closed <details>, or display: none above it): not a Tab stop either.
    if (el.checkVisibility && !el.checkVisibility()) return;
    el.setAttribute('data-a11y-stop', String(i));
    window.__a11yWalk.push({index: i, look: look(el)});
  });
  return window.__a11yWalk.map(s => s.index);
}
"""
FOCUS_NOW_JS = """
() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const s = getComputedStyle(a);
  const now = [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color,
               s.borderColor, s.textDecorationLine, s.textDecorationThickness].join('|');
  const index = a.getAttribute('data-a11y-stop');
  const before = (window.__a11yWalk || []).find(x => String(x.index) === index);
  return {index: index === null ? -1 : Number(index), changed: !before || before.look !== now,
          name: ((a.labels && a.labels[0] && a.labels[0].innerText) || a.getAttribute('aria-label')
                 || a.innerText || a.placeholder || a.value || a.name || a.tagName.toLowerCase())
                .trim().replace(/\\s+/g, ' ').slice(0, 80)};
}
"""


@dataclass(frozen=True)
class TabStop:
    index: int
    """The element's place among the page's focusable elements (-1: not one we expected to stop on)."""
    name: str
    focus_changes_look: bool
    """False when the element looks the same focused as unfocused: no visible focus indicator."""


@dataclass(frozen=True)
class TabWalk:
    expected: tuple[int, ...]
    stops: tuple[TabStop, ...]

    @property
    def unreached(self) -> list[int]:
        reached = {stop.index for stop in self.stops}
        return [index for index in self.expected if index not in reached]

    @property
    def without_visible_focus(self) -> list[TabStop]:
        return [stop for stop in self.stops if not stop.focus_changes_look]


def walk_tab_order(page: Page, max_presses: int = MAX_PRESSES) -> TabWalk:
    """Tab from the top of the page until focus comes round again (or leaves the page), recording each stop."""
    expected = tuple(page.evaluate(PREPARE_WALK_JS))
    stops: list[TabStop] = []
    seen: set[int] = set()
    for _ in range(min(max_presses, len(expected) + 3)):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUS_NOW_JS)
        if now is None:
            break  # focus left the document: the end of the Tab order
        if now["index"] in seen and now["index"] != -1:
            break  # round again
        seen.add(now["index"])
        stops.append(TabStop(index=now["index"], name=now["name"], focus_changes_look=now["changed"]))
    return TabWalk(expected=expected, stops=tuple(stops))
