"""The payment guard: on a target that is not a test environment, the harness never types card data and never
presses a button where card details are asked for.

Hosted payment pages sit in frames from other sites, label their fields in many ways and are built by people
who did not think of us, so the guard looks for every sign a browser or a person would go by, in every frame.
It queries through Playwright's locators, which run in Playwright's own isolated JavaScript world and pierce
open shadow roots: a page that replaces `document.querySelector` or `Element.prototype.getAttribute` cannot
hide its card fields from the guard. The guard decides before anything is typed: by the time a page's script
sees a keystroke, it has already sent it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page

from harness.model.findings import Finding, JourneyBlocked
from harness.model.rules import RULES
from harness.model.targets import Target

# Card fields by the words in their name or id (cardnumber, cc-number, card_no, cvv2, exp-month, ...). CSS has no
# regular expressions, so these are substrings; 'pan' alone would match 'company', so it must be the whole name.
_NAME_PARTS = ("cardnum", "card-num", "card_num", "card-no", "card_no", "cardno", "ccnum", "cc-num", "cc_num",
               "cc-number", "cc_number", "ccnumber", "cvc", "cvv", "csc", "cv2", "securitycode", "security-code",
               "security_code", "expiry", "exp-month", "exp_month", "expmonth", "exp-year", "exp_year", "expyear",
               "exp-date", "exp_date", "expdate", "expiration", "cardholder", "card-holder", "card_holder",
               "nameoncard", "name-on-card", "name_on_card")
_FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=radio]):not([type=checkbox])"
# One :is() list, not a list of selectors: Playwright's CSS engine takes a tenth of the time over it.
_CARD_ATTRIBUTES = ", ".join([
    # autocomplete may hold a section or billing/shipping token first: 'section-pay billing cc-number'.
    '[autocomplete*="cc-" i]',
    *(f'[{attr}*="{part}" i]' for attr in ("name", "id") for part in _NAME_PARTS),
    *(f'[{attr}="{whole}" i]' for attr in ("name", "id") for whole in ("pan", "card", "cardNumber")),
])
CARD_FIELD_CSS = f"{_FIELDS}:is({_CARD_ATTRIBUTES}), select:is({_CARD_ATTRIBUTES})"
# What a person reads beside a card field, wherever the accessible name comes from: <label>, aria-label,
# aria-labelledby (also inside a shadow root), title or placeholder. "Long number" and "CVC" are real labels.
CARD_NAME = re.compile(
    r"card\s*number|long\s*(card\s*)?number|number\s+on\s+(the\s+)?(front\s+of\s+)?(your\s+|the\s+)?card|"
    r"security\s*code|\bcvc2?\b|\bcvv2?\b|\bcsc\b|\bcv2\b|expiry|expiration|exp(\.|iry)?\s*date|valid\s+(until|to|thru)|"
    r"name\s+on\s+(the\s+)?card|card\s*holder|1234\s?1234\s?1234|\bMM\s*\/\s*YY\b",
    re.IGNORECASE)
# The same words standing alone beside an unlabelled field ("nearby text").
CARD_WORDS_ALONE = re.compile(
    r"^\s*(card\s*number|long\s*(card\s*)?number|security\s*code|cvc2?|cvv2?|csc|cv2|expiry(\s*date)?|"
    r"expiration(\s*date)?|name\s+on\s+(the\s+)?card|card\s*holder('s)?\s*name)\s*:?\s*\*?\s*$", re.IGNORECASE)
# Names that say "card number", "expiry" or "security code" but are no payment: a library card, a badge's expiry
# date, a code sent by text message. Narrow on purpose: a hostile page must not talk its way out of the guard,
# so the words that only a card has (CVC, long number, name on card) and autocomplete="cc-*" always count.
NOT_PAYMENT = re.compile(r"library|blue\s*badge|bus\s*pass|concessionary|loyalty|gift\s*card|membership|"
                         r"national\s*insurance|\bnhs\b|passport|driving\s*licen[cs]e|one[-\s]?time|sent\s+to|"
                         r"text\s+message|verification", re.IGNORECASE)
ONLY_A_CARD = re.compile(r"\bcvc2?\b|\bcvv2?\b|\bcsc\b|\bcv2\b|long\s*(card\s*)?number|name\s+on\s+(the\s+)?card|"
                         r"card\s*holder", re.IGNORECASE)
# Frames from a payment provider or a payment path: hosted payment pages whose fields we may not be able to read.
PAYMENT_HOST = re.compile(
    r"(^|[.-])(pay|payments?|checkout|securepay|secure-pay|card|cards|billing|hpp)([.-]|$)|stripe|adyen|worldpay|"
    r"paypal|braintree|checkout\.com|payments\.service\.gov\.uk|pay360|civicaepay|capita|opayo|sagepay|"
    r"squareup|globalpay|realex|barclaycard|epdq|cybersource|authorize\.net|klarna|judopay|paymentsense|"
    r"elavon|nochex|gocardless|mollie|payzone|takepayments|securetrading|trustpayments|worldline|ingenico|"
    r"payone|verifone|paysafe|evopayments|nmi\.com|spreedly|recurly|chargebee",
    re.IGNORECASE)
PAYMENT_PATH = re.compile(r"/(pay|payments?|checkout|card|cards|hosted-?payment|hpp|billing)(/|$|\?|\.)",
                          re.IGNORECASE)
PAYMENT_FRAME_CSS = "iframe:is({})".format(", ".join(
    f'[{attr}*="{word}" i]' for attr in ("title", "name", "id")
    for word in ("payment", "card", "checkout", "cvc", "cvv", "security code")))
# The words of a button that takes money. "Continue to payment" only goes to the page that asks for it, and
# "Pay your council tax" is a link to a service.
PAYING_BUTTON = re.compile(r"^\s*(pay(\s+now)?\s*$|pay\s+(now\s+)?£|confirm\s+(and\s+pay|payment|purchase|order)|"
                           r"submit\s+(payment|order)|place\s+(your\s+)?order|buy(\s+now)?\s*$|"
                           r"complete\s+(your\s+)?(purchase|payment|order)|authori[sz]e\s+payment)", re.IGNORECASE)
_GONE = re.compile(r"detached|destroyed|navigat|closed", re.IGNORECASE)
_ROLES: tuple[Literal["textbox", "spinbutton", "combobox"], ...] = ("textbox", "spinbutton", "combobox")
NAME_SHOWN = 80


def payment_field(page: Page) -> str | None:
    """The first sign, in any frame, that the page asks for card details, described for a message; else None."""
    for frame in page.frames:
        found = _look_into(frame, main=frame == page.main_frame)
        if found:
            return found if frame == page.main_frame else f"{found}, in a frame from {_short(frame.url)}"
    return None


def _look_into(frame: Frame, *, main: bool, attempts: int = 2) -> str | None:
    """A frame that went away is skipped; one the guard cannot read (or that navigates whenever it is looked
    at) counts as a payment frame: it may be the one that takes the card."""
    error = ""
    for _ in range(attempts):
        try:
            return _in_frame(frame, main=main)
        except PlaywrightError as exc:
            if frame.is_detached():
                return None
            error = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
            if not _GONE.search(error):
                break
    return f"a frame the harness could not look inside ({error})"


def _in_frame(frame: Frame, *, main: bool) -> str | None:
    if not main and _looks_like_payment_address(frame.url):
        return "an address like a payment provider's"
    if not main and (frame.name and re.search(r"pay|card|checkout|cvc|cvv", frame.name, re.IGNORECASE)):
        return f"a frame named '{frame.name[:NAME_SHOWN]}'"
    by_attributes = frame.locator(CARD_FIELD_CSS)
    by_words = [*(frame.get_by_role(role, name=CARD_NAME) for role in _ROLES),
                # The accessible name leaves out a placeholder or title when there is a label or aria-label.
                frame.get_by_placeholder(CARD_NAME), frame.get_by_title(CARD_NAME)]
    nearby = frame.get_by_text(CARD_WORDS_ALONE)
    signs = by_attributes
    for located in (*by_words, nearby, frame.locator(PAYMENT_FRAME_CSS)):
        signs = signs.or_(located)
    if not signs.count():
        return None  # one round trip for a page that asks for no card details, as most do
    for field in _some(by_attributes):
        if not _excluded(field):
            return f"the field {_describe(field)}, found by its autocomplete, name or id"
    for located in by_words:
        for field in _some(located):
            if not _excluded(field):
                return f"the field {_describe(field)}, found by its name, placeholder or title"
    if frame.locator(_FIELDS).count():
        for text in _some(nearby):
            return f"a field beside the words '{_text(text)}'"
    frames = frame.locator(PAYMENT_FRAME_CSS)
    if frames.count():
        title = frames.first.get_attribute("title") or frames.first.get_attribute("name") or ""
        return f"a frame titled '{title[:NAME_SHOWN]}'"
    return None


def _some(locator: Locator, limit: int = 10) -> list[Locator]:
    return [locator.nth(i) for i in range(min(locator.count(), limit))]


def _excluded(field: Locator) -> bool:
    """A one-time code, a library card or a badge's expiry date: payment words that are no payment."""
    autocomplete = (field.get_attribute("autocomplete") or "").lower()
    if "cc-" in autocomplete:
        return False
    if "one-time-code" in autocomplete:
        return True
    name = _name(field)
    return bool(NOT_PAYMENT.search(name)) and not ONLY_A_CARD.search(name)


def _name(field: Locator) -> str:
    """The accessible name as Playwright computes it (from the isolated world), else the field's name."""
    try:
        snapshot = field.aria_snapshot(timeout=1_000)
    except PlaywrightError:
        snapshot = ""
    match = re.search(r'^- \w+ "((?:[^"\\]|\\.)*)"', snapshot)
    return match.group(1) if match else ""


def _describe(field: Locator) -> str:
    name = _name(field)
    if name:
        return f"'{name[:NAME_SHOWN]}'"
    attribute = field.get_attribute("name") or field.get_attribute("id") or ""
    return f"named '{attribute[:NAME_SHOWN]}'" if attribute else "(no name)"


def _text(locator: Locator) -> str:
    return " ".join((locator.text_content(timeout=1_000) or "").split())[:NAME_SHOWN]


def _looks_like_payment_address(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    return bool(PAYMENT_HOST.search(parts.hostname or "") or PAYMENT_PATH.search(parts.path))


def _short(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:120]


def card_data(value: str, test_card: Mapping[str, str]) -> str | None:
    """Why this value is card data that must never be typed on a live service, or None.

    The target's test card number, or any 12 to 19 digits that pass the Luhn check as card numbers do. Phone
    numbers start with 0 or +, and no card number does, so they are not taken for one.
    """
    digits = re.sub(r"[\s-]", "", value)
    if not digits.isdigit():
        return None
    number = re.sub(r"[\s-]", "", test_card.get("number", ""))
    if number and digits == number:
        return "the target's test card number"
    if 12 <= len(digits) <= 19 and not digits.startswith("0") and _passes_luhn(digits):
        return "a number that passes the Luhn check of card numbers"
    return None


def _passes_luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def refuse_payment_page(page: Page, target: Target, doing: str) -> None:
    """Stop before `doing` ("type in 'Email'", "press 'Pay'") on a page that asks for card details, on a live
    service."""
    if target.test_environment:
        return
    sign = payment_field(page)
    if sign is not None:
        raise JourneyBlocked(_refusal(page, target, f"{doing} on a payment page of '{target.name}' (the page asks for "
                                             f"card details: {sign})"))


def refuse_paying_button(page: Page, target: Target, name: str) -> None:
    """Stop before pressing a button whose words say it pays ("Pay now", "Place order"), on a live service:
    a page that pays with a card saved on the test account has no card fields to give it away."""
    if not target.test_environment and PAYING_BUTTON.search(name):
        raise JourneyBlocked(_refusal(page, target, f"press '{name}' on '{target.name}', a button that pays"))


def refuse_card_data(page: Page, target: Target, label: str, value: str) -> None:
    """Stop before typing card data anywhere on a live service, whatever the field looks like; the value is
    never repeated in the message."""
    if target.test_environment:
        return
    why = card_data(value, target.test_card)
    if why is not None:
        raise JourneyBlocked(_refusal(page, target, f"type {why} into '{label}' on '{target.name}'"))


def _refusal(page: Page, target: Target, what: str) -> Finding:
    return RULES["payment-refused"].finding(
        f"The harness will not {what}, because the target is not marked as a test environment.",
        page_url=page.url, blocker=True, help_values={"target_file": target.source})
