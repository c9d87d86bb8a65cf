"""A page state as the journey records it: axe-core and the page checks once per distinct state, a screenshot,
and where each finding's element is on it."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FloatRect, Locator, Page

from harness.browser.axe_scan import AXE_TIME_LIMIT_S, scan_page_with_evidence
from harness.browser.checks import PageContext, run_checks
from harness.browser.checks.probes import titles_distinct
from harness.browser.page_facts import safe_title, safe_url, screenshot_facts, state_facts
from harness.browser.steps import Step
from harness.browser.watchdog import PageUnresponsive, Watchdog
from harness.model.findings import Finding
from harness.model.personas import Persona
from harness.model.rules import RULES
from harness.model.screenshots import SCREENSHOT_SCALE

SCREENSHOT_MAX_HEIGHT = 6_000
SCREENSHOT_TIMEOUT_S = 60.0
LARGE_PAGE_ELEMENTS = 5_000
AXE_MAX_ELEMENTS = 100_000
"""Above this many elements a page state is not scanned: axe-core would hold the browser for many minutes and
gigabytes (200,000 elements: over 3 minutes and 1.6 GB, unfinished), and such a page is broken for people too."""
AXE_CACHE_SIZE = 500
"""Page states whose axe results one process keeps, most recently used first (a few MB at most)."""
AXE_CACHE: OrderedDict[tuple[str, str, tuple[str, ...]], tuple[tuple[Finding, ...], dict[str, list[str]], float]] = \
    OrderedDict()


class PageStates:
    """Scans and photographs each distinct page state a journey meets, into the step under way.

    Args:
        checks: every check and probe the persona makes; page_checks: those run on each new state.
        secret_fields: fields filled from credentials, masked in every screenshot (the journey adds to it).
        screenshot_clean_states: False to photograph only states with findings (scan mode).
    """

    def __init__(self, page: Page, *, screenshots_dir: Path, test_id: str, persona: Persona,
                 axe_tags: Sequence[str], watchdog: Watchdog, checks: Sequence[str], page_checks: Sequence[str],
                 secret_fields: list[Locator], screenshot_clean_states: bool,
                 on_screenshot: Callable[[Path], None] | None) -> None:
        self.page = page
        self.screenshots_dir = screenshots_dir
        self.test_id = test_id
        self.persona = persona
        self.axe_tags = tuple(axe_tags)
        self.watchdog = watchdog
        self.checks = checks
        self.page_checks = page_checks
        self.secret_fields = secret_fields
        self.screenshot_clean_states = screenshot_clean_states
        self.on_screenshot = on_screenshot
        self.screenshots: list[Path] = []
        self.scanned: set[str] = set()
        self.titles: dict[str, str] = {}
        """Each page title met so far, with the path it was first met at (page titles tell steps apart)."""

    def scan(self, step: Step, label: str, context: PageContext, force_screenshot: bool = False,
             extra_checks: Sequence[str] = ()) -> None:
        """axe on the page as it is now, once per distinct page state in this journey, with a screenshot."""
        try:
            state_id, title, elements = state_facts(self.page)
        except PlaywrightError:
            state_id, title, elements = f"unreadable-{len(self.scanned)}", safe_title(self.page), 0
        if state_id in self.scanned and not force_screenshot:
            return
        first_time = state_id not in self.scanned
        self.scanned.add(state_id)
        state: dict[str, Any] = {"label": label, "url": self.page.url, "title": title}
        if first_time and elements > AXE_MAX_ELEMENTS:
            step.findings.append(self._too_large_to_scan(elements))
            state.update(axe_checked=[], axe_inapplicable=[], checks=[])
        elif first_time:
            found, evidence, scan_s = self.axe(state_id)
            step.findings.extend(found)
            step.findings.extend(self._large(elements, scan_s))
            checks = [*self.page_checks, *extra_checks]
            step.findings.extend(run_checks(self.page, checks, context))
            if "page-title-distinct" in self.checks:
                step.findings.extend(titles_distinct(self.page, self.titles))
            # What was tested here, so a conformance table can say "Supports" only with evidence.
            state.update(evidence, checks=checks)
        if step.findings or force_screenshot or self.screenshot_clean_states:
            state["boxes"] = element_boxes(self.page, [f.selector for f in step.findings])
            state["screenshot"] = self.screenshot()
            if state["screenshot"]:
                state["screenshot_scale"] = 1  # CSS pixels (SCREENSHOT_SCALE), whatever the device's scale
        else:
            state["boxes"], state["screenshot"] = {}, ""
        step.states.append(state)

    def axe(self, state_id: str) -> tuple[list[Finding], dict[str, list[str]], float]:
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
            "was not tested.", page_url=safe_url(self.page), when="too-slow")

    def _too_large_to_scan(self, elements: int) -> Finding:
        return RULES["page-too-large"].finding(
            f"The page is too large to scan ({elements:,} elements, more than {AXE_MAX_ELEMENTS:,}): axe-core and "
            "the page checks were not run on it, so nothing on it was tested.", page_url=safe_url(self.page))

    def _large(self, elements: int, scan_s: float) -> list[Finding]:
        """A very large page is slow for older devices and assistive technology, and slow to test."""
        if elements <= LARGE_PAGE_ELEMENTS:
            return []
        return [RULES["large-page"].finding(
            f"The page has {elements:,} elements (more than {LARGE_PAGE_ELEMENTS:,}); axe-core took {scan_s:.1f} s "
            "to scan it.", page_url=safe_url(self.page))]

    def screenshot(self) -> str:
        """A full-page screenshot stored beside the results; returns its path relative to the run folder."""
        name = f"{evidence_name(self.test_id)}-{len(self.screenshots) + 1:02d}.png"
        path = self.screenshots_dir / name
        try:
            width, height, has_password, has_body = screenshot_facts(self.page)
            # Secrets never reach an image: password fields and fields filled from credentials are masked.
            mask = [*([self.page.locator("input[type=password]")] if has_password else []), *self.secret_fields]
            # A very long page is cut at SCREENSHOT_MAX_HEIGHT: a screenshot of 100,000 px helps nobody and
            # takes Chromium minutes.
            clip: FloatRect | None = {"x": 0, "y": 0, "width": width, "height": min(height, SCREENSHOT_MAX_HEIGHT)}
            if not has_body:
                clip = None  # an SVG or XML document: what the window shows (a full page would wait out the timeout)
            self.page.screenshot(path=str(path), full_page=has_body, clip=clip, mask=mask or None,
                                 scale=SCREENSHOT_SCALE, timeout=SCREENSHOT_TIMEOUT_S * 1000)
        except PlaywrightError:
            return ""
        self.screenshots.append(path)
        if self.on_screenshot:
            self.on_screenshot(path)
        return f"{self.screenshots_dir.name}/{name}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:120]


def evidence_name(test_id: str) -> str:
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
