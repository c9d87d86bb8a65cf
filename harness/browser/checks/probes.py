"""Journey probes: checks the journey makes while the persona walks, by trying what that person would.

A probe has no registered page function: the journey's verbs (harness/browser/journey.py) try what the person
would, and the behaviours act; the findings are made here (or by a behaviour), through the probe's rule
(harness/model/rules.toml, kind = "probe"). What the probes look for in a page, and what they report, live here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Page

from harness.browser.checks.registry import register_probes
from harness.browser.page_facts import (
    element_fields,
    safe_evaluate,
    safe_title,
    safe_url,
    shows_errors,
    url_path,
)
from harness.browser.payment_guard import refuse_payment_page
from harness.model.findings import Finding, JourneyBlocked, Outcome
from harness.model.rules import RULES

if TYPE_CHECKING:
    from harness.browser.journey import Journey
    from harness.browser.steps import Step

register_probes()

# Watch what a press adds to the page; a new document (a page load) drops the watch with the old one.
WATCH_ADDED_JS = """
() => {
  window.__a11yAdded = [];
  window.__a11yWatch = new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes) window.__a11yAdded.push(n);
  });
  window.__a11yWatch.observe(document.body, {childList: true, subtree: true});
  return true;
}
"""
# Visible text the press added that is neither in a live region nor where focus went; marks the first.
ADDED_UNANNOUNCED_JS = """
() => {
  if (!window.__a11yWatch) return null;
  window.__a11yWatch.disconnect();
  delete window.__a11yWatch;
  const live = '[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log], output, dialog';
  const active = document.activeElement;
  let text = '', first = null;
  for (const node of window.__a11yAdded) {
    const el = node.nodeType === 1 ? node : node.parentElement;
    if (!node.isConnected || !el || !(node.textContent || '').trim()) continue;
    if (el.closest(live) || el.querySelector(live)) continue;
    if (active && active !== document.body && (el.contains(active) || active.contains(el))) continue;
    if (!el.getClientRects().length) continue;
    text += ' ' + node.textContent.trim();
    first = first || el;
  }
  if (!first) return null;
  first.setAttribute('data-a11y-status', '1');
  return {text: text.trim().replace(/\\s+/g, ' ').slice(0, 80)};
}
"""

# Links or buttons that offer a way on without a postcode (C7 in the domain reference).
NO_POSTCODE_ROUTE = re.compile(
    r"(do not|don't|dont) know (the |their |my |your )?postcode|can(no|')?t find|cannot find|"
    r"enter (the |an |their |your )?address (manually|yourself|by hand)|(choose|select) .*from a list|"
    r"without a postcode", re.IGNORECASE)


def amount_shown(text: str, amount: str) -> bool:
    """Whether a page's text shows this amount of money, written the ways people write it."""
    value = float(amount)
    forms = {f"{value:,.2f}", f"{value:.2f}"}
    if value == int(value):
        forms |= {f"{int(value):,}", f"{int(value)}"}
    return any(re.search(rf"£\s?{re.escape(form)}(?![\d,])", text) for form in forms)


CHANGE = re.compile(r"\bchange\b", re.IGNORECASE)
"""The link or button beside an answer that takes people back to correct it."""
IS_TOGGLE_JS = "(el) => el.type === 'checkbox' || el.type === 'radio'"
"""An option to tick (a radio or checkbox), as opposed to a link or button that a label also names."""


def new_content_announced(page: Page, pressed: str) -> list[Finding]:
    """Content that appeared without a new page must be in a live region or take focus (4.1.3)."""
    page.wait_for_timeout(200)  # let a fetch's response be written into the page
    result = safe_evaluate(page, ADDED_UNANNOUNCED_JS)
    if not result:
        return []
    return [RULES["status-message"].finding(
        f"After pressing '{pressed}', new content appeared without a new page ('{result['text']}') but it "
        "is not in a live region and focus did not move to it, so screen reader users are not told.",
        page_url=safe_url(page), **element_fields(page.locator("[data-a11y-status]").first))]


def titles_distinct(page: Page, titles: dict[str, str]) -> list[Finding]:
    """Page titles must tell the steps of a journey apart (2.4.2); `titles` remembers where each was first met."""
    title, path = " ".join(safe_title(page).split()), url_path(safe_url(page))
    first_seen = titles.setdefault(title, path)
    if not title:
        message = "The page has no title, so people using tabs, history or a screen reader cannot tell where they are."
    elif first_seen != path:
        message = (f"This page has the same title, '{title}', as an earlier step of the journey "
                   f"({first_seen}), so people using tabs, history or a screen reader cannot tell the steps "
                   "apart.")
    else:
        return []
    return [RULES["page-title-distinct"].finding(message, page_url=safe_url(page), selector="title")]


def mistake_accepted(label: str, mistake: str, page_url: str) -> Finding:
    """error-recovery: a slip the service took without a word."""
    return RULES["error-recovery"].finding(
        f"The service accepted '{mistake}' for '{label}' without a message. Check that it "
        "validates this answer: a slip here goes unnoticed.", page_url=page_url, outcome=Outcome.NEEDS_REVIEW)


def mistake_lost(person: str, label: str, mistake: str, kept: str, page_url: str, **element: Any) -> Finding:
    """error-recovery: the form came back without what was typed."""
    return RULES["error-recovery"].finding(
        f"After {person} typed '{mistake}' in '{label}' and submitted, the form came "
        f"back with {repr(kept) if kept else 'the field empty'}: what was typed is lost, so it "
        "is harder to see and fix the mistake.", page_url=page_url, **element)


def no_someone_else(someone_else: str, where: str, page_url: str) -> Finding:
    """on-behalf-route: no way to say the application is for someone else."""
    return RULES["on-behalf-route"].finding(
        f"There is no '{someone_else}' option on {where}, so a relative or carer cannot say "
        "they are applying for someone else; they must pretend to be the applicant.", page_url=page_url)


def place_name_refused(person: str, place: str, page_url: str, **element: Any) -> Finding:
    """place-name-lookup: the address search needs a postcode and offers no other way on."""
    return RULES["place-name-lookup"].finding(
        f"The address search rejected '{place}' and offers no way on without a postcode, so "
        f"{person}, who knows the street and town but not the postcode, cannot go on.",
        page_url=page_url, blocker=True, **element)


def place_name_route(place: str, route: str, page_url: str) -> Finding:
    """place-name-lookup: the search refused a place name but offers another route, to check by hand."""
    return RULES["place-name-lookup"].finding(
        f"The address search rejected '{place}'; the page offers '{route}' instead. Check that this "
        "route works without a postcode.", page_url=page_url, outcome=Outcome.NEEDS_REVIEW)


def extra_zero(amount: str) -> str:
    """The amount with an extra zero typed: ten times as much."""
    return f"{float(amount.replace(',', '').lstrip('£')) * 10:.2f}"


def extra_zero_unseen(person: str, wrong: str, amount: str, where: str, page_url: str) -> Finding:
    """extra-zero: the amount typed is never shown back before payment."""
    return RULES["extra-zero"].finding(
        f"{person} typed £{float(wrong):,.2f} instead of £{float(amount):,.2f} (an extra zero), "
        f"and {where} does not show the amount before payment, so the mistake goes unnoticed "
        "until the money has gone.", page_url=page_url, blocker=True)


def extra_zero_no_change(wrong: str, page_url: str) -> Finding:
    """extra-zero: the amount is shown back with no way to change it but the browser's back button."""
    return RULES["extra-zero"].finding(
        f"The amount typed, £{float(wrong):,.2f}, is shown back, but there is no 'Change' link or "
        "button next to it; people must find the browser's back button to correct it.",
        page_url=page_url, outcome=Outcome.NEEDS_REVIEW)


def no_upload_alternative(person: str, label: str, without: str, where: str, page_url: str,
                          **element: Any) -> Finding:
    """upload-alternative: a person who cannot upload has no other way to send it."""
    # The walker passes no route name when the page offers none it could recognise.
    such_as = f"'{without}', post or an appointment" if without else "sending it by post or an appointment"
    return RULES["upload-alternative"].finding(
        f"{person} cannot upload '{label}' and {where} offers no other way to send "
        f"it (such as {such_as}), so the journey ends here.",
        page_url=page_url, blocker=True, **element)


# -- the probing verbs: what the persona tries, through the journey's own verbs, so every behaviour applies ----


def someone_else_chosen(journey: Journey, someone_else: str) -> bool:
    """on-behalf-route: choose the option for someone else; its absence is a finding."""
    option = journey.locating.quick_field(someone_else)
    if option is not None:
        journey.behaviour.choose(journey.page, option, someone_else)
        journey.on_behalf = True
        return True
    journey.steps.note(no_someone_else(someone_else, journey.load.where(), safe_url(journey.page)))
    return False


def find_address_by_place(journey: Journey, label: str, *, postcode: str, place: str, then: str) -> None:
    """place-name-lookup: search by the street and town; refused, take the route offered, or be stopped."""
    journey.fill(label, place)
    journey.press(then)
    if not shows_errors(journey.page):
        return  # the place name found the address
    route = journey.locating.no_postcode_route()
    if route is None:
        field = journey.locating.quick_field(journey.words.get(label, label))
        raise JourneyBlocked(place_name_refused(journey.persona.name, place, safe_url(journey.page),
                                                **(element_fields(field) if field is not None else {})))
    journey.steps.note(place_name_route(place, route, safe_url(journey.page)))
    journey.fill(label, postcode)  # the persona rings the person they are helping for the postcode
    journey.press(then)


def enter_amount_with_extra_zero(journey: Journey, label: str, amount: str, *, then: str) -> None:
    """extra-zero: type ten times the amount; the page must show it back, with a way to change it."""
    wrong = extra_zero(amount)
    journey.fill(label, wrong)
    journey.press(then)
    if shows_errors(journey.page):
        # The service questioned the amount: correcting it there is what we hope for.
        journey.fill(label, amount)
        journey.press(then)
        return
    shown_back = amount_shown(safe_evaluate(journey.page, "() => document.body.innerText") or "", wrong)
    change = journey.locating.quick_control(CHANGE)
    if not shown_back:
        raise JourneyBlocked(extra_zero_unseen(journey.persona.name, wrong, amount, journey.load.where(),
                                               safe_url(journey.page)))
    if change is None:
        journey.steps.note(extra_zero_no_change(wrong, safe_url(journey.page)))
        journey.page.go_back()
        journey.load.settle()
    else:
        refuse_payment_page(journey.page, journey.target, "press 'Change'")
        journey.behaviour.activate(journey.page, change, "Change")
        journey.load.settle()
    journey.fill(label, amount)
    journey.press(then)


def upload_alternative(journey: Journey, step: Step, label: str, without: str) -> None:
    """upload-alternative: the person who cannot upload takes the other route the page offers, or is stopped."""
    option = journey.locating.quick_field(without) if without else None
    if option is not None and option.evaluate(IS_TOGGLE_JS):
        journey.behaviour.choose(journey.page, option, without)
        return
    route = journey.locating.quick_control(without) if without else None
    if route is not None:
        # "Send it by post instead": a link or button that takes the other route.
        refuse_payment_page(journey.page, journey.target, f"press '{without}'")
        journey.behaviour.activate(journey.page, route, without)
        journey.load.settle()
        step.left_page = True
        return
    field = journey.locating.quick_field(label)
    raise JourneyBlocked(no_upload_alternative(journey.persona.name, label, without, journey.load.where(),
                                               safe_url(journey.page),
                                               **(element_fields(field) if field is not None else {})))


def recover_from_mistakes(journey: Journey, pressed: str) -> None:
    """error-recovery, after submitting a slip: was it caught, and was what the persona typed kept? Then correct
    it, type again whatever the form lost, and press again."""
    typing = journey.typing
    mistakes, typing.mistakes = typing.mistakes, []
    if not typing.after_error:
        for label, _, mistake in mistakes:
            journey.steps.note(mistake_accepted(label, mistake, safe_url(journey.page)))
        return
    corrections = {label: value for label, value, _ in mistakes}
    for label, _, mistake in mistakes:
        field = journey.locating.find_field(label)
        kept = field.input_value()
        if kept.strip() != mistake.strip():
            journey.steps.note(mistake_lost(journey.persona.name, label, mistake, kept, safe_url(journey.page),
                                            **element_fields(field)))
    # Correct the mistake, and type again whatever the form did not keep.
    for label, value in {**typing.submitted, **corrections}.items():
        field = journey.locating.find_field(label)
        if field.input_value() != value:
            refuse_payment_page(journey.page, journey.target, f"type in '{label}'")
            journey.type_into(field, value, label)
        typing.typed[label] = value
    journey.press(pressed)
