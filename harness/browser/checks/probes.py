"""Journey probes: checks the journey makes while the persona walks, by trying what that person would.

A probe has no page function: the journey (harness/browser/journey.py) and the behaviours make its findings
through its rule (harness/model/rules.toml, kind = "probe"). What the probes look for in a page lives here.
"""

from __future__ import annotations

import re

from harness.browser.checks.registry import register_probes

register_probes()

# Watch what a press adds to the page; a new document (a page load) drops the watch with the old one.
WATCH_ADDED_JS = """
() => {
  window.__a11yAdded = [];
  window.__a11yWatch = new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes) window.__a11yAdded.push(n);
  });
  window.__a11yWatch.observe(document.body, {childList: true, subtree: true});
  return true;
}
"""
# Visible text the press added that is neither in a live region nor where focus went; marks the first.
ADDED_UNANNOUNCED_JS = """
() => {
  if (!window.__a11yWatch) return null;
  window.__a11yWatch.disconnect();
  delete window.__a11yWatch;
  const live = '[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log], output, dialog';
  const active = document.activeElement;
  let text = '', first = null;
  for (const node of window.__a11yAdded) {
    const el = node.nodeType === 1 ? node : node.parentElement;
    if (!node.isConnected || !el || !(node.textContent || '').trim()) continue;
    if (el.closest(live) || el.querySelector(live)) continue;
    if (active && active !== document.body && (el.contains(active) || active.contains(el))) continue;
    if (!el.getClientRects().length) continue;
    text += ' ' + node.textContent.trim();
    first = first || el;
  }
  if (!first) return null;
  first.setAttribute('data-a11y-status', '1');
  return {text: text.trim().replace(/\\s+/g, ' ').slice(0, 80)};
}
"""

# Links or buttons that offer a way on without a postcode (C7 in the domain reference).
NO_POSTCODE_ROUTE = re.compile(
    r"(do not|don't|dont) know (the |their |my |your )?postcode|can(no|')?t find|cannot find|"
    r"enter (the |an |their |your )?address (manually|yourself|by hand)|(choose|select) .*from a list|"
    r"without a postcode", re.IGNORECASE)


def amount_shown(text: str, amount: str) -> bool:
    """Whether a page's text shows this amount of money, written the ways people write it."""
    value = float(amount)
    forms = {f"{value:,.2f}", f"{value:.2f}"}
    if value == int(value):
        forms |= {f"{int(value):,}", f"{int(value)}"}
    return any(re.search(rf"£\s?{re.escape(form)}(?![\d,])", text) for form in forms)
