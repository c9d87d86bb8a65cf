"""One Tab walker: Tab from the top of a page until focus leaves it, comes round again or stays put, measuring
each stop in the page as the keys go down.

The keyboard checks (checks/keyboard.py) judge one walk of a page state four ways (focus visible, not obscured,
in order, no trap), and the harness's own tests walk its reports with `walk_tab_order`. The keyboard-only
behaviour (behaviours/keyboard.py) does something else with the same keys: it moves focus to one control, as a
person looking for it would, within MAX_PRESSES.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Locator, Page

MAX_PRESSES = 400
"""The most presses of one key the harness makes to walk a page or reach a control."""

WRAPPER_LEVELS = 3
"""Ancestors of a focused element whose look may show its focus (a wrapper's border or :focus-within)."""
NEAR_PX = 40
"""How near an element a script changed on focus must be to count as that focus's indicator, in CSS px."""

STUCK_PRESSES = 10
"""Presses of Tab in a row that leave focus on one element before it counts as stuck there. A date field
takes three (from day to month, year and picker) and a media player about six: frames, players and closed
shadow roots keep document.activeElement on themselves while focus moves inside them."""

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
  const WRAPPER_LEVELS = %WRAPPER_LEVELS%;
  if (!document.body) return null;  // an SVG or XML document: no HTML body to walk (nor to start from)
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
            s.borderColor, s.borderStyle, s.borderWidth, s.textDecorationLine, s.textDecorationThickness].join('|'); };
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
  // A focus indicator may be drawn on a wrapper (:focus-within, or a class a script sets): the unfocused look
  // of each focusable's nearest ancestors is kept too.
  state.wrapperLooks = new Map();
  for (const el of focusables) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0 && getComputedStyle(el).position !== 'absolute') continue;
    if (!el.checkVisibility()) continue;
    state.looks.set(el, state.look(el));
    let up = el.parentElement;
    for (let i = 0; i < WRAPPER_LEVELS && up && up !== document.body && up !== document.documentElement; i++, up = up.parentElement) {
      if (!state.wrapperLooks.has(up)) state.wrapperLooks.set(up, state.look(up));
    }
  }
  return expected;
}
""".replace("%WRAPPER_LEVELS%", str(WRAPPER_LEVELS))

# Where focus is now (null: it left the page), in the same terms for every check that walks the Tab order.
# 'changed': the element looks different from its unfocused look (or had none recorded, so cannot be judged).
# Focus inside a frame leaves activeElement on the <iframe>, so a frame is judged by the <iframe>'s own look.
TAB_STOP_JS = """
(measureCover) => {
  const WRAPPER_LEVELS = %WRAPPER_LEVELS%, NEAR_PX = %NEAR_PX%;
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
  let changed = unfocused === undefined || unfocused !== state.look(a);
  let wrapper = a.parentElement;
  for (let i = 0; !changed && i < WRAPPER_LEVELS && wrapper; i++, wrapper = wrapper.parentElement) {
    const was = state.wrapperLooks.get(wrapper);
    changed = was !== undefined && was !== state.look(wrapper);
  }
  // Or a script showed an indicator beside it (an element near it whose class or style changed on focus).
  const mutated = state.observer ? [...state.mutated, ...state.observer.takeRecords().map(m => m.target)] : [];
  if (state.observer) state.mutated = [];
  changed = changed || mutated.some(el => el.nodeType === 1 && el !== a && !within(el, a) && el.checkVisibility()
    && (() => { const m = el.getBoundingClientRect();
                return m.width > 0 && m.height > 0 && m.left < r.right + NEAR_PX && m.right > r.left - NEAR_PX
                  && m.top < r.bottom + NEAR_PX && m.bottom > r.top - NEAR_PX; })());
  return {
    id: Number(id),
    name,
    changed,
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
""".replace("%WRAPPER_LEVELS%", str(WRAPPER_LEVELS)).replace("%NEAR_PX%", str(NEAR_PX))

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
  state.mutated = [];
  state.observer = new MutationObserver(records => {
    for (const m of records) if (state.mutated.length < 1000) state.mutated.push(m.target);
  });
  state.observer.observe(document.documentElement, {subtree: true, attributes: true,
                                                    attributeFilter: ['class', 'style', 'hidden']});
  // A script that moves focus itself (element.focus()) is noted: it may be putting focus back a moment after
  // the walk's quick presses have gone past, which only a walk at a person's pace sees.
  state.scripted = false;
  state.focusWas = [HTMLElement.prototype.focus, SVGElement.prototype.focus];
  for (const [proto, original] of [[HTMLElement.prototype, state.focusWas[0]], [SVGElement.prototype, state.focusWas[1]]]) {
    proto.focus = function (...args) { state.scripted = true; return original.apply(this, args); };
  }
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
  if (state.observer) state.observer.disconnect();
  if (state.focusWas) [HTMLElement.prototype.focus, SVGElement.prototype.focus] = state.focusWas;
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
class Focusable:
    """An element that could take focus, in document order (PREPARE_TAB_WALK_JS's measurements)."""

    id: int
    visible: bool
    """Focusable, rendered with a size and not a frame: a keyboard user should be able to reach it."""
    tabindex: int
    name: str
    """Only for elements with a positive tabindex, which the focus-order check names."""
    group: str
    """Radio buttons of one group share it (Tab reaches one of them; arrows the rest); empty otherwise."""

    @classmethod
    def measured(cls, item: dict[str, Any]) -> Focusable:
        return cls(id=item["id"], visible=item["visible"], tabindex=item["tabindex"], name=item["name"],
                   group=item["group"])


@dataclass(frozen=True)
class TabStop:
    """Where focus was after one press of Tab (TAB_STOP_JS's measurements)."""

    id: int
    name: str
    focus_changes_look: bool
    """False when the element looks the same focused as unfocused: no visible focus indicator."""
    composite: bool
    """A frame, player or embed: focus moves inside it while the page sees it stay put."""
    positive_tabindex: bool
    pinned: bool
    """Inside fixed or sticky content, whose place on the page depends on the scroll."""
    same_page: bool
    """A link to a place on this page (#id)."""
    href: str
    target_exists: bool
    skip_link: bool
    """A same-page link to the main content (or worded as a skip link) whose target exists."""
    rtl: bool
    left: float
    top: float
    right: float
    bottom: float
    width: float
    height: float
    cover: str | None
    """The words of the fixed or sticky content that hides the element completely, if any (measure_cover)."""

    @classmethod
    def measured(cls, now: dict[str, Any]) -> TabStop:
        return cls(id=now["id"], name=now["name"], focus_changes_look=now["changed"], composite=now["composite"],
                   positive_tabindex=now["positive"], pinned=now["pinned"], same_page=now["samePage"],
                   href=now["href"], target_exists=now["targetExists"], skip_link=now["skipLink"], rtl=now["rtl"],
                   left=now["left"], top=now["top"], right=now["right"], bottom=now["bottom"],
                   width=now["width"], height=now["height"], cover=now["cover"])


@dataclass(frozen=True)
class TabWalk:
    expected: tuple[Focusable, ...]
    """Every element that could take focus, in document order."""
    stops: tuple[TabStop, ...]
    """Each element focus reached, once, in Tab order."""
    end: str
    """'left': focus left the page; 'repeat': came round to an earlier stop; 'stuck': stayed on one element;
    'budget': ran out of presses."""
    repeat_at: int = -1
    """For 'repeat', where in stops the stop that came round again first was."""

    @property
    def unreached(self) -> list[Focusable]:
        """Elements a keyboard user should reach that Tab never did (a radio group counts once reached)."""
        reached = {stop.id for stop in self.stops}
        groups = {item.group for item in self.expected if item.id in reached and item.group}
        return [item for item in self.expected if item.visible and item.id not in reached
                and not (item.group and item.group in groups)]

    @property
    def without_visible_focus(self) -> list[TabStop]:
        return [stop for stop in self.stops if not stop.focus_changes_look]

    def stop_locator(self, page: Page, stop_id: int) -> Locator:
        return page.locator(f'[data-a11y-tab="{stop_id}"]').first


@dataclass
class _WalkSoFar:
    """Where focus has been, press by press, until it leaves the page, comes round again or stays put."""

    stops: list[TabStop] = field(default_factory=list)
    end: str = "budget"
    repeat_at: int = -1
    _first_seen: dict[int, int] = field(default_factory=dict)
    _same: int = 0

    def add(self, now: TabStop | None) -> bool:
        """Take where focus was after one press; True once the walk has ended."""
        if now is None:
            self.end = "left"
            return True
        if self.stops and now.id == self.stops[-1].id:
            self._same += 1
            if self._same >= STUCK_PRESSES and not now.composite:
                self.end = "stuck"
                return True
            return False
        self._same = 0
        if now.id in self._first_seen:
            self.end, self.repeat_at = "repeat", self._first_seen[now.id]
            return True
        self._first_seen[now.id] = len(self.stops)
        self.stops.append(now)
        return False


def stop_now(page: Page, measure_cover: bool = False) -> TabStop | None:
    """Where focus is now, during a walk; None when it has left the page."""
    now = page.evaluate(TAB_STOP_JS, measure_cover)
    return None if now is None else TabStop.measured(now)


SETTLE_MS = 60
"""How long the walk waits, once it has ended, to see whether a script moves focus by itself (a trap that puts
focus back a few milliseconds after it leaves); and between presses when it walks again because one did."""
SLOW_PRESS_MS = 50
"""The gap between presses of a walk taken again at a person's pace: a held key repeats about every 33 ms, and
the scripts that pull focus back do it within a few milliseconds (the ACT rules' examples wait 10 ms)."""

SCRIPTED_FOCUS_JS = "() => !!(window.__a11yTab && window.__a11yTab.scripted)"


@contextmanager
def tab_walk(page: Page, *, measure_cover: bool = False, max_presses: int = MAX_PRESSES) -> Iterator[TabWalk]:
    """Tab from the top of the page until focus leaves it or comes round again; put the page back after.

    The keys go down in quick batches; if focus then moves by itself (a script putting it back after a delay,
    which quick presses outrun), the page is walked again with a pause after each press, as a person presses.

    Args:
        measure_cover: also find what fixed or sticky content hides each stop (focus-not-obscured).
        max_presses: at most this many presses (and never more than twice the focusable elements, and five).
    """
    try:
        walk = _walk(page, measure_cover, max_presses, slow=False)
        if walk is not None and _moved_by_itself(page, walk):
            page.evaluate(END_TAB_WALK_JS)
            walk = _walk(page, measure_cover, max_presses, slow=True)
        yield walk if walk is not None else TabWalk(expected=(), stops=(), end="left")
    finally:
        page.evaluate(END_TAB_WALK_JS)


def _walk(page: Page, measure_cover: bool, max_presses: int, slow: bool) -> TabWalk | None:
    """One walk from the top; None for a document with no HTML body to walk (an SVG or XML document)."""
    prepared = page.evaluate(PREPARE_TAB_WALK_JS)
    if prepared is None:
        return None
    expected = tuple(Focusable.measured(item) for item in prepared)
    budget = min(max_presses, 2 * len(expected) + 5)
    page.evaluate(START_TAB_LOG_JS, measure_cover)
    walk = _WalkSoFar()
    pressed = 0
    batch = 1 if slow else min(budget, sum(1 for item in expected if item.visible) + 2)
    while pressed < budget and walk.end == "budget":
        batch = min(batch, budget - pressed)
        # Tab+Tab+...: one call, each Tab going down in turn (as when a person holds the key).
        page.keyboard.press("+".join(["Tab"] * batch))
        pressed += batch
        if slow:
            page.wait_for_timeout(SLOW_PRESS_MS)
        for now in page.evaluate(COLLECT_TAB_LOG_JS):
            if walk.add(None if now is None else TabStop.measured(now)):
                break
        batch = 1 if slow else TAB_PRESSES_PER_CALL
    return TabWalk(expected=expected, stops=tuple(walk.stops), end=walk.end, repeat_at=walk.repeat_at)


def _moved_by_itself(page: Page, walk: TabWalk) -> bool:
    """Whether a script of the page moved focus during the walk, or a moment after its last press."""
    if not walk.stops:
        return False
    page.wait_for_timeout(SETTLE_MS)
    return bool(page.evaluate(SCRIPTED_FOCUS_JS))


def walk_tab_order(page: Page, max_presses: int = MAX_PRESSES) -> TabWalk:
    """The page's whole Tab order, walked from the top; the page is put back as it was after."""
    with tab_walk(page, max_presses=max_presses) as walk:
        return walk
