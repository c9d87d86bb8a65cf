"""Keyboard checks on a page state: the Tab order (visible, unobscured, in order, no trap), a way to skip
repeated content, and no control that Tab cannot reach."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

from playwright.sync_api import Page

from harness.browser.checks.registry import Hit, persona_check
from harness.browser.page_facts import describe_element, fingerprint
from harness.browser.tab_walk import STUCK_PRESSES, TabStop, TabWalk, stop_now, tab_walk
from harness.model.findings import Outcome

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


@persona_check
def focus_visible(page: Page) -> Iterator[Hit]:
    """Each Tab stop must look different when focused, or keyboard users cannot tell where they are."""
    yield from _walk_hits(page, "focus-visible")


def _unchanged_look_hits(page: Page, walk: TabWalk) -> Iterator[Hit]:
    for stop in walk.without_visible_focus:
        yield Hit.on(walk.stop_locator(page, stop.id), f"'{stop.name}' shows no visible change when it has "
                     "keyboard focus, so keyboard users cannot see where they are on the page.")


@persona_check
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


MAX_REVIEW_HITS = 5


def _names(stops: Iterable[TabStop], most: int = 3) -> str:
    names = [f"'{stop.name}'" for stop in stops]
    if len(names) > most:
        return ", ".join(names[:most]) + f" and {len(names) - most} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _controls(count: int) -> str:
    return f"{count} control" if count == 1 else f"{count} controls"


# keyboard-trap, focus-visible, focus-not-obscured and focus-order share one walk of the Tab order: the first
# of them to run on a page state walks it and keeps all four checks' hits, keyed by the page and its state
# (address, DOM and viewport), so the others do not press Tab through the page again.
_last_walk: dict[str, Any] = {"page": None, "key": None, "hits": {}}


def _walk_hits(page: Page, check_id: str) -> list[Hit]:
    key = (fingerprint(page), repr(page.viewport_size))
    if _last_walk["page"] is not page or _last_walk["key"] != key:
        hits: dict[str, list[Hit]] = {}
        with tab_walk(page, measure_cover=True) as walk:
            hits["focus-visible"] = list(_unchanged_look_hits(page, walk))
            hits["focus-not-obscured"] = list(_obscured_hits(page, walk))
            hits["focus-order"] = list(_order_hits(page, walk))
            hits["keyboard-trap"] = list(_trap_hits(page, walk))  # last: it presses Shift+Tab
        _last_walk.update(page=page, key=key, hits=hits)
    return list(_last_walk["hits"][check_id])


# -- keyboard-trap ------------------------------------------------------------------------------------------

# The element focus is stuck in: the smallest element holding the whole cycle but no stop outside it, else
# the stop focus keeps coming back to. A cycle inside an open modal dialog is the dialog doing its job.
TRAP_CONTAINER_JS = """
([cycle, outside]) => {
  const state = window.__a11yTab;
  const byId = id => state.marked.find(el => el.getAttribute('data-a11y-tab') === String(id));
  const els = cycle.map(byId).filter(Boolean);
  const others = outside.map(byId).filter(Boolean);
  const dialog = els[0].closest('dialog:modal, [role=dialog][aria-modal=true], [role=alertdialog][aria-modal=true]');
  if (dialog && els.every(el => dialog.contains(el))) return {modal: true, label: ''};
  let box = els[0];
  while (box && !els.every(el => box.contains(el))) box = box.parentElement;
  if (els.length < 2 || !box || box.matches('html, body, main') || others.some(el => box.contains(el))) box = els[0];
  box.setAttribute('data-a11y-trap', '');
  const heading = box.querySelector('h1, h2, h3, h4, h5, h6, legend, caption');
  const label = box === els[0] ? '' : (box.getAttribute('aria-label') || (heading && heading.innerText) || '');
  return {modal: false, label: label.trim().replace(/\\s+/g, ' ').slice(0, 60)};
}
"""


@persona_check
def keyboard_trap(page: Page) -> Iterator[Hit]:
    """Keyboard focus must never get stuck: people who cannot use a mouse could not go on or leave."""
    yield from _walk_hits(page, "keyboard-trap")


def _trap_hits(page: Page, walk: TabWalk) -> Iterator[Hit]:
    """Focus that came round to a stop other than the first (or stayed put) without leaving the page."""
    if walk.end not in ("repeat", "stuck") or not walk.stops:
        return
    cycle = walk.stops[walk.repeat_at:] if walk.end == "repeat" else walk.stops[-1:]
    cycle_ids = [stop.id for stop in cycle]
    reached = {stop.id for stop in walk.stops}
    unreached = walk.unreached
    if walk.end == "repeat" and walk.repeat_at == 0 and not unreached:
        return  # round the whole page without leaving it: nothing is out of reach
    box = page.evaluate(TRAP_CONTAINER_JS, [cycle_ids, sorted(reached - set(cycle_ids))])
    if box["modal"]:
        return
    leaves_backwards = _shift_tab_leaves(page, set(cycle_ids), len(cycle_ids) + STUCK_PRESSES)
    info = describe_element(page.locator("[data-a11y-trap]").first)
    where = f"'{box['label']}' ({info['selector']})" if box["label"] else f"'{cycle[0].name}'"
    if walk.end == "stuck":
        going_round = f"pressing Tab {STUCK_PRESSES} times never moves focus on from {where}"
    else:
        going_round = f"Tab keeps going round {_controls(len(cycle))} in {where} ({_names(cycle)})"
    rest = f"{_controls(len(unreached))} after it" if unreached else "the rest of the page"
    if leaves_backwards:
        yield Hit(message=f"Keyboard focus cannot go forward: {going_round}, and only Shift+Tab leaves, so "
                          f"keyboard users cannot reach {rest} with Tab. Check whether the page says how to "
                          "move on.", selector=info["selector"], snippet=info["html"], outcome=Outcome.NEEDS_REVIEW)
    else:
        yield Hit(message=f"Keyboard focus is trapped: {going_round}, and Shift+Tab does not leave either, so "
                          f"people who cannot use a mouse are stuck and cannot reach {rest}.",
                  selector=info["selector"], snippet=info["html"])


def _shift_tab_leaves(page: Page, cycle_ids: set[int], presses: int) -> bool:
    for _ in range(presses):
        page.keyboard.press("Shift+Tab")
        now = stop_now(page)
        if now is None or now.id not in cycle_ids:
            return True
    return False


# -- focus-not-obscured -------------------------------------------------------------------------------------

@persona_check
def focus_not_obscured(page: Page) -> Iterator[Hit]:
    """A focused element must not be hidden behind fixed or sticky content, or keyboard users lose their place."""
    yield from _walk_hits(page, "focus-not-obscured")


def _obscured_hits(page: Page, walk: TabWalk) -> Iterator[Hit]:
    for stop in walk.stops:
        if stop.cover:
            yield Hit.on(walk.stop_locator(page, stop.id), f"'{stop.name}' is completely hidden behind fixed "
                         f"content ('{stop.cover}') when it has keyboard focus, so keyboard users cannot see where "
                         "they are.")


# -- focus-order --------------------------------------------------------------------------------------------

@persona_check
def focus_order(page: Page) -> Iterator[Hit]:
    """Tab must move through the page in an order that keeps its meaning, or keyboard users get lost."""
    yield from _walk_hits(page, "focus-order")


def _order_hits(page: Page, walk: TabWalk) -> Iterator[Hit]:
    for item in walk.expected:
        if item.visible and item.tabindex > 0:
            yield Hit.on(walk.stop_locator(page, item.id), f"'{item.name}' has tabindex=\"{item.tabindex}\", so "
                         "Tab reaches it ahead of the rest of the page, out of the order people see and read it.")
    for earlier, later in _backward_jumps(walk.stops)[:MAX_REVIEW_HITS]:
        yield Hit.on(walk.stop_locator(page, later.id), f"Tab goes from '{earlier.name}' back up the page to "
                     f"'{later.name}', which is shown above it; check the order still makes sense to keyboard users.",
                     outcome=Outcome.NEEDS_REVIEW)


def _backward_jumps(stops: Iterable[TabStop]) -> list[tuple[TabStop, TabStop]]:
    """Consecutive stops where focus moves up the page (past the whole element) and not rightwards.

    Positive tabindex (reported on its own), fixed and sticky content (its place depends on the scroll),
    elements with no size and leading skip links (shown only on focus, at the top) are left out.
    """
    ordered = [stop for stop in stops
               if not stop.positive_tabindex and not stop.pinned and stop.width > 0 and stop.height > 0]
    while ordered and ordered[0].same_page:
        ordered.pop(0)
    jumps: list[tuple[TabStop, TabStop]] = []
    for earlier, later in pairwise(ordered):
        above = later.bottom < earlier.top
        if later.rtl:
            backwards = later.right > earlier.right - 8
        else:
            backwards = later.left < earlier.left + 8
        if above and backwards:
            jumps.append((earlier, later))
    return jumps


# -- bypass-blocks ------------------------------------------------------------------------------------------

HAS_MAIN_JS = """
() => !!Array.from(document.querySelectorAll('main:not([role]), [role=main]')).find(el => !el.closest('[hidden]'))
"""


@persona_check
def bypass_blocks(page: Page) -> Iterator[Hit]:
    """People must be able to skip the header repeated on every page, or keyboard users Tab through it each time."""
    if page.evaluate(HAS_MAIN_JS):
        return
    with tab_walk(page, max_presses=1) as walk:
        first = walk.stops[0] if walk.stops else None
    if first is not None and first.skip_link:
        return
    why = ""
    if first is not None and first.same_page and not first.target_exists:
        why = f" The first link, '{first.name}', points to {first.href}, which is not on the page."
    elif first is not None and first.same_page:
        why = f" The first link, '{first.name}', goes to {first.href}, not to the main content."
    yield Hit(message="There is no way to skip the content repeated on every page: no skip link as the first "
                      "Tab stop and no main landmark, so keyboard users must Tab through the header on every "
                      "page and screen reader users cannot jump to the content." + why, selector="body")
