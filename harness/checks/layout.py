"""Layout checks: content reflows to 320 CSS pixels wide without scrolling sideways."""

from __future__ import annotations

from collections.abc import Iterator

from playwright.sync_api import Page

from harness.checks.registry import Hit, persona_check
from harness.findings import Impact
from harness.page_facts import describe_element

REFLOW_WIDTH = 320
"""WCAG 1.4.10: 1280 CSS px at 400% zoom is a 320 CSS px wide viewport."""

# The widest element that pokes out to the right, ignoring content that may scroll in two dimensions.
OVERFLOW_JS = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width + 1) return null;
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


@persona_check(
    criteria=("1.4.10",), impact=Impact.SERIOUS,
    help="Let content wrap at narrow widths: avoid fixed widths in pixels, use max-width: 100% and flexible "
         "layouts, so people who zoom to 400% read without scrolling sideways.",
    help_url="https://www.w3.org/WAI/WCAG22/Understanding/reflow.html")
def reflow(page: Page) -> Iterator[Hit]:
    """At 320 CSS px wide, nothing but tables, code and other 2-D content may need sideways scrolling."""
    original = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    try:
        result = page.evaluate(OVERFLOW_JS)
        if result is None or result["allowed"]:
            return
        info = describe_element(page.locator("[data-a11y-overflow]").first)
        yield Hit(message=f"At {REFLOW_WIDTH} px wide the page is {result['scrollWidth']} px wide, so people "
                          f"who zoom in must scroll sideways to read each line; the widest part is "
                          f"{result['width']} px.", selector=info["selector"], snippet=info["html"])
    finally:
        if original:
            page.set_viewport_size(original)
