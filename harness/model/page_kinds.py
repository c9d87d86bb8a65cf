"""Page kinds: what a page is and what each of its fields means, recognised from the page itself.

Signals come from `page_kinds.toml` (autocomplete tokens, words) and from the page's structure (input types,
fieldsets, summary lists, panels). Page order is never a signal: products put pages in any order and combine
them, so a page may be several kinds at once ("who is it for" beside the contact details).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from harness.model.page_snapshot import Control, PageSnapshot

DATA_FILE = Path(__file__).with_name("page_kinds.toml")

KINDS = ("cookie-banner", "start", "interstitial", "exit", "question", "eligibility", "who-for",
         "address-lookup", "address-choice", "manual-address", "details", "date", "options", "upload", "amount",
         "check-answers", "card-payment", "confirmation", "result", "form")
"""Every kind the walker can take a page for; "form" is a page of fields it recognises no pattern in."""

_STREET = (r"road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|court|ct|crescent|place|gardens|grove"
           r"|terrace|hill|row|square|mews|walk|green|park|view|rise|parade|house|cottages?|farm|flats?")
_ADDRESS_LIKE = re.compile(
    rf"\b[A-Z]{{1,2}}\d[A-Z\d]?\s*\d[A-Z]{{2}}\b"  # a postcode
    rf"|^\s*(flat|apartment|unit)\s+(\d+|[a-z]\b)"
    rf"|^\s*\d+[a-z]?,?\s+(\w+\s+){{0,3}}({_STREET})\b"
    rf"|^\s*\d+[a-z]?\s+[A-Za-z][^,]*,\s*[A-Za-z]", re.IGNORECASE)


@dataclass(frozen=True)
class Words:
    """The patterns of page_kinds.toml, compiled once."""

    autocomplete: dict[str, str]
    words: tuple[tuple[str, re.Pattern[str]], ...]
    groups: dict[str, re.Pattern[str]]
    pages: dict[str, re.Pattern[str]]


@cache
def words() -> Words:
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    return Words(
        autocomplete=dict(data["autocomplete"]),
        words=tuple((entry["meaning"], re.compile(entry["pattern"], re.IGNORECASE)) for entry in data["words"]),
        groups={key: re.compile(value, re.IGNORECASE) for key, value in data["groups"].items()},
        pages={key: re.compile(value, re.IGNORECASE) for key, value in data["pages"].items()})


def names_an_address(control: Control) -> bool:
    """A link or button that picks an address: by its own words, or a generic "Select" in an address's row."""
    if looks_like_address(control.label):
        return True
    generic = re.fullmatch(r"(select|choose|pick|use)( this( address)?)?", control.label.strip(), re.IGNORECASE)
    return bool(generic) and looks_like_address(control.context)


def looks_like_address(text: str) -> bool:
    """An option or link that reads as a street address: "14 Mill Lane, Millbrook, MB1 4QX"."""
    return bool(_ADDRESS_LIKE.search(text)) and len(text) < 200


def meaning_of(control: Control) -> str:
    """What a field asks for ("postcode", "email", "dob-day", "who-for", "consent", "file", ... or "text")."""
    w = words()
    tokens = control.autocomplete.split()
    for token in reversed(tokens):  # "shipping postal-code": the last token is the field's kind
        if token in w.autocomplete:
            return _in_group(w.autocomplete[token], control)
    if control.role == "file":
        return "file"
    if control.role in ("radio", "checkbox"):
        return group_meaning(control.group, [control.label], control.role)
    if control.role == "select" and any(looks_like_address(o) for o in control.options) \
            and not _in_words(control, "date"):
        return "address-choice"
    if control.role == "select" and _asks_who_for(control):
        return "who-for"
    if control.type == "email":
        return "email"
    if control.type == "tel":
        return "phone"
    if control.type == "date":
        return "date"
    for meaning, pattern in w.words:
        if pattern.search(control.words):
            return _in_group(meaning, control)
    if control.role == "select":
        return "choice"
    if control.type == "number" or control.role == "textbox" and _names(control.group.lower(), "quantity"):
        return "quantity"  # a box in a grid's "Qty" column
    return "text"


def _asks_who_for(select: Control) -> bool:
    """A select of who applies: "for myself" beside "someone else", or an "Applicant type" of Self, Carer..."""
    g = words().groups
    options = select.options
    if any(g["who-for"].search(o) for o in options) and any(g["someone-else"].search(o) for o in options):
        return True
    return bool(g["who-for"].search(select.label)) and any(g["myself"].search(o) for o in options)


def group_meaning(question: str, labels: list[str], role: str) -> str:
    """What a group of radios or checkboxes asks, from its question and its options' labels."""
    w = words()
    joined = " ".join(labels)
    if w.groups["who-for"].search(question) or w.groups["who-for"].search(joined) and len(labels) > 1:
        return "who-for"
    if role == "checkbox" and re.search(r"someone else|on behalf", joined, re.IGNORECASE):
        return "who-for"
    if labels and all(looks_like_address(label) for label in labels):
        return "address-choice"
    if role == "checkbox" and w.groups["consent"].search(joined or question):
        return "consent"
    return "choice"


def _in_words(control: Control, meaning: str) -> bool:
    return _names(control.words, meaning)


def _names(text: str, meaning: str) -> bool:
    return any(m == meaning and p.search(text) for m, p in words().words)


def _in_group(meaning: str, control: Control) -> str:
    """Day, month and year mean a date of birth inside a question about birth."""
    if meaning.startswith("date") and re.search(r"birth|born", control.group + " " + control.words, re.IGNORECASE):
        return "dob" + meaning.removeprefix("date")
    if meaning == "full-name" and re.search(r"\b(their|his|her|applicant)\b", control.words, re.IGNORECASE):
        return "their-name"
    return meaning


@dataclass(frozen=True)
class Recognition:
    """The kind a page was taken for, the other kinds it also has, and the signals that decided."""

    kind: str
    also: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    def describe(self) -> str:
        also = f" (also {', '.join(self.also)})" if self.also else ""
        because = f": {'; '.join(self.reasons[:4])}" if self.reasons else ""
        return f"{self.kind}{also}{because}"


FIELD_KINDS = (("card-payment", ("card-number", "card-expiry", "card-csc", "card-expiry-month")),
               ("upload", ("file",)),
               ("address-lookup", ("postcode", "address-search")),
               ("manual-address", ("address-line1", "town", "address-text")),
               ("address-choice", ("address-choice",)),
               ("who-for", ("who-for",)),
               ("amount", ("amount",)),
               ("details", ("full-name", "given-name", "family-name", "email", "phone", "their-name")),
               ("date", ("date", "date-day", "dob", "dob-day")),
               ("options", ("quantity",)))
"""The kinds a page is by the meanings of its fields, most specific first."""


def recognise(page: PageSnapshot) -> Recognition:
    """Say what kind of page this is, most specific first; every kind whose signals are present is listed."""
    meanings = {c: m for c in page.fields if (m := meaning_of(c)) != "site-search"}
    heading = f"{page.lead or page.h1} {page.title}"
    found = _kinds_by_field(page, meanings)
    choices = [c for c, m in meanings.items() if m == "choice"]
    if choices:
        found.append(_kind_of_choices(heading, page, choices))
    kinds = [k for k, _ in found]
    reasons = [r for _, r in found]
    typing = [c for c in meanings if c.role not in ("checkbox",) or meanings[c] != "consent"]
    consent = [c for c, m in meanings.items() if m == "consent"]
    if not typing:
        kind = _page_without_fields(page, heading, reasons)
        if kind:
            kinds.insert(0, kind)
    elif consent and not kinds:
        kinds.append("check-answers" if page.summary_rows >= 2 else "question")
        reasons.append(f"a box to tick: {_named(consent)}")
    _add_page_wide_kinds(page, bool(typing), kinds, reasons)
    kinds = list(dict.fromkeys(kinds))
    return Recognition(kind=kinds[0], also=tuple(kinds[1:]), reasons=tuple(reasons))


def _kinds_by_field(page: PageSnapshot, meanings: dict[Control, str]) -> list[tuple[str, str]]:
    """The kinds the page's fields and address links say, each with its reason."""
    found: list[tuple[str, str]] = []
    if page.dialog and not meanings:
        found.append(("interstitial", f"a dialog over the page: {_named(list(page.dialog))}"))
    for kind, wanted in FIELD_KINDS:
        controls = [c for c, m in meanings.items() if m in wanted]
        if controls:
            found.append((kind, f"{kind.replace('-', ' ')}: {_named(controls)}"))
    address_links = [c for c in page.actions if c.role in ("link", "button") and names_an_address(c)]
    if address_links and "address-choice" not in meanings.values():
        found.append(("address-choice", f"addresses to pick: {_named(address_links)}"))
    if any(k in ("manual-address", "details") for k, _ in found) and "address-search" not in meanings.values() \
            and lookup_button(page) is None:
        # A postcode among address lines or contact details, with nothing to look it up, is only an answer.
        found = [(k, r) for k, r in found if k != "address-lookup"]
    return found


def _kind_of_choices(heading: str, page: PageSnapshot, choices: list[Control]) -> tuple[str, str]:
    """Radios, boxes and selects: an eligibility question, a plain question, or options to buy."""
    yes_no = [c for c in choices if re.fullmatch(r"yes|no", c.label.strip(), re.IGNORECASE)]
    statements = [c for c in choices if c.role == "checkbox" and words().groups["statement"].search(c.label)]
    if _eligibility(heading, page):
        return "eligibility", f"an eligibility question: {_named(choices)}"
    if len(statements) >= 2 and len(statements) == len(choices):
        return "eligibility", f"a checklist to tick: {_named(statements)}"
    if yes_no:
        return "question", f"yes or no: {_named(yes_no)}"
    if any(re.search(r"£|\d", " ".join((c.label, *c.options))) for c in choices):
        return "options", f"options: {_named(choices)}"
    return "question", f"a question: {_named(choices)}"


def _add_page_wide_kinds(page: PageSnapshot, typing: bool, kinds: list[str], reasons: list[str]) -> None:
    """What lies over or around the form: a cookie banner, an answer, errors; "form" when nothing else."""
    w = words()
    if page.banner and any(w.pages["cookie-accept"].search(c.label) or w.pages["cookie-reject"].search(c.label)
                           for c in page.banner):
        reasons.append("a cookie banner with buttons " + _named(list(page.banner)))
        kinds.append("cookie-banner")
    if typing and len(w.pages["result"].findall(page.text)) >= 2:
        kinds.append("result")
        reasons.append("an answer: dates on the page")
    if page.shows_errors and typing:
        kinds.insert(0, "error-state")
        reasons.insert(0, "errors shown")
    if not kinds:
        kinds.append("form")
        reasons.append(f"fields with no recognised pattern: {_named(list(page.fields))}")


def _page_without_fields(page: PageSnapshot, heading: str, reasons: list[str]) -> str:
    """A page with nothing to fill in: a summary, a confirmation, a start page, an answer, a notice."""
    w = words()
    text = f"{heading} {page.panel} {' '.join(page.headings[:4])}"
    if page.summary_rows >= 2 and (w.pages["check-answers"].search(heading) or not
                                   w.pages["confirmation"].search(text)):
        reasons.insert(0, f"a summary of {page.summary_rows} answers")
        return "check-answers"
    if w.pages["check-answers"].search(page.h1):
        reasons.insert(0, f"heading '{page.h1}' with answers")
        return "check-answers"
    starts = [c for c in page.actions if w.pages["start-action"].search(c.label)]
    referenced = w.pages["reference"].search(f"{page.panel} {page.text}")
    # The words that confirm are in the heading or a panel; elsewhere on the page only beside a reference.
    confirmed = (w.pages["confirmation"].search(f"{heading} {page.panel}")
                 or (referenced and w.pages["confirmation"].search(page.text[:600]))
                 or (not starts and not _primary_actions(page) and w.pages["confirmation"].search(page.text[:300])))
    if confirmed and not starts and (referenced or page.panel or not _primary_actions(page)):
        reasons.insert(0, "confirmation: " + (f"panel '{page.panel[:80]}'" if page.panel else f"'{page.h1}'")
                       + (" with a reference" if referenced else ""))
        return "confirmation"
    if w.pages["exit"].search(page.lead or page.title):
        reasons.insert(0, f"exit: '{page.lead or page.title}'")
        return "exit"
    if len(w.pages["result"].findall(page.text)) >= 2:
        reasons.insert(0, "an answer: dates on the page")
        return "result"
    if w.pages["interstitial"].search(heading) and starts:
        reasons.insert(0, f"a notice to read, then {_named(starts)}")
        return "interstitial"
    if starts:
        reasons.insert(0, f"a start: {_named(starts)}")
        return "start"
    going_on = [c for c in page.actions if w.pages["go-on"].search(c.label)]
    if going_on:
        reasons.insert(0, f"a notice to read, then {_named(going_on)}")
        return "interstitial"
    if not page.actions and page.h1:
        reasons.insert(0, f"an answer: '{page.h1}', with nothing to fill in and nowhere to go on")
        return "result"
    return ""


def _eligibility(heading: str, page: PageSnapshot) -> bool:
    return bool(re.search(r"eligib|qualif|entitled|can (you|i) apply|check (if|whether) you can|do you (live in\s+\w|get|"
                          r"receive)|are you (over|aged|eligible)|\bpip\b|allowance|benefits?\b",
                          f"{heading} {' '.join(c.group for c in page.fields)}", re.IGNORECASE))


def lookup_button(page: PageSnapshot) -> Control | None:
    """The button that looks an address up ("Find address", "Look up", "Search", "Go"); never a link back."""
    return next((c for c in page.actions if c.role != "link"
                 and re.search(r"find|look ?up|search|\bgo\b", c.label, re.IGNORECASE)
                 and not words().pages["not-primary"].search(c.label)), None)


def _primary_actions(page: PageSnapshot) -> list[Control]:
    return [c for c in page.actions if c.role != "link" and words().pages["primary"].search(c.label)
            and not words().pages["not-primary"].search(c.label)]


def _named(controls: list[Control]) -> str:
    names = [f"'{c.label or c.placeholder or c.name}'" for c in controls]
    shown = list(dict.fromkeys(names))
    return ", ".join(shown[:4]) + (f" and {len(shown) - 4} more" if len(shown) > 4 else "")
