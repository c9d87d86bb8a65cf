"""Council service checks: what people without the internet or a smartphone need from a service page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from playwright.sync_api import Page

from harness.browser.checks.registry import Hit, persona_check

# "Start now" and its cousins mark a service start page (the GOV.UK start page pattern).
START_CONTROL = re.compile(r"^\s*(start now|start|apply now|apply online|subscribe now|pay now|pay online|"
                           r"register now|book now)\s*$", re.IGNORECASE)
UK_PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\d)")

# Ways to use a service, or to send what it asks for, without going online, recognised by what they mean:
# by post, by phone, in person (an office, a library, an appointment), or with someone who helps. Each is a
# phrase a person would write, so "I will post a photo instead" counts and a "Telephone number" field does not.
_ROUTES = {
    "post": (r"by post|in the post|by letter|write to us|(send|post|mail) (it|them|this|that|these|us|a|an|the|"
             r"your|my|our|copies|a copy|one)\b[^.]{0,60}?\b(by post|in the post|to (us|our|the|this) "
             r"(address|office|council))|\bpost(ing)? (it|them|this|that|these|a|an|the|your|my|copies|a copy|"
             r"one|us)\b|send (?:a|the) (?:form|cheque)|\bcheque"),
    "phone": (r"call us|phone us|ring us|by (tele)?phone|over the phone|on the phone|textphone|relay uk|"
              r"(call|phone|ring|contact) (the|our|your) [\w ]{0,30}?(team|line|centre|center|service|office|"
              r"council)\b"),
    "in person": (r"in person|face to face|face-to-face|bring (it|them|this|that|these|the|your|a|an|copies|"
                  r"a copy|one)\b|appointment|drop (it|them|\w+ \w+) (in|off)|hand (it|them) in|"
                  r"visit (us|our|the|a|an|any|your)( local)? ?([\w-]+ ){0,2}(office|library|libraries|hub|"
                  r"cent(re|er)|reception|desk|counter|council)|(at|to|in) (a|an|the|your|our|any)( local)? "
                  r"([\w-]+ ){0,2}(librar(y|ies)|council office|customer service|one stop shop|hub|help point)|"
                  r"\blibrar(y|ies)\b"),
    "someone to help": (r"(someone|we|staff|our \w+|an adviser|a librarian) (can|will|could|who can) help|someone to "
                        r"help|(ask|get) (someone|a friend|a relative|a family member|a carer|us) to help|help you "
                        r"(to )?(upload|apply|fill|send)|assisted digital|helpline"),
}
_ROUTE = re.compile("|".join(f"(?P<{name.replace(' ', '_')}>{pattern})" for name, pattern in _ROUTES.items()),
                    re.IGNORECASE)
# "We will post your badge to you" is the council posting, not a way for the person to send anything.
_NOT_THEIRS = re.compile(r"\b(we|we'll|we’ll|we will|council will|will be|is|are|was|were)\s*$", re.IGNORECASE)
_INSTEAD_OF_UPLOADING = re.compile(
    r"(cannot|can't|can’t|unable to|not able to|do not want to|don't want to|don’t want to|prefer not to) "
    r"(upload|send (it|them|a file|files) online)|without uploading|instead of uploading|if you cannot use (this|"
    r"the) (upload|online)|we will contact you|we'll contact you|we’ll contact you", re.IGNORECASE)


def offline_route(text: str) -> str | None:
    """The first way the text offers that needs no internet ('post', 'phone', 'in person', 'someone to help')."""
    for match in _ROUTE.finditer(text):
        if _NOT_THEIRS.search(text[max(0, match.start() - 20):match.start()]):
            continue
        kind = next(name for name, value in match.groupdict().items() if value)
        return f"{kind.replace('_', ' ')}: '{match.group(0)}'"
    return None


def upload_route(text: str) -> str | None:
    """The first way the text offers to provide a file without uploading it."""
    instead = _INSTEAD_OF_UPLOADING.search(text)
    return f"another way: '{instead.group(0)}'" if instead else offline_route(text)


# The page's text as a person can get at it: what is shown, and what opens in place (a closed <details>,
# "I cannot go online"), but not scripts, templates, or parts hidden from everyone.
PAGE_TEXT_JS = r"""() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!parent || parent.closest('script, style, template, noscript, [aria-hidden="true"]')) continue;
    const hidden = parent.closest('[hidden]');
    if (hidden && !hidden.closest('details')) continue;
    parts.push(walker.currentNode.data);
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}"""


def page_text(page: Page) -> str:
    """The page's text, the contents of closed <details> included (see PAGE_TEXT_JS)."""
    return str(page.evaluate(PAGE_TEXT_JS))


@persona_check
def offline_alternative(page: Page) -> Iterator[Hit]:
    """A service start page must name a route that does not need the internet."""
    # text_content, not inner_text: an SVG link is a link too, and inner_text throws on any element not HTML.
    controls = page.get_by_role("link").or_(page.get_by_role("button")).all_text_contents()
    if not any(START_CONTROL.match(text) for text in controls):
        return  # not a service start page: nothing to check here
    # A route behind "Other ways to apply" (a closed <details>) is one click away, as GOV.UK start pages put it.
    text = page_text(page)
    if UK_PHONE.search(text) or offline_route(text):
        return
    yield Hit(message="This service start page names no other way to use the service (no phone number, "
                      "postal or in-person route), so people who cannot go online are left without one.",
              selector="body")
