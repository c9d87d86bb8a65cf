"""Journey and steps: what scenarios call to walk a council service as a persona."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FloatRect, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.axe_scan import DEFAULT_TAGS, first_line, scan_page
from harness.behaviours import BEHAVIOURS, Blocked
from harness.checks import run_checks
from harness.errors import ConfigError
from harness.findings import Finding, Impact, Outcome, dedupe
from harness.page_events import PageEvents
from harness.page_facts import describe_element, fingerprint, headings, looks_like_payment, shows_errors
from harness.personas import Persona
from harness.results import ResultsStore
from harness.targets import Target

PATIENCE_MS = 5_000
"""How long a persona waits for something to appear before deciding it is not there."""
PAGE_TIMEOUT_S = 30.0
"""How long a page may take to load before the journey goes on with what has arrived."""
STEP_TIMEOUT_S = 120.0
"""How long one step may take in all before it is stopped as stuck."""
NAVIGATION_ATTEMPTS = 3
SCREENSHOT_MAX_HEIGHT = 6_000
LARGE_PAGE_ELEMENTS = 5_000
NETWORK_QUIET_CAP_S = 3.0
SCREENSHOT_TIMEOUT_S = 60.0
# Network failures worth a second try; anything else (a redirect loop, a bad address) is final.
TRANSIENT_NETWORK_ERRORS = ("ERR_CONNECTION_RESET", "ERR_CONNECTION_REFUSED", "ERR_CONNECTION_CLOSED",
                            "ERR_EMPTY_RESPONSE", "ERR_NETWORK_CHANGED", "ERR_TIMED_OUT",
                            "ERR_CONNECTION_TIMED_OUT", "ERR_INTERNET_DISCONNECTED",
                            "interrupted by another navigation")


class JourneyBlocked(AssertionError):
    """The persona could not finish the journey; the message is the blocker finding."""

    def __init__(self, message: str, finding: Finding) -> None:
        super().__init__(message)
        self.finding = finding


@dataclass
class _Step:
    name: str
    index: int
    started: float
    states: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    left_page: bool = False
    """True when the step's last action was a press that may have moved to another page."""


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
                 page_timeout_s: float = PAGE_TIMEOUT_S, step_timeout_s: float = STEP_TIMEOUT_S) -> None:
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
        self.outcome = "not started"
        self.blocker = ""
        self.screenshots: list[Path] = []
        self._scanned: set[str] = set()
        self._step: _Step | None = None
        self._steps = 0
        self._started = time.monotonic()
        self._on_screenshot = on_screenshot
        self._pending: list[Finding] = []
        self._secret_fields: list[Locator] = []
        self.page_timeout_s = page_timeout_s
        self.step_timeout_s = step_timeout_s
        self.words: Mapping[str, str] = target.words(journey_id)
        page.set_default_timeout(PATIENCE_MS)
        page.set_default_navigation_timeout(page_timeout_s * 1000)
        self.events = PageEvents(page, self._note_event, allowed_origins)

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
        self.outcome = "in progress"
        try:
            yield self
        except Exception as exc:
            finding = self._blocker_from(exc)
            # A crashed or closed page must not hide the blocker behind a second error.
            with suppress(Exception):
                self._scan_state("where the persona got stuck", force_screenshot=True)
            self._step.findings.append(finding)
            self._finish_step("blocked")
            self.outcome, self.blocker = "blocked", finding.message
            raise JourneyBlocked(f"{self.persona.title} could not finish '{name}': {finding.message}",
                                 finding) from exc
        else:
            if not self._step.left_page:
                self._scan_state("end of step")
            self._finish_step("completed")
            self.outcome = "completed"

    def _finish_step(self, status: str) -> None:
        step = self._step
        assert step is not None
        findings = [f.at_step(target=self.target.id, persona=self.persona.id, journey=self.journey_id,
                              step=step.name) for f in dedupe(step.findings)]
        self.findings.extend(findings)
        self.store.append({
            "kind": "step", "test_id": self.test_id, "target": self.target.id, "persona": self.persona.id,
            "journey": self.journey_id, "step": step.name, "index": step.index, "status": status,
            "states": step.states, "findings": [f.to_dict() for f in findings],
            "duration_s": round(time.monotonic() - step.started, 3)})
        self._step = None

    @property
    def duration_s(self) -> float:
        return round(time.monotonic() - self._started, 3)

    # -- verbs ---------------------------------------------------------------------------------------

    @property
    def test_card(self) -> Mapping[str, str]:
        """The payment test card the target declares (number, expiry, name, security_code)."""
        return self.target.test_card

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
                self._note(Finding(
                    outcome=Outcome.ERROR, impact=Impact.MINOR, rule_id="navigation-retried",
                    source="harness",
                    message=f"Opening the start page failed ({transient}); the harness tried again "
                            f"(attempt {attempt + 1} of {NAVIGATION_ATTEMPTS}).",
                    help="Check the service's availability if this happens often.", help_url="",
                    page_url=self.entry_url))
                # Let the browser's own error page finish arriving, or it interrupts the next attempt.
                self.page.wait_for_timeout(250 * attempt)
                with suppress(PlaywrightError):
                    self.page.wait_for_load_state("load", timeout=2_000)
        self._settle()

    def press(self, name: str) -> None:
        """Activate the button or link a person would know by these words."""
        step = self._current_step("press")
        name = self.words.get(name, name)
        control = self._find_control(name)
        self._scan_state(f"before pressing '{name}'")
        if not self.target.test_environment and looks_like_payment(self.page):
            raise Blocked(Finding(
                outcome=Outcome.ERROR, impact=Impact.CRITICAL, rule_id="payment-refused", source="harness",
                message=f"The harness will not press '{name}' on a payment page of '{self.target.name}', "
                        "because the target is not marked as a test environment.",
                help=f"Point the target at a test or staging instance and set test_environment = true in "
                     f"{self.target.source}; never run journeys that pay against a live service.",
                help_url="", page_url=self.page.url, blocker=True))
        path_before = _path(self.page.url)
        self.behaviour.activate(self.page, control, name)
        self._settle()
        step.left_page = True
        if _path(self.page.url) == path_before or shows_errors(self.page):
            # The same form came back (or an error appeared): the state people must recover from.
            self._scan_state(f"after pressing '{name}'")
            step.left_page = False

    def fill(self, label: str, value: str) -> None:
        """Type into the field a person would know by this label."""
        step = self._current_step("fill")
        label = self.words.get(label, label)
        self.behaviour.fill(self.page, self._find_field(label), value, label)
        step.left_page = False

    def fill_credential(self, label: str, credential: str) -> None:
        """Type a test account's secret, read from the environment variable the target names.

        The value is never stored, logged or shown: screenshots mask the field.
        """
        step = self._current_step("fill_credential")
        label = self.words.get(label, label)
        value = self.target.credential(credential)
        field = self._find_field(label)
        self._secret_fields.append(field)
        self.behaviour.fill(self.page, field, value, label)
        step.left_page = False

    def choose(self, label: str) -> None:
        """Select the radio button or checkbox with this label."""
        step = self._current_step("choose")
        label = self.words.get(label, label)
        option = self._find_field(label)
        self.behaviour.choose(self.page, option, label)
        step.left_page = False

    def check_page(self, check_ids: Iterable[str]) -> None:
        """Scan the page as it is now with axe and run persona checks on it (scan mode does this per page)."""
        self._current_step("check_page")
        self._scan_state("page as loaded")
        for finding in run_checks(self.page, check_ids):
            self._note(finding)

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
            self._note(Finding(
                outcome=Outcome.NEEDS_REVIEW, impact=Impact.MODERATE, rule_id="heading-marked-up",
                source="harness",
                message=f"The text '{text}' reads as this page's heading, but it is not marked up as a "
                        "heading, so screen reader users cannot find it by heading.",
                help="Mark the page's main heading up as <h1> (and sub-headings as <h2>, <h3>).",
                help_url="https://www.w3.org/WAI/WCAG22/Understanding/info-and-relationships.html",
                criteria=("1.3.1",), page_url=self.page.url, **_element_fields(lookalike)))

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
            for how, make in strategies:
                try:
                    located = make().filter(visible=True)
                    if located.count():
                        return how, located.first
                except PlaywrightError:
                    pass  # the page is navigating; try again on the next pass
            if time.monotonic() >= deadline:
                return None
            self.page.wait_for_timeout(100)

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
            self._note(Finding(
                outcome=Outcome.VIOLATION, impact=Impact.SERIOUS, rule_id="control-has-role",
                source="harness",
                message=f"'{name}' looks like a control but is not a button or link, so screen reader "
                        "and voice control users cannot find or operate it.",
                help="Use a <button> (or <a href> for navigation) instead of a clickable <div> or <span>.",
                help_url="https://www.w3.org/WAI/WCAG22/Understanding/name-role-value.html",
                criteria=("4.1.2",), page_url=page.url, **_element_fields(control)))
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
            self._note(Finding(
                outcome=Outcome.VIOLATION, impact=Impact.SERIOUS, rule_id="field-label-associated",
                source="harness",
                message=f"The field shown as '{label}' has no label tied to it, so screen reader users "
                        "hear no name for it and voice control users cannot say its name.",
                help="Give the field a <label for=...> (or aria-labelledby) that holds the visible text; a "
                     "placeholder is not a label.",
                help_url="https://www.w3.org/WAI/WCAG22/Understanding/info-and-relationships.html",
                criteria=("1.3.1", "3.3.2", "4.1.2"), page_url=page.url, **_element_fields(field)))
        return field

    # -- scanning and recording ----------------------------------------------------------------------

    def _scan_state(self, label: str, force_screenshot: bool = False) -> None:
        """axe on the page as it is now, once per distinct page state in this journey, with a screenshot."""
        step = self._step
        assert step is not None
        try:
            state_id = fingerprint(self.page)
        except PlaywrightError:
            state_id = f"unreadable-{len(self._scanned)}"
        if state_id in self._scanned and not force_screenshot:
            return
        first_time = state_id not in self._scanned
        self._scanned.add(state_id)
        if first_time:
            started = time.monotonic()
            step.findings.extend(scan_page(self.page, self.axe_tags))
            self._note_if_large(time.monotonic() - started)
        step.states.append({"label": label, "url": self.page.url, "title": _safe_title(self.page),
                            "screenshot": self._screenshot()})

    def _note_if_large(self, scan_s: float) -> None:
        """A very large page is slow for older devices and assistive technology, and slow to test."""
        try:
            elements = int(self.page.evaluate("() => document.getElementsByTagName('*').length"))
        except PlaywrightError:
            return
        if elements <= LARGE_PAGE_ELEMENTS:
            return
        self._note(Finding(
            outcome=Outcome.ERROR, impact=Impact.MINOR, rule_id="large-page", source="harness",
            message=f"The page has {elements:,} elements (more than {LARGE_PAGE_ELEMENTS:,}); axe-core took "
                    f"{scan_s:.1f} s to scan it.",
            help="Very large pages are slow on older devices and with screen readers; split long lists "
                 "into pages or load them on request.", help_url="", page_url=_safe_url(self.page)))

    def _screenshot(self) -> str:
        """A full-page screenshot stored beside the results; returns its path relative to the run folder."""
        name = f"{_slug(self.test_id)}-{len(self.screenshots) + 1:02d}.png"
        path = self.store.screenshots / name
        # Secrets never reach an image: password fields and fields filled from credentials are masked.
        mask = [self.page.locator("input[type=password]"), *self._secret_fields]
        try:
            # A very long page is cut at SCREENSHOT_MAX_HEIGHT: a screenshot of 100,000 px helps nobody and
            # takes Chromium minutes.
            size = self.page.evaluate("() => [document.documentElement.scrollWidth, "
                                      "document.documentElement.scrollHeight]")
            clip: FloatRect = {"x": 0, "y": 0, "width": size[0], "height": min(size[1], SCREENSHOT_MAX_HEIGHT)}
            self.page.screenshot(path=str(path), full_page=True, clip=clip, mask=mask,
                                 timeout=SCREENSHOT_TIMEOUT_S * 1000)
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
        elapsed = time.monotonic() - self._step.started
        if elapsed > self.step_timeout_s:
            raise StepTimedOut(f"The step took longer than {self.step_timeout_s:g} s in all and was stopped.")
        return self._step

    def _settle(self) -> None:
        """Let a page started by the last action load; a page that never finishes is used as it stands."""
        try:
            self.page.wait_for_load_state("load", timeout=self.page_timeout_s * 1000)
        except PlaywrightError as exc:
            if self.events.crashed or "closed" in str(exc).lower():
                raise
            self._note(Finding(
                outcome=Outcome.ERROR, impact=Impact.MODERATE, rule_id="page-load-timeout", source="harness",
                message=f"The page did not finish loading within {self.page_timeout_s:g} s; the journey "
                        "went on with what had arrived.",
                help="Find what keeps the page loading (a slow script, image or connection that never "
                     "closes): people on slow connections wait for it too.",
                help_url="", page_url=_safe_url(self.page)))
        # Content still arriving after the load event (fetched results, late widgets) is waited for, up
        # to a cap, so the scan sees what a person would; a quiet page costs no wait at all.
        deadline = time.monotonic() + NETWORK_QUIET_CAP_S
        while self.events.in_flight > 0 and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)
        if self.page.url.startswith("chrome-error://"):
            raise ExpectationFailed(f"The next page could not be loaded: "
                                    f"{self.events.navigation_failure or 'the browser showed an error page'}.")

    def _blocker_from(self, exc: BaseException) -> Finding:
        if isinstance(exc, Blocked):
            return exc.finding
        step_name = self._step.name if self._step else ""
        if self.events.crashed:
            return Finding(
                outcome=Outcome.ERROR, impact=Impact.CRITICAL, rule_id="page-crashed", source="harness",
                message=f"The browser page crashed during '{step_name}', so the journey could not go on.",
                help="A page that crashes the browser (runaway memory or script) stops everyone; "
                     "reproduce it with the screenshot and the steps before it.",
                help_url="", page_url=_safe_url(self.page), blocker=True)
        if isinstance(exc, StepTimedOut | ConfigError):
            return Finding(
                outcome=Outcome.ERROR, impact=Impact.CRITICAL, rule_id="harness-error", source="harness",
                message=f"'{step_name}' was stopped: {exc}", help="", help_url="",
                page_url=_safe_url(self.page), blocker=True)
        if isinstance(exc, ExpectationFailed | PlaywrightError):
            return Finding(
                outcome=Outcome.VIOLATION, impact=Impact.CRITICAL, rule_id="journey-blocked",
                source="harness", message=f"Could not complete '{step_name}': {first_line(str(exc))}",
                help="Look at the screenshot of this step: something the persona needed was missing, "
                     "unusable or worded differently.",
                help_url="", page_url=_safe_url(self.page), blocker=True)
        return Finding(
            outcome=Outcome.ERROR, impact=Impact.CRITICAL, rule_id="harness-error", source="harness",
            message=f"The harness failed during '{step_name}': {type(exc).__name__}: {first_line(str(exc))}",
            help="This is a fault in the scenario or the harness, not necessarily in the service.",
            help_url="", page_url=_safe_url(self.page), blocker=True)


class ExpectationFailed(Exception):
    """Something the persona looked for was not on the page."""


class StepTimedOut(Exception):
    """A step ran past its time limit."""


def _element_fields(locator: Locator) -> dict[str, Any]:
    """selector= and snippet= for a Finding about this element."""
    info = describe_element(locator)
    return {"selector": info["selector"], "snippet": info["html"]}


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


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:120]
