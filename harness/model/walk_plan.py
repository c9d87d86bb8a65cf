"""What a persona does on a recognised page: the answers they give and the control they press.

Pure decisions, from the page snapshot, the persona's profile and the target's data; the walker carries them
out through the journey's verbs, so every behaviour and probe applies to them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from harness.model.page_kinds import (
    group_meaning,
    looks_like_address,
    lookup_button,
    meaning_of,
    names_an_address,
    words,
)
from harness.model.page_snapshot import Control, PageSnapshot


@dataclass(frozen=True)
class Profile:
    """The answers a persona gives about themself, and about the person they apply for if they do."""

    full_name: str = "Sam Taylor"
    given_name: str = "Sam"
    family_name: str = "Taylor"
    date_of_birth: str = "1980-05-14"
    email: str = "sam.taylor@example.com"
    phone: str = "01632 960001"
    relationship: str = ""
    """Their relationship to the person they apply for; empty when they apply for themself."""
    their_name: str = ""
    their_date_of_birth: str = ""


@dataclass(frozen=True)
class WalkData:
    """What the target's own systems know: the address its lookup finds, an account, an amount, a card."""

    postcode: str = ""
    place: str = ""
    address: str = ""
    reference: str = ""
    amount: str = ""
    card: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Action:
    """One thing the persona does: a journey verb with its arguments."""

    verb: str
    """fill, choose, select, choose_who, find_address, upload, enter_amount, press."""
    label: str
    value: str = ""
    other: str = ""
    """The second label a verb needs: the someone-else option, the search button, the route without upload."""
    mistake: str | None = None
    place: str = ""
    """For an address search: the street and town a persona who does not know the postcode types."""

    def describe(self) -> str:
        value = f" '{self.value}'" if self.value and self.verb not in ("press",) else ""
        return f"{self.verb.replace('_', ' ')} '{self.label}'{value}"


def primary_action(page: PageSnapshot) -> Control | None:
    """The control a person presses to go on: a submit button, else a button or link worded as going on."""
    pages = words().pages
    page = page.within_reach()
    candidates = [c for c in page.actions if c.label and not pages["not-primary"].search(c.label)]
    if page.dialog:
        going_on = [c for c in page.dialog if pages["go-on"].search(c.label) or pages["primary"].search(c.label)]
        return going_on[0] if going_on else None
    for rank in (lambda c: c.submits and pages["primary"].search(c.label),
                 lambda c: c.role in ("button", "clickable") and pages["primary"].search(c.label),
                 lambda c: c.submits,
                 lambda c: pages["start-action"].search(c.label),
                 lambda c: pages["go-on"].search(c.label)):
        found = [c for c in candidates if rank(c)]
        if found:
            return found[-1] if found[-1].submits and not found[0].submits else found[0]
    return None


def answer(meaning: str, control: Control, profile: Profile, data: WalkData, on_behalf: bool,
           everything: bool = False) -> str | None:
    """The value a persona types into a field of this meaning; None when they have nothing to give."""
    who_name = profile.their_name if on_behalf and profile.their_name else profile.full_name
    born = profile.their_date_of_birth if on_behalf and profile.their_date_of_birth else profile.date_of_birth
    year, month, day = (born.split("-") + ["", "", ""])[:3]
    card = dict(data.card or {})
    line1 = data.address.partition(",")[0]
    values = {
        "full-name": profile.full_name if "your" in control.words else who_name,
        "their-name": profile.their_name or profile.full_name,
        "given-name": who_name.split()[0] if who_name else "",
        "family-name": who_name.split()[-1] if who_name else "",
        "email": profile.email, "phone": profile.phone,
        "relationship": profile.relationship or "Self",
        "dob-day": day.lstrip("0"), "dob-month": month.lstrip("0"), "dob-year": year,
        "dob": f"{day}/{month}/{year}", "date-day": "1", "date-month": "6", "date-year": "2027",
        "date": "01/06/2027", "postcode": data.postcode, "address-search": data.postcode,
        "address-line1": line1.strip(), "address-line2": "", "town": _town(data), "county": "",
        "address-text": data.address, "reference": data.reference, "amount": data.amount, "money": "100",
        "ni-number": "QQ 12 34 56 C", "title": "",
        "card-number": card.get("number", ""), "card-expiry": card.get("expiry", ""),
        "card-expiry-month": card.get("expiry", "/").split("/")[0],
        "card-expiry-year": card.get("expiry", "/").split("/")[-1],
        "card-csc": card.get("security_code", ""), "card-name": who_name,
    }
    needed = control.required or control.invalid or everything
    optional = meaning in ("ni-number", "address-line2", "county", "title")
    if meaning in values:
        value = values[meaning]
        return value if value and (needed or not optional) else ("" if needed else None)
    if control.role in ("textbox", "textarea") and needed:
        return "Not applicable" if control.role == "textarea" else "Test"
    return None


def _town(data: WalkData) -> str:
    parts = [p.strip() for p in data.address.split(",")]
    return parts[1] if len(parts) > 1 else data.place.split(",")[-1].strip()


def plan(page: PageSnapshot, profile: Profile, data: WalkData, *, on_behalf_first: bool = False,
         everything: bool = False) -> list[Action]:
    """Everything the persona fills and chooses on this page, in page order, then the press that goes on.

    Args:
        on_behalf_first: the persona applies for someone else and says so wherever asked.
        everything: fill optional fields too: the page refused the answers without saying which were missing.
    """
    here = _read(page.within_reach(), profile, data, on_behalf_first, everything)
    actions, last = _answers(here)
    if last is not None:
        return [*actions, last]
    return [*actions, *_going_on(here, actions)]


@dataclass(frozen=True)
class _Page:
    """A page as the plan reads it once: its fields by question, its way on, and the persona answering."""

    page: PageSnapshot
    profile: Profile
    data: WalkData
    on_behalf: bool
    everything: bool
    groups: Mapping[str, list[Control]]
    """Radios and checkboxes by their question."""
    lookup: Control | None
    address_links: list[Control]
    choosing: bool
    """The lookup has answered on the same page: the persona now picks from its addresses."""
    primary: Control | None
    checklist: frozenset[str]
    """Boxes stating something of the person ("I am 18 or over"), two or more: a checklist to tick through."""


def _read(page: PageSnapshot, profile: Profile, data: WalkData, on_behalf: bool, everything: bool) -> _Page:
    groups: dict[str, list[Control]] = {}
    for control in page.fields:
        if control.role in ("radio", "checkbox"):
            groups.setdefault(_group_key(control), []).append(control)
    lookup = lookup_button(page)
    address_links = [c for c in page.actions if c.role in ("link", "button") and names_an_address(c)]
    choosing = bool(address_links) or any(meaning_of(c) == "address-choice" for c in page.fields)
    statements = [c.label for c in page.fields if c.role == "checkbox" and meaning_of(c) == "choice"
                  and words().groups["statement"].search(c.label)]
    return _Page(page, profile, data, on_behalf, everything, groups, lookup, address_links, choosing,
                 _primary_after_lookup(page, lookup) if choosing and lookup else primary_action(page),
                 frozenset(statements if len(statements) >= 2 else ()))


def _primary_after_lookup(page: PageSnapshot, lookup: Control) -> Control | None:
    """Once the lookup has answered on the same page, the way on is the other primary button."""
    pages = words().pages
    others = [c for c in page.actions if c is not lookup and c.role != "link" and pages["primary"].search(c.label)
              and not pages["not-primary"].search(c.label)]
    return others[0] if others else primary_action(page)


def _answers(here: _Page) -> tuple[list[Action], Action | None]:
    """What the persona fills and chooses in page order, and the lookup or amount pressed last, if any."""
    actions: list[Action] = []
    last: Action | None = None
    asked: set[str] = set()
    for control in here.page.fields:
        meaning = meaning_of(control)
        key = _question_key(control, meaning)
        if meaning == "site-search" or key in asked:
            continue
        asked.add(key)
        if last is None and control.role in ("textbox", "textarea"):
            last = _pressed_last(here, control, meaning)
            if last is not None:
                continue
        action = _answer(here, control, meaning)
        if action is not None:
            actions.append(action)
    return actions, last


def _question_key(control: Control, meaning: str) -> str:
    """Controls answered once between them: a radio group, and the quantities (one item is enough)."""
    if control.role in ("radio", "checkbox"):
        return _group_key(control)
    return "quantity" if meaning == "quantity" else f"field:{id(control)}"


def _pressed_last(here: _Page, control: Control, meaning: str) -> Action | None:
    """A postcode to look up or an amount to pay: typed, then pressed after every other field, since the
    answer is a new page state to read again."""
    label = control.label or control.placeholder
    if meaning in ("postcode", "address-search") and here.lookup is not None and not here.choosing:
        return Action("find_address", label, value=here.data.postcode, other=here.lookup.label,
                      place=here.data.place)
    if meaning == "amount" and here.primary is not None and here.data.amount:
        return Action("enter_amount", label, here.data.amount, other=here.primary.label)
    return None


def _answer(here: _Page, control: Control, meaning: str) -> Action | None:
    """The persona's answer to one field or question; None when they leave it as it is."""
    if meaning == "quantity" and control.role != "select":
        # A quantity already given, or set to nought by the page, needs one item.
        return Action("fill", control.label or control.name, "1") if control.value in ("", "0") else None
    if control.role in ("radio", "checkbox"):
        return _group_answer(here, control)
    if control.role == "file":
        return Action("upload", control.label or control.name, other=_without_upload(here.page))
    if control.role == "select":
        return _select_answer(here, control, meaning)
    if meaning in ("postcode", "address-search") and here.choosing:
        return None
    return _typed_answer(here, control, meaning)


def _group_answer(here: _Page, control: Control) -> Action | None:
    group = here.groups[_group_key(control)]
    if control.label in here.checklist and len(group) == 1:
        return None if control.checked else Action("choose", control.label)
    meaning = group_meaning(control.group, [c.label for c in group], control.role)
    return _group_action(group, meaning, here.data, here.on_behalf)


def _select_answer(here: _Page, control: Control, meaning: str) -> Action | None:
    label = control.label or control.name
    if meaning == "who-for":
        wanted = words().groups["someone-else" if here.on_behalf else "myself"]
        option = next((o for o in control.options if wanted.search(o)), "")
        return Action("select", label, option) if option else None
    option = _pick_option(control, meaning, here.data)
    return Action("select", label, option) if option and option != control.value else None


def _typed_answer(here: _Page, control: Control, meaning: str) -> Action | None:
    if control.value and not control.invalid:
        return None
    value = answer(meaning, control, here.profile, here.data, here.on_behalf, here.everything)
    if value is None or value == control.value:
        return None
    return Action("fill", control.label or control.placeholder or control.name, value,
                  mistake=_slip(meaning, value))


def _going_on(here: _Page, answered: list[Action]) -> list[Action]:
    """The press that goes on: the target's address from a list of address links, else the primary button."""
    links = here.address_links
    if links and not any(a.verb in ("select", "choose") for a in answered):
        chosen = _matching(here.data.address, [c.context if c.context and not looks_like_address(c.label)
                                               else c.label for c in links])
        return [Action("press", next((c for c in links if chosen in (c.label, c.context)), links[0]).label)]
    return [Action("press", here.primary.label)] if here.primary is not None else []


def _group_key(control: Control) -> str:
    """Radios belong together by their question, or failing that (no fieldset) by their form name."""
    if control.group:
        return f"group:{control.group}"
    if control.role == "radio" and control.name:
        return f"name:{control.name}"
    return f"label:{control.label}"


def _group_action(group: list[Control], meaning: str, data: WalkData, on_behalf: bool) -> Action | None:
    """One answer for a radio or checkbox group: who it is for, an address, consent, or a sensible option."""
    g = words().groups
    labels = [c.label for c in group]
    if meaning == "who-for":
        myself = next((label for label in labels if g["myself"].search(label)), labels[0])
        other = next((label for label in labels if g["someone-else"].search(label) and label != myself), "")
        if group[0].role == "checkbox":
            # "I am applying on behalf of someone": ticked only by the persona who is.
            return Action("choose", labels[0]) if on_behalf else None
        return Action("choose_who", myself, other=other)
    if any(c.checked for c in group) and group[0].role == "radio":
        return None
    if meaning == "address-choice":
        return Action("choose", _matching(data.address, labels))
    if group[0].role == "checkbox":
        required = [c for c in group if c.required or g["consent"].search(c.label)]
        return Action("choose", required[0].label) if required and not required[0].checked else None
    sensible = [label for label in labels if not g["unsure"].search(label)]
    yes = next((label for label in sensible if re.fullmatch(r"yes", label.strip(), re.IGNORECASE)), None)
    return Action("choose", yes or (sensible or labels)[0])


def _pick_option(control: Control, meaning: str, data: WalkData) -> str:
    real = [o for o in control.options if not words().groups["not-an-option"].search(o.strip())]
    if not real:
        return ""
    if meaning == "address-choice":
        return _matching(data.address, real)
    return real[0]


def _matching(address: str, labels: list[str]) -> str:
    """The label that names the target's address, by its first line; else the first."""
    first = address.split(",")[0].strip().lower()
    if first:
        for label in labels:
            if first in label.lower():
                return label
    return labels[0] if labels else ""


def _without_upload(page: PageSnapshot) -> str:
    """A route for people who cannot upload: a link, option or button offering post, phone or later."""
    pattern = re.compile(r"\b(post|by post|cannot|can't|unable|instead|later|phone|in person|without)\b",
                         re.IGNORECASE)
    for control in page.controls:
        if control.role in ("link", "button", "radio", "checkbox", "clickable") and pattern.search(control.label):
            return control.label
    return ""


def _slip(meaning: str, value: str) -> str | None:
    """The typing slip people make in a field with a format: a number cut short, a dot for the @."""
    if meaning == "phone" or meaning == "ni-number":
        return value[: max(3, len(value) - 3)].rstrip()
    if meaning == "email" and "@" in value:
        return value.replace("@", ".", 1)
    return None
