"""Keyboard checks on a page state: visible focus on every Tab stop, and no control that Tab cannot reach."""

from __future__ import annotations

from collections.abc import Iterator

from playwright.sync_api import Page

from harness.behaviours.keyboard import walk_tab_order
from harness.checks.registry import Hit, persona_check
from harness.findings import Impact, Outcome
from harness.page_facts import describe_element

# Elements that behave as controls for a mouse but are not in the Tab order. An onclick attribute or a
# control role is certain; a pointer cursor alone is a strong hint that a person should look at.
CLICKABLE_NOT_FOCUSABLE_JS = """
() => {
  const focusable = 'a[href], area[href], button, input, select, textarea, summary, iframe, [contenteditable], '
    + '[tabindex]:not([tabindex="-1"])';
  const inside = 'a[href], button, label, summary, select, [tabindex]:not([tabindex="-1"])';
  const roles = ['button', 'link', 'checkbox', 'radio', 'tab', 'menuitem', 'switch', 'option'];
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.matches(focusable) || el.closest(inside) || el.querySelector(focusable)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const certain = el.hasAttribute('onclick') || roles.includes((el.getAttribute('role') || '').toLowerCase());
    const pointer = getComputedStyle(el).cursor === 'pointer'
      && getComputedStyle(el.parentElement || el).cursor !== 'pointer';
    if (!certain && !pointer) continue;
    el.setAttribute('data-a11y-clickable', String(found.length));
    found.push({certain, text: (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 80)});
  }
  return found;
}
"""


@persona_check(
    criteria=("2.4.7",), impact=Impact.SERIOUS,
    help="Give every focusable element a clearly visible focus style (for example a thick outline or a "
         "contrasting background) and never remove the outline without replacing it.",
    help_url="https://www.w3.org/WAI/WCAG22/Understanding/focus-visible.html")
def focus_visible(page: Page) -> Iterator[Hit]:
    """Each Tab stop must look different when focused, or keyboard users cannot tell where they are."""
    walk = walk_tab_order(page)
    for stop in walk.without_visible_focus:
        info = describe_element(page.locator(f'[data-a11y-stop="{stop.index}"]'))
        yield Hit(message=f"'{stop.name}' shows no visible change when it has keyboard focus, so keyboard "
                          "users cannot see where they are on the page.",
                  selector=info["selector"], snippet=info["html"])
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


@persona_check(
    criteria=("2.1.1",), impact=Impact.CRITICAL,
    help="Use a real <button> or <a href> element (or add tabindex=\"0\" and handle Enter and Space) so the "
         "control can be reached with Tab and operated from the keyboard.",
    help_url="https://www.w3.org/WAI/WCAG22/Understanding/keyboard.html")
def clickable_elements_focusable(page: Page) -> Iterator[Hit]:
    """Whatever a mouse user can click, a keyboard user must be able to reach with Tab."""
    for index, item in enumerate(page.evaluate(CLICKABLE_NOT_FOCUSABLE_JS)):
        info = describe_element(page.locator(f'[data-a11y-clickable="{index}"]'))
        name = f"'{item['text']}'" if item["text"] else "An element"
        if item["certain"]:
            yield Hit(message=f"{name} can be clicked but not reached with the keyboard, so people who "
                              "cannot use a mouse cannot use it.", selector=info["selector"], snippet=info["html"])
        else:
            yield Hit(message=f"{name} shows a pointer cursor like a control but cannot be reached with the "
                              "keyboard; check whether it does anything when clicked.",
                      selector=info["selector"], snippet=info["html"], outcome=Outcome.NEEDS_REVIEW)
