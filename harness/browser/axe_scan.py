"""The only user of axe-playwright-python: run axe-core on a page and turn its JSON into findings.

The page under test is untrusted. axe-core runs in an isolated JavaScript world of the page's own (made through
the Chrome DevTools Protocol), where the page's scripts cannot see, replace or break it: a page that swaps
`window.axe.run` for a fake, deletes `window.axe` or overrides `Promise` or `Array.prototype.map` changes only
its own world. Each same-origin frame is tested in its own isolated world with `axe.runPartial`, and
`axe.finishRun` joins the parts, so no result passes through the page's `postMessage` (axe-core's
doc/run-partial.md). What comes back is still treated as untrusted data: `validated_response` checks its shape
and types before anything becomes a finding, and a scan that cannot run or answers nonsense becomes an
`axe-scan-failed` error finding, never silence.
"""

from __future__ import annotations

import inspect
import re
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, CDPSession, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.browser.page_facts import HARNESS_MARK_ATTRIBUTE
from harness.model.findings import Finding, Impact, Outcome
from harness.model.rules import RULES
from harness.model.targets import origin_of
from harness.model.wcag import criteria_from_tags, sort_key

AXE_TIME_LIMIT_S = 120.0
"""axe-core cannot be cancelled, but the harness stops waiting for it after this long."""
AXE_WORLD = "council-a11y-axe"
"""The isolated world axe-core lives in, in every document of a scanned page: out of the page's reach."""
_HANDLES = "council-a11y-axe-frames"
"""CDP object group for the frame elements a scan looks up, released when the scan ends."""

# Run in one frame's axe world: axe.runPartial on this document, with the frames axe wants tested in it
# (getFrameContexts just before runPartial, as axe's doc/run-partial.md asks, so both see the same tree). A
# top frame without frames to test is finished at once: one round trip for most pages. The harness's timer
# lives in the isolated world, and is cleared as soon as axe answers, so the page's timers stay the page's.
RUN_PARTIAL_JS = """
async function (context, options, limitMs, finish) {
  if (typeof axe === 'undefined' || typeof axe.runPartial !== 'function') return {axeMissing: true};
  let timer;
  const limit = new Promise(resolve => { timer = setTimeout(() => resolve({timedOut: true}), limitMs); });
  const work = (async () => {
    const scope = context === null ? document : context;
    const frames = axe.utils.getFrameContexts(scope, options);
    const partial = await axe.runPartial(scope, options);
    if (finish && frames.length === 0) return {results: await axe.finishRun([partial], options)};
    return {partial: partial, frames: frames};
  })();
  try { return await Promise.race([work, limit]); } finally { clearTimeout(timer); }
}
"""
FINISH_RUN_JS = """
async function (partials, options, limitMs) {
  let timer;
  const limit = new Promise(resolve => { timer = setTimeout(() => resolve({timedOut: true}), limitMs); });
  const work = axe.finishRun(partials, options).then(results => ({results: results}));
  try { return await Promise.race([work, limit]); } finally { clearTimeout(timer); }
}
"""
FRAME_ELEMENT_JS = "function (selector) { return axe.utils.shadowSelect(selector); }"
# axe-core goes into the axe world of every new document of a scanned page before the page's own scripts
# run, so a scan sends only the run call: sending its 570 KB to each page and compiling it there cost about
# 90 ms a page, a third of the scan. Not into the blank page the harness leaves for between pages, nor into
# another site's frames (a payment provider's, a map): those are reported as not tested, never scanned as the
# product's content.
AXE_INIT_SCRIPT = """(() => {
  try {
    if (window === window.top && location.href === 'about:blank') return;
    if (window !== window.top && window.top.location.origin !== location.origin) return;
  } catch (e) {
    return;  // reading another origin's location throws: this frame is another site's
  }
""" + AXE_SCRIPT + "\n})();"
_WORLDS: weakref.WeakKeyDictionary[Page, CDPSession] = weakref.WeakKeyDictionary()
"""Pages whose new documents already get axe-core in the axe world, with the CDP session that added it."""
_CRASHED: weakref.WeakSet[Page] = weakref.WeakSet()
"""Pages whose renderer crashed: a scan of one fails at once instead of waiting on a dead page."""
_SEND_HAS_TIMEOUT = "timeout" in inspect.signature(CDPSession.send).parameters
CDP_MARGIN_S = 5.0
"""Time a CDP call may take beyond the scan's own time limit before the harness stops waiting for it."""
DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
AXE_SOURCE: str = AXE_SCRIPT
"""axe-core's source, for tools that need axe-core itself (the coverage table reads its rules' tags)."""
_VERSION = re.search(r"axe v([\d.]+)", AXE_SCRIPT[:200])
AXE_VERSION = _VERSION.group(1) if _VERSION else "unknown"


def axe_options(tags: Sequence[str]) -> dict[str, Any]:
    """Explicit options: the wrapper's defaults drop 'incomplete' (needs review) results."""
    return {"runOnly": {"type": "tag", "values": list(tags)},
            "resultTypes": ["violations", "incomplete"]}


def prepare_context(context: BrowserContext) -> None:
    """Have axe-core in the axe world of every document the context's open pages load from now on.

    Once per page, however many walks use it. A page opened later (a new tab) is prepared at its first scan,
    which injects axe-core into the documents it already holds. (Not from a "page" event handler: Playwright
    runs those later, after the page's first document may have loaded.)
    """
    for page in context.pages:
        _session(page)


def _session(page: Page) -> CDPSession:
    """The page's CDP session, made once: it adds axe-core to the axe world of each new document."""
    cdp = _WORLDS.get(page)
    if cdp is None:
        if page in _CRASHED:
            raise AxeFailure("the browser page had crashed")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Page.enable")  # new-document scripts run only for a session with the Page domain enabled
        cdp.send("Page.addScriptToEvaluateOnNewDocument", {"source": AXE_INIT_SCRIPT, "worldName": AXE_WORLD})
        page.on("crash", _on_crash)
        _WORLDS[page] = cdp
    return cdp


def _on_crash(page: Page) -> None:
    """A crashed page never answers a CDP call again: later scans of it fail at once."""
    _CRASHED.add(page)
    _WORLDS.pop(page, None)


def _send(cdp: CDPSession, method: str, params: dict[str, Any], timeout_ms: float) -> dict[str, Any]:
    """A CDP call that gives up after timeout_ms, where this Playwright can say so (1.5x and later)."""
    if _SEND_HAS_TIMEOUT:
        return cdp.send(method, params, timeout=max(timeout_ms, 1.0))
    return cdp.send(method, params)


class AxeTimeout(Exception):
    """axe-core ran past its time limit."""


class AxeFailure(Exception):
    """axe-core could not run, or answered with something that is not axe-core's results."""


@dataclass
class _Scan:
    """One scan of one page state: the CDP session, the options and the time left."""

    cdp: CDPSession
    options: dict[str, Any]
    deadline: float
    limit_s: float
    top_origin: str
    frame_urls: dict[str, str]

    def remaining_ms(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self.timed_out()
        return left * 1000

    def timed_out(self, why: str = "the page may be very large") -> AxeTimeout:
        return AxeTimeout(f"axe-core did not finish within {self.limit_s:g} s ({why}).")

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A CDP call bounded by the scan's time limit, kept from outside the page: a page whose main thread
        is stuck cannot hold the scan past it."""
        try:
            return _send(self.cdp, method, params or {}, self.remaining_ms() + CDP_MARGIN_S * 1000)
        except PlaywrightTimeoutError as exc:
            raise self.timed_out("the page stopped responding") from exc

    def call(self, context_id: int, function: str, *args: Any, by_value: bool = True) -> Any:
        """Call a function in an execution context with arguments passed as data, never as code."""
        reply = self.send("Runtime.callFunctionOn", {
            "functionDeclaration": function, "executionContextId": context_id, "awaitPromise": True,
            "returnByValue": by_value, "objectGroup": _HANDLES, "arguments": [{"value": a} for a in args]})
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text") or "an error"
            raise AxeFailure(f"axe-core threw {first_line(str(text))[:300]}")
        return reply.get("result", {}).get("value") if by_value else reply.get("result", {})

    def world(self, frame_id: str) -> int:
        """The axe world's execution context in a frame (Chromium returns the one the init script made)."""
        made = self.send("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": AXE_WORLD})
        return int(made["executionContextId"])

    def run_partial(self, frame_id: str, context: Any, finish: bool) -> dict[str, Any]:
        """axe.runPartial in one frame's axe world, giving it axe-core first where the document has none."""
        world = self.world(frame_id)
        reply = self.call(world, RUN_PARTIAL_JS, context, self.options, self.remaining_ms(), finish)
        if isinstance(reply, dict) and reply.get("axeMissing"):
            # A document loaded before its page was prepared (the first scan of a new tab, say).
            self.inject(world)
            reply = self.call(world, RUN_PARTIAL_JS, context, self.options, self.remaining_ms(), finish)
        if isinstance(reply, dict) and reply.get("timedOut"):
            raise self.timed_out()
        if not isinstance(reply, dict) or reply.get("axeMissing"):
            raise AxeFailure("axe-core did not load in its isolated world")
        return reply

    def inject(self, world: int) -> None:
        """axe-core into one axe world, evaluated by the protocol (so no page's Content-Security-Policy stops it)."""
        reply = self.send("Runtime.evaluate", {"expression": AXE_SCRIPT, "contextId": world, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise AxeFailure("axe-core could not be loaded into its isolated world")

    def child_frame(self, parent_world: int, selector: Any) -> str | None:
        """The id of the frame an iframe element (found by axe's frame selector) holds, if it is ours to test."""
        handle = self.call(parent_world, FRAME_ELEMENT_JS, selector, by_value=False)
        object_id = handle.get("objectId") if isinstance(handle, dict) else None
        if not object_id:
            return None
        node = self.send("DOM.describeNode", {"objectId": object_id}).get("node", {})
        frame_id = node.get("frameId")
        if not isinstance(frame_id, str) or not same_origin(self.frame_urls.get(frame_id, "?:"), self.top_origin):
            return None  # another site's frame, or one this page's session cannot reach: not tested
        return frame_id

    def partials(self, frame_id: str, context: Any, reply: dict[str, Any]) -> list[Any]:
        """This frame's partial result, then each of its frames' in turn, depth first, as finishRun needs them.

        A frame that cannot be tested is a None, and its own frames are left out (axe's doc/run-partial.md).
        """
        found: list[Any] = [reply.get("partial")]
        frames = reply.get("frames")
        if not isinstance(frames, list):
            raise AxeFailure("axe-core's list of frames to test is not a list")
        world = self.world(frame_id)
        for spec in frames:
            child = None
            try:
                if isinstance(spec, dict):
                    child = self.child_frame(world, spec.get("frameSelector"))
                if child is not None:
                    child_context = spec.get("frameContext") if isinstance(spec, dict) else None
                    found += self.partials(child, child_context, self.run_partial(child, child_context, False))
                    continue
            except (PlaywrightError, AxeFailure):
                pass  # a frame that is detached, navigating or broken: axe leaves it out
            found.append(None)
        return found


def run_axe(page: Page, tags: Sequence[str] = DEFAULT_TAGS, time_limit_s: float = AXE_TIME_LIMIT_S
            ) -> dict[str, Any]:
    """axe-core's results for the page as it is now, run in the axe world and checked (validated_response).

    Raises AxeTimeout past the time limit, AxeFailure when axe cannot run or answers nonsense, and Playwright's
    Error when the page closes or navigates under the scan.
    """
    cdp = _session(page)
    _responding(page, time_limit_s)
    scan = _Scan(cdp=cdp, options=axe_options(tags), deadline=time.monotonic() + time_limit_s,
                 limit_s=time_limit_s, top_origin="", frame_urls={})
    try:
        tree = scan.send("Page.getFrameTree")["frameTree"]
        top = tree["frame"]
        scan.top_origin, scan.frame_urls = origin_of(str(top.get("url", ""))), _frame_urls(tree)
        reply = scan.run_partial(top["id"], None, True)
        if "results" not in reply:
            partials = scan.partials(top["id"], None, reply)
            finished = scan.call(scan.world(top["id"]), FINISH_RUN_JS, partials, scan.options, scan.remaining_ms())
            if isinstance(finished, dict) and finished.get("timedOut"):
                raise scan.timed_out()
            reply = finished if isinstance(finished, dict) else {}
    finally:
        try:
            _send(cdp, "Runtime.releaseObjectGroup", {"objectGroup": _HANDLES}, CDP_MARGIN_S * 1000)
        except PlaywrightError:
            pass  # the page went away: its objects went with it
    return validated_response(reply.get("results"))


def _responding(page: Page, time_limit_s: float) -> None:
    """Wait, within the time limit, for the page to answer Playwright, which gives up at once if it crashes.

    A CDP call to a page whose renderer crashed is never answered, and Playwright does not end it: the page
    would hold the scan to its time limit. A renderer that is about to crash (a runaway script) is caught
    here.
    """
    try:
        # A locator runs in Playwright's own isolated world, out of the page's reach, like axe-core.
        page.locator(":root").wait_for(state="attached", timeout=max(time_limit_s * 1000, 1.0))
    except PlaywrightTimeoutError as exc:
        # Playwright's call log says when it was waiting for a navigation that never ended (a reload loop).
        why = "the page kept navigating" if "navigation" in str(exc) else "the page stopped responding"
        raise AxeTimeout(f"axe-core did not finish within {time_limit_s:g} s ({why}).") from exc


def _frame_urls(tree: dict[str, Any]) -> dict[str, str]:
    """Every frame's address by frame id, from Page.getFrameTree."""
    urls = {str(tree["frame"]["id"]): str(tree["frame"].get("url", ""))}
    for child in tree.get("childFrames", []):
        urls.update(_frame_urls(child))
    return urls


# -- axe's results are untrusted data ---------------------------------------------------------------------
# axe-core runs out of the page's reach, but its answer still crosses from the browser: before it becomes a
# finding, every field the harness reads is checked for its type and shape, and text is cut to a size a report
# can show. The limits are far above what axe-core gives on real pages (about 100 rules, a few KB a node).
RESULT_LISTS = ("violations", "incomplete", "passes", "inapplicable")
REQUIRED_LISTS = ("violations", "incomplete")
"""axe-core always answers with these; passes and inapplicable are optional for stored responses."""
RULE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
IMPACTS = ("critical", "serious", "moderate", "minor")
MAX_RULES = 500
MAX_NODES = 1000
"""Nodes kept per rule; the rest are counted in an axe-results-cut finding."""
MAX_TAGS = 100
MAX_ID = 100
MAX_TEXT = 5000
"""A node's HTML, failure summary, or one selector: longer ones are cut, with an ellipsis."""
MAX_HELP = 1000
MAX_TARGET_PARTS = 1000
"""Frames, or shadow roots, an element may be nested in: real pages nest a few; a test page here nests 200."""


class AxeResponseError(AxeFailure):
    """axe-core's answer does not have the shape of axe-core's results."""


def validated_response(raw: object) -> dict[str, Any]:
    """A clean copy of an axe-core response holding only fields of the right type; raises AxeResponseError.

    Text is cut to a size a report can show, a help address that is not http(s) is dropped, and a rule with more
    than MAX_NODES nodes keeps the first MAX_NODES and says how many it lost (nodesCut).
    """
    if not isinstance(raw, dict):
        raise AxeResponseError(f"the results are {_kind(raw)}, not an object")
    clean: dict[str, Any] = {"url": _text(raw.get("url", ""), "url", MAX_TEXT)}
    for key in RESULT_LISTS:
        rules = raw.get(key)
        if rules is None and key not in REQUIRED_LISTS:
            continue
        if not isinstance(rules, list):
            raise AxeResponseError(f"'{key}' is {_kind(rules)}, not a list of rules")
        if len(rules) > MAX_RULES:
            raise AxeResponseError(f"'{key}' has {len(rules):,} rules; axe-core has about 100")
        clean[key] = [_rule(rule, f"{key}[{i}]", with_nodes=key in REQUIRED_LISTS) for i, rule in enumerate(rules)]
    return clean


def _rule(raw: object, where: str, with_nodes: bool) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise AxeResponseError(f"{where} is {_kind(raw)}, not a rule")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or len(rule_id) > MAX_ID or not RULE_ID.fullmatch(rule_id):
        raise AxeResponseError(f"{where}.id is {_shown(rule_id)}, not an axe-core rule id")
    where = f"{where} ({rule_id})"
    tags = raw.get("tags", [])
    if (not isinstance(tags, list) or len(tags) > MAX_TAGS
            or not all(isinstance(t, str) and len(t) <= MAX_ID and TAG.fullmatch(t) for t in tags)):
        raise AxeResponseError(f"{where}.tags is not a list of axe-core tags")
    rule: dict[str, Any] = {"id": rule_id, "tags": list(tags), "impact": _impact(raw.get("impact"), where),
                            "help": _text(raw.get("help", ""), f"{where}.help", MAX_HELP),
                            "description": _text(raw.get("description", ""), f"{where}.description", MAX_HELP),
                            "helpUrl": _web_address(raw.get("helpUrl", ""), f"{where}.helpUrl"), "nodes": []}
    nodes = raw.get("nodes", [])
    if not isinstance(nodes, list):
        raise AxeResponseError(f"{where}.nodes is {_kind(nodes)}, not a list")
    if with_nodes:
        rule["nodes"] = [_node(node, f"{where}.nodes[{i}]") for i, node in enumerate(nodes[:MAX_NODES])]
        if len(nodes) > MAX_NODES:
            rule["nodesCut"] = len(nodes) - MAX_NODES
    return rule


def _node(raw: object, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise AxeResponseError(f"{where} is {_kind(raw)}, not a node")
    return {"impact": _impact(raw.get("impact"), where), "target": _target(raw.get("target", []), where),
            "html": _text(raw.get("html", ""), f"{where}.html", MAX_TEXT),
            "failureSummary": _text(raw.get("failureSummary") or "", f"{where}.failureSummary", MAX_TEXT)}


def _target(raw: object, where: str) -> list[str | list[str]]:
    """axe's selector list: strings, or lists of strings through shadow roots."""
    if not isinstance(raw, list) or len(raw) > MAX_TARGET_PARTS:
        raise AxeResponseError(f"{where}.target is {_kind(raw)}, not a list of selectors")
    target: list[str | list[str]] = []
    for part in raw:
        if isinstance(part, str):
            target.append(_cut(part, MAX_TEXT))
        elif (isinstance(part, list) and len(part) <= MAX_TARGET_PARTS
              and all(isinstance(p, str) for p in part)):
            target.append([_cut(p, MAX_TEXT) for p in part])
        else:
            raise AxeResponseError(f"{where}.target holds {_kind(part)}, not a selector")
    return target


def _impact(raw: object, where: str) -> str | None:
    if raw is None or raw in IMPACTS:
        return raw if isinstance(raw, str) else None
    raise AxeResponseError(f"{where}.impact is {_shown(raw)}, not one of {', '.join(IMPACTS)} or null")


def _text(raw: object, where: str, limit: int) -> str:
    if not isinstance(raw, str):
        raise AxeResponseError(f"{where} is {_kind(raw)}, not text")
    return _cut(raw, limit)


def _web_address(raw: object, where: str) -> str:
    """A help link is kept only when it is http(s): a 'javascript:' address must never become a link."""
    text = _text(raw, where, MAX_HELP).strip()
    return text if re.match(r"https?://", text, re.IGNORECASE) else ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _shown(value: object) -> str:
    return repr(value)[:60] if isinstance(value, str | int | float) or value is None else _kind(value)


HARNESS_MARK = re.compile(HARNESS_MARK_ATTRIBUTE + r'|\[data-a11y-[a-z-]+(?:="[^"]*")?\]')
"""The harness's data-a11y-* markers, as attributes in HTML and as attribute selectors."""


def without_harness_marks(text: str) -> str:
    """An element's HTML or selector as the product made it, without the harness's own markers."""
    return HARNESS_MARK.sub("", text)


def findings_from_axe(response: object) -> list[Finding]:
    """One finding per failing node: violations, and incomplete results as needs review.

    The response is checked first (validated_response): malformed results raise AxeResponseError.
    """
    clean = validated_response(response)
    page_url = clean["url"]
    findings = []
    for key, outcome in (("violations", Outcome.VIOLATION), ("incomplete", Outcome.NEEDS_REVIEW)):
        for rule in clean[key]:
            criteria = criteria_from_tags(rule["tags"])
            for node in rule["nodes"]:
                findings.append(Finding(
                    outcome=outcome,
                    impact=Impact.parse(node["impact"] or rule["impact"]),
                    rule_id=rule["id"],
                    source="axe",
                    message=rule["help"] or rule["id"],
                    help=_failure_summary(node) or rule["description"],
                    help_url=rule["helpUrl"],
                    criteria=criteria,
                    page_url=page_url,
                    selector=_cut(without_harness_marks(selector_text(node["target"])), MAX_TEXT),
                    snippet=without_harness_marks(node["html"]),
                    extra={"tags": rule["tags"]},
                ))
            if rule.get("nodesCut"):
                findings.append(_cut_finding(rule, page_url))
    return findings


def _cut_finding(rule: dict[str, Any], page_url: str) -> Finding:
    total = len(rule["nodes"]) + rule["nodesCut"]
    return RULES["axe-results-cut"].finding(
        f"axe-core reported {total:,} elements for its {rule['id']} rule on this page state; the first "
        f"{MAX_NODES:,} are listed and {rule['nodesCut']:,} were left out.",
        page_url=page_url, criteria=criteria_from_tags(rule["tags"]))


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
        findings.append(RULES["frame-not-tested"].finding(
            f"The page embeds content from another site ({origin_of(frame.url)}) in a frame; it was not tested.",
            page_url=page.url, selector=frame.name and f"iframe[name={frame.name!r}]" or "iframe",
            snippet=frame.url))
    return findings


def axe_evidence(response: object) -> dict[str, list[str]]:
    """Which criteria axe could test on this state, and which it found nothing to test for.

    A conformance table may say "Supports" only with evidence that a rule applied and passed, and "Not
    Applicable" only where every rule for the criterion found no content of its kind (no video, say).
    """
    clean = validated_response(response)
    applied = {cid for key in ("passes", "violations", "incomplete") for rule in clean.get(key, [])
               for cid in criteria_from_tags(rule["tags"])}
    inapplicable = {cid for rule in clean.get("inapplicable", [])
                    for cid in criteria_from_tags(rule["tags"])} - applied
    return {"axe_checked": sorted(applied, key=sort_key), "axe_inapplicable": sorted(inapplicable, key=sort_key)}


def scan_page(page: Page, tags: Sequence[str] = DEFAULT_TAGS, time_limit_s: float = AXE_TIME_LIMIT_S
              ) -> list[Finding]:
    """axe findings for the page as it is now; a scan that breaks becomes an error finding."""
    return scan_page_with_evidence(page, tags, time_limit_s)[0]


def scan_page_with_evidence(page: Page, tags: Sequence[str] = DEFAULT_TAGS,
                            time_limit_s: float = AXE_TIME_LIMIT_S) -> tuple[list[Finding], dict[str, list[str]]]:
    """scan_page plus axe_evidence: the findings and what the scan could test.

    A failed scan gives no evidence at all, so a conformance table cannot read it as a pass.
    """
    try:
        response = run_axe(page, tags, time_limit_s)
        return findings_from_axe(response) + untested_frames(page), axe_evidence(response)
    except (PlaywrightError, AxeTimeout, AxeFailure) as exc:
        return [scan_failed(page, exc)], {"axe_checked": [], "axe_inapplicable": []}


def scan_failed(page: Page, exc: Exception) -> Finding:
    """The axe-scan-failed error finding: what went wrong, and what to do about it."""
    if isinstance(exc, AxeResponseError):
        what, when = f"axe-core's results were malformed ({exc})", "malformed"
    elif isinstance(exc, AxeFailure):
        what, when = str(exc), "axe-failed"
    elif page in _CRASHED or "crashed" in str(exc).lower():
        what, when = "the browser page crashed while it was being scanned", "crashed"
    else:
        what, when = first_line(str(exc)), ""
    return RULES["axe-scan-failed"].finding(
        f"The axe-core scan could not run on this page state: {what.rstrip('.')}. Nothing it would have "
        "tested here counts as passed.", page_url=_page_url(page), when=when)


def _page_url(page: Page) -> str:
    try:
        return page.url
    except PlaywrightError:
        return ""


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
