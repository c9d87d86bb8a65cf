"""Journey and steps: what scenarios call to walk a council service as a persona."""

from __future__ import annotations

import hashlib
import json
import re
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, FloatRect, Locator, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.browser.axe_scan import (
    AXE_TIME_LIMIT_S,
    DEFAULT_TAGS,
    first_line,
    prepare_context,
    scan_page_with_evidence,
)
from harness.browser.behaviours import BEHAVIOURS
from harness.browser.checks import CHECKS, EVERY_PERSONA, PageContext, run_checks
from harness.browser.checks.probes import (
    ADDED_UNANNOUNCED_JS,
    NO_POSTCODE_ROUTE,
    WATCH_ADDED_JS,
    amount_shown,
)
from harness.browser.checks.timing import TIMER_RECORDER_JS
from harness.browser.expectations import ExpectationFailed, StepTimedOut
from harness.browser.page_events import PageEvents
from harness.browser.page_facts import (
    describe_element,
    headings,
    screenshot_facts,
    shows_errors,
    state_facts,
)
from harness.browser.payment_guard import refuse_card_data, refuse_paying_button, refuse_payment_page
from harness.browser.watchdog import DOCUMENT_MAX_BYTES, DocumentCap, PageUnresponsive, Watchdog
from harness.model.errors import ConfigError
from harness.model.findings import Finding, Impact, JourneyBlocked, Outcome, dedupe
from harness.model.masking import SecretMask
from harness.model.page_kinds import Recognition
from harness.model.personas import Persona
from harness.model.pinned_steps import PinnedStep
from harness.model.records import PageState, StepRecord
from harness.model.results import ResultsStore
from harness.model.rules import RULES
from harness.model.screenshots import SCREENSHOT_SCALE
from harness.model.targets import Target
from harness.model.untrusted import shown
from harness.model.walk_plan import Profile, WalkData

PATIENCE_MS = 5_000
"""How long a persona waits for something to appear before deciding it is not there."""
PAGE_TIMEOUT_S = 30.0
"""How long a page may take to load before the journey goes on with what has arrived."""
STEP_TIMEOUT_S = 120.0
"""How long one step may take in all before it is stopped as stuck."""
NAVIGATION_ATTEMPTS = 3
_IS_TOGGLE_JS = "(el) => el.type === 'checkbox' || el.type === 'radio'"
"""An option to tick (a radio or checkbox), as opposed to a link or button that a label also names."""
SCREENSHOT_MAX_HEIGHT = 6_000
LARGE_PAGE_ELEMENTS = 5_000
AXE_MAX_ELEMENTS = 100_000
"""Above this many elements a page state is not scanned: axe-core would hold the browser for many minutes and
gigabytes (200,000 elements: over 3 minutes and 1.6 GB, unfinished), and such a page is broken for people too."""
STUCK_PAGE_SCAN_S = 15.0
"""How long the scan and screenshot of a page that stopped responding may take: enough for any page that answers."""
HTTP_FORM_ANSWERS = frozenset({400, 409, 422})
"""Error statuses services send with a form that shows what to correct: the persona reads the page and goes on."""
_TIMER_RECORDING: weakref.WeakSet[BrowserContext] = weakref.WeakSet()
"""Browser contexts that already record the page's timers for the time-limit check."""
AXE_CACHE_SIZE = 500
"""Page states whose axe results one process keeps, most recently used first (a few MB at most)."""
AXE_CACHE: OrderedDict[tuple[str, str, tuple[str, ...]], tuple[tuple[Finding, ...], dict[str, list[str]], float]] = \
    OrderedDict()
NETWORK_QUIET_CAP_S = 3.0
SCREENSHOT_TIMEOUT_S = 60.0
SETTLE_ROUNDS = 3
# Network failures worth a second try; anything else (a redirect loop, a bad address) is final.
TRANSIENT_NETWORK_ERRORS = ("ERR_CONNECTION_RESET", "ERR_CONNECTION_REFUSED", "ERR_CONNECTION_CLOSED",
                            "ERR_EMPTY_RESPONSE", "ERR_NETWORK_CHANGED", "ERR_TIMED_OUT",
                            "ERR_CONNECTION_TIMED_OUT", "ERR_INTERNET_DISCONNECTED",
                            "interrupted by another navigation")
# A 1×1 PNG: what personas who can upload attach wherever a journey asks for a photo or document.
SAMPLE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cf"
    "c0f01f0005000201a5f0f3b70000000049454e44ae426082")


@dataclass
class _Step:
    name: str
    index: int
    started: float
    states: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    left_page: bool = False
    """True when the step's last action was a press that may have moved to another page."""
    page_kind: str = ""
    """What the walker took the step's page for, and why: shown in the report so a wrong guess is visible."""


class Journey:
    """A persona walking one journey on one target; scenarios call its steps and verbs.

    Args:
        page: a page from a fresh browser context set up for the persona.
        target, persona, journey_id: what is walked, by whom.
        store: where each step's record is appended as soon as the step ends.
        entry_url: the journey's first page.

    Example:
        with journey.step("Enter where the bin is"):
            journey.fill("Postcode", "MB1 4QX")
            journey.press("Find address")
    """

    def __init__(self, page: Page, *, target: Target, persona: Persona, journey_id: str, entry_url: str,
                 store: ResultsStore, test_id: str, axe_tags: Sequence[str] = DEFAULT_TAGS,
                 on_screenshot: Callable[[Path], None] | None = None, allowed_origins: Iterable[str] = (),
                 page_timeout_s: float = PAGE_TIMEOUT_S, step_timeout_s: float = STEP_TIMEOUT_S,
                 checks: Sequence[str] | None = None, screenshot_clean_states: bool = True) -> None:
        self.page = page
        self.target = target
        self.persona = persona
        self.journey_id = journey_id
        self.entry_url = entry_url
        self.store = store
        self.test_id = test_id
        self.axe_tags = tuple(axe_tags)
        self.behaviour = BEHAVIOURS[persona.behaviour]
        self.findings: list[Finding] = []
        self.ending = "not started"
        self.blocker = ""
        self.screenshots: list[Path] = []
        self._scanned: set[str] = set()
        self._step: _Step | None = None
        self._steps = 0
        self._started = time.monotonic()
        self._on_screenshot = on_screenshot
        self._pending: list[Finding] = []
        self._secret_fields: list[Locator] = []
        self._secrets = SecretMask.for_target(target)
        """Masks credential values in everything recorded: results, blocker messages, the exception pytest shows."""
        self.page_timeout_s = page_timeout_s
        self.step_timeout_s = step_timeout_s
        self.words: Mapping[str, str] = target.words(journey_id)
        self.checks = tuple(dict.fromkeys((*EVERY_PERSONA, *persona.checks) if checks is None else checks))
        """Every check and probe this persona makes, in order: the shared ones, then the persona's own (or
        only those given: scan mode can be asked for fewer, or none to run axe alone)."""
        self.screenshot_clean_states = screenshot_clean_states
        """False: only page states with findings are photographed (scan mode, where a report of thousands
        of pages needs pictures only of what is wrong)."""
        self._page_checks = [c for c in self.checks if not CHECKS[c].is_probe]
        self.pressed_before_answering = False
        """True once the walker has sent a details page empty, as people often do: once per walk is enough."""
        self.on_behalf = False
        """True once the persona has said the application is for someone else."""
        self._typed: dict[str, str] = {}
        self._submitted: Mapping[str, str] = MappingProxyType({})
        self._mistakes: list[tuple[str, str, str]] = []
        self._after_error = False
        self._titles: dict[str, str] = {}
        if "time-limit" in self.checks and page.context not in _TIMER_RECORDING:
            # Once per context: scan mode reuses one context from page to page.
            page.context.add_init_script(TIMER_RECORDER_JS)
            _TIMER_RECORDING.add(page.context)
        prepare_context(page.context)
        page.set_default_timeout(PATIENCE_MS)
        page.set_default_navigation_timeout(page_timeout_s * 1000)
        self.events = PageEvents(page, self._note_event, allowed_origins)
        # Limits enforced from outside the page, so a page that never lets go cannot hold the run.
        self.watchdog = Watchdog(page, patience_s=page_timeout_s + PATIENCE_MS / 1000)
        self._capped: Finding | None = None
        self.events.on_storm = self.watchdog.stop_now
        self.events.also_detach.append(DocumentCap(self.watchdog, self._note_document_cap).detach)
        self._action_started = time.monotonic()

    # -- steps ---------------------------------------------------------------------------------------

    @contextmanager
    def step(self, name: str) -> Iterator[Journey]:
        """A named stage of the journey; its page states are scanned and recorded when it ends."""
        if self._step is not None:
            raise RuntimeError(f"Step '{name}' started inside step '{self._step.name}'; steps do not nest.")
        self._steps += 1
        self._step = _Step(name=name, index=self._steps, started=time.monotonic())
        self._step.findings.extend(self._pending)
        self._pending.clear()
        self.ending = "in progress"
        try:
            # The step's time limit holds even while a call waits on a page that never answers.
            with self.watchdog.limit(self.step_timeout_s, f"the step '{name}'"):
                yield self
                self._stop_if_capped()
                if not self._step.left_page:
                    self._scan_state("end of step")
        except Exception as exc:  # noqa: BLE001 - every failure becomes the blocker finding, raised below
            finding = self._blocker_from(exc)
            # Noted before the screenshot, so the report can outline the control that stopped the persona.
            self._step.findings.append(finding)
            self._record_where_stuck(exc, finding)
            self._finish_step("blocked")
            finding = self._secrets.finding(finding)
            self.ending, self.blocker = "blocked", finding.message
            # pytest prints the cause below our message: not when the page's words put a secret in it.
            cause = None if self._secrets.leaks(_chain_text(exc)) else exc
            raise JourneyBlocked(finding, f"{self.persona.title} could not finish '{name}': {finding.message}"
                                 ) from cause
        else:
            self._finish_step("completed")
            self.ending = "completed"

    def _record_where_stuck(self, exc: BaseException, finding: Finding) -> None:
        """Scan and photograph the page where the persona got stuck, within a limit; close a page that hung.

        A crashed, closed or stuck page must not hide the blocker behind a second error, nor hold the run.
        """
        closed = isinstance(exc, PageUnresponsive) and exc.kind == "closed"
        too_large = finding.rule_id == "document-too-large"
        looping = bool(self.events.loop(self._action_started))  # nothing holds still long enough to scan
        unresponsive = finding.rule_id == "page-unresponsive"
        if not (closed or too_large or looping):
            self.watchdog.forgive()
            # A page that stopped responding once gets a short while: it may well stop again.
            limit = STUCK_PAGE_SCAN_S if unresponsive else min(self.step_timeout_s, AXE_TIME_LIMIT_S)
            with suppress(Exception), self.watchdog.limit(limit, "the scan of where the persona got stuck"):
                self._scan_state("where the persona got stuck", force_screenshot=True)
        if unresponsive or too_large or looping:
            # Nothing may touch it again: scan mode's next page gets a new one (SharedPages.page_for).
            with suppress(Exception), self.watchdog.limit(PATIENCE_MS / 1000, "closing the page"):
                self.page.close()

    def _finish_step(self, status: str) -> None:
        step = self._step
        assert step is not None
        findings = [self._secrets.finding(f.at_step(target=self.target.id, persona=self.persona.id,
                                                    journey=self.journey_id, step=step.name))
                    for f in dedupe(step.findings)]
        self.findings.extend(findings)
        # Everything a page wrote (titles, addresses, snippets) leaves here: credential values are masked.
        self.store.append(StepRecord(
            test_id=self.test_id, target=self.target.id, persona=self.persona.id, journey=self.journey_id,
            step=step.name, index=step.index, status=status,
            states=tuple(PageState.from_dict(state) for state in step.states), findings=tuple(findings),
            duration_s=round(time.monotonic() - step.started, 3), page_kind=step.page_kind),
            mask=self._secrets.record)
        self._step = None

    def mask(self, text: str) -> str:
        """Text about this journey (a failure outside its steps, say) with its credential values masked."""
        return self._secrets.text(text)

    @property
    def duration_s(self) -> float:
        return round(time.monotonic() - self._started, 3)

    # -- verbs ---------------------------------------------------------------------------------------

    @property
    def test_card(self) -> Mapping[str, str]:
        """The payment test card the target declares (number, expiry, name, security_code)."""
        return self.target.test_card

    @property
    def profile(self) -> Profile:
        """The persona's answers about themself (and whoever they apply for)."""
        return self.persona.profile

    @property
    def walk_data(self) -> WalkData:
        """What the target's systems know ([data] in its file), with its test card."""
        data = self.target.data
        return WalkData(postcode=data.get("postcode", ""), place=data.get("place", ""),
                        address=data.get("address", ""), reference=data.get("reference", ""),
                        amount=data.get("amount", ""), card=self.target.test_card)

    def walk_to(self, goal: str = "confirmation", *, steps: Sequence[PinnedStep] = ()) -> list[Recognition]:
        """Walk from the start page to the goal page by page, recognising each page and acting as the persona.

        Args:
            goal: the kind of page that ends the journey, "confirmation" (a transaction done) or "result" (an
                answer shown, such as collection days), or words of the goal page's main heading.
            steps: pages pinned for the walker, after the target file's own ([[journeys.<id>.steps]]).
        Returns:
            What each page was taken for, in order.
        """
        from harness.browser.walker.walk import walk_to

        return walk_to(self, goal, steps=steps)

    def taken_for(self, recognition: Recognition, unmet_pins: Sequence[str] = ()) -> None:
        """Record what the walker took this step's page for, so the report can show a wrong guess.

        Pins never met by the goal are said here: a pin for a page the product no longer has is stale.
        """
        unmet = f"; pinned steps not met on this walk: {', '.join(unmet_pins)}" if unmet_pins else ""
        self._current_step("taken_for").page_kind = shown(recognition.describe() + unmet)

    def open_start_page(self) -> None:
        """Go to the journey's first page, as if following a link from the council's website."""
        self._current_step("open_start_page")
        for attempt in range(1, NAVIGATION_ATTEMPTS + 1):
            try:
                self.page.goto(self.entry_url, wait_until="commit")
                break
            except PlaywrightTimeoutError:
                raise ExpectationFailed(f"The start page did not respond within {self.page_timeout_s:g} s "
                                        f"({self.entry_url}).") from None
            except PlaywrightError as exc:
                transient = next((e for e in TRANSIENT_NETWORK_ERRORS if e in str(exc)), None)
                if transient is None or attempt == NAVIGATION_ATTEMPTS:
                    raise
                self._note(RULES["navigation-retried"].finding(
                    f"Opening the start page failed ({transient}); the harness tried again "
                    f"(attempt {attempt + 1} of {NAVIGATION_ATTEMPTS}).", page_url=self.entry_url))
                # Let the browser's own error page finish arriving, or it interrupts the next attempt.
                self.page.wait_for_timeout(250 * attempt)
                with suppress(PlaywrightError):
                    self.page.wait_for_load_state("load", timeout=2_000)
        self._settle()

    def press(self, name: str) -> None:
        """Activate the button or link a person would know by these words."""
        step = self._current_step("press")
        name = self.words.get(name, name)
        # Before looking for the button: a Pay button inside a hosted payment frame is out of our sight.
        refuse_payment_page(self.page, self.target, f"press '{name}'")
        refuse_paying_button(self.page, self.target, name)
        control = self._find_control(name)
        self._scan_state(f"before pressing '{name}'")
        refuse_payment_page(self.page, self.target, f"press '{name}'")
        path_before = _path(self.page.url)
        self._submitted, self._typed = MappingProxyType(dict(self._typed)), {}
        watching = "status-message" in self.checks and _safe_evaluate(self.page, WATCH_ADDED_JS)
        self.behaviour.activate(self.page, control, name)
        self._settle()
        step.left_page = True
        self._after_error = shows_errors(self.page)
        if watching:
            self._check_announced(name)
        if _path(self.page.url) == path_before or self._after_error:
            # The same form came back (or an error appeared): the state people must recover from.
            self._scan_state(f"after pressing '{name}'")
            step.left_page = False
        if self._mistakes:
            self._recover(name)

    def fill(self, label: str, value: str, mistake: str | None = None) -> None:
        """Type into the field a person would know by this label.

        Args:
            mistake: a slip people make here. Personas who make mistakes (the error-recovery probe) type it
                instead, submit, and must be told what is wrong and find what they typed kept; then they
                correct it and submit again.
        """
        step = self._current_step("fill")
        label = self.words.get(label, label)
        if mistake is not None and "error-recovery" in self.checks:
            self._mistakes.append((label, value, mistake))
            value = mistake
        self._type(self._find_typable(label, value), value, label)
        self._typed[label] = value
        step.left_page = False

    def fill_credential(self, label: str, credential: str) -> None:
        """Type a test account's secret, read from the environment variable the target names.

        The value is never stored, logged or shown: screenshots mask the field.
        """
        step = self._current_step("fill_credential")
        label = self.words.get(label, label)
        value = self.target.credential(credential)
        field = self._find_typable(label, "")
        self._secret_fields.append(field)
        self._secrets.add(value)
        self.behaviour.fill(self.page, field, value, label)
        step.left_page = False

    def _find_typable(self, label: str, value: str) -> Locator:
        """The field to type into, once the payment guard has looked at the page before and after finding it."""
        refuse_payment_page(self.page, self.target, f"type in '{label}'")
        refuse_card_data(self.page, self.target, label, value)
        field = self._find_field(label)
        refuse_payment_page(self.page, self.target, f"type in '{label}'")
        return field

    def _type(self, field: Locator, value: str, label: str) -> None:
        """Every value a scenario gives is typed here, never card data on a live service."""
        refuse_card_data(self.page, self.target, label, value)
        self.behaviour.fill(self.page, field, value, label)

    def select(self, label: str, option: str) -> None:
        """Pick an option, by its text, from the drop-down list a person would know by this label."""
        step = self._current_step("select")
        label = self.words.get(label, label)
        field = self._find_field(label)
        self.behaviour.select(self.page, field, option, label)
        self._settle()  # some lists move the page on as soon as they change
        step.left_page = False

    def choose(self, label: str) -> None:
        """Select the radio button or checkbox with this label."""
        step = self._current_step("choose")
        label = self.words.get(label, label)
        option = self._find_field(label)
        self.behaviour.choose(self.page, option, label)
        step.left_page = False

    def check_page(self, check_ids: Iterable[str]) -> None:
        """Scan the page as it is now with axe and run these checks on it, with the persona's own (scan mode)."""
        self._current_step("check_page")
        self._scan_state("page as loaded", extra_checks=[c for c in check_ids if c not in self._page_checks])

    # -- verbs that probe: each persona does what that person would --------------------------------------

    def choose_who(self, *, myself: str, someone_else: str) -> None:
        """Say who the application is for: the on-behalf persona chooses someone else, everyone else themself."""
        self._current_step("choose_who")
        myself, someone_else = self.words.get(myself, myself), self.words.get(someone_else, someone_else)
        if "on-behalf-route" in self.checks:
            option = self._quick_field(someone_else)
            if option is not None:
                self.behaviour.choose(self.page, option, someone_else)
                self.on_behalf = True
                return
            self._note(RULES["on-behalf-route"].finding(
                f"There is no '{someone_else}' option on {self._where()}, so a relative or carer cannot say "
                "they are applying for someone else; they must pretend to be the applicant.",
                page_url=_safe_url(self.page)))
        self.choose(myself)

    def find_address(self, label: str, *, postcode: str, place: str, then: str) -> None:
        """Search for an address: the on-behalf persona knows the street and town, not the postcode."""
        self._current_step("find_address")
        if "place-name-lookup" not in self.checks:
            self.fill(label, postcode)
            self.press(then)
            return
        self.fill(label, place)
        self.press(then)
        if not shows_errors(self.page):
            return  # the place name found the address
        route = self._no_postcode_route()
        if route is None:
            field = self._quick_field(self.words.get(label, label))
            raise JourneyBlocked(RULES["place-name-lookup"].finding(
                f"The address search rejected '{place}' and offers no way on without a postcode, so "
                f"{self.persona.name}, who knows the street and town but not the postcode, cannot go on.",
                page_url=_safe_url(self.page), blocker=True,
                **(_element_fields(field) if field is not None else {})))
        self._note(RULES["place-name-lookup"].finding(
            f"The address search rejected '{place}'; the page offers '{route}' instead. Check that this "
            "route works without a postcode.", page_url=_safe_url(self.page), outcome=Outcome.NEEDS_REVIEW))
        self.fill(label, postcode)  # the persona rings the person they are helping for the postcode
        self.press(then)

    def enter_amount(self, label: str, amount: str, *, then: str) -> None:
        """Type an amount to pay and go on; the extra-zero probe types ten times as much and must see it."""
        self._current_step("enter_amount")
        if "extra-zero" not in self.checks:
            self.fill(label, amount)
            self.press(then)
            return
        wrong = f"{float(amount.replace(',', '').lstrip('£')) * 10:.2f}"
        self.fill(label, wrong)
        self.press(then)
        if shows_errors(self.page):
            # The service questioned the amount: correcting it there is what we hope for.
            self.fill(label, amount)
            self.press(then)
            return
        shown = amount_shown(_safe_evaluate(self.page, "() => document.body.innerText") or "", wrong)
        change = self._quick_control(re.compile(r"\bchange\b", re.IGNORECASE))
        if not shown:
            raise JourneyBlocked(RULES["extra-zero"].finding(
                f"{self.persona.name} typed £{float(wrong):,.2f} instead of £{float(amount):,.2f} (an extra zero), "
                f"and {self._where()} does not show the amount before payment, so the mistake goes unnoticed "
                "until the money has gone.", page_url=_safe_url(self.page), blocker=True))
        if change is None:
            self._note(RULES["extra-zero"].finding(
                f"The amount typed, £{float(wrong):,.2f}, is shown back, but there is no 'Change' link or "
                "button next to it; people must find the browser's back button to correct it.",
                page_url=_safe_url(self.page), outcome=Outcome.NEEDS_REVIEW))
            self.page.go_back()
            self._settle()
        else:
            refuse_payment_page(self.page, self.target, "press 'Change'")
            self.behaviour.activate(self.page, change, "Change")
            self._settle()
        self.fill(label, amount)
        self.press(then)

    def upload(self, label: str, *, without: str) -> None:
        """Attach a photo or document; the no-camera persona takes the route the page offers instead."""
        step = self._current_step("upload")
        label, without = self.words.get(label, label), self.words.get(without, without)
        step.left_page = False
        if "upload-alternative" in self.checks:
            option = self._quick_field(without) if without else None
            if option is not None and option.evaluate(_IS_TOGGLE_JS):
                self.behaviour.choose(self.page, option, without)
                return
            route = self._quick_control(without) if without else None
            if route is not None:
                # "Send it by post instead": a link or button that takes the other route.
                refuse_payment_page(self.page, self.target, f"press '{without}'")
                self.behaviour.activate(self.page, route, without)
                self._settle()
                step.left_page = True
                return
            field = self._quick_field(label)
            raise JourneyBlocked(RULES["upload-alternative"].finding(
                f"{self.persona.name} cannot upload '{label}' and {self._where()} offers no other way to send "
                f"it (such as '{without}', post or an appointment), so the journey ends here.",
                page_url=_safe_url(self.page), blocker=True,
                **(_element_fields(field) if field is not None else {})))
        self.behaviour.attach(self.page, self._find_field(label),
                              {"name": "photo.png", "mimeType": "image/png", "buffer": SAMPLE_PNG}, label)

    def expect_heading(self, text: str) -> None:
        """Check the persona is where they expect: a heading containing this text."""
        self._current_step("expect_heading")
        text = self.words.get(text, text)
        pattern = re.compile(re.escape(text), re.IGNORECASE)
        found = self._first_found([
            ("heading", lambda: self.page.get_by_role("heading", name=pattern)),
            ("text", lambda: self.page.get_by_text(pattern)),
        ])
        if found is None:
            raise ExpectationFailed(
                f"No heading containing '{text}' appeared on {self._where()}. "
                f"Headings on the page: {headings(self.page) or 'none'}. If the product words this "
                "differently, map the wording in the target file.")
        how, lookalike = found
        if how == "text":
            self._note(RULES["heading-marked-up"].finding(
                f"The text '{text}' reads as this page's heading, but it is not marked up as a heading, so "
                "screen reader users cannot find it by heading.", page_url=self.page.url,
                **_element_fields(lookalike)))

    def expect_text(self, text: str) -> None:
        """Check that text a person is looking for is visible on the page."""
        self._current_step("expect_text")
        text = self.words.get(text, text)
        pattern = re.compile(re.escape(text), re.IGNORECASE)
        if self._first_found([("text", lambda: self.page.get_by_text(pattern))]) is None:
            raise ExpectationFailed(f"The text '{text}' did not appear on {self._where()}.")

    # -- locating, as a person would ------------------------------------------------------------------

    def _first_found(self, strategies: list[tuple[str, Callable[[], Locator]]]
                     ) -> tuple[str, Locator] | None:
        """Try each way of finding something, best first, until one works or the persona's patience ends.

        Every strategy is tried on every pass, so a page without a proper button is not waited on for
        the full patience before the next strategy is tried.
        """
        deadline = time.monotonic() + PATIENCE_MS / 1000
        while True:
            found = _first_match(strategies)
            if found is not None and found[0] > 0:
                # A page that draws its form late may draw it between two tries of one pass: the better ways
                # that failed a moment ago get one more try, so a late form is not taken for an unlabelled one.
                found = _first_match(strategies[:found[0]]) or found
            if found is not None:
                return found[1], found[2]
            if time.monotonic() >= deadline:
                return None
            self.page.wait_for_timeout(100)

    def _quick_field(self, label: str) -> Locator | None:
        """A field or option by its label, if the loaded page has one: for things a persona looks for once."""
        located = self.page.get_by_label(label).filter(visible=True)
        return located.first if located.count() else None

    def _quick_control(self, name: str | re.Pattern[str]) -> Locator | None:
        for role in ("link", "button"):
            located = self.page.get_by_role(role, name=name).filter(visible=True)
            if located.count():
                return located.first
        return None

    def _no_postcode_route(self) -> str | None:
        """The words of a link or button offering a way on without a postcode, if the page has one."""
        control = self._quick_control(NO_POSTCODE_ROUTE)
        return " ".join(control.inner_text().split()) if control is not None else None

    def _find_control(self, name: str) -> Locator:
        """By role and accessible name; failing that, by visible text, which is itself a finding."""
        page = self.page
        found = self._first_found([
            ("role", lambda: page.get_by_role("button", name=name, exact=True)),
            ("role", lambda: page.get_by_role("link", name=name, exact=True)),
            ("role", lambda: page.get_by_role("button", name=name)),
            ("role", lambda: page.get_by_role("link", name=name)),
            ("text", lambda: page.get_by_text(name, exact=True)),
            ("text", lambda: page.get_by_text(name)),
        ])
        if found is None:
            raise ExpectationFailed(f"No button or link named '{name}' on {self._where()}.")
        how, control = found
        if how == "text":
            self._note_or_block(RULES["control-has-role"].finding(
                f"'{name}' looks like a control but is not a button or link, so screen reader and voice "
                "control users cannot find or operate it.", page_url=page.url, **_element_fields(control)))
        return control

    def _find_field(self, label: str) -> Locator:
        """By its label; failing that by placeholder or the text beside it, which is a finding."""
        page = self.page
        found = self._first_found([
            ("label", lambda: page.get_by_label(label)),
            ("placeholder", lambda: page.get_by_placeholder(label)),
            ("text", lambda: page.get_by_text(label).first.locator(
                "xpath=following::*[self::input or self::select or self::textarea][1]")),
        ])
        if found is None:
            raise ExpectationFailed(f"No field labelled '{label}' on {self._where()}.")
        how, field = found
        if how != "label":
            self._note_or_block(RULES["field-label-associated"].finding(
                f"The field shown as '{label}' has no label tied to it, so screen reader users hear no name "
                "for it and voice control users cannot say its name.", page_url=page.url,
                **_element_fields(field)))
        return field

    def _note_or_block(self, finding: Finding) -> None:
        """A control found only by its look: a finding, and the end of the road for a screen reader user."""
        if self.behaviour.names_only:
            raise JourneyBlocked(replace(finding, impact=Impact.CRITICAL, blocker=True,
                                  message=f"{finding.message} {self.persona.name} cannot go on."))
        self._note(finding)

    # -- probes made while walking ----------------------------------------------------------------------

    def _recover(self, name: str) -> None:
        """After submitting a typing mistake: was it caught, and was what the persona typed kept?"""
        mistakes, self._mistakes = self._mistakes, []
        if not self._after_error:
            for label, _, mistake in mistakes:
                self._note(RULES["error-recovery"].finding(
                    f"The service accepted '{mistake}' for '{label}' without a message. Check that it "
                    "validates this answer: a slip here goes unnoticed.", page_url=_safe_url(self.page),
                    outcome=Outcome.NEEDS_REVIEW))
            return
        corrections = {label: value for label, value, _ in mistakes}
        for label, _, mistake in mistakes:
            field = self._find_field(label)
            kept = field.input_value()
            if kept.strip() != mistake.strip():
                self._note(RULES["error-recovery"].finding(
                    f"After {self.persona.name} typed '{mistake}' in '{label}' and submitted, the form came "
                    f"back with {repr(kept) if kept else 'the field empty'}: what was typed is lost, so it "
                    "is harder to see and fix the mistake.", page_url=_safe_url(self.page),
                    **_element_fields(field)))
        # Correct the mistake, and type again whatever the form did not keep.
        for label, value in {**self._submitted, **corrections}.items():
            field = self._find_field(label)
            if field.input_value() != value:
                refuse_payment_page(self.page, self.target, f"type in '{label}'")
                self._type(field, value, label)
            self._typed[label] = value
        self.press(name)

    def _check_announced(self, name: str) -> None:
        """Content that appeared without a new page must be in a live region or take focus (4.1.3)."""
        self.page.wait_for_timeout(200)  # let a fetch's response be written into the page
        result = _safe_evaluate(self.page, ADDED_UNANNOUNCED_JS)
        if not result:
            return
        self._note(RULES["status-message"].finding(
            f"After pressing '{name}', new content appeared without a new page ('{result['text']}') but it "
            "is not in a live region and focus did not move to it, so screen reader users are not told.",
            page_url=_safe_url(self.page), **_element_fields(self.page.locator("[data-a11y-status]").first)))

    def _check_title(self) -> None:
        """Page titles must tell the steps of a journey apart (2.4.2)."""
        title, path = " ".join(_safe_title(self.page).split()), _path(_safe_url(self.page))
        first_seen = self._titles.setdefault(title, path)
        if not title:
            message = "The page has no title, so people using tabs, history or a screen reader cannot tell where they are."
        elif first_seen != path:
            message = (f"This page has the same title, '{title}', as an earlier step of the journey "
                       f"({first_seen}), so people using tabs, history or a screen reader cannot tell the steps "
                       "apart.")
        else:
            return
        self._note(RULES["page-title-distinct"].finding(message, page_url=_safe_url(self.page), selector="title"))

    def _context(self) -> PageContext:
        return PageContext(on_behalf=self.on_behalf, after_error=self._after_error, typed=self._submitted,
                           persona=self.persona.id)

    # -- scanning and recording ----------------------------------------------------------------------

    def _scan_state(self, label: str, force_screenshot: bool = False, extra_checks: Sequence[str] = ()) -> None:
        """axe on the page as it is now, once per distinct page state in this journey, with a screenshot."""
        step = self._step
        assert step is not None
        try:
            state_id, title, elements = state_facts(self.page)
        except PlaywrightError:
            state_id, title, elements = f"unreadable-{len(self._scanned)}", _safe_title(self.page), 0
        if state_id in self._scanned and not force_screenshot:
            return
        first_time = state_id not in self._scanned
        self._scanned.add(state_id)
        state: dict[str, Any] = {"label": label, "url": self.page.url, "title": title}
        if first_time and elements > AXE_MAX_ELEMENTS:
            step.findings.append(self._too_large_to_scan(elements))
            state.update(axe_checked=[], axe_inapplicable=[], checks=[])
        elif first_time:
            found, evidence, scan_s = self._axe(state_id)
            step.findings.extend(found)
            self._note_if_large(elements, scan_s)
            checks = [*self._page_checks, *extra_checks]
            step.findings.extend(run_checks(self.page, checks, self._context()))
            if "page-title-distinct" in self.checks:
                self._check_title()
            # What was tested here, so a conformance table can say "Supports" only with evidence.
            state.update(evidence, checks=checks)
        if step.findings or force_screenshot or self.screenshot_clean_states:
            state["boxes"] = element_boxes(self.page, [f.selector for f in step.findings])
            state["screenshot"] = self._screenshot()
            if state["screenshot"]:
                state["screenshot_scale"] = 1  # CSS pixels (SCREENSHOT_SCALE), whatever the device's scale
        else:
            state["boxes"], state["screenshot"] = {}, ""
        step.states.append(state)

    def _axe(self, state_id: str) -> tuple[list[Finding], dict[str, list[str]], float]:
        """axe on this page state, or its earlier result when another walk in this process met the same state.

        The same DOM at the same address, seen with the same browser settings, behaviour (a keyboard user's focus
        can change what axe sees) and axe tags, gives the same axe result: start pages are met by every mouse
        persona with the default viewport, so each is scanned once.
        """
        settings = json.dumps([self.persona.behaviour, dict(self.persona.context)], sort_keys=True, default=str)
        key = (state_id, settings, tuple(self.axe_tags))
        cached = AXE_CACHE.get(key)
        if cached is not None and not state_id.startswith("unreadable-"):
            AXE_CACHE.move_to_end(key)
            return list(cached[0]), cached[1], cached[2]
        started = time.monotonic()
        try:
            # axe's own limit is a timer in the page, which a busy page never lets fire: this one holds.
            with self.watchdog.limit(AXE_TIME_LIMIT_S, "the axe-core scan"):
                found, evidence = scan_page_with_evidence(self.page, self.axe_tags)
        except PageUnresponsive as exc:
            if exc.kind != "script":
                raise
            found, evidence = [self._axe_stopped()], {"axe_checked": [], "axe_inapplicable": []}
        scan_s = time.monotonic() - started
        if not any(f.rule_id == "axe-scan-failed" for f in found):
            AXE_CACHE[key] = (tuple(found), evidence, scan_s)
            while len(AXE_CACHE) > AXE_CACHE_SIZE:
                AXE_CACHE.popitem(last=False)
        return found, evidence, scan_s

    def _axe_stopped(self) -> Finding:
        return RULES["axe-scan-failed"].finding(
            f"The axe-core scan did not finish within {AXE_TIME_LIMIT_S:g} s and was stopped, so this page state "
            "was not tested.", page_url=_safe_url(self.page), when="too-slow")

    def _too_large_to_scan(self, elements: int) -> Finding:
        return RULES["page-too-large"].finding(
            f"The page is too large to scan ({elements:,} elements, more than {AXE_MAX_ELEMENTS:,}): axe-core and "
            "the page checks were not run on it, so nothing on it was tested.", page_url=_safe_url(self.page))

    def _note_if_large(self, elements: int, scan_s: float) -> None:
        """A very large page is slow for older devices and assistive technology, and slow to test."""
        if elements <= LARGE_PAGE_ELEMENTS:
            return
        self._note(RULES["large-page"].finding(
            f"The page has {elements:,} elements (more than {LARGE_PAGE_ELEMENTS:,}); axe-core took {scan_s:.1f} s "
            "to scan it.", page_url=_safe_url(self.page)))

    def _screenshot(self) -> str:
        """A full-page screenshot stored beside the results; returns its path relative to the run folder."""
        name = f"{_evidence_name(self.test_id)}-{len(self.screenshots) + 1:02d}.png"
        path = self.store.screenshots / name
        try:
            width, height, has_password = screenshot_facts(self.page)
            # Secrets never reach an image: password fields and fields filled from credentials are masked.
            mask = [*([self.page.locator("input[type=password]")] if has_password else []), *self._secret_fields]
            # A very long page is cut at SCREENSHOT_MAX_HEIGHT: a screenshot of 100,000 px helps nobody and
            # takes Chromium minutes.
            clip: FloatRect = {"x": 0, "y": 0, "width": width, "height": min(height, SCREENSHOT_MAX_HEIGHT)}
            self.page.screenshot(path=str(path), full_page=True, clip=clip, mask=mask or None,
                                 scale=SCREENSHOT_SCALE, timeout=SCREENSHOT_TIMEOUT_S * 1000)
        except PlaywrightError:
            return ""
        self.screenshots.append(path)
        if self._on_screenshot:
            self._on_screenshot(path)
        return f"{self.store.screenshots.name}/{name}"

    def _where(self) -> str:
        """The page for a message: its title and address, or why the browser shows an error page instead."""
        url = _safe_url(self.page)
        if url.startswith("chrome-error://"):
            return f"the browser's error page ({self.events.navigation_failure or 'the page could not load'})"
        return f"'{_safe_title(self.page)}' ({url})"

    def _note(self, finding: Finding) -> None:
        assert self._step is not None
        self._step.findings.append(finding)

    def _note_event(self, finding: Finding) -> None:
        """Findings from page events arrive between verbs; they belong to the step under way, or the next."""
        if self._step is not None:
            self._step.findings.append(finding)
        else:
            self._pending.append(finding)

    def _current_step(self, verb: str) -> _Step:
        if self._step is None:
            raise RuntimeError(f"journey.{verb}() was called outside a step. Wrap it in "
                               "`with journey.step(\"<what the person is doing>\"):`.")
        if self.watchdog.stopped:
            raise PageUnresponsive(self.watchdog.stopped, kind="stopped")
        self._stop_if_capped()
        elapsed = time.monotonic() - self._step.started
        if elapsed > self.step_timeout_s:
            raise StepTimedOut(f"The step took longer than {self.step_timeout_s:g} s in all and was stopped.")
        self._action_started = time.monotonic()
        return self._step

    def _settle(self) -> None:
        """Let a page started by the last action load; a page that never finishes is used as it stands."""
        for _ in range(SETTLE_ROUNDS):
            try:
                self.page.wait_for_load_state("load", timeout=self.page_timeout_s * 1000)
            except PlaywrightError as exc:
                if self.events.crashed or "closed" in str(exc).lower():
                    raise
                # A page that never loads because it keeps leaving is a loop; one cut short, too large.
                self._stop_if_capped()
                self._stop_if_looping()
                self._note(RULES["page-load-timeout"].finding(
                    f"The page did not finish loading within {self.page_timeout_s:g} s; the journey went on with "
                    "what had arrived.", page_url=_safe_url(self.page)))
                break
            # Content still arriving after the load event (fetched results, late widgets) is waited for, up
            # to a cap, so the scan sees what a person would; a quiet page costs no wait at all.
            deadline = time.monotonic() + NETWORK_QUIET_CAP_S
            while self.events.in_flight > 0 and time.monotonic() < deadline:
                self.page.wait_for_timeout(50)
            # A navigation that began late (a tap's click, a script's redirect) replaces the document under
            # us: go round again until the page holds still.
            try:
                self.page.evaluate("() => document.readyState")
                break
            except PlaywrightError as exc:
                if "destroyed" not in str(exc) and "navigat" not in str(exc).lower():
                    raise
        self._stop_if_capped()
        self._stop_if_looping()
        if self.page.url.startswith("chrome-error://"):
            raise ExpectationFailed(f"The next page could not be loaded: "
                                    f"{self.events.navigation_failure or 'the browser showed an error page'}.")
        self._stop_if_http_error()

    def _stop_if_looping(self) -> None:
        """A page that sends the browser round in a loop is named as such, not met later as missing text."""
        loop = self.events.loop(self._action_started)
        if loop:
            raise JourneyBlocked(self._loop_finding(loop))

    def _loop_finding(self, loop: Sequence[str]) -> Finding:
        shown = [_shown_address(url) for url in loop[-6:]]
        failure = self.events.navigation_failure.split(" loading ", 1)[0]
        return RULES["redirect-loop"].finding(
            f"The page redirects in a loop: {' → '.join(shown)} → … ({len(loop)} page loads"
            f"{', ' + failure if 'REDIRECTS' in failure else ''}), so the persona never reaches a page.",
            page_url=loop[0], blocker=True)

    def _stop_if_http_error(self) -> None:
        """A page the server answered with an error: the journey cannot be trusted to go on from it."""
        answer = self.events.document_status
        if answer is None or answer[0] < 400 or answer[0] in HTTP_FORM_ANSWERS:
            return
        status, text, url = answer
        if _path(url) != _path(_safe_url(self.page)):
            return  # the page has moved on since (history.pushState, a later navigation)
        raise JourneyBlocked(RULES["http-error"].finding(
            f"The server answered {url} with HTTP {status}{' ' + text if text else ''}, so {self.persona.name} met "
            "an error page instead of the service, and the journey cannot be trusted to go on.",
            page_url=url, blocker=True))

    def _note_document_cap(self, url: str, received: int) -> None:
        """From the size cap, as the document arrives: the step stops at the next settle."""
        self._capped = RULES["document-too-large"].finding(
            f"The page is too large: its document ({url}) is more than {DOCUMENT_MAX_BYTES / 1e6:g} MB "
            f"({received / 1e6:.1f} MB had arrived or was declared), so the harness stopped loading it and closed "
            "the page; the journey cannot go on from a page cut short.", page_url=url, blocker=True)

    def _stop_if_capped(self) -> None:
        capped, self._capped = self._capped, None
        if capped is not None:
            raise JourneyBlocked(capped)

    def _blocker_from(self, exc: BaseException) -> Finding:
        if isinstance(exc, JourneyBlocked):
            return exc.finding
        if self._capped is not None:
            return self._capped  # whatever failed after, a page cut short is why
        step_name = self._step.name if self._step else ""
        if isinstance(exc, PageUnresponsive):
            return RULES["page-unresponsive"].finding(f"'{step_name}' could not go on. {exc}",
                                                      page_url=_safe_url(self.page), blocker=True)
        if self.events.crashed:
            return RULES["page-crashed"].finding(
                f"The browser page crashed during '{step_name}', so the journey could not go on.",
                page_url=_safe_url(self.page), blocker=True)
        if isinstance(exc, StepTimedOut | ConfigError):
            return RULES["harness-error"].finding(f"'{step_name}' was stopped: {exc}",
                                                  page_url=_safe_url(self.page), blocker=True, when="stopped")
        loop = self.events.loop(self._action_started)
        if loop and isinstance(exc, ExpectationFailed | PlaywrightError):
            return self._loop_finding(loop)
        if (isinstance(exc, ExpectationFailed | PlaywrightError) and not self.events.navigating
                and not self.watchdog.responds()):
            # Playwright's own timeout ended the call, but the reason is a page that no longer answers.
            self.watchdog.stop_script()
            return self._blocker_from(PageUnresponsive(
                f"The page stopped responding: it did not answer the browser ({first_line(str(exc))}), and "
                "still did not a moment later, so the harness stopped its script.", kind="script"))
        if isinstance(exc, ExpectationFailed | PlaywrightError):
            return RULES["journey-blocked"].finding(f"Could not complete '{step_name}': {first_line(str(exc))}",
                                                    page_url=_safe_url(self.page), blocker=True)
        return RULES["harness-error"].finding(
            f"The harness failed during '{step_name}': {type(exc).__name__}: {first_line(str(exc))}",
            page_url=_safe_url(self.page), blocker=True)


def _first_match(strategies: list[tuple[str, Callable[[], Locator]]]) -> tuple[int, str, Locator] | None:
    """The first way of finding something that finds a visible match now: its place in the list, name, match."""
    for index, (how, make) in enumerate(strategies):
        try:
            located = make().filter(visible=True)
            if located.count():
                return index, how, located.first
        except PlaywrightError:
            pass  # the page is navigating; try again on the next pass
    return None


def _element_fields(locator: Locator) -> dict[str, Any]:
    """selector= and snippet= for a Finding about this element."""
    info = describe_element(locator)
    return {"selector": info["selector"], "snippet": info["html"]}


def _safe_evaluate(page: Page, script: str) -> Any:
    try:
        return page.evaluate(script)
    except PlaywrightError:
        return None


def _chain_text(exc: BaseException | None) -> str:
    """The text of an exception and of every exception behind it, as a traceback would show them."""
    texts: list[str] = []
    while exc is not None and len(texts) < 10:
        texts.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    return "\n".join(texts)


def _path(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0]


def _safe_title(page: Page) -> str:
    try:
        return page.title()
    except PlaywrightError:
        return ""


def _safe_url(page: Page) -> str:
    try:
        return page.url
    except PlaywrightError:
        return ""


def _shown_address(url: str) -> str:
    """An address as a message shows it: its path and query, cut short."""
    parts = urlsplit(url)
    shown = parts.path + (f"?{parts.query}" if parts.query else "") if parts.scheme in ("http", "https") else url
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:120]


def _evidence_name(test_id: str) -> str:
    """A readable file name unique to the test: its slug, cut short, then a hash of the whole id.

    The slug alone folds '/' and '-' together and is cut at 120 characters, so scan mode's '/scan/a/b'
    and '/scan/a-b' (or two long addresses that differ only at the end) would share one screenshot.
    """
    digest = hashlib.sha256(test_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{_slug(test_id)[:100].rstrip('-')}-{digest}"


ELEMENT_BOXES_JS = """
(selectors) => {
  const boxes = {};
  for (const selector of selectors) {
    try {
      const element = document.querySelector(selector);
      if (!element) continue;
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      boxes[selector] = [rect.left + window.scrollX, rect.top + window.scrollY, rect.width, rect.height]
        .map(Math.round);
    } catch (e) { /* a selector CSS cannot read (frames, shadow DOM, Playwright syntax): no outline */ }
  }
  return boxes;
}
"""


def element_boxes(page: Page, selectors: Iterable[str]) -> dict[str, list[int]]:
    """Where each finding's element is on the full-page screenshot, so reports can outline it.

    One round trip for every selector; a page that cannot answer gets no outlines, never an error.
    """
    wanted = sorted({s for s in selectors if s and ">>" not in s})
    if not wanted:
        return {}
    try:
        boxes: dict[str, list[int]] = page.evaluate(ELEMENT_BOXES_JS, wanted)
    except PlaywrightError:
        return {}
    return boxes
