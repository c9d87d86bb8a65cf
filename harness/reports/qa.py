"""The QA report: every walk, step and finding of a run, grouped by rule and page, with screenshots and filters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.model.findings import IMPACTS_WORST_FIRST, Finding, Impact, Outcome, count_by_impact
from harness.model.records import PageState, RunRecord
from harness.model.results import WalkResult
from harness.model.screenshots import outline_of, png_size, screenshot_scale
from harness.model.targets import SCAN_JOURNEY
from harness.reports.render import TEMPLATES, environment, run_nav
from harness.reports.run_view import RunView

REPORT_FILE = "report.html"
PAGE_WIDE = 0.6
"""An element covering this share of the page or more is the page itself, as far as an outline can help."""
ENDING_WORDS = {"completed": "Completed", "blocked": "Blocked", "interrupted": "Did not finish (run stopped)",
                "in progress": "Did not finish (run stopped)", "not started": "Not started",
                "error": "Scenario error"}


@dataclass(frozen=True)
class WalkView:
    """One walk as the QA report shows it."""

    walk: WalkResult
    findings: list[Finding]
    """De-duplicated findings, each shown once at the step that first saw it."""

    @property
    def anchor(self) -> str:
        return "j-" + "".join(c if c.isalnum() else "-" for c in self.walk.test_id)

    @property
    def ending_words(self) -> str:
        if self.walk.journey == SCAN_JOURNEY and self.walk.ending == "completed":
            return "Scanned"
        return ENDING_WORDS.get(self.walk.ending, self.walk.ending)

    @property
    def page(self) -> str:
        """The address of the walk's first page state: what scan mode's rows are named by."""
        for step in self.walk.steps:
            for state in step.states:
                return state.url
        return ""

    @property
    def blocked_at(self) -> str:
        """'step 2, Enter where the bin is' for a blocked walk, else empty."""
        for step in self.walk.steps:
            if step.status == "blocked":
                return f"step {step.index}, {step.name}"
        return ""

    @property
    def counts_text(self) -> str:
        parts = [f"{n} {impact}" for impact, n in self.counts.items() if n]
        return ", ".join(parts) if parts else "no violations"

    @property
    def counts(self) -> dict[str, int]:
        return count_by_impact(f for f in self.findings if f.outcome is not Outcome.NEEDS_REVIEW)

    @property
    def needs_review(self) -> int:
        return sum(1 for f in self.findings if f.outcome is Outcome.NEEDS_REVIEW)

    @property
    def quiet(self) -> bool:
        """A walk that finished with nothing found: its steps are folded away in the QA report.

        The demo matrix has 96 walks; written out in full, the clean ones made up a third of a page 600,000
        pixels long, between the walks somebody has to act on.
        """
        return self.walk.ending == "completed" and not self.findings

    def findings_at(self, step_name: str) -> list[Finding]:
        order = {Outcome.ERROR: 0, Outcome.VIOLATION: 1, Outcome.NEEDS_REVIEW: 2}
        return sorted((f for f in self.findings if f.step == step_name),
                      key=lambda f: (f.blocker is False, order[f.outcome], -f.impact.rank, f.rule_id))


def outlines(run_dir: Path, state: PageState, findings: Sequence[Finding], scale: float = 1.0
             ) -> list[dict[str, Any]]:
    """Boxes to draw over a state's screenshot: one per element, labelled with its findings' numbers.

    Numbers are the findings' places in the step's list, so "1, 2" on a button sends the reader to the first
    two findings. Page-wide findings (html, body) get no box: outlining the whole page marks nothing.
    """
    boxes = state.boxes
    size = png_size(run_dir / state.screenshot) if state.screenshot and boxes else None
    if size is None:
        return []
    page_area = (size[0] / scale) * (size[1] / scale)
    marks: dict[str, dict[str, Any]] = {}
    for number, finding in enumerate(findings, start=1):
        box = boxes.get(finding.selector)
        if not box or box[2] * box[3] >= PAGE_WIDE * page_area:
            continue
        mark = marks.get(finding.selector)
        if mark is None:
            outline = outline_of(box, size, scale)
            if outline is None:
                continue
            mark = marks[finding.selector] = {"numbers": [], "blocker": False, "left": outline.left,
                                              "top": outline.top, "width": outline.width, "height": outline.height}
        mark["numbers"].append(number)
        mark["blocker"] = mark["blocker"] or finding.blocker
    return list(marks.values())


@dataclass(frozen=True)
class RuleBarriers:
    """One rule's barriers in one target, page by page: what QA files as one bug with many places.

    Unlike a `Barrier` (one element of one page of one journey), the QA list keeps needs-review and error
    findings too, each element once per page address.
    """

    target: str
    rule_id: str
    source: str
    impact: str
    outcome: str
    criteria: tuple[str, ...]
    message: str
    help: str
    help_url: str
    pages: list[tuple[str, list[Finding]]]
    """(page address, findings there), each finding once per element."""

    @property
    def count(self) -> int:
        return sum(len(found) for _, found in self.pages)


def rule_barriers(views: Sequence[WalkView]) -> list[RuleBarriers]:
    """Findings grouped by target, rule and page; worst first. Each element counts once per page."""
    grouped: dict[tuple[str, str, str], dict[str, dict[tuple[str, str], Finding]]] = defaultdict(
        lambda: defaultdict(dict))
    first: dict[tuple[str, str, str], Finding] = {}
    for view in views:
        for finding in view.findings:
            key = (finding.target or view.walk.target, finding.rule_id, finding.outcome.value)
            first.setdefault(key, finding)
            worst = first[key]
            if finding.impact.rank > worst.impact.rank:
                first[key] = finding
            grouped[key][finding.page_url].setdefault((finding.selector, finding.snippet), finding)
    order = {Outcome.ERROR.value: 2, Outcome.VIOLATION.value: 0, Outcome.NEEDS_REVIEW.value: 1}
    groups = [RuleBarriers(target=key[0], rule_id=key[1], source=f.source, impact=f.impact.value,
                           outcome=key[2], criteria=f.criteria, message=f.message, help=f.help, help_url=f.help_url,
                           pages=[(url, list(found.values())) for url, found in grouped[key].items()])
              for key, f in first.items()]
    return sorted(groups, key=lambda g: (g.target, order.get(g.outcome, 3), -Impact(g.impact).rank, g.rule_id))


def report_context(view: RunView) -> dict[str, Any]:
    """Everything the templates need, as plain data and typed records: no HTML is ever built here."""
    run = view.record
    personas = run.personas
    views = [WalkView(w, w.findings) for w in sorted(
        view.walks, key=lambda w: (w.target, _persona_rank(personas, w.persona), w.journey))]
    grid: dict[str, dict[str, list[WalkView]]] = defaultdict(lambda: defaultdict(list))
    for walk_view in views:
        grid[walk_view.walk.target][walk_view.walk.persona].append(walk_view)
    all_findings = [f for v in views for f in v.findings]
    # Side by side: one row per journey and persona, one column per target.
    # Scan mode records each page as its own one-step journey: one row per page there.
    matrix: dict[tuple[str, str, str], dict[str, WalkView]] = {}
    for walk_view in sorted(views, key=lambda v: (v.walk.journey, _persona_rank(personas, v.walk.persona), v.page)):
        walk = walk_view.walk
        row = (walk.journey, walk.persona, walk_view.page if walk.journey == SCAN_JOURNEY else "")
        matrix.setdefault(row, {})[walk.target] = walk_view
    return {
        "run": run,
        "targets": run.targets,
        "personas": personas,
        "journey_titles": run.journeys,
        "persona_order": [p for p in personas if any(p in row for row in grid.values())]
        or sorted({v.walk.persona for v in views}),
        "grid": {t: dict(row) for t, row in grid.items()},
        "matrix": [{"journey": j, "persona": p, "page": page, "cells": cells}
                   for (j, p, page), cells in matrix.items()],
        "matrix_targets": sorted({v.walk.target for v in views}),
        "views": views,
        "impacts": [i.value for i in IMPACTS_WORST_FIRST],
        "totals": count_by_impact(f for f in all_findings if f.outcome is not Outcome.NEEDS_REVIEW),
        "needs_review_total": sum(1 for f in all_findings if f.outcome is Outcome.NEEDS_REVIEW),
        "journeys_completed": sum(1 for v in views if v.walk.ending == "completed"),
        "journeys_total": len(views),
        "skipped_lines": len(view.unreadable),
        "unreadable": view.unreadable,
        "never_walked": never_walked(view),
        "scan_left_out": scan_left_out(run),
        "ending_counts": {word: sum(1 for v in views if v.ending_words == word)
                          for word in dict.fromkeys(v.ending_words for v in views)},
        "is_offered": lambda target, journey: run.target(target).offers(journey),
        "rule_barriers": rule_barriers(views),
        "checks": run.checks,
        "outlines": lambda state, found: outlines(view.run_dir, state, found, _scale(run, state, found)),
    }


def never_walked(view: RunView) -> list[str]:
    """Test ids the run planned (its record lists them) but never started: a killed run says what it missed."""
    planned = view.record.planned
    if planned is None:
        return []  # a run recorded before runs listed their plan
    started = {walk.test_id for walk in view.walks}
    return [test_id for test_id in dict.fromkeys(planned) if test_id not in started]


def scan_left_out(run: RunRecord) -> dict[str, Any]:
    """Scan mode's pages found but not scanned, and those that could not be fetched, each with its reason."""
    if run.scan is None:
        return {"pages": [], "max_pages": None}
    pages = [{"url": page.url, "reason": page.reason, "found_on": page.found_on or ""} for page in run.scan.skipped]
    pages += [{"url": failed.url, "reason": f"could not be fetched: {failed.message}", "found_on": ""}
              for failed in run.scan.errors]
    return {"pages": pages, "max_pages": run.scan.max_pages}


def _scale(run: RunRecord, state: PageState, findings: Sequence[Finding]) -> float:
    """Image pixels per CSS pixel in the state's screenshot, as recorded or from the persona of older results."""
    persona = findings[0].persona if findings else ""
    return screenshot_scale(state, run.persona(persona))


def _persona_rank(personas: Mapping[str, Any], persona_id: str) -> int:
    """Personas in the order the run listed them (default first), unknown ones last."""
    order = list(personas)
    return order.index(persona_id) if persona_id in order else len(order)


def render_report(view: RunView, template_dirs: Sequence[Path] = (TEMPLATES,)) -> str:
    """The QA report: every walk, every finding, grouped and filterable."""
    return environment(template_dirs).get_template("report.html.jinja").render(
        **report_context(view), nav=run_nav(), current=REPORT_FILE)


def render_qa(view: RunView) -> dict[str, str]:
    """{'report.html': the QA report}."""
    return {REPORT_FILE: render_report(view)}
