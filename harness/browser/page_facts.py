"""Small in-page measurements shared by the journey and the behaviours (one round trip each)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

HARNESS_MARK_ATTRIBUTE = r' data-a11y-[a-z-]+="[^"]*"'
"""A data-a11y-* attribute the harness's checks put on an element to find it again: never the product's.
One pattern for Python and for the page's JavaScript (it holds no slash, so it fits a regex literal)."""

# A stable, readable selector for reports: an id when there is one, else a short tag:nth-of-type path.
DESCRIBE_ELEMENT_JS = """
(el) => {
  const path = [];
  let node = el;
  while (node && node.nodeType === 1 && path.length < 5) {
    if (node.id) { path.unshift('#' + CSS.escape(node.id)); break; }
    let part = node.localName;
    const parent = node.parentElement;
    if (parent) {
      const same = Array.from(parent.children).filter(c => c.localName === node.localName);
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(node) + 1) + ')';
    }
    path.unshift(part);
    node = parent;
  }
  // The harness's own data-a11y-* markers are not the product's HTML.
  const html = el.outerHTML.replace(/HARNESS_MARK/g, '');
  return {selector: path.join(' > '), html: html.slice(0, 500)};
}
""".replace("HARNESS_MARK", HARNESS_MARK_ATTRIBUTE)

# Hash of the DOM as serialised now, so an unchanged page state is not scanned twice.
FINGERPRINT_JS = """
() => {
  // The harness's own traces are not part of the page's state: data-a11y-* markers, and the empty style
  // attribute a check leaves when it puts an element's style back.
  const text = document.documentElement.outerHTML.replace(/HARNESS_MARK| style=""/g, '');
  let hash = 5381;
  for (let i = 0; i < text.length; i++) hash = ((hash << 5) + hash + text.charCodeAt(i)) | 0;
  return location.href.split('#')[0] + '|' + text.length + '|' + hash;
}
""".replace("HARNESS_MARK", HARNESS_MARK_ATTRIBUTE)

# An error state: the GOV.UK title prefix, an error summary or alert, or any visible error message
# (legacy products often show a red div with no role).
SHOWS_ERRORS_JS = """
() => /^error\\b/i.test(document.title.trim())
  || !!document.querySelector('.govuk-error-summary, .error-summary')
  || Array.from(document.querySelectorAll(
       '[role=alert], [aria-invalid=true], .err, .error, .error-message, [class*="error-message"]'))
     .some(el => el.getClientRects().length > 0 && (el.matches('[aria-invalid=true]') || el.textContent.trim()))
"""


def describe_element(locator: Locator) -> dict[str, str]:
    """Selector and (truncated) HTML of an element, for findings."""
    try:
        info: dict[str, str] = locator.evaluate(DESCRIBE_ELEMENT_JS)
        return info
    except Exception:  # noqa: BLE001 - an element that vanished still deserves a finding
        return {"selector": "", "html": ""}


def element_fields(locator: Locator) -> dict[str, Any]:
    """selector= and snippet= for a Finding about this element."""
    info = describe_element(locator)
    return {"selector": info["selector"], "snippet": info["html"]}


def fingerprint(page: Page) -> str:
    return str(page.evaluate(FINGERPRINT_JS))


# The fingerprint with what a scan records beside it, in one round trip: the title and the element count.
STATE_FACTS_JS = """
() => [(FINGERPRINT)(), document.title, document.getElementsByTagName('*').length]
""".replace("FINGERPRINT", FINGERPRINT_JS.strip())


def state_facts(page: Page) -> tuple[str, str, int]:
    """The page state's fingerprint, title and number of elements."""
    state_id, title, elements = page.evaluate(STATE_FACTS_JS)
    return str(state_id), str(title), int(elements)


# The page's full size, for the screenshot's clip, and whether it has a password field (open shadow roots
# too, as Playwright's locators see them): masking costs a screenshot about 85 ms even when nothing matches.
SCREENSHOT_FACTS_JS = """
() => {
  const hasPassword = root => !!root.querySelector('input[type=password]')
    || Array.from(root.querySelectorAll('*')).some(el => el.shadowRoot && hasPassword(el.shadowRoot));
  const doc = document.documentElement;
  return [doc.scrollWidth, doc.scrollHeight, hasPassword(document), !!document.body];
}
"""


def screenshot_facts(page: Page) -> tuple[int, int, bool, bool]:
    """The page's scroll width and height, whether a password field is there to be masked, and whether it has
    a body (an SVG or XML document has none, and Chromium waits out the timeout to shoot one full page)."""
    width, height, has_password, has_body = page.evaluate(SCREENSHOT_FACTS_JS)
    return int(width), int(height), bool(has_password), bool(has_body)


def shows_errors(page: Page) -> bool:
    return bool(page.evaluate(SHOWS_ERRORS_JS))


def headings(page: Page, limit: int = 6) -> list[str]:
    """The page's headings as a screen reader lists them, for messages when a step gets lost."""
    found: Any = page.evaluate(
        "() => Array.from(document.querySelectorAll('h1,h2,h3,[role=heading]'))"
        ".map(h => h.textContent.trim().replace(/\\s+/g, ' ')).filter(Boolean)")
    return list(found)[:limit]


def safe_url(page: Page) -> str:
    """The page's address, or nothing from a page that is closing or crashed."""
    try:
        return page.url
    except PlaywrightError:
        return ""


def safe_title(page: Page) -> str:
    try:
        return page.title()
    except PlaywrightError:
        return ""


def safe_evaluate(page: Page, script: str) -> Any:
    try:
        return page.evaluate(script)
    except PlaywrightError:
        return None


def url_path(url: str) -> str:
    """An address without its query and fragment: the same page, whatever was asked of it."""
    return url.split("#", 1)[0].split("?", 1)[0]
