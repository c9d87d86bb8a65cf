"""What a persona does on a recognised page: the answers they give and the control they press.

Pure decisions, from the page snapshot, the persona's profile and the target's data; the walker carries them
out through the journey's verbs, so every behaviour and probe applies to them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from harness.model.page_kinds import group_meaning, looks_like_address, meaning_of, names_an_address, words
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
    actions: list[Action] = []
    done_groups: set[str] = set()
    primary = primary_action(page)
    fields = list(page.fields)
    by_group: dict[str, list[Control]] = {}
    for control in fields:
        if control.role in ("radio", "checkbox"):
            by_group.setdefault(_group_key(control), []).append(control)
    lookup = _lookup_button(page)
    last: Action | None = None
    address_links = [c for c in page.actions if c.role in ("link", "button") and names_an_address(c)]
    choosing = bool(address_links) or any(meaning_of(c) == "address-choice" for c in fields)
    """The lookup has answered on the same page: the persona now picks from its addresses."""
    if choosing and lookup is not None:
        others = [c for c in page.actions if c is not lookup and c.role != "link"
                  and words().pages["primary"].search(c.label)
                  and not words().pages["not-primary"].search(c.label)]
        primary = others[0] if others else primary
    quantity_given = False
    for control in fields:
        meaning = meaning_of(control)
        if meaning == "site-search":
            continue
        if meaning == "quantity":
            if not quantity_given and not control.value:
                actions.append(Action("fill", control.label or control.name, "1"))
            quantity_given = True
            continue
        if meaning == "who-for" and control.role == "select":
            g = words().groups
            wanted = "someone-else" if on_behalf_first else "myself"
            option = next((o for o in control.options if g[wanted].search(o)), "")
            if option:
                actions.append(Action("select", control.label or control.name, option))
            continue
        if control.role in ("radio", "checkbox"):
            key = _group_key(control)
            if key in done_groups:
                continue
            done_groups.add(key)
            group = by_group[key]
            meaning = group_meaning(control.group, [c.label for c in group], control.role)
            action = _group_action(group, meaning, data, on_behalf_first)
            if action:
                actions.append(action)
            continue
        if control.role == "file":
            other = _without_upload(page)
            actions.append(Action("upload", control.label or control.name, other=other))
            continue
        if control.role == "select":
            option = _pick_option(control, meaning, data)
            if option and option != control.value:
                actions.append(Action("select", control.label or control.name, option))
            continue
        if meaning in ("postcode", "address-search") and choosing:
            continue
        if meaning in ("postcode", "address-search") and lookup is not None and last is None:
            # Pressed last, after any other field: the lookup's answer is a new page state to read again.
            last = Action("find_address", control.label or control.placeholder, value=data.postcode,
                          other=lookup.label, place=data.place)
            continue
        if meaning == "amount" and primary is not None and data.amount and last is None:
            last = Action("enter_amount", control.label or control.placeholder, data.amount, other=primary.label)
            continue
        if control.value and not control.invalid:
            continue
        value = answer(meaning, control, profile, data, on_behalf_first, everything)
        if value is not None and value != control.value:
            mistake = _slip(meaning, value)
            actions.append(Action("fill", control.label or control.placeholder or control.name, value,
                                  mistake=mistake))
    if last is not None:
        return [*actions, last]
    if address_links and not any(a.verb in ("select", "choose") for a in actions):
        chosen = _matching(data.address, [c.context if c.context and not looks_like_address(c.label) else c.label
                                          for c in address_links])
        link = next((c for c in address_links if chosen in (c.label, c.context)), address_links[0])
        actions.append(Action("press", link.label))
        return actions
    if primary is not None:
        actions.append(Action("press", primary.label))
    return actions


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


def _lookup_button(page: PageSnapshot) -> Control | None:
    return next((c for c in page.actions if c.role != "link"
                 and re.search(r"find|look ?up|search|go\b", c.label, re.IGNORECASE)), None)


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
