"""Journey and steps: what scenarios call to walk a council service as a persona.

`Journey` is the facade of verbs (step, press, fill, choose, select, walk_to, ...). What it delegates lives
beside it: `steps` (the step under way and its record), `locating` (fields and controls found as a person
would), `page_load` (settling after each action, and the stops: a loop, an HTTP error page, a document cut
short), `page_state` (axe, the page checks and a screenshot once per page state) and `checks.probes` (what
the probes made while walking look for and report).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page

from harness.browser.axe_scan import AXE_TIME_LIMIT_S, DEFAULT_TAGS, prepare_context
from harness.browser.behaviours import BEHAVIOURS
from harness.browser.checks import CHECKS, EVERY_PERSONA, PageContext, probes
from harness.browser.checks.timing import TIMER_RECORDER_JS
from harness.browser.expectations import StepTimedOut
from harness.browser.locating import PATIENCE_MS, Locating
from harness.browser.page_events import PageEvents
from harness.browser.page_facts import (
    safe_evaluate,
    shows_errors,
    url_path,
)
from harness.browser.page_load import PageLoad
from harness.browser.page_state import PageStates
from harness.browser.payment_guard import refuse_card_data, refuse_paying_button, refuse_payment_page
from harness.browser.steps import Step, StepLog, Typing
from harness.browser.watchdog import DocumentCap, PageUnresponsive, Watchdog
from harness.model.findings import Finding, JourneyBlocked
from harness.model.masking import SecretMask
from harness.model.page_kinds import Recognition
from harness.model.personas import Persona
from harness.model.pinned_steps import PinnedStep
from harness.model.results import ResultsStore
from harness.model.targets import SCAN_JOURNEY, Target
from harness.model.untrusted import shown
from harness.model.walk_plan import Profile, WalkData

PAGE_TIMEOUT_S = 30.0
"""How long a page may take to load before the journey goes on with what has arrived."""
STEP_TIMEOUT_S = 120.0
"""How long one step may take in all before it is stopped as stuck."""
_TIMER_RECORDING: weakref.WeakSet[BrowserContext] = weakref.WeakSet()
"""Browser contexts that already record the page's timers for the time-limit check."""
# A 1×1 PNG: what personas who can upload attach wherever a journey asks for a photo or document.
SAMPLE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cf"
    "c0f01f0005000201a5f0f3b70000000049454e44ae426082")


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
        self.ending = "not started"
        self.blocker = ""
        self._started = time.monotonic()
        self._secret_fields: list[Locator] = []
        self._secrets = SecretMask.for_target(target)
        """Masks credential values in everything recorded: results, blocker messages, the exception pytest shows."""
        self.steps = StepLog(store, test_id=test_id, target=target.id, persona=persona.id, journey=journey_id,
                             secrets=self._secrets)
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
        self.typing = Typing()
        if "time-limit" in self.checks and page.context not in _TIMER_RECORDING:
            # Once per context: scan mode reuses one context from page to page.
            page.context.add_init_script(TIMER_RECORDER_JS)
            _TIMER_RECORDING.add(page.context)
        prepare_context(page.context)
        page.set_default_timeout(PATIENCE_MS)
        page.set_default_navigation_timeout(page_timeout_s * 1000)
        self.events = PageEvents(page, self.steps.note_event, allowed_origins)
        # Limits enforced from outside the page, so a page that never lets go cannot hold the run.
        self.watchdog = Watchdog(page, patience_s=page_timeout_s + PATIENCE_MS / 1000)
        self.load = PageLoad(page, events=self.events, watchdog=self.watchdog, persona_name=persona.name,
                             page_timeout_s=page_timeout_s, note=self.steps.note)
        self.events.on_storm = self.watchdog.stop_now
        self.events.also_detach.append(DocumentCap(self.watchdog, self.load.note_document_cap).detach)
        self.locating = Locating(page, behaviour=self.behaviour, persona_name=persona.name, journey_id=journey_id,
                                 words=self.words, note=self.steps.note, where=self.load.where)
        self.states = PageStates(page, screenshots_dir=store.screenshots, test_id=test_id, persona=persona,
                                 axe_tags=self.axe_tags, watchdog=self.watchdog, checks=self.checks,
                                 page_checks=self._page_checks, secret_fields=self._secret_fields,
                                 screenshot_clean_states=screenshot_clean_states, on_screenshot=on_screenshot)

    @property
    def findings(self) -> list[Finding]:
        """Every finding of the steps that have ended, placed and with credential values masked."""
        return self.steps.findings

    @property
    def screenshots(self) -> list[Path]:
        return self.states.screenshots

    # -- steps ---------------------------------------------------------------------------------------

    @contextmanager
    def step(self, name: str) -> Iterator[Journey]:
        """A named stage of the journey; its page states are scanned and recorded when it ends."""
        step = self.steps.begin(name)
        self.ending = "in progress"
        try:
            # The step's time limit holds even while a call waits on a page that never answers.
            with self.watchdog.limit(self.step_timeout_s, f"the step '{name}'"):
                yield self
                self.load.stop_if_capped()
                if not step.left_page:
                    self._scan_state("end of step")
        except Exception as exc:  # noqa: BLE001 - every failure becomes the blocker finding, raised below
            finding = self.load.blocker_from(exc, name)
            # Noted before the screenshot, so the report can outline the control that stopped the persona.
            step.findings.append(finding)
            self.load.record_where_stuck(
                exc, finding, lambda: self._scan_state("where the persona got stuck", force_screenshot=True),
                scan_limit_s=min(self.step_timeout_s, AXE_TIME_LIMIT_S))
            self.steps.finish("blocked")
            finding = self._secrets.finding(finding)
            self.ending, self.blocker = "blocked", finding.message
            # pytest prints the cause below our message: not when the page's words put a secret in it.
            cause = None if self._secrets.leaks(_chain_text(exc)) else exc
            raise JourneyBlocked(finding, f"{self.persona.title} could not finish '{name}': {finding.message}"
                                 ) from cause
        else:
            self.steps.finish("completed")
            self.ending = "completed"

    def _current_step(self, verb: str) -> Step:
        step = self.steps.current
        if step is None:
            raise RuntimeError(f"journey.{verb}() was called outside a step. Wrap it in "
                               "`with journey.step(\"<what the person is doing>\"):`.")
        if self.watchdog.stopped:
            raise PageUnresponsive(self.watchdog.stopped, kind="stopped")
        self.load.stop_if_capped()
        elapsed = time.monotonic() - step.started
        if elapsed > self.step_timeout_s:
            raise StepTimedOut(f"The step took longer than {self.step_timeout_s:g} s in all and was stopped.")
        self.load.action_started = time.monotonic()
        return step

    def _scan_state(self, label: str, force_screenshot: bool = False, extra_checks: Sequence[str] = ()) -> None:
        """axe and the page checks on the page as it is now, once per distinct state, with a screenshot."""
        step = self.steps.current
        assert step is not None
        context = PageContext(on_behalf=self.on_behalf, after_error=self.typing.after_error, typed=self.typing.submitted,
                              persona=self.persona.id, in_service=self.journey_id != SCAN_JOURNEY)
        self.states.scan(step, label, context, force_screenshot=force_screenshot, extra_checks=extra_checks)

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
        self.load.open(self.entry_url)
        self.load.settle()

    def press(self, name: str) -> None:
        """Activate the button or link a person would know by these words."""
        step = self._current_step("press")
        name = self.words.get(name, name)
        # Before looking for the button: a Pay button inside a hosted payment frame is out of our sight.
        refuse_payment_page(self.page, self.target, f"press '{name}'")
        refuse_paying_button(self.page, self.target, name)
        control = self.locating.find_control(name)
        self._scan_state(f"before pressing '{name}'")
        refuse_payment_page(self.page, self.target, f"press '{name}'")
        path_before = url_path(self.page.url)
        self.typing.submit()
        watching = "status-message" in self.checks and safe_evaluate(self.page, probes.WATCH_ADDED_JS)
        self.behaviour.activate(self.page, control, name)
        self.load.settle()
        step.left_page = True
        self.typing.after_error = shows_errors(self.page)
        if watching:
            for finding in probes.new_content_announced(self.page, name):
                self.steps.note(finding)
        if url_path(self.page.url) == path_before or self.typing.after_error:
            # The same form came back (or an error appeared): the state people must recover from.
            self._scan_state(f"after pressing '{name}'")
            step.left_page = False
        if self.typing.mistakes:
            probes.recover_from_mistakes(self, name)

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
            self.typing.mistakes.append((label, value, mistake))
            value = mistake
        self.type_into(self._find_typable(label, value), value, label)
        self.typing.typed[label] = value
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
        field = self.locating.find_field(label)
        refuse_payment_page(self.page, self.target, f"type in '{label}'")
        return field

    def type_into(self, field: Locator, value: str, label: str) -> None:
        """Every value a scenario gives is typed here, never card data on a live service."""
        refuse_card_data(self.page, self.target, label, value)
        self.behaviour.fill(self.page, field, value, label)

    def select(self, label: str, option: str) -> None:
        """Pick an option, by its text, from the drop-down list a person would know by this label."""
        step = self._current_step("select")
        label = self.words.get(label, label)
        field = self.locating.find_field(label)
        self.behaviour.select(self.page, field, option, label)
        self.load.settle()  # some lists move the page on as soon as they change
        step.left_page = False

    def choose(self, label: str) -> None:
        """Select the radio button or checkbox with this label."""
        step = self._current_step("choose")
        label = self.words.get(label, label)
        option = self.locating.find_field(label)
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
        if "on-behalf-route" in self.checks and probes.someone_else_chosen(self, someone_else):
            return
        self.choose(myself)

    def find_address(self, label: str, *, postcode: str, place: str, then: str) -> None:
        """Search for an address: the on-behalf persona knows the street and town, not the postcode."""
        self._current_step("find_address")
        if "place-name-lookup" in self.checks:
            probes.find_address_by_place(self, label, postcode=postcode, place=place, then=then)
            return
        self.fill(label, postcode)
        self.press(then)

    def enter_amount(self, label: str, amount: str, *, then: str) -> None:
        """Type an amount to pay and go on; the extra-zero probe types ten times as much and must see it."""
        self._current_step("enter_amount")
        if "extra-zero" in self.checks:
            probes.enter_amount_with_extra_zero(self, label, amount, then=then)
            return
        self.fill(label, amount)
        self.press(then)

    def upload(self, label: str, *, without: str) -> None:
        """Attach a photo or document; the no-camera persona takes the route the page offers instead."""
        step = self._current_step("upload")
        label, without = self.words.get(label, label), self.words.get(without, without)
        step.left_page = False
        if "upload-alternative" in self.checks:
            probes.upload_alternative(self, step, label, without)
            return
        self.behaviour.attach(self.page, self.locating.find_field(label),
                              {"name": "photo.png", "mimeType": "image/png", "buffer": SAMPLE_PNG}, label)

    def expect_heading(self, text: str) -> None:
        """Check the persona is where they expect: a heading containing this text."""
        self._current_step("expect_heading")
        text = self.words.get(text, text)
        self.locating.expect_heading(text)

    def expect_text(self, text: str) -> None:
        """Check that text a person is looking for is visible on the page."""
        self._current_step("expect_text")
        text = self.words.get(text, text)
        self.locating.expect_text(text)


def _chain_text(exc: BaseException | None) -> str:
    """The text of an exception and of every exception behind it, as a traceback would show them."""
    texts: list[str] = []
    while exc is not None and len(texts) < 10:
        texts.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    return "\n".join(texts)
