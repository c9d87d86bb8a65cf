"""Timing checks: a page that ends the session by itself must warn first and let people ask for more time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from harness.browser.checks.registry import Hit, persona_check
from harness.model.findings import Outcome

PROBE_MINUTES = 60
PROBE_CHUNK_MINUTES = 5
PROBE_TIMEOUT_MS = 15_000
NAVIGATION_POLLS = 30
NAVIGATION_POLL_MS = 100

TWENTY_HOURS_S = 20 * 60 * 60
"""WCAG 2.2.1's 20 hour exception: a longer limit needs no warning."""

# Added with BrowserContext.add_init_script by the journey, so it runs before the page's own scripts.
# Records each setTimeout/setInterval of a minute or more (and whether it is still pending) in
# window.__a11yTimers, and notes a <meta http-equiv=refresh> once the document is parsed.
TIMER_RECORDER_JS = """
(() => {
  if (window.__a11yTimers) return;
  const LONG = 60000;
  const timers = [];
  const byId = new Map();
  Object.defineProperty(window, '__a11yTimers', {value: timers, configurable: true});
  for (const kind of ['setTimeout', 'setInterval']) {
    const original = window[kind];
    window[kind] = function (handler, delay, ...args) {
      const ms = Number(delay) || 0;
      if (ms < LONG || timers.length >= 100) return original.call(window, handler, delay, ...args);
      const entry = {kind, delay: ms, pending: true};
      timers.push(entry);
      const run = kind === 'setTimeout' && typeof handler === 'function'
        ? function () { entry.pending = false; return handler.apply(this, arguments); } : handler;
      const id = original.call(window, run, delay, ...args);
      byId.set(id, entry);
      return id;
    };
  }
  for (const kind of ['clearTimeout', 'clearInterval']) {
    const original = window[kind];
    window[kind] = function (id) {
      const entry = byId.get(id);
      if (entry) { entry.pending = false; byId.delete(id); }
      return original.call(window, id);
    };
  }
  document.addEventListener('DOMContentLoaded', () => {
    for (const meta of document.querySelectorAll('meta[http-equiv="refresh" i]')) {
      const seconds = parseFloat(meta.getAttribute('content') || '');
      if (seconds > 0) timers.push({kind: 'meta-refresh', delay: seconds * 1000, pending: true});
    }
  }, {once: true});
})();
"""

# On the page under test: the timers the recorder saw (null without the recorder), meta refreshes with
# a delay (marked for describe_element), and whether any script could set a timer at all.
TIMER_STATE_JS = """
() => {
  const TWENTY_HOURS = %TWENTY_HOURS%;
  const recorded = Array.isArray(window.__a11yTimers) ? window.__a11yTimers : null;
  const refreshes = [];
  // As the HTML standard parses a refresh: digits (then digits and dots, ignored), then the end, whitespace, ';'
  // or ','; anything else ('+5', '0:', 'foo') is no refresh at all. Only the first valid one takes effect.
  const VALID = /^[\\t\\n\\f\\r ]*(\\d+)[\\d.]*(?:$|[\\t\\n\\f\\r ;,]([^]*))/;
  for (const meta of document.querySelectorAll('meta[http-equiv="refresh" i]')) {
    const content = meta.getAttribute('content') || '';
    const valid = content.match(VALID);
    if (!valid) continue;
    const seconds = parseInt(valid[1], 10);
    if (seconds > 0 && seconds <= TWENTY_HOURS) {  // 0 moves on at once; more than 20 hours is WCAG's exception
      meta.setAttribute('data-a11y-time-limit', String(refreshes.length));
      const target = (valid[2] || '').replace(/^[\\s;,]*(url\\s*=\\s*)?/i, '').trim().replace(/^['"]|['"]$/g, '');
      refreshes.push({seconds, target});
    }
    break;
  }
  return {
    timers: recorded && recorded.filter(t => t.pending && t.kind !== 'meta-refresh')
      .map(t => ({kind: t.kind, delay: t.delay})),
    refreshes,
    scripts: document.scripts.length,
  };
}
""".replace("%TWENTY_HOURS%", str(TWENTY_HOURS_S))

REMOVE_MARKERS_JS = """
() => document.querySelectorAll('[data-a11y-time-limit]').forEach(el => el.removeAttribute('data-a11y-time-limit'))
"""

# Init script for the probe context only. Once armed, a MutationObserver reports (through an exposed
# binding, which outlives a navigation) the first warning that was not on the page when it loaded: a
# dialog about time or signing out that has a control, or a control offering more time. The clock runs
# each timer in its own task, so the observer sees a warning even when the page ends in the same chunk.
WARNING_WATCH_JS = r"""
(() => {
  const EXTEND = /stay (signed|logged) in|extend|more time|continue (my |your |the )?session|keep me (signed|logged) in|still here|reset the timer/i;
  const ABOUT_TIME = /sign(ed)? (you )?out|log(ged)? (you )?out|session|time ?out|timed out|inactiv|minutes?|seconds?|more time|extend|stay/i;
  const EXPIRED = /session (has )?(expired|timed out|ended)|(timed|signed|logged) (you )?out|your (session|application|answers) (has |have )?(expired|ended|been (reset|deleted|cleared))/i;
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const controls = 'button, a[href], [role=button], input[type=submit], input[type=button]';
  const warnings = () => {
    const found = [];
    for (const el of document.querySelectorAll('[role=dialog], [role=alertdialog], dialog[open]')) {
      if (visible(el) && ABOUT_TIME.test(el.textContent) && el.querySelector(controls)) found.push(el);
    }
    for (const el of document.querySelectorAll(controls)) {
      const name = el.tagName === 'INPUT' ? el.value : (el.getAttribute('aria-label') || el.textContent);
      if (visible(el) && EXTEND.test(name || '')) found.push(el);
    }
    return found;
  };
  const text = () => (document.body ? document.body.innerText : '');
  let baseline = null;
  let reported = false;
  let leaving = '';
  // The Navigation API tells at once, in the page, that a script sent it elsewhere or reloaded it.
  if (window.navigation) {
    window.navigation.addEventListener('navigate', event => {
      if (baseline && !event.hashChange) leaving = event.destination.url;
    });
  }
  const look = () => {
    if (!baseline || reported) return;
    const fresh = warnings().find(el => !baseline.has(el));
    if (!fresh) return;
    reported = true;
    const said = (fresh.closest('[role=dialog], [role=alertdialog], dialog') || fresh).textContent;
    window.__a11yWarningSeen((said || fresh.value || '').trim().replace(/\s+/g, ' ').slice(0, 200));
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true,
                                                 characterData: true});
  Object.defineProperty(window, '__a11yProbe', {value: {
    arm() { baseline = new Set(warnings()); this.expiredAtStart = EXPIRED.test(text()); },
    expiredAtStart: false,
    state() {
      const match = text().match(EXPIRED);
      const line = match ? text().split('\n').find(l => EXPIRED.test(l)).trim().slice(0, 200) : '';
      return {armed: baseline !== null, url: location.href, leaving,
              expired: match && !this.expiredAtStart ? line : '', warning: warnings().length > 0};
    },
  }});
})();
"""


@persona_check
def time_limit(page: Page) -> Iterator[Hit]:
    """People who read, type or decide slowly must be warned before a time limit ends their session."""
    state = page.evaluate(TIMER_STATE_JS)
    for index, refresh in enumerate(state["refreshes"]):
        where = f"moves to '{refresh['target']}'" if refresh["target"] else "reloads itself"
        yield Hit.on(page.locator(f'[data-a11y-time-limit="{index}"]'), f"The page {where} after "
                     f"{_duration(refresh['seconds'] * 1000)} (meta refresh), with no warning and no way to ask for "
                     "more time.")
    if state["refreshes"]:
        page.evaluate(REMOVE_MARKERS_JS)
    timers: list[dict[str, Any]] | None = state["timers"]
    if timers == [] or (timers is None and not state["scripts"]):
        return  # the recorder saw no long timer, or there is no script that could set one
    yield from _probe_with_clock(page, timers)


def _probe_with_clock(page: Page, timers: list[dict[str, Any]] | None) -> Iterator[Hit]:
    """Open the page again in a separate context with a fake clock and let an hour pass in a few calls.

    A separate context, not a new page of the journey's context: Playwright installs the clock for the
    whole context and cannot uninstall it, so the journey's own page would run on fake time afterwards;
    and the journey treats a new page in its context as a new tab opened by the site.
    """
    browser: Browser | None = page.context.browser
    if browser is None:  # a persistent context has no browser to open a second context in
        yield from _unverified(timers)
        return
    warnings_seen: list[str] = []
    probe_context = browser.new_context(storage_state=page.context.storage_state(),
                                        viewport=page.viewport_size)
    try:
        probe_context.clock.install()
        probe_context.expose_binding("__a11yWarningSeen", lambda _source, said: warnings_seen.append(str(said)))
        probe_context.add_init_script(TIMER_RECORDER_JS)
        probe_context.add_init_script(WARNING_WATCH_JS)
        probe = probe_context.new_page()
        probe.set_default_timeout(PROBE_TIMEOUT_MS)
        yield from _let_time_pass(probe, page.url, timers, warnings_seen)
    finally:
        probe_context.close()


def _let_time_pass(probe: Page, url: str, timers: list[dict[str, Any]] | None,
                   warnings_seen: list[str]) -> Iterator[Hit]:
    try:
        response = probe.goto(url)
    except PlaywrightError:
        response = None
    # Opened again on its own, the page may be an error or send people elsewhere (it needed a form post).
    if response is None or not response.ok or probe.url.split("#")[0] != url.split("#")[0]:
        yield from _unverified(timers)
        return
    if timers is None and not probe.evaluate(  # no recorder on the journey's page: ask the probe's own
            "() => window.__a11yTimers.some(t => t.pending && t.kind !== 'meta-refresh')"):
        return
    probe.evaluate("() => window.__a11yProbe.arm()")
    for minutes in range(PROBE_CHUNK_MINUTES, PROBE_MINUTES + 1, PROBE_CHUNK_MINUTES):
        try:
            probe.clock.run_for(PROBE_CHUNK_MINUTES * 60_000)
        except PlaywrightError:
            pass  # the page navigated while its timers ran: look at where it went
        state = _probe_state(probe)
        if warnings_seen or state is None:
            return
        if state["armed"] and not state["leaving"] and not state["expired"]:
            continue
        if not state["armed"] and state["warning"] and not state["expired"]:
            return  # it moved to a page that warns and offers more time
        yield _ended(minutes, url, state)
        return


def _unverified(timers: list[dict[str, Any]] | None) -> Iterator[Hit]:
    """The page could not be opened again on its own: a long timer the recorder saw is for a person to judge."""
    if timers:
        yield Hit(message=f"The page sets a timer of {_duration(max(t['delay'] for t in timers))} that the "
                          "harness could not run on a copy of the page; check that people are warned and can "
                          "ask for more time before it ends their session.",
                  selector="body", outcome=Outcome.NEEDS_REVIEW)


def _probe_state(probe: Page) -> dict[str, Any] | None:
    """What the probe page shows now; a navigation the page started is given a moment to land."""
    state: dict[str, Any] | None = None
    for _ in range(NAVIGATION_POLLS):
        try:
            state = probe.evaluate("() => window.__a11yProbe ? window.__a11yProbe.state() : null")
        except PlaywrightError:
            state = None  # the old document went away with the navigation
        if state is not None and not state["leaving"]:
            return state
        probe.wait_for_timeout(NAVIGATION_POLL_MS)  # real time, but only while a navigation is under way
    return state


def _ended(minutes: int, url: str, state: dict[str, Any]) -> Hit:
    if state["armed"] and not state["leaving"]:
        what = f"said the session had ended ('{state['expired']}')"
    else:
        target = state["leaving"] or state["url"]
        same = target.split("#")[0] == url.split("#")[0]
        what = ("reloaded itself, losing what was entered" if same else f"moved to '{target}'")
        if state["expired"]:
            what += f" ('{state['expired']}')"
    return Hit(message=f"Within {minutes} minutes without activity the page {what}, with no warning "
                       "beforehand and no way to ask for more time.",
               selector="body", snippet=state["expired"] or state["url"])


def _duration(milliseconds: float) -> str:
    minutes = milliseconds / 60_000
    if minutes >= 1 and minutes == int(minutes):
        return f"{int(minutes)} minute{'s' if minutes != 1 else ''}"
    if minutes >= 1:
        return f"{minutes:.1f} minutes"
    return f"{milliseconds / 1000:g} seconds"
