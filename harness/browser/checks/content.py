"""Content checks: links, tables and the wording a service page owes people who pay, upload or prove they are human."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import BrowserContext, Page

from harness.browser.checks.registry import Hit, PageContext, persona_check
from harness.browser.checks.service import START_CONTROL, UK_PHONE, offline_route, page_text, upload_route
from harness.browser.page_facts import describe_element
from harness.model.findings import Outcome

# Shared in-page helpers, pasted at the start of each check's function: visibility, an approximation of
# the accessible name (enough to compare links: aria-labelledby, aria-label, text without aria-hidden or
# display:none parts, image alt, title), and a field's label.
_HELPERS_JS = r"""
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const squash = text => (text || '').replace(/\s+/g, ' ').trim();
  const textOf = node => {
    let out = '';
    for (const child of node.childNodes) {
      if (child.nodeType === 3) { out += child.data; continue; }
      if (child.nodeType !== 1 || child.getAttribute('aria-hidden') === 'true') continue;
      const style = getComputedStyle(child);
      if (style.display === 'none') continue;
      const pad = style.display.startsWith('inline') ? '' : ' ';
      const own = child.getAttribute('aria-label')
        || (child.localName === 'img' || child.getAttribute('role') === 'img' ? child.getAttribute('alt') || '' : null);
      out += pad + (own !== null ? own : textOf(child)) + pad;
    }
    return out;
  };
  const byIds = el => (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
    .map(id => document.getElementById(id)).filter(Boolean).map(n => n.textContent).join(' ');
  const nameOf = el => squash(byIds(el)) || squash(el.getAttribute('aria-label'))
    || squash(el.localName === 'input' ? el.value : textOf(el)) || squash(el.getAttribute('title'));
  const labelOf = el => squash(byIds(el)) || squash(el.getAttribute('aria-label'))
    || squash(Array.from(el.labels || []).map(l => l.textContent).join(' ')) || squash(el.getAttribute('title'));
  const mark = (el, attribute, index) => el.setAttribute('data-a11y-' + attribute, String(index));
"""


def _js(body: str) -> str:
    return "() => {\n" + _HELPERS_JS + body + "\n}"


def _marked(page: Page, attribute: str, count: int) -> list[dict[str, str]]:
    """Describe the elements a check marked 0..count-1, then take the marks off so the page is unchanged."""
    if not count:
        return []
    infos = [describe_element(page.locator(f'[data-a11y-{attribute}="{index}"]')) for index in range(count)]
    _unmark(page, attribute)
    return infos


def _found_with_no_way_round(page: Page, script: str, attribute: str,
                             way_round: Callable[[dict[str, Any]], object]) -> dict[str, Any] | None:
    """What the check's script found and marked, unless the page offers a way round it (then the marks go)."""
    found: dict[str, Any] | None = page.evaluate(script)
    if found is not None and way_round(found):
        _unmark(page, attribute)
        return None
    return found


def _unmark(page: Page, attribute: str) -> None:
    page.evaluate("(name) => document.querySelectorAll(`[${name}]`).forEach(el => el.removeAttribute(name))",
                  f"data-a11y-{attribute}")


# Visible links (HTML and SVG): a second link with the same name and another destination (its address with no
# fragment, trailing slash or index page) is a clash, given with both addresses and the text around each link; a
# name that says nothing about where the link goes is for a person to judge.
LINK_PURPOSE_JS = _js(r"""
  const VAGUE = /^(click here|click|here|more|read more|more info|link|this|this link|go)$/;
  const address = link => {
    const raw = link.getAttribute('href') || link.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '';
    try {
      const url = new URL(raw, document.baseURI);
      if (url.hash === '#') url.hash = '';  // a fragment is another place on the page; an empty one is not
      url.pathname = url.pathname.replace(/\/index\.html?$/i, '/').replace(/(.)\/$/, '$1');
      return url.href;
    } catch (e) { return raw; }
  };
  const around = link => {
    const block = link.closest('p, li, td, th, dd, dt, figcaption, caption, label, blockquote') || link.parentElement;
    return squash(block ? block.textContent : '');
  };
  const first = new Map();
  const found = [];
  for (const link of document.querySelectorAll('a[href], area[href]')) {
    if (!visible(link) || link.closest('[aria-hidden=true]')) continue;
    const name = nameOf(link);
    const key = name.toLowerCase().replace(/[.:!…>»]+$/, '').trim();
    if (!key) continue;
    const earlier = first.get(key);
    if (!earlier) first.set(key, link);
    const clash = earlier !== undefined && address(earlier) !== address(link);
    if (!clash && !VAGUE.test(key)) continue;
    mark(link, 'link-purpose', found.length);
    found.push({name, clash, vague: VAGUE.test(key), href: link.getAttribute('href') || '', url: address(link),
                earlier: earlier ? earlier.getAttribute('href') || '' : '', earlierUrl: earlier ? address(earlier) : '',
                context: around(link), earlierContext: earlier ? around(earlier) : ''});
  }
  return found;
""")

# Data tables (2+ rows and 2+ columns, not layout tables by role) with no header cells of their own.
TABLE_HEADERS_JS = _js(r"""
  const found = [];
  for (const table of document.querySelectorAll('table')) {
    const role = (table.getAttribute('role') || '').toLowerCase();
    if (role === 'presentation' || role === 'none' || !visible(table)) continue;
    const rows = Array.from(table.rows);
    const columns = Math.max(0, ...rows.map(row => row.cells.length));
    if (rows.length < 2 || columns < 2) continue;
    const headers = Array.from(table.querySelectorAll(
      'th, [scope], td[headers], [role=columnheader], [role=rowheader]')).some(el => el.closest('table') === table);
    if (headers) continue;
    mark(table, 'table-headers', found.length);
    const caption = table.caption ? squash(table.caption.textContent) : '';
    found.push({rows: rows.length, columns, caption});
  }
  return found;
""")

# A check-your-answers page with a pay control, or a card details page: the control or field that takes
# the money, and whether the page shows an amount in pounds anywhere a person can see.
AMOUNT_BEFORE_PAYMENT_JS = _js(r"""
  const scope = document.querySelector('main') || document.body;
  const heading = document.querySelector('h1');
  let subject = null;
  if (heading && /check your|confirm/i.test(heading.textContent)) {
    subject = Array.from(scope.querySelectorAll(
      'button, a[href], input[type=submit], input[type=button], [role=button]'))
      .find(el => visible(el) && /pay/i.test(nameOf(el))) || null;
  }
  const kind = subject ? 'control' : 'card';
  if (!subject) {
    subject = Array.from(document.querySelectorAll('input')).find(el => visible(el)
      && (/\bcc-number\b/.test(el.getAttribute('autocomplete') || '') || /card number/i.test(labelOf(el)))) || null;
  }
  if (!subject) return null;
  if (/£\s?\d[\d,]*(\.\d{2})?/.test(document.body.innerText)) return null;
  mark(subject, 'amount-before-payment', 0);
  return {kind, name: kind === 'control' ? nameOf(subject) : labelOf(subject)};
""")

# App store links and QR codes, and what else the page offers: fields or a submit button outside search
# forms, a control that starts the service online, and its visible text for the phone and post wording.
NO_APP_ONLY_JS = _js(r"""
  const offers = [];
  for (const link of document.querySelectorAll('a[href]')) {
    let host = '';
    try { host = new URL(link.href).hostname; } catch (e) { continue; }
    if (/(^|\.)(apps|itunes)\.apple\.com$|(^|\.)play\.google\.com$/.test(host) && visible(link)) offers.push(link);
  }
  for (const image of document.querySelectorAll('img, svg, canvas, [role=img]')) {
    const said = ['alt', 'src', 'class', 'id', 'aria-label'].map(a => image.getAttribute(a) || '').join(' ');
    if (/qr/i.test(said) && visible(image)) offers.push(image);
  }
  if (!offers.length) return null;
  offers.sort((a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
  const search = el => !!el.closest('[role=search], form[action*="search" i]') || el.type === 'search'
    || /^(q|query|search|keywords?)$/i.test(el.name || '');
  const fields = Array.from(document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=image]):not([type=reset]), '
    + 'select, textarea')).filter(el => visible(el) && !search(el));
  const submits = Array.from(document.querySelectorAll('button:not([type=button]):not([type=reset]), '
    + 'input[type=submit]')).filter(el => el.form && visible(el) && !search(el) && !/cookie/i.test(
      nameOf(el) + ' ' + (el.name || '') + ' ' + (el.form.getAttribute('action') || '')));
  const controls = Array.from(document.querySelectorAll('a[href], button, [role=button]'))
    .filter(visible).map(nameOf);
  mark(offers[0], 'no-app-only', 0);
  return {forms: fields.length + submits.length > 0, controls,
          what: offers[0].localName === 'a' ? nameOf(offers[0]) || 'an app store link' : 'a QR code'};
""")

# File inputs (not ones the label calls optional), and whether each is in a form that sends it: a file field
# outside any form (a design system's example, a fragment) has no service around it to judge.
UPLOAD_ALTERNATIVE_JS = _js(r"""
  const inputs = Array.from(document.querySelectorAll('input[type=file]'))
    .filter(el => !el.disabled && !/optional/i.test(labelOf(el)));
  if (!inputs.length) return null;
  inputs.forEach((el, index) => mark(el, 'upload-alternative', index));
  return {labels: inputs.map(labelOf), inForm: inputs.map(el => !!el.form)};
""")

# CAPTCHAs: third-party widgets, images or canvases that say captcha, or only the "type the characters"
# instruction; and whether the page offers an audio version.
CAPTCHA_JS = _js(r"""
  if (!document.body) return null;  // an SVG or XML document
  const found = [];
  const WIDGET = /recaptcha|hcaptcha|turnstile|challenges\.cloudflare\.com/i;
  for (const el of document.querySelectorAll('iframe[src], .g-recaptcha, .h-captcha, .cf-turnstile')) {
    if (el.localName === 'iframe' && !WIDGET.test(el.src)) continue;
    if (found.some(f => f.el.contains(el) || el.contains(f.el))) continue;
    found.push({el, widget: true});
  }
  for (const image of document.querySelectorAll('img, canvas, svg, [role=img]')) {
    const said = ['alt', 'src', 'class', 'id', 'aria-label', 'title'].map(a => image.getAttribute(a) || '').join(' ');
    if (/captcha/i.test(said) && !found.some(f => f.el.contains(image))) found.push({el: image, widget: false});
  }
  const text = document.body.innerText;
  const INSTRUCTION = /(type|enter) the (characters|letters|code|text|words)( (you|that you) see| shown| in the (image|picture))/i;
  if (!found.length && INSTRUCTION.test(text)) {
    const field = Array.from(document.querySelectorAll('input')).find(el => INSTRUCTION.test(labelOf(el)));
    found.push({el: field || document.body, widget: false});
  }
  if (!found.length) return null;
  const audio = !!document.querySelector('audio')
    || Array.from(document.querySelectorAll('a[href], button, [role=button]'))
      .some(el => /audio|listen|hear it|play the (sound|code)/i.test(nameOf(el)));
  found.forEach((f, index) => mark(f.el, 'captcha-alternative', index));
  return {captchas: found.map(f => ({widget: f.widget})), audio};
""")

# Whether the page links to an accessibility statement, and what marks it as a page of a service or site:
# a form that sends answers (not a search or cookie form), the names of its controls (a start button), and
# the site's policy links (privacy, cookies, terms, contact), beside which the statement link belongs.
STATEMENT_LINK_JS = _js(r"""
  const links = Array.from(document.querySelectorAll('a[href]'));
  if (links.some(link => /accessibility|hygyrchedd/i.test(nameOf(link) + ' ' + link.textContent))) return null;
  const sends = Array.from(document.forms).some(form => !form.closest('[role=search], search')
    && !/search|cookie/i.test((form.getAttribute('action') || '') + ' ' + (form.getAttribute('role') || ''))
    && Array.from(form.elements).some(el => visible(el) && el.type !== 'hidden' && el.type !== 'search'
      && !/^(q|query|search|keywords?)$/i.test(el.name || '') && !/cookie/i.test(nameOf(el) + ' ' + (el.name || ''))));
  const controls = Array.from(document.querySelectorAll('a[href], button, input[type=submit], [role=button]'))
    .filter(visible).map(nameOf);
  const policy = links.filter(visible).map(nameOf)
    .find(name => /^(privacy|privacy (notice|policy)|cookies?|cookie (policy|settings)|terms( and conditions)?|contact( us)?)$/i.test(name)) || '';
  return {sends, controls, policy};
""")

# Ways round an app-only service online (a form on the website); offline ones are service.offline_route's.
WEB_ROUTE = re.compile(r"\b(on (our|this) website|online form)\b", re.IGNORECASE)
CAPTCHA_ROUTE = re.compile(r"(can't|can’t|cannot|unable to|not able to) (read|see|hear|do)", re.IGNORECASE)


@persona_check
def link_purpose(page: Page) -> Iterator[Hit]:
    """Screen reader users list a page's links by name: each name must say where the link goes."""
    found: list[dict[str, Any]] = page.evaluate(LINK_PURPOSE_JS)
    destinations = _Destinations(page)
    try:
        yield from _link_hits(found, _marked(page, "link-purpose", len(found)), destinations)
    finally:
        destinations.close()


def _link_hits(found: list[dict[str, Any]], infos: list[dict[str, str]], destinations: _Destinations) -> Iterator[Hit]:
    for item, info in zip(found, infos, strict=True):
        clash = item["clash"] and not destinations.same(item["earlierUrl"], item["url"])
        if clash and item["context"] == item["earlierContext"] \
                and not destinations.alike(item["earlierUrl"], item["url"]):
            yield Hit(message=f"The link '{item['name']}' goes to '{item['href']}', but an earlier link with the "
                              f"same name goes to '{item['earlier']}', so people who hear the list of links "
                              "cannot tell them apart.", selector=info["selector"], snippet=info["html"])
        elif clash:
            yield Hit(message=f"The link '{item['name']}' goes to '{item['href']}', and an earlier link with the same "
                              f"name to '{item['earlier']}'; check that both serve the same purpose, or that the text "
                              "around each tells them apart.", selector=info["selector"], snippet=info["html"],
                      outcome=Outcome.NEEDS_REVIEW)
        elif item["vague"]:
            yield Hit(message=f"The link '{item['name']}' does not say where it goes; check that the text "
                              "around it makes that clear, or name the destination in the link.",
                      selector=info["selector"], snippet=info["html"], outcome=Outcome.NEEDS_REVIEW)


class _Destinations:
    """Where two addresses of the page's own site lead, fetched once each: the same page by another address (a
    redirect, an immediate meta refresh), or a copy of it. Other sites' pages are never fetched, nor addresses
    with a query string (they often do something: choose an address, sign out), and the fetch carries none of the
    journey's cookies, in a context of its own, so it cannot change the journey's session."""

    MOST = 10
    TIMEOUT_MS = 5_000
    MOST_BYTES = 200_000
    """Of a fetched page, the most that is compared: enough for any page's title, heading and text."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.origin = _origin(page.url)
        self.fetched: dict[str, tuple[str, str, str, bool, str] | None] = {}
        self._context: BrowserContext | None = None

    def close(self) -> None:
        if self._context is not None:
            self._context.close()

    def same(self, first: str, second: str) -> bool:
        if urlsplit(first).fragment != urlsplit(second).fragment:
            return False  # two places on one page
        one, two = self._fetch(first), self._fetch(second)
        return one is not None and two is not None and (one[0] == two[0] or (one[1] == two[1] and not one[3]))

    def alike(self, first: str, second: str) -> bool:
        """Both pages of this site load with the same title and main heading: perhaps the same purpose (one contact
        page per department, say), for a person to judge. The title alone is not enough: some sites give every page
        the same one."""
        one, two = self._fetch(first), self._fetch(second)
        return (one is not None and two is not None and one[0] != two[0]
                and bool(one[2] and one[2] == two[2] and one[4] == two[4]))

    def _fetch(self, url: str, hops: int = 3) -> tuple[str, str, str, bool, str] | None:
        """(final address, page text, title, has scripts, main heading) of a page of this site; None for another site's or a
        failure. A copy with scripts may show something else (by its query string, say): not the same."""
        if url in self.fetched:
            return self.fetched[url]
        result: tuple[str, str, str, bool, str] | None = None
        browser = self.page.context.browser
        if _origin(url) == self.origin and not urlsplit(url).query and len(self.fetched) < self.MOST and browser:
            try:
                if self._context is None:
                    self._context = browser.new_context()
                # No server redirects: without the journey's session, a service sends every page to its start or
                # sign-in page, and two different links would seem to lead to one place.
                response = self._context.request.get(url, timeout=self.TIMEOUT_MS, max_redirects=0)
                too_big = int(response.headers.get("content-length") or 0) > self.MOST_BYTES
                body = response.text()[:self.MOST_BYTES] if response.ok and not too_big else ""
            except Exception:  # noqa: BLE001 - a page that cannot be fetched is not known to be the same
                body = ""
            refresh = _IMMEDIATE_REFRESH.search(body)
            if refresh and hops:
                self.fetched[url] = None  # a refresh loop ends here
                result = self._fetch(urljoin(response.url, refresh.group(1).strip("'\" ")), hops - 1)
            elif body:
                title, heading = _TITLE.search(body), _H1.search(body)
                result = (response.url.split("#")[0], " ".join(_TAG.sub(" ", body).split()),
                          " ".join(title.group(1).split()) if title else "", "<script" in body.lower(),
                          " ".join(_TAG.sub(" ", heading.group(1)).split()) if heading else "")
        self.fetched[url] = result
        return result


_IMMEDIATE_REFRESH = re.compile(r"""<meta[^>]{1,500}http-equiv=["']?refresh["']?[^>]{1,500}content=["']?\s*0+(?:\.0*)?\s*[;,]\s*"""
                                r"""url\s*=\s*([^"'>]+|'[^']*'|"[^"]*")""", re.IGNORECASE)
# Bounded, so that a hostile page of unclosed tags costs the search little.
_TITLE = re.compile(r"<title[^>]{0,500}>(.{0,2000}?)</title>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1[^>]{0,500}>(.{0,2000}?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@persona_check
def table_headers(page: Page) -> Iterator[Hit]:
    """A screen reader announces each cell with its row and column headers, but only when the table has some."""
    found: list[dict[str, Any]] = page.evaluate(TABLE_HEADERS_JS)
    for item, info in zip(found, _marked(page, "table-headers", len(found)), strict=True):
        name = f"The table '{item['caption']}'" if item["caption"] else "A table"
        yield Hit(message=f"{name} has {item['rows']} rows and {item['columns']} columns but no header cells, so "
                          "screen reader users hear values without knowing what they are.",
                  selector=info["selector"], snippet=info["html"])


@persona_check
def amount_before_payment(page: Page) -> Iterator[Hit]:
    """People must see how much they will pay before they commit to paying it."""
    found: dict[str, Any] | None = page.evaluate(AMOUNT_BEFORE_PAYMENT_JS)
    if found is None:
        return
    info = _marked(page, "amount-before-payment", 1)[0]
    where = (f"has a '{found['name']}' control" if found["kind"] == "control"
             else f"asks for the {found['name'] or 'card number'}")
    yield Hit(message=f"The page {where} but shows no amount in pounds, so people cannot check what they will "
                      "pay before they pay it.", selector=info["selector"], snippet=info["html"])


@persona_check
def no_app_only(page: Page) -> Iterator[Hit]:
    """People without a smartphone, or who cannot install apps, need another way to use the service."""
    found = _found_with_no_way_round(page, NO_APP_ONLY_JS, "no-app-only", lambda found: (
        found["forms"] or any(START_CONTROL.match(name) for name in found["controls"])  # the service online
        or _other_route(page_text(page), WEB_ROUTE)))
    if found is None:
        return
    info = _marked(page, "no-app-only", 1)[0]
    yield Hit(message=f"The page offers {found['what']!r} and no other way to use the service: no form on the "
                      "website, phone number, postal or in-person route.",
              selector=info["selector"], snippet=info["html"])


@persona_check
def upload_alternative(page: Page, context: PageContext) -> Iterator[Hit]:
    """Not everyone has a camera, a scanner or the file on the device they are using."""
    found = _found_with_no_way_round(page, UPLOAD_ALTERNATIVE_JS, "upload-alternative",
                                     lambda found: upload_route(page_text(page)))
    if found is None:
        return
    infos = _marked(page, "upload-alternative", len(found["labels"]))
    for label, in_form, info in zip(found["labels"], found["inForm"], infos, strict=True):
        name = f"'{label}'" if label else "A file upload"
        if in_form or context.in_service:
            yield Hit(message=f"{name} asks for a file and the page offers no other way to provide it, so people "
                              "without a camera or scanner cannot go on.", selector=info["selector"],
                      snippet=info["html"])
        else:
            # No form sends the file: a design system's example or a fragment, with no service around it to judge.
            yield Hit(message=f"{name} asks for a file, outside any form, and the page offers no other way to "
                              "provide it; where this field is part of a service, check that the service says "
                              "how to send the file another way (by post, in person, or with someone's help).",
                      selector=info["selector"], snippet=info["html"], outcome=Outcome.NEEDS_REVIEW)


@persona_check
def captcha_alternative(page: Page) -> Iterator[Hit]:
    """A picture of distorted text stops blind and partially sighted people, and many others, from going on."""
    found = _found_with_no_way_round(page, CAPTCHA_JS, "captcha-alternative", lambda found: (
        found["audio"] or _other_route(page_text(page), CAPTCHA_ROUTE)))
    if found is None:
        return
    infos = _marked(page, "captcha-alternative", len(found["captchas"]))
    for captcha, info in zip(found["captchas"], infos, strict=True):
        if captcha["widget"]:
            # reCAPTCHA and hCaptcha carry their own audio challenge; whether people can finish it is a judgement.
            yield Hit(message="The page uses a third-party CAPTCHA and offers no way round it (no phone number "
                              "or other route); check that people who cannot see or hear the challenge can go on.",
                      selector=info["selector"], snippet=info["html"], outcome=Outcome.NEEDS_REVIEW)
        else:
            yield Hit(message="The page asks people to read distorted characters, with no audio version and no "
                              "other way to go on (such as a phone number), so blind and partially sighted "
                              "people are stopped here.", selector=info["selector"], snippet=info["html"])


@persona_check
def statement_link(page: Page, context: PageContext) -> Iterator[Hit]:
    """Public sector sites must publish an accessibility statement, and people must be able to find it."""
    found: dict[str, Any] | None = page.evaluate(STATEMENT_LINK_JS)
    if found is None:
        return
    start = next((name for name in found["controls"] if START_CONTROL.match(name)), None)
    if found["sends"] or start or found["policy"] or context.in_service:
        why = ("a form that sends answers" if found["sends"] else f"a '{start}' button" if start
               else f"the site's '{found['policy']}' link" if found["policy"] else "a place in the service's journey")
        yield Hit(message=f"The page has {why} but no link to an accessibility statement, so people cannot find "
                          "out what does not work for them or how to get the information another way.",
                  selector="body")
        return
    # The statement is the site's, not each page's: a page with nothing of a service or site about it (a design
    # system's example, a fragment) cannot say whether the site it belongs to links its statement elsewhere.
    yield Hit(message="The page has no link to an accessibility statement, and nothing marks it as a page of a "
                      "service (no form, start button or site links such as privacy or cookies); check that the "
                      "site it belongs to links its statement from every page.", selector="body",
              outcome=Outcome.NEEDS_REVIEW)


def _other_route(text: str, also: re.Pattern[str]) -> bool:
    """The page names a phone number, an offline route, or (``also``) a way this check accepts besides."""
    return bool(UK_PHONE.search(text) or offline_route(text) or also.search(text))
