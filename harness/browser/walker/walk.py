"""Walk a journey as a goal: read each page, recognise it, act as the persona would, press on, repeat.

The walk ends at the goal (a confirmation or an answer page), at a barrier (the journey's verbs raise it), or
on a page that does not move on after the persona did everything they could: that is a blocker naming what
was tried and what the page had, so a wrong guess by the walker is visible, not silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError

from harness.browser.expectations import ExpectationFailed
from harness.browser.walker.snapshot import take_snapshot
from harness.model.page_kinds import KINDS, Recognition, recognise, words
from harness.model.page_snapshot import PageSignature, PageSnapshot
from harness.model.pinned_steps import PinnedStep, pinned_for
from harness.model.walk_plan import Action, Profile, WalkData, plan, primary_action

if TYPE_CHECKING:
    from harness.browser.journey import Journey

MAX_PAGES = 40
"""More pages than any council form has: a walk that goes on past this is going round in circles."""
TITLES = {"start": "Start", "interstitial": "Read the notice", "exit": "Told they cannot go on",
          "question": "Answer the question", "eligibility": "Answer the eligibility question",
          "who-for": "Say who it is for", "address-lookup": "Find the address",
          "address-choice": "Choose the address", "manual-address": "Type the address",
          "details": "Give their details", "date": "Give a date", "options": "Choose options",
          "upload": "Send a document", "amount": "Enter the amount", "check-answers": "Check the answers",
          "card-payment": "Pay by card", "confirmation": "Read the confirmation", "result": "Read the answer",
          "cookie-banner": "Answer the cookie banner", "form": "Fill in the form"}


NO_SOMEONE_ELSE = "Someone else"
"""The option the on-behalf persona looks for when the page offers only the applicant's own choices."""


class StuckError(ExpectationFailed):
    """The page did not move on after the persona did everything they could there."""


def walk_to(journey: Journey, goal: str = "confirmation", *, steps: Sequence[PinnedStep] = (),
            profile: Profile | None = None, data: WalkData | None = None) -> list[Recognition]:
    """Walk from the start page to the goal; returns what each page was taken for, in order.

    The goal is a kind of page ("confirmation", "result") or words of the goal page's main heading. Pinned
    steps (the target file's, then the scenario's) say what to do on pages the walker cannot work out alone.
    """
    profile = profile or journey.profile
    data = data or journey.walk_data
    pins = (*journey.target.pinned_steps(journey.journey_id), *steps)
    met: set[int] = set()
    on_behalf = "on-behalf-route" in journey.checks
    taken: list[Recognition] = []
    with journey.step("Open the start page"):
        journey.open_start_page()
    seen: dict[PageSignature, int] = {}
    for _ in range(MAX_PAGES):
        page = take_snapshot(journey.page)
        pin = pinned_for(pins, page.h1, page.title, journey.page.url)
        found = _recognise(page, pin)
        taken.append(found)
        if pin is not None:
            met.add(pins.index(pin))
        # The first page is where the journey starts, never its goal.
        if len(taken) > 1 and _at_goal(goal, found, page):
            unmet = [p.describe() for n, p in enumerate(pins) if n not in met and not p.skip]
            with journey.step(_title(found, page)):
                journey.taken_for(found, unmet_pins=unmet)
            return taken
        state = page.state()
        seen[state] = seen.get(state, 0) + 1
        with journey.step(_title(found, page)):
            journey.taken_for(found)
            if seen[state] > 2:
                raise StuckError(f"The walk came back to the same page three times ({page.describe()}).")
            if pin is not None and pin.acts:
                _walk_pinned(journey, page, pin)
            else:
                _walk_page(journey, page, found, profile, data, on_behalf)
    raise StuckError(f"The goal ({goal}) was not reached within {MAX_PAGES} pages.")


def _recognise(page: PageSnapshot, pin: PinnedStep | None) -> Recognition:
    """The walker's own guess, unless the target file pinned what this page is."""
    if pin is None or not pin.kind:
        return recognise(page)
    return Recognition(kind=pin.kind, reasons=(f"pinned in the target file as {pin.describe()}",))


def _at_goal(goal: str, found: Recognition, page: PageSnapshot) -> bool:
    if goal in KINDS:
        return goal in (found.kind, *found.also)
    return goal.casefold() in (page.h1 or page.title).casefold()


def _walk_pinned(journey: Journey, page: PageSnapshot, pin: PinnedStep) -> None:
    """Do exactly what the target file pinned for this page, then press on."""
    for label, value in pin.fill.items():
        journey.fill(label, value)
    for label, option in pin.select.items():
        journey.select(label, option)
    for label in pin.choose:
        journey.choose(label)
    press = pin.press or (primary.label if (primary := primary_action(take_snapshot(journey.page))) else "")
    if not press:
        raise StuckError(f"The pinned step for {pin.describe()} names no button to press and the page has no "
                         f"button that goes on ({page.describe()}). Add press = \"...\" to the step.")
    journey.press(press)


def _title(found: Recognition, page: PageSnapshot) -> str:
    heading = page.h1 or page.title or "a page with no heading"
    return f"{TITLES.get(found.kind, found.kind)}: {heading[:80]}"


def _walk_page(journey: Journey, page: PageSnapshot, found: Recognition, profile: Profile, data: WalkData,
               on_behalf: bool) -> None:
    """Everything the persona does on one page, ending with the press that should move them on."""
    if "cookie-banner" in (found.kind, *found.also):
        with suppress(PlaywrightError, ExpectationFailed):
            # A banner that cannot be answered is left alone: it does not stop the walk unless it covers the way on.
            _answer_banner(journey, page)
        page = take_snapshot(journey.page)
    if found.kind == "exit":
        raise StuckError(f"The service said the persona cannot use it: '{page.h1}'. Check the answers the walk "
                         "gave (pin them in the target file) or the eligibility rules.")
    primary = primary_action(page)
    first_details = found.kind in ("details", "who-for") and not journey.pressed_before_answering
    if (("error-recovery" in journey.checks or first_details) and page.fields and primary is not None
            and not page.shows_errors):
        # Margaret presses the button before answering on every form page; everyone does on the first page
        # of personal details, the one people most often send half-filled. The error state is then scanned.
        journey.pressed_before_answering = True
        journey.press(primary.label)
        now = take_snapshot(journey.page)
        if now.state()[0] != page.state()[0] and not now.shows_errors:
            return  # nothing was required here: the press moved on
        page = now
    tried: list[str] = []
    before = page.state()
    for attempt in range(3):
        # Refused once with errors: fill the optional fields too, as people do when they cannot see why.
        actions = plan(page, profile, data, on_behalf_first=on_behalf, everything=attempt > 0 and page.shows_errors)
        if not actions:
            raise StuckError(f"Nothing to fill in and nothing to press on this page ({page.describe()}).")
        planned_at = journey.page.url
        for action in actions:
            where = journey.page.url
            if action.verb == "press" and where != planned_at:
                return  # an earlier answer already moved the page on: the planned press belongs to the old page
            _do(journey, action)
            tried.append(action.describe())
            if action.verb != "press" and journey.page.url != where:
                return  # choosing or typing moved the page on by itself (the walk goes on from there)
        now = take_snapshot(journey.page)
        if now.state() != before and not (now.state()[:3] == before[:3] and now.shows_errors):
            return  # moved on, or the page changed (a lookup's results, a revealed field): read it again
        if actions[-1].verb != "press":
            page = now  # a choice revealed more fields: fill those too, then press
            continue
        page = now
    raise StuckError(f"The page did not move on after the persona did {', '.join(tried) or 'nothing'}; "
                     f"the page had {page.describe()}"
                     + (" and showed errors" if page.shows_errors else "") + ".")


def _answer_banner(journey: Journey, page: PageSnapshot) -> None:
    """Reject (or, failing that, accept) cookies, as most people do to get the banner out of the way."""
    pages = words().pages
    buttons = list(page.banner)
    choice = next((c for c in buttons if pages["cookie-reject"].search(c.label)), None) or next(
        (c for c in buttons if pages["cookie-accept"].search(c.label)), None)
    if choice is not None:
        journey.press(choice.label)


def _do(journey: Journey, action: Action) -> None:
    if action.verb == "press":
        journey.press(action.label)
    elif action.verb == "fill":
        journey.fill(action.label, action.value, mistake=action.mistake)
    elif action.verb == "choose":
        journey.choose(action.label)
    elif action.verb == "select":
        journey.select(action.label, action.value)
    elif action.verb == "choose_who":
        # No "someone else" option at all: the on-behalf persona looks for one and reports its absence.
        journey.choose_who(myself=action.label, someone_else=action.other or NO_SOMEONE_ELSE)
    elif action.verb == "find_address":
        journey.find_address(action.label, postcode=action.value, place=action.place or action.value,
                             then=action.other)
    elif action.verb == "enter_amount":
        journey.enter_amount(action.label, action.value, then=action.other)
    elif action.verb == "upload":
        journey.upload(action.label, without=action.other)
    else:
        raise ValueError(f"unknown walk action {action.verb!r}")
