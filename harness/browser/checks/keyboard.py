"""Keyboard checks on a page state: the Tab order (visible, unobscured, in order, no trap), a way to skip
repeated content, and no control that Tab cannot reach."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from playwright.sync_api import Locator, Page

from harness.browser.behaviours.keyboard import MAX_PRESSES
from harness.browser.checks.registry import Hit, persona_check
from harness.browser.page_facts import describe_element, fingerprint
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


def _unchanged_look_hits(page: Page, walk: _TabWalk) -> Iterator[Hit]:
    for stop in walk.stops:
        if not stop["changed"]:
            info = describe_element(walk.stop_locator(page, stop["id"]))
            yield Hit(message=f"'{stop['name']}' shows no visible change when it has keyboard focus, so keyboard "
                              "users cannot see where they are on the page.",
                      selector=info["selector"], snippet=info["html"])


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


# -- Tab walks: Tab from the top of the page, measuring each stop in the same round trip -------------------

STUCK_PRESSES = 10
"""Presses of Tab in a row that leave focus on one element before it counts as stuck there. A date field
takes three (from day to month, year and picker) and a media player about six: frames, players and closed
shadow roots keep document.activeElement on themselves while focus moves inside them."""
MAX_REVIEW_HITS = 5

# Mark every element that could take focus, say which a keyboard user should be able to reach, and move
# the sequential focus navigation starting point to the top of the page, as loading it does. blur() leaves
# that starting point on the blurred element, so the next Tab would carry on from there. Instead a new first
# element with tabindex="1" takes focus until the first Tab (then goes): from it, Tab goes where it would on
# a freshly loaded page, to the lowest positive tabindex or else the first focusable element. Smooth
# scrolling is turned off so each stop is measured where it ends up, not part way through the scroll.
# Each element's unfocused look is taken once focus has moved to that first element, so the element that
# had focus is not recorded as looking focused. Only rendered elements with a size (or absolutely
# positioned, like a skip link) get one: an element that appears or grows when focused does change.
PREPARE_TAB_WALK_JS = """
() => {
  const active = document.activeElement;
  const state = window.__a11yTab = {marked: [], next: 0,
    before: active && active !== document.body && active !== document.documentElement ? active : null};
  state.style = document.createElement('style');
  state.style.textContent = '*, *::before, *::after { scroll-behavior: auto !important; }';
  (document.head || document.documentElement).appendChild(state.style);
  const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, iframe, '
    + '[tabindex], [contenteditable=""], [contenteditable="true"]';
  state.look = el => { const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color,
            s.borderColor, s.textDecorationLine, s.textDecorationThickness].join('|'); };
  const modal = document.querySelector('dialog:modal');
  const name = el => ((el.labels && el.labels[0] && el.labels[0].innerText) || el.getAttribute('aria-label')
    || el.innerText || el.placeholder || el.value || el.name || el.localName).trim().replace(/\\s+/g, ' ').slice(0, 80);
  const expected = [], focusables = [];
  for (const el of document.querySelectorAll(selector)) {
    const id = state.next++;
    el.setAttribute('data-a11y-tab', String(id));
    state.marked.push(el);
    const r = el.getBoundingClientRect();
    const focusable = !el.matches(':disabled') && !(el.hasAttribute('tabindex') && el.tabIndex < 0)
      && !el.closest('[inert]') && !(modal && !modal.contains(el));
    if (focusable) focusables.push(el);
    const visible = focusable && r.width > 0 && r.height > 0 && el.localName !== 'iframe'
      && el.checkVisibility({visibilityProperty: true});
    const radio = el.matches('input[type=radio]') && el.name;
    expected.push({id, visible, tabindex: el.tabIndex, name: el.tabIndex > 0 ? name(el) : '',
                   group: radio ? el.name + '|' + Array.from(document.forms).indexOf(el.form) : ''});
  }
  state.start = document.createElement('span');
  state.start.tabIndex = 1;
  document.body.prepend(state.start);
  state.start.focus({preventScroll: true});
  state.looks = new Map();
  for (const el of focusables) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0 && getComputedStyle(el).position !== 'absolute') continue;
    if (el.checkVisibility()) state.looks.set(el, state.look(el));
  }
  return expected;
}
"""

# Where focus is now (null: it left the page), in the same terms for every check that walks the Tab order.
# 'changed': the element looks different from its unfocused look (or had none recorded, so cannot be judged).
# Focus inside a frame leaves activeElement on the <iframe>, so a frame is judged by the <iframe>'s own look.
TAB_STOP_JS = """
(measureCover) => {
  const state = window.__a11yTab;
  if (state.start) { state.start.remove(); state.start = null; }
  let a = document.activeElement;
  if (!a || a === document.body || a === document.documentElement) return null;
  while (a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  let id = a.getAttribute('data-a11y-tab');
  if (id === null) {
    id = String(state.next++);
    a.setAttribute('data-a11y-tab', id);
    state.marked.push(a);
  }
  const up = n => n.parentElement || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null);
  const within = (outer, inner) => { for (let n = inner; n; n = up(n)) if (n === outer) return true; return false; };
  const pinned = el => { for (let n = el; n; n = up(n)) {
    const p = getComputedStyle(n).position; if (p === 'fixed' || p === 'sticky') return n; } return null; };
  const r = a.getBoundingClientRect();
  let cover = null;
  if (measureCover && r.width >= 1 && r.height >= 1) {
    const dx = Math.min(4, r.width / 4), dy = Math.min(4, r.height / 4);
    const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + dx, r.top + dy],
                    [r.right - dx, r.top + dy], [r.left + dx, r.bottom - dy], [r.right - dx, r.bottom - dy]];
    const w = document.documentElement.clientWidth, h = document.documentElement.clientHeight;
    let inView = 0, covered = 0;
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= w || y >= h) continue;
      inView++;
      const hit = document.elementFromPoint(x, y);
      if (!hit || within(a, hit) || within(hit, a)) continue;
      const over = pinned(hit);
      if (over && !within(over, a)) { covered++; cover = over; }
    }
    if (inView === 0 || covered < inView) cover = null;
  }
  const hash = a.localName === 'a' && a.hash && a.hash.length > 1
    && a.href.split('#')[0] === location.href.split('#')[0] ? a.hash.slice(1) : '';
  let target = null;
  if (hash) { try { target = decodeURIComponent(hash); } catch (e) { target = hash; } }
  target = target && (document.getElementById(target) || document.getElementsByName(target)[0]);
  const name = ((a.labels && a.labels[0] && a.labels[0].innerText) || a.getAttribute('aria-label') || a.innerText
    || a.placeholder || a.value || a.name || a.localName).trim().replace(/\\s+/g, ' ').slice(0, 80);
  const unfocused = state.looks.get(a);
  return {
    id: Number(id),
    name,
    changed: unfocused === undefined || unfocused !== state.look(a),
    composite: ['iframe', 'frame', 'object', 'embed', 'video', 'audio'].includes(a.localName),
    positive: a.tabIndex > 0,
    pinned: !!pinned(a),
    samePage: !!hash,
    href: a.getAttribute('href') || '',
    targetExists: !!target,
    skipLink: !!target && (/skip|jump|main|content|neidio|cynnwys/i.test(name)
                           || target.matches('main, [role=main], h1') || !!target.querySelector('h1')),
    rtl: getComputedStyle(a).direction === 'rtl',
    left: r.left + scrollX, top: r.top + scrollY, right: r.right + scrollX, bottom: r.bottom + scrollY,
    width: r.width, height: r.height,
    cover: cover && ((cover.getAttribute('aria-label') || cover.innerText || cover.localName)
                     .trim().replace(/\\s+/g, ' ').slice(0, 60)),
  };
}
"""

# Tab stops are measured in the page as the walk goes, not one round trip per press: a listener measures where
# focus is each time Tab goes down, which is where the press before left it. Several presses then go in one
# call and one collect reads them all, with where focus is now (the last press's stop). The first keydown
# after a collect still sees the focus the collect measured, so it is not logged twice.
START_TAB_LOG_JS = """
(measureCover) => {
  const state = window.__a11yTab;
  state.measure = MEASURE;
  state.measureCover = measureCover;
  state.log = [];
  state.seen = document.activeElement;
  state.onKey = e => {
    if (e.key !== 'Tab' || e.shiftKey) return;
    if (state.seen !== undefined) {
      const same = document.activeElement === state.seen;
      state.seen = undefined;
      if (same) return;
    }
    state.log.push(state.measure(state.measureCover));
  };
  window.addEventListener('keydown', state.onKey, true);
}
""".replace("MEASURE", TAB_STOP_JS.strip())

COLLECT_TAB_LOG_JS = """
() => {
  const state = window.__a11yTab;
  const log = state.log;
  state.log = [];
  state.seen = document.activeElement;
  return [...log, state.measure(state.measureCover)];
}
"""

TAB_PRESSES_PER_CALL = 8
"""Presses sent in one call after the first batch (which is sized to leave a simple page in one go)."""

# Put the page back: no markers, no style, focus where it was (or nowhere, starting from the top).
END_TAB_WALK_JS = """
() => {
  const state = window.__a11yTab;
  delete window.__a11yTab;
  for (const el of document.querySelectorAll('[data-a11y-trap]')) el.removeAttribute('data-a11y-trap');
  if (!state) return;
  if (state.onKey) window.removeEventListener('keydown', state.onKey, true);
  if (state.start) state.start.remove();
  for (const el of state.marked) el.removeAttribute('data-a11y-tab');
  state.style.remove();
  const active = document.activeElement;
  if (active && active !== document.body) active.blur();
  if (state.before && state.before.isConnected) { state.before.focus({preventScroll: true}); return; }
  const start = document.createElement('span');
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus({preventScroll: true});
  start.remove();
}
"""


@dataclass(frozen=True)
class _TabWalk:
    expected: tuple[dict[str, Any], ...]
    """Every element that could take focus, in document order, with 'visible': a person should reach it."""
    stops: tuple[dict[str, Any], ...]
    """Each element focus reached, once, in Tab order (TAB_STOP_JS's measurements)."""
    end: str
    """'left': focus left the page; 'repeat': came round to an earlier stop; 'stuck': stayed on one element;
    'budget': ran out of presses."""
    repeat_at: int = -1
    """For 'repeat', where in stops the stop that came round again first was."""

    def stop_locator(self, page: Page, stop_id: int) -> Locator:
        return page.locator(f'[data-a11y-tab="{stop_id}"]').first


@dataclass
class _WalkSoFar:
    """Where focus has been, press by press, until it leaves the page, comes round again or stays put."""

    stops: list[dict[str, Any]] = field(default_factory=list)
    end: str = "budget"
    repeat_at: int = -1
    _first_seen: dict[int, int] = field(default_factory=dict)
    _same: int = 0

    def add(self, now: dict[str, Any] | None) -> bool:
        """Take where focus was after one press; True once the walk has ended."""
        if now is None:
            self.end = "left"
            return True
        if self.stops and now["id"] == self.stops[-1]["id"]:
            self._same += 1
            if self._same >= STUCK_PRESSES and not now["composite"]:
                self.end = "stuck"
                return True
            return False
        self._same = 0
        if now["id"] in self._first_seen:
            self.end, self.repeat_at = "repeat", self._first_seen[now["id"]]
            return True
        self._first_seen[now["id"]] = len(self.stops)
        self.stops.append(now)
        return False


@contextmanager
def _tab_walk(page: Page, *, measure_cover: bool = False, max_presses: int = MAX_PRESSES) -> Iterator[_TabWalk]:
    """Tab from the top of the page until focus leaves it or comes round again; put the page back after."""
    try:
        expected = tuple(page.evaluate(PREPARE_TAB_WALK_JS))
        budget = min(max_presses, MAX_PRESSES, 2 * len(expected) + 5)
        page.evaluate(START_TAB_LOG_JS, measure_cover)
        walk = _WalkSoFar()
        pressed = 0
        batch = min(budget, sum(1 for item in expected if item["visible"]) + 2)
        while pressed < budget and walk.end == "budget":
            batch = min(batch, budget - pressed)
            # Tab+Tab+...: one call, each Tab going down in turn (as when a person holds the key).
            page.keyboard.press("+".join(["Tab"] * batch))
            pressed += batch
            for now in page.evaluate(COLLECT_TAB_LOG_JS):
                if walk.add(now):
                    break
            batch = TAB_PRESSES_PER_CALL
        yield _TabWalk(expected=expected, stops=tuple(walk.stops), end=walk.end, repeat_at=walk.repeat_at)
    finally:
        page.evaluate(END_TAB_WALK_JS)


def _names(stops: Iterable[dict[str, Any]], most: int = 3) -> str:
    names = [f"'{stop['name']}'" for stop in stops]
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
        with _tab_walk(page, measure_cover=True) as walk:
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


def _trap_hits(page: Page, walk: _TabWalk) -> Iterator[Hit]:
    """Focus that came round to a stop other than the first (or stayed put) without leaving the page."""
    if walk.end not in ("repeat", "stuck") or not walk.stops:
        return
    cycle = walk.stops[walk.repeat_at:] if walk.end == "repeat" else walk.stops[-1:]
    cycle_ids = [stop["id"] for stop in cycle]
    reached = {stop["id"] for stop in walk.stops}
    groups = {item["group"] for item in walk.expected if item["id"] in reached and item["group"]}
    unreached = [item for item in walk.expected if item["visible"] and item["id"] not in reached
                 and not (item["group"] and item["group"] in groups)]
    if walk.end == "repeat" and walk.repeat_at == 0 and not unreached:
        return  # round the whole page without leaving it: nothing is out of reach
    box = page.evaluate(TRAP_CONTAINER_JS, [cycle_ids, sorted(reached - set(cycle_ids))])
    if box["modal"]:
        return
    leaves_backwards = _shift_tab_leaves(page, set(cycle_ids), len(cycle_ids) + STUCK_PRESSES)
    info = describe_element(page.locator("[data-a11y-trap]").first)
    where = f"'{box['label']}' ({info['selector']})" if box["label"] else f"'{cycle[0]['name']}'"
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
        now = page.evaluate(TAB_STOP_JS, False)
        if now is None or now["id"] not in cycle_ids:
            return True
    return False


# -- focus-not-obscured -------------------------------------------------------------------------------------

@persona_check
def focus_not_obscured(page: Page) -> Iterator[Hit]:
    """A focused element must not be hidden behind fixed or sticky content, or keyboard users lose their place."""
    yield from _walk_hits(page, "focus-not-obscured")


def _obscured_hits(page: Page, walk: _TabWalk) -> Iterator[Hit]:
    for stop in walk.stops:
        if stop["cover"]:
            info = describe_element(walk.stop_locator(page, stop["id"]))
            yield Hit(message=f"'{stop['name']}' is completely hidden behind fixed content ('{stop['cover']}') "
                              "when it has keyboard focus, so keyboard users cannot see where they are.",
                      selector=info["selector"], snippet=info["html"])


# -- focus-order --------------------------------------------------------------------------------------------

@persona_check
def focus_order(page: Page) -> Iterator[Hit]:
    """Tab must move through the page in an order that keeps its meaning, or keyboard users get lost."""
    yield from _walk_hits(page, "focus-order")


def _order_hits(page: Page, walk: _TabWalk) -> Iterator[Hit]:
    for item in walk.expected:
        if item["visible"] and item["tabindex"] > 0:
            info = describe_element(walk.stop_locator(page, item["id"]))
            yield Hit(message=f"'{item['name']}' has tabindex=\"{item['tabindex']}\", so Tab reaches it ahead of "
                              "the rest of the page, out of the order people see and read it.",
                      selector=info["selector"], snippet=info["html"])
    for earlier, later in _backward_jumps(walk.stops)[:MAX_REVIEW_HITS]:
        info = describe_element(walk.stop_locator(page, later["id"]))
        yield Hit(message=f"Tab goes from '{earlier['name']}' back up the page to '{later['name']}', which is "
                          "shown above it; check the order still makes sense to keyboard users.",
                  selector=info["selector"], snippet=info["html"], outcome=Outcome.NEEDS_REVIEW)


def _backward_jumps(stops: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Consecutive stops where focus moves up the page (past the whole element) and not rightwards.

    Positive tabindex (reported on its own), fixed and sticky content (its place depends on the scroll),
    elements with no size and leading skip links (shown only on focus, at the top) are left out.
    """
    ordered = [stop for stop in stops
               if not stop["positive"] and not stop["pinned"] and stop["width"] > 0 and stop["height"] > 0]
    while ordered and ordered[0]["samePage"]:
        ordered.pop(0)
    jumps: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for earlier, later in pairwise(ordered):
        above = later["bottom"] < earlier["top"]
        if later["rtl"]:
            backwards = later["right"] > earlier["right"] - 8
        else:
            backwards = later["left"] < earlier["left"] + 8
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
    with _tab_walk(page, max_presses=1) as walk:
        first = walk.stops[0] if walk.stops else None
    if first is not None and first["skipLink"]:
        return
    why = ""
    if first is not None and first["samePage"] and not first["targetExists"]:
        why = f" The first link, '{first['name']}', points to {first['href']}, which is not on the page."
    elif first is not None and first["samePage"]:
        why = f" The first link, '{first['name']}', goes to {first['href']}, not to the main content."
    yield Hit(message="There is no way to skip the content repeated on every page: no skip link as the first "
                      "Tab stop and no main landmark, so keyboard users must Tab through the header on every "
                      "page and screen reader users cannot jump to the content." + why, selector="body")
