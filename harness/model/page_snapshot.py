"""What the walker knows about a page: its controls, headings and text, read in one round trip.

The page is untrusted, so the snapshot is built from its JSON with every field checked and cut to size: a page
cannot make the walker fail by answering with the wrong shape, only by having nothing to recognise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from harness.model.untrusted import storable

MAX_CONTROLS = 400
MAX_TEXT = 4_000
MAX_LABEL = 300

CONTROL_ROLES = ("textbox", "textarea", "select", "radio", "checkbox", "file", "button", "link", "clickable")
"""What a control is to a person: a box to type in, a list to pick from, a thing to press. "clickable" is an
element with a click handler that is neither a link nor a button (the legacy div styled as a button)."""


@dataclass(frozen=True)
class Control:
    """One control on the page as a person meets it: its role, the words that name it and its form facts."""

    role: str
    label: str
    """The words a person reads for it: its label, accessible name or, for a button, its text."""
    name: str = ""
    """The form field's name attribute (never shown to people, but a strong signal of meaning)."""
    type: str = ""
    autocomplete: str = ""
    required: bool = False
    group: str = ""
    """The question a radio, checkbox or field belongs to: its fieldset's legend or group's name."""
    options: tuple[str, ...] = ()
    """A select's options, in order."""
    placeholder: str = ""
    hint: str = ""
    inputmode: str = ""
    value: str = ""
    checked: bool = False
    href: str = ""
    context: str = ""
    """For a link or button: the text of its row or list item (an address beside a link that says "Select")."""
    in_form: bool = False
    submits: bool = False
    """True for a button that submits a form (type submit, or a button in a form with no type)."""
    in_banner: bool = False
    """True inside a cookie banner."""
    in_dialog: bool = False
    """True inside a dialog laid over the page (a time-out warning, an advert)."""
    in_chrome: bool = False
    """True in the site's header, navigation, footer or site search: not part of the service's form."""
    invalid: bool = False
    """True when the page marks it as wrong (aria-invalid, an error message tied to it, an error group)."""
    labelled: bool = True
    """False when only a placeholder or nearby text names it: a screen reader has no name to find it by."""
    in_frame: bool = False
    """True inside a child frame (a payment provider's card form): seen on the page, out of the journey's reach."""

    @property
    def words(self) -> str:
        """Everything that names this control, lower case, for matching meanings."""
        return " ".join(part for part in (self.label, self.placeholder, self.hint) if part).lower()

    @property
    def is_field(self) -> bool:
        return self.role in ("textbox", "textarea", "select", "radio", "checkbox", "file")


PageSignature = tuple[str, str, tuple[str, ...], bool, int]
"""A page state as far as progress goes: address, heading, fields, errors shown, and the text's hash."""


@dataclass(frozen=True)
class PageSnapshot:
    """A page state as the walker reads it."""

    url: str
    title: str
    h1: str
    headings: tuple[str, ...]
    controls: tuple[Control, ...]
    text: str
    """The main content's visible text, cut to MAX_TEXT characters."""
    summary_rows: int = 0
    """Rows of a summary of answers (dl rows, or table rows with a Change or Edit link)."""
    panel: str = ""
    """The text of a confirmation panel, when the page has one."""
    shows_errors: bool = False
    has_form: bool = False
    lead: str = ""
    """The heading as a sighted person takes it: the h1, else the first heading, else the biggest text."""

    @property
    def fields(self) -> tuple[Control, ...]:
        """The service's fields; while a dialog is open, only the dialog's."""
        dialog = self.dialog
        return tuple(c for c in self.controls if c.is_field and not c.in_banner and not c.in_chrome
                     and (c.in_dialog or not dialog))

    @property
    def actions(self) -> tuple[Control, ...]:
        """The service's buttons and links; while a dialog is open, only the dialog's."""
        dialog = self.dialog
        return tuple(c for c in self.controls if c.role in ("button", "link", "clickable") and not c.in_banner
                     and not c.in_chrome and (c.in_dialog or not dialog))

    @property
    def dialog(self) -> tuple[Control, ...]:
        return tuple(c for c in self.controls if c.in_dialog and c.role in ("button", "link", "clickable"))

    @property
    def banner(self) -> tuple[Control, ...]:
        return tuple(c for c in self.controls if c.in_banner)

    def within_reach(self) -> PageSnapshot:
        """The page without the controls inside child frames, which the journey's verbs cannot act on."""
        return replace(self, controls=tuple(c for c in self.controls if not c.in_frame))

    def state(self) -> PageSignature:
        """What must change for a press to count as progress: the address, heading, fields, errors and text
        (results written into the same page change only the text)."""
        path = self.url.split("#")[0]
        fields = tuple(f"{c.role}:{c.label}:{c.group}" for c in self.fields)
        return path, self.h1, fields, self.shows_errors, hash(self.text)

    def describe(self) -> str:
        """What the page had, for a message that says why the walker stopped: headings, fields, buttons."""
        def listed(items: list[str]) -> str:
            shown = [f"'{item}'" for item in dict.fromkeys(i for i in items if i)][:12]
            return ", ".join(shown) or "none"
        fields = [c.label or c.placeholder or c.name for c in self.fields]
        presses = [c.label for c in self.actions if c.role != "link"]
        links = [c.label for c in self.actions if c.role == "link"]
        return (f"headings {listed(list(self.headings))}; fields {listed(fields)}; buttons {listed(presses)}; "
                f"links {listed(links)}")


_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no person sees in a name; bidi marks stay, and reports show them as codes."""


def _text(value: Any, limit: int = MAX_LABEL) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(_INVISIBLE.sub("", storable(value)).split())[:limit]


def _control(raw: Any) -> Control | None:
    if not isinstance(raw, dict) or raw.get("role") not in CONTROL_ROLES:
        return None
    options = raw.get("options")
    return Control(
        role=str(raw["role"]), label=_text(raw.get("label")), name=_text(raw.get("name")),
        type=_text(raw.get("type"), 30).lower(), autocomplete=_text(raw.get("autocomplete"), 80).lower(),
        required=raw.get("required") is True, group=_text(raw.get("group")),
        options=tuple(_text(o) for o in options[:200]) if isinstance(options, list) else (),
        placeholder=_text(raw.get("placeholder")), hint=_text(raw.get("hint")),
        inputmode=_text(raw.get("inputmode"), 30).lower(), value=_text(raw.get("value")),
        checked=raw.get("checked") is True, href=_text(raw.get("href"), 2_000),
        context=_text(raw.get("context")),
        in_form=raw.get("in_form") is True, submits=raw.get("submits") is True,
        in_banner=raw.get("in_banner") is True,
        invalid=raw.get("invalid") is True, in_dialog=raw.get("in_dialog") is True,
        in_chrome=raw.get("in_chrome") is True, labelled=raw.get("labelled") is not False,
        in_frame=raw.get("in_frame") is True)


def snapshot_from(raw: Any, url: str = "") -> PageSnapshot:
    """Check the page's answer field by field; anything of the wrong shape is left out, never trusted."""
    data = raw if isinstance(raw, dict) else {}
    controls = data.get("controls")
    headings = data.get("headings")
    rows = data.get("summary_rows")
    return PageSnapshot(
        url=url or _text(data.get("url"), 2_000), title=_text(data.get("title")), h1=_text(data.get("h1")),
        headings=tuple(_text(h) for h in headings[:60]) if isinstance(headings, list) else (),
        controls=tuple(c for c in (_control(r) for r in (controls[:MAX_CONTROLS]
                                                         if isinstance(controls, list) else ())) if c),
        text=_text(data.get("text"), MAX_TEXT),
        summary_rows=rows if isinstance(rows, int) and not isinstance(rows, bool) and rows >= 0 else 0,
        panel=_text(data.get("panel")), shows_errors=data.get("shows_errors") is True,
        has_form=data.get("has_form") is True, lead=_text(data.get("lead")))
