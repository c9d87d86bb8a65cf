"""Layout checks: content reflows to 320 CSS pixels wide, and text survives wider spacing and doubling in size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from playwright.sync_api import Page

from harness.browser.checks.registry import Hit, persona_check
from harness.model.findings import Outcome

REFLOW_WIDTH = 320
"""WCAG 1.4.10: 1280 CSS px at 400% zoom is a 320 CSS px wide viewport."""

# The widest element that pokes out to the right, ignoring content that may scroll in two dimensions.
OVERFLOW_JS = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (!document.body || root.scrollWidth <= width + 1) return null;
  const twoDimensional = 'table, pre, code, canvas, svg, video, iframe, math, img[usemap], [role=table], '
    + '[role=grid], [role=img]';
  let widest = null;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1 || el.closest(twoDimensional)) continue;
    if (!widest || r.width > widest.w) widest = {el, w: r.width};
  }
  if (!widest) return {scrollWidth: root.scrollWidth, allowed: true};
  widest.el.setAttribute('data-a11y-overflow', '1');
  return {scrollWidth: root.scrollWidth, allowed: false, width: Math.round(widest.w)};
}
"""


@persona_check
def reflow(page: Page) -> Iterator[Hit]:
    """At 320 CSS px wide, nothing but tables, code and other 2-D content may need sideways scrolling."""
    original = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    try:
        result = page.evaluate(OVERFLOW_JS)
        if result is None or result["allowed"]:
            return
        yield Hit.on(page.locator("[data-a11y-overflow]").first, f"At {REFLOW_WIDTH} px wide the page is "
                     f"{result['scrollWidth']} px wide, so people who zoom in must scroll sideways to read each line; "
                     f"the widest part is {result['width']} px.")
    finally:
        if original:
            page.set_viewport_size(original)


RESIZE_WIDTH = 1280
"""WCAG 1.4.4 is about text at 200% on an ordinary desktop window: doubling the text of a 320 px wide
window would test 800% zoom. Narrower windows are widened to this for the check, then put back."""

TEXT_SPACING_CSS = (
    "*, *::before, *::after { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")
"""WCAG 1.4.12's spacing, as the widely used text spacing bookmarklet sets it."""

# Apply a stylesheet, see which boxes that hide their overflow now cut off text they showed in full before,
# and take the stylesheet away again, in one round trip. 'css' null means "double the root font size", as a
# browser's text size setting does (twice the page's own root size, so html { font-size: 62.5% } still
# counts as doubling). For that case also count the visible text whose font size did not grow at all.
TEXT_CLIPPED_JS = """
(css) => {
  const root = document.documentElement;
  if (!document.body) return {found: [], texts: 0, notGrown: 0, example: ''};  // an SVG document
  const short = text => { text = text.trim().replace(/\\s+/g, ' '); return text.length > 60 ? text.slice(0, 59) + '…' : text; };
  if (css === null) css = `html { font-size: ${2 * parseFloat(getComputedStyle(root).fontSize)}px !important; }`;
  const boxes = [], texts = [];
  for (const el of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    const clipX = s.overflowX === 'hidden' || s.overflowX === 'clip';
    const clipY = s.overflowY === 'hidden' || s.overflowY === 'clip';
    const ownText = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.data.trim());
    if (!clipX && !clipY && !ownText) continue;
    if (el.closest('svg') || !el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    if ((clipX || clipY) && el.textContent.trim()) boxes.push({el, clipX, clipY});
    if (ownText) texts.push({el, size: parseFloat(s.fontSize)});
  }
  const clipped = b => (b.clipY && b.el.scrollHeight > b.el.clientHeight + 1 ? 'height' : '')
    || (b.clipX && b.el.scrollWidth > b.el.clientWidth + 1 ? 'width' : '');
  const before = boxes.map(clipped);
  const style = document.createElement('style');
  style.textContent = css;
  (document.head || root).appendChild(style);
  let after, sizes;
  try {
    after = boxes.map(clipped);
    sizes = texts.map(t => parseFloat(getComputedStyle(t.el).fontSize));
  } finally {
    style.remove();
  }
  const found = [];
  boxes.forEach((b, i) => {
    if (before[i] || !after[i]) return;
    b.el.setAttribute('data-a11y-clip', String(found.length));
    found.push({fixed: after[i], text: short(b.el.innerText)});
  });
  const stuck = texts.filter((t, i) => t.size > 0 && sizes[i] < t.size * 1.2);
  const example = stuck.length ? short(stuck[0].el.innerText) : '';
  return {found, texts: texts.length, notGrown: stuck.length, example};
}
"""
REMOVE_CLIP_MARKERS_JS = """
() => document.querySelectorAll('[data-a11y-clip], [data-a11y-spacing]').forEach(el => {
  el.removeAttribute('data-a11y-clip'); el.removeAttribute('data-a11y-spacing'); })
"""


def _clipped_hits(page: Page, result: dict[str, Any], cause: str) -> Iterator[Hit]:
    for index, item in enumerate(result["found"]):
        yield Hit.on(page.locator(f'[data-a11y-clip="{index}"]'), f"{cause}, the text in '{item['text']}' is cut "
                     f"off: its box has a fixed {item['fixed']} and hides what does not fit, so people who need this "
                     "cannot read all of it.")


# Spacing set with !important in a style attribute wins over the spacing people set for themselves (a user
# style sheet, a bookmarklet or an extension adds a style sheet, which cannot beat it): below WCAG 1.4.12's
# figures it stops them. Judged on the element holding each visible text, against its own font size, where the
# nearest style attribute that sets the property says !important (inherit, unset and revert pass the parent's
# value on, so they are left out); line height only matters to text that wraps onto a second line.
TIGHT_SPACING_JS = """
() => {
  if (!document.body) return [];
  const MINIMUM = {'letter-spacing': 0.12, 'word-spacing': 0.16, 'line-height': 1.5};
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.data.trim() || !el || el.closest('svg, script, style') || !el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom + scrollY <= 0 || r.right + scrollX <= 0) continue;
    const s = getComputedStyle(el);
    const size = parseFloat(s.fontSize);
    for (const [property, least] of Object.entries(MINIMUM)) {
      let from = el;
      while (from && from.style && !from.style.getPropertyValue(property)) from = from.parentElement;
      if (!from || !from.style || from.style.getPropertyPriority(property) !== 'important') continue;
      const declared = from.style.getPropertyValue(property).trim().toLowerCase();
      if (['inherit', 'unset', 'revert', 'revert-layer'].includes(declared)) continue;
      const value = s.getPropertyValue(property);
      const px = value === 'normal' ? (property === 'line-height' ? 1.2 * size : 0) : parseFloat(value);
      if (!(size > 0) || px >= least * size - 0.01) continue;
      if (property === 'line-height') {
        const range = document.createRange();
        range.selectNodeContents(node);
        const tops = new Set(Array.from(range.getClientRects()).map(b => Math.round(b.top)));
        if (tops.size < 2) continue;
      }
      if (found.some(f => f.el === from && f.property === property)) continue;
      found.push({el: from, property, declared, ratio: Math.round(px / size * 100) / 100, least,
                  text: node.data.trim().replace(/\\s+/g, ' ').slice(0, 60)});
    }
  }
  found.forEach((f, index) => f.el.setAttribute('data-a11y-spacing', String(index)));
  return found.map(({el, ...rest}) => rest);
}
"""


@persona_check
def text_spacing(page: Page) -> Iterator[Hit]:
    """Text must stay readable when people widen line, letter and word spacing to read more easily."""
    try:
        tight = page.evaluate(TIGHT_SPACING_JS)
        hits = [Hit.on(page.locator(f'[data-a11y-spacing="{index}"]'), f"The text '{item['text']}' has "
                       f"{item['property']}: {item['declared']} !important in its style attribute ({item['ratio']:g} "
                       f"times the font size, less than {item['least']:g}), and !important there overrides the wider "
                       "spacing people with dyslexia or low vision set for themselves.")
                for index, item in enumerate(tight)]
        result = page.evaluate(TEXT_CLIPPED_JS, TEXT_SPACING_CSS)
        hits += _clipped_hits(page, result, "With wider text spacing (as people with dyslexia or low "
                                            "vision set it)")
    finally:
        page.evaluate(REMOVE_CLIP_MARKERS_JS)
    yield from hits


@persona_check
def resize_text(page: Page) -> Iterator[Hit]:
    """Text must stay readable when people make it twice as large in their browser's settings."""
    original = page.viewport_size
    widen = original is not None and original["width"] < RESIZE_WIDTH
    try:
        if original is not None and widen:
            page.set_viewport_size({"width": RESIZE_WIDTH, "height": original["height"]})
        result = page.evaluate(TEXT_CLIPPED_JS, None)
        hits = list(_clipped_hits(page, result, "With text twice as large"))
    finally:
        page.evaluate(REMOVE_CLIP_MARKERS_JS)
        if original is not None and widen:
            page.set_viewport_size(original)
    if result["notGrown"]:
        if result["notGrown"] == result["texts"]:
            what = "None of the text on the page gets larger"
        else:
            verb = "does" if result["notGrown"] == 1 else "do"
            what = (f"{result['notGrown']} of the {result['texts']} pieces of text on the page (for example "
                    f"'{result['example']}') {verb} not get larger")
        hits.append(Hit(message=f"{what} when the browser's text size is doubled, because their font size is set "
                                "in pixels; check that people who need larger text can still read them.",
                        selector="body", outcome=Outcome.NEEDS_REVIEW))
    yield from hits
