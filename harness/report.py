"""Render HTML reports from stored results; `python -m harness.report RUN_DIR` re-renders after a crash."""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from harness.findings import IMPACTS_WORST_FIRST, Finding, Outcome, count_by_impact
from harness.results import JourneyResult, RunResult, read_run
from harness.targets import SCAN_JOURNEY
from harness.wcag import title_of

TEMPLATES = Path(__file__).resolve().parent.parent / "reports" / "templates"
REPORT_FILE = "report.html"
OUTCOME_WORDS = {"completed": "Completed", "blocked": "Blocked", "interrupted": "Did not finish (run stopped)",
                 "in progress": "Did not finish (run stopped)", "not started": "Not started",
                 "error": "Scenario error"}


def environment(template_dirs: Sequence[Path] = (TEMPLATES,)) -> Environment:
    """Autoescaped and strict: page-derived text can never become markup, and a template typo fails loudly."""
    env = Environment(loader=FileSystemLoader([str(d) for d in template_dirs]),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["criterion_title"] = title_of
    env.filters["sentence_case"] = sentence_case
    return env


@dataclass(frozen=True)
class JourneyView:
    result: JourneyResult
    findings: list[Finding]
    """De-duplicated findings, each shown once at the step that first saw it."""

    @property
    def anchor(self) -> str:
        return "j-" + "".join(c if c.isalnum() else "-" for c in self.result.test_id)

    @property
    def outcome_words(self) -> str:
        if self.result.journey == SCAN_JOURNEY and self.result.outcome == "completed":
            return "Scanned"
        return OUTCOME_WORDS.get(self.result.outcome, self.result.outcome)

    @property
    def page(self) -> str:
        """The address of the journey's first page state: what scan mode's rows are named by."""
        for step in self.result.steps:
            for state in step.states:
                return str(state.get("url", ""))
        return ""

    @property
    def blocked_at(self) -> str:
        """'step 2, Enter where the bin is' for a blocked journey, else empty."""
        for step in self.result.steps:
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

    def findings_at(self, step_name: str) -> list[Finding]:
        order = {Outcome.ERROR: 0, Outcome.VIOLATION: 1, Outcome.NEEDS_REVIEW: 2}
        return sorted((f for f in self.findings if f.step == step_name),
                      key=lambda f: (f.blocker is False, order[f.outcome], -f.impact.rank, f.rule_id))


def report_context(run: RunResult) -> dict[str, Any]:
    """Everything the templates need, as plain data: no HTML is ever built here."""
    meta = run.meta
    targets: dict[str, dict[str, Any]] = meta.get("targets", {})
    personas: dict[str, dict[str, Any]] = meta.get("personas", {})
    journey_titles: dict[str, str] = meta.get("journeys", {})
    views = [JourneyView(j, j.findings) for j in sorted(
        run.journeys, key=lambda j: (j.target, _persona_rank(personas, j.persona), j.journey))]
    grid: dict[str, dict[str, list[JourneyView]]] = defaultdict(lambda: defaultdict(list))
    for view in views:
        grid[view.result.target][view.result.persona].append(view)
    all_findings = [f for v in views for f in v.findings]
    # Side by side: one row per journey and persona, one column per target.
    # Scan mode records each page as its own one-step journey: one row per page there.
    matrix: dict[tuple[str, str, str], dict[str, JourneyView]] = {}
    for view in sorted(views, key=lambda v: (v.result.journey, _persona_rank(personas, v.result.persona),
                                             v.page)):
        row = (view.result.journey, view.result.persona, view.page if view.result.journey == SCAN_JOURNEY else "")
        matrix.setdefault(row, {})[view.result.target] = view
    return {
        "meta": meta,
        "targets": targets,
        "personas": personas,
        "journey_titles": journey_titles,
        "persona_order": [p for p in personas if any(p in row for row in grid.values())]
        or sorted({v.result.persona for v in views}),
        "grid": {t: dict(row) for t, row in grid.items()},
        "matrix": [{"journey": j, "persona": p, "page": page, "cells": cells}
                   for (j, p, page), cells in matrix.items()],
        "matrix_targets": sorted({v.result.target for v in views}),
        "views": views,
        "impacts": [i.value for i in IMPACTS_WORST_FIRST],
        "totals": count_by_impact(f for f in all_findings if f.outcome is not Outcome.NEEDS_REVIEW),
        "needs_review_total": sum(1 for f in all_findings if f.outcome is Outcome.NEEDS_REVIEW),
        "journeys_completed": sum(1 for v in views if v.result.outcome == "completed"),
        "journeys_total": len(views),
        "skipped_lines": run.skipped_lines,
    }


def _persona_rank(personas: dict[str, Any], persona_id: str) -> int:
    """Personas in the order the run listed them (default first), unknown ones last."""
    order = list(personas)
    return order.index(persona_id) if persona_id in order else len(order)


def sentence_case(text: str) -> str:
    """Capital first letter, the rest untouched: 'before pressing 'Find address'' keeps the button's name."""
    return text[:1].upper() + text[1:]


def render_report(run: RunResult, template_dirs: Sequence[Path] = (TEMPLATES,)) -> str:
    return environment(template_dirs).get_template("report.html.jinja").render(**report_context(run))


def write_report(run_dir: Path, template_dirs: Sequence[Path] = (TEMPLATES,)) -> Path:
    """Read the run's stored results and write report.html beside them."""
    run = read_run(run_dir)
    path = run_dir / REPORT_FILE
    path.write_text(render_report(run, template_dirs), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.report",
                                     description="Render the HTML report of a stored run without a browser.")
    parser.add_argument("run_dir", type=Path, help="the run folder that holds results.ndjson")
    args = parser.parse_args(argv)
    try:
        path = write_report(args.run_dir)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Report written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
