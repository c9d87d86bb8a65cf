"""The only user of axe-playwright-python: run axe-core on a page and turn its JSON into findings."""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from harness.findings import Finding, Impact, Outcome
from harness.page_facts import HARNESS_MARK_ATTRIBUTE
from harness.targets import origin_of
from harness.wcag import criteria_from_tags, sort_key

AXE_TIME_LIMIT_S = 120.0
"""axe-core cannot be cancelled, but the harness stops waiting for it after this long."""
# The harness's own timer is cleared as soon as axe answers, so the page's timers stay the page's: the
# time-limit check must not mistake it for a session limit.
RUN_WITH_TIME_LIMIT_JS = """
([options, limitMs]) => {
  if (typeof window.axe === 'undefined') return {axeMissing: true};
  let timer;
  const limit = new Promise(resolve => { timer = setTimeout(() => resolve({timedOut: true}), limitMs); });
  return Promise.race([window.axe.run(document, options), limit]).finally(() => clearTimeout(timer));
}
"""
# axe-core goes into every new document of a context before the page's own scripts run, so a scan sends only
# axe.run: sending its 570 KB to each page and compiling it there cost about 90 ms a page, a third of the
# scan. Not into the blank page the harness leaves for between pages, nor into another site's frames (a
# payment provider's, a map): those are reported as not tested, never scanned as the product's content.
AXE_INIT_SCRIPT = """(() => {
  try {
    if (window === window.top && location.href === 'about:blank') return;
    if (window !== window.top && window.top.location.origin !== location.origin) return;
  } catch (e) {
    return;  // reading another origin's location throws: this frame is another site's
  }
""" + AXE_SCRIPT + "\n})();"
_AXE_READY: weakref.WeakSet[BrowserContext] = weakref.WeakSet()
"""Browser contexts whose new documents already get axe-core."""
DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
_VERSION = re.search(r"axe v([\d.]+)", AXE_SCRIPT[:200])
AXE_VERSION = _VERSION.group(1) if _VERSION else "unknown"


def axe_options(tags: Sequence[str]) -> dict[str, Any]:
    """Explicit options: the wrapper's defaults drop 'incomplete' (needs review) results."""
    return {"runOnly": {"type": "tag", "values": list(tags)},
            "resultTypes": ["violations", "incomplete"]}


def prepare_context(context: BrowserContext) -> None:
    """Have axe-core in every page the context opens from now on (once per context, however many walks)."""
    if context not in _AXE_READY:
        context.add_init_script(AXE_INIT_SCRIPT)
        _AXE_READY.add(context)


def run_axe(page: Page, tags: Sequence[str] = DEFAULT_TAGS, time_limit_s: float = AXE_TIME_LIMIT_S
            ) -> dict[str, Any]:
    """Run axe-core on the current page state; inject it only where a document does not have it yet.

    axe tests the content of frames only when its script is in each frame too, so it goes into every
    same-origin frame; the top frame's axe.run then gathers their results. In a prepared context
    (prepare_context) every document has it already, and the scan is one round trip.
    """
    top = origin_of(page.url)
    for frame in page.frames:
        if frame is page.main_frame or not same_origin(frame.url, top):
            continue  # another site's content (a payment form, a map): reported as not tested
        try:
            if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
                frame.evaluate(AXE_SCRIPT)
        except PlaywrightError:
            pass  # a frame that is detached or navigating: axe leaves it out
    run_args = [axe_options(tags), time_limit_s * 1000]
    response: dict[str, Any] = page.evaluate(RUN_WITH_TIME_LIMIT_JS, run_args)
    if response.get("axeMissing"):  # a page opened before the context was prepared, or an unprepared context
        page.evaluate(AXE_SCRIPT)
        response = page.evaluate(RUN_WITH_TIME_LIMIT_JS, run_args)
    if response.get("timedOut"):
        raise AxeTimeout(f"axe-core did not finish within {time_limit_s:g} s (the page may be very large).")
    return response


HARNESS_MARK = re.compile(HARNESS_MARK_ATTRIBUTE + r'|\[data-a11y-[a-z-]+(?:="[^"]*")?\]')
"""The harness's data-a11y-* markers, as attributes in HTML and as attribute selectors."""


def without_harness_marks(text: str) -> str:
    """An element's HTML or selector as the product made it, without the harness's own markers."""
    return HARNESS_MARK.sub("", text)


def findings_from_axe(response: dict[str, Any]) -> list[Finding]:
    """One finding per failing node: violations, and incomplete results as needs review."""
    page_url = response.get("url", "")
    findings = []
    for key, outcome in (("violations", Outcome.VIOLATION), ("incomplete", Outcome.NEEDS_REVIEW)):
        for rule in response.get(key, []):
            criteria = criteria_from_tags(rule.get("tags", []))
            for node in rule.get("nodes", []):
                findings.append(Finding(
                    outcome=outcome,
                    impact=Impact.parse(node.get("impact") or rule.get("impact")),
                    rule_id=rule["id"],
                    source="axe",
                    message=rule.get("help", rule["id"]),
                    help=_failure_summary(node) or rule.get("description", ""),
                    help_url=rule.get("helpUrl", ""),
                    criteria=criteria,
                    page_url=page_url,
                    selector=without_harness_marks(selector_text(node.get("target", []))),
                    snippet=without_harness_marks(node.get("html", "")),
                    extra={"tags": rule.get("tags", [])},
                ))
    return findings


class AxeTimeout(Exception):
    """axe-core ran past its time limit."""


def same_origin(url: str, origin: str) -> bool:
    """about:blank and srcdoc frames belong to the page that made them."""
    return url.startswith(("about:", "data:")) or url == "" or origin_of(url) == origin


def untested_frames(page: Page) -> list[Finding]:
    """Frames from other origins are not scanned: say so, so nobody reads silence as a pass."""
    top = origin_of(page.url)
    findings = []
    for frame in page.frames:
        if frame is page.main_frame or same_origin(frame.url, top):
            continue
        findings.append(Finding(
            outcome=Outcome.NEEDS_REVIEW, impact=Impact.MINOR, rule_id="frame-not-tested", source="harness",
            message=f"The page embeds content from another site ({origin_of(frame.url)}) in a frame; it "
                    "was not tested.",
            help="Test the embedded service on its own (ask its supplier for their accessibility "
                 "statement), and give the frame a title that says what it holds.",
            help_url="", page_url=page.url, selector=frame.name and f"iframe[name={frame.name!r}]" or "iframe",
            snippet=frame.url))
    return findings


def axe_evidence(response: dict[str, Any]) -> dict[str, list[str]]:
    """Which criteria axe could test on this state, and which it found nothing to test for.

    A conformance table may say "Supports" only with evidence that a rule applied and passed, and "Not
    Applicable" only where every rule for the criterion found no content of its kind (no video, say).
    """
    applied = {cid for key in ("passes", "violations", "incomplete") for rule in response.get(key, [])
               for cid in criteria_from_tags(rule.get("tags", []))}
    inapplicable = {cid for rule in response.get("inapplicable", [])
                    for cid in criteria_from_tags(rule.get("tags", []))} - applied
    return {"axe_checked": sorted(applied, key=sort_key), "axe_inapplicable": sorted(inapplicable, key=sort_key)}


def scan_page(page: Page, tags: Sequence[str] = DEFAULT_TAGS, time_limit_s: float = AXE_TIME_LIMIT_S
              ) -> list[Finding]:
    """axe findings for the page as it is now; a scan that breaks becomes an error finding."""
    return scan_page_with_evidence(page, tags, time_limit_s)[0]


def scan_page_with_evidence(page: Page, tags: Sequence[str] = DEFAULT_TAGS,
                            time_limit_s: float = AXE_TIME_LIMIT_S) -> tuple[list[Finding], dict[str, list[str]]]:
    """scan_page plus axe_evidence: the findings and what the scan could test."""
    try:
        response = run_axe(page, tags, time_limit_s)
        return findings_from_axe(response) + untested_frames(page), axe_evidence(response)
    except (PlaywrightError, AxeTimeout) as exc:
        return [Finding(
            outcome=Outcome.ERROR, impact=Impact.SERIOUS, rule_id="axe-scan-failed", source="harness",
            message=f"The axe-core scan could not run on this page state: {first_line(str(exc))}",
            help="Re-run the test; if it keeps failing, the page may be navigating or crashing "
                 "while it is scanned.",
            help_url="", page_url=page.url)], {"axe_checked": [], "axe_inapplicable": []}


def selector_text(target: list[Any]) -> str:
    """axe targets are lists (nested for iframes and shadow DOM); show them joined with ' >> '."""
    parts = []
    for part in target:
        parts.append(" >> ".join(part) if isinstance(part, list) else str(part))
    return " >> ".join(parts)


def _failure_summary(node: dict[str, Any]) -> str:
    """axe's failure summary, one reason per line ('Fix any of the following:' then the reasons)."""
    summary = node.get("failureSummary") or ""
    return "\n".join(" ".join(line.split()) for line in summary.splitlines() if line.strip())


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
