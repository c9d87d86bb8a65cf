"""Keyboard checks on a page state: the Tab order (visible, unobscured, in order, no trap), a way to skip
repeated content, and no control that Tab cannot reach."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

from playwright.sync_api import Page

from harness.browser.checks.registry import Hit, persona_check
from harness.browser.page_facts import describe_element, fingerprint
from harness.browser.tab_walk import SETTLE_MS, STUCK_PRESSES, TabStop, TabWalk, stop_now, tab_walk
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
  if (!document.body) return found;  // an SVG or XML document: no HTML body to look in
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
    said = page.evaluate(EXIT_KEY_JS)
    key = _exit_key(said) if said else None
    if key is not None and _key_leaves(page, cycle_ids, key):
        return  # the page says which key leaves the widget, and it does
    info = describe_element(page.locator("[data-a11y-trap]").first)
    where = f"'{box['label']}' ({info['selector']})" if box["label"] else f"'{cycle[0].name}'"
    if walk.end == "stuck":
        going_round = f"pressing Tab {STUCK_PRESSES} times never moves focus on from {where}"
    else:
        going_round = f"Tab keeps going round {_controls(len(cycle))} in {where} ({_names(cycle)})"
    rest = f"{_controls(len(unreached))} after it" if unreached else "the rest of the page"
    if said and key is not None:
        yield Hit(message=f"Keyboard focus is trapped: {going_round}. The page says '{said}', but pressing "
                          f"{key} there does not move focus out either.", selector=info["selector"],
                  snippet=info["html"])
        return
    helper = next((stop.name for stop in cycle if HELP_NAME.search(stop.name)), "")
    if helper:
        yield Hit(message=f"Keyboard focus cannot leave by Tab: {going_round}. '{helper}' may say how to leave; "
                          "check that it does, and that the way it gives works.", selector=info["selector"],
                  snippet=info["html"], outcome=Outcome.NEEDS_REVIEW)
        return
    if leaves_backwards:
        yield Hit(message=f"Keyboard focus cannot go forward: {going_round}, and only Shift+Tab leaves, so "
                          f"keyboard users cannot reach {rest} with Tab. Check whether the page says how to "
                          "move on.", selector=info["selector"], snippet=info["html"], outcome=Outcome.NEEDS_REVIEW)
    else:
        yield Hit(message=f"Keyboard focus is trapped: {going_round}, and Shift+Tab does not leave either, so "
                          f"people who cannot use a mouse are stuck and cannot reach {rest}.",
                  selector=info["selector"], snippet=info["html"])


# Text on the page that tells people which key leaves a widget: "Press Ctrl+M to exit", "press Escape to close".
EXIT_KEY_JS = r"""
() => {
  if (!document.body) return '';
  const KEY = /\b(press(ing)?|use|hit)\s+(the\s+)?(((ctrl|control|alt|option|shift|meta|cmd|command)\s*[+-]\s*)+[a-z0-9]|escape|esc|f\d{1,2})\b[^.\n]*/i;
  const match = document.body.innerText.match(KEY);
  return match ? match[0].trim().slice(0, 80) : '';
}
"""
_KEY_WORDS = re.compile(r"(?i)\b(?:press(?:ing)?|use|hit)\s+(?:the\s+)?((?:(?:ctrl|control|alt|option|shift|meta|cmd|"
                        r"command)\s*[+-]\s*)*)(escape|esc|f\d{1,2}|[a-z0-9])\b")
_MODIFIERS = {"ctrl": "Control", "control": "Control", "alt": "Alt", "option": "Alt", "shift": "Shift",
              "meta": "Meta", "cmd": "Meta", "command": "Meta"}
_KEYS = {"escape": "Escape", "esc": "Escape"}
HELP_NAME = re.compile(r"(?i)\b(how to|help|instructions?|keyboard shortcuts?)\b")
"""A control in the trap that may tell people the way out (a person must read it)."""


def _exit_key(said: str) -> str | None:
    """The key a page's words name, as Playwright presses it ('Press Ctrl+M to exit' -> 'Control+m')."""
    match = _KEY_WORDS.search(said)
    if match is None:
        return None
    modifiers = [_MODIFIERS[m.lower()] for m in re.findall(r"[a-zA-Z]+", match.group(1))]
    key = match.group(2)
    key = _KEYS.get(key.lower(), key.upper() if re.fullmatch(r"(?i)f\d{1,2}", key) else key.lower())
    if not modifiers and len(key) == 1:
        return None  # "use a pen": a letter alone is no key to press
    return "+".join([*modifiers, key])


def _key_leaves(page: Page, cycle_ids: list[int], key: str) -> bool:
    """Whether pressing the key with focus in the trap takes focus out of it."""
    page.locator(f'[data-a11y-tab="{cycle_ids[0]}"]').first.focus()
    page.wait_for_timeout(SETTLE_MS)
    page.keyboard.press(key)
    page.wait_for_timeout(SETTLE_MS)
    now = stop_now(page)
    return now is None or now.id not in cycle_ids


def _shift_tab_leaves(page: Page, cycle_ids: set[int], presses: int) -> bool:
    for _ in range(presses):
        page.keyboard.press("Shift+Tab")
        page.wait_for_timeout(SETTLE_MS)  # a script may put focus back a moment later
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

# What the page offers to skip its repeated blocks, in one round trip: a main landmark people can perceive (not
# hidden, not aria-hidden), the first of the given Tab stops that is a skip link (a same-page link to content that
# is not itself inside a repeated block it would only lead into), a control worded as one (a button or a scripted
# link, which a person must try), a heading that starts content outside the repeated blocks (screen reader users
# jump to it), and whether any Tab stop comes before the first text of the content.
BYPASS_JS = """
(ids) => {
  if (!document.body) return null;
  const REPEATED = 'nav, aside, header, footer, [role=navigation], [role=complementary], [role=banner], '
    + '[role=contentinfo], [role=search]';
  const perceived = el => el.checkVisibility({visibilityProperty: true}) && !el.closest('[aria-hidden=true], [hidden]');
  const main = Array.from(document.querySelectorAll('main, [role=main]'))
    .some(el => (el.localName !== 'main' || !el.hasAttribute('role') || el.getAttribute('role') === 'main')
                && perceived(el));
  const squash = t => (t || '').replace(/\\s+/g, ' ').trim();
  const nameOf = el => squash(el.getAttribute('aria-label') || el.innerText || el.textContent || el.value);
  const SKIP = /skip|jump|main|content|neidio|cynnwys/i;
  const CONTROL = /^(skip|jump)\\b|\\b(hide|toggle|collapse|close)\\b.*\\b(contents?|navigation|menu|links)\\b/i;
  const textAfter = (start, block) => {
    const range = document.createRange();
    range.setStartBefore(start);
    range.setEndAfter(block.lastChild || block);
    return squash(range.toString());
  };
  let link = null, control = null;
  for (const id of ids) {
    const el = document.querySelector(`[data-a11y-tab="${id}"]`);
    if (!el) continue;
    const name = nameOf(el);
    const hash = el.localName === 'a' && el.hash && el.hash.length > 1
      && el.href.split('#')[0] === location.href.split('#')[0] ? el.hash.slice(1) : '';
    if (hash) {
      let target;
      try { target = decodeURIComponent(hash); } catch (e) { target = hash; }
      target = document.getElementById(target) || document.getElementsByName(target)[0];
      if (!target) continue;
      const block = target.closest(REPEATED);
      if (block && !target.matches(REPEATED) && textAfter(target, block)) continue;  // into a repeated block
      if (block && target.matches(REPEATED)) continue;  // to the start of a repeated block
      if (SKIP.test(name) || target.matches('main, [role=main], h1') || target.querySelector('h1')) {
        link = name; break;
      }
    } else if (!control && CONTROL.test(name)) {
      control = name;
    }
  }
  const said = h => squash(h.textContent) || squash(Array.from(h.querySelectorAll('img[alt]')).map(i => i.alt).join(' '));
  const heading = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')).find(h => {
    if (h.closest(REPEATED) || !perceived(h) || !said(h)) return false;
    const r = h.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > -scrollY;
  });
  const first = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea, '
    + '[tabindex]:not([tabindex="-1"])');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let content = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (squash(n.data).length < 40 || !el || el.closest(REPEATED + ', a, button, script, style') || !perceived(el)) continue;
    content = el; break;
  }
  const contentFirst = !!content && (!first || !!(content.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING));
  return {main, link, control, heading: heading ? said(heading).slice(0, 60) : '', contentFirst,
          stops: ids.length};
}
"""
SKIP_LINK_STOPS = 5
"""A skip link may come after a few other stops (a logo link, a link to another skip target): the first five."""


@persona_check
def bypass_blocks(page: Page) -> Iterator[Hit]:
    """People must be able to skip the header repeated on every page, or keyboard users Tab through it each time."""
    with tab_walk(page, max_presses=SKIP_LINK_STOPS) as walk:
        offered = page.evaluate(BYPASS_JS, [stop.id for stop in walk.stops])
    if offered is None or offered["main"] or offered["link"] or not walk.stops:
        return  # not an HTML page, a main landmark, a skip link, or nothing to Tab through at all
    first = walk.stops[0]
    if offered["control"]:
        yield Hit(message=f"There is no skip link or main landmark, but '{offered['control']}' looks like a way "
                          "past the repeated content; check that it takes keyboard focus to the main content.",
                  selector="body", outcome=Outcome.NEEDS_REVIEW)
        return
    if offered["heading"] or offered["contentFirst"]:
        how = (f"the content starts with the heading '{offered['heading']}', which screen reader users can jump "
               "to" if offered["heading"] else "the content comes before any link or control")
        yield Hit(message=f"There is no skip link and no main landmark, but {how}; check that keyboard users "
                          "do not have to Tab through a block repeated on every page to reach the content.",
                  selector="body", outcome=Outcome.NEEDS_REVIEW)
        return
    why = ""
    if first.same_page and not first.target_exists:
        why = f" The first link, '{first.name}', points to {first.href}, which is not on the page."
    elif first.same_page:
        why = f" The first link, '{first.name}', goes to {first.href}, not to the main content."
    yield Hit(message="There is no way to skip the content repeated on every page: no skip link among the first "
                      "Tab stops, no main landmark and no heading at the start of the content, so keyboard users "
                      "must Tab through the header on every page and screen reader users cannot jump to the "
                      "content." + why, selector="body")
