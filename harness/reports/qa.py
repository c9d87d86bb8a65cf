"""Render every report of a run from its stored results; `python -m harness.reports.qa RUN_DIR` rebuilds them.

No browser is needed: QA, persona, comparison, history and statement pages, and the machine outputs, are all
made from results.ndjson (and the history database), so a crashed run or an old run can be re-rendered.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from harness.model.findings import IMPACTS_WORST_FIRST, Finding, Impact, Outcome, count_by_impact
from harness.model.results import RESULTS_FILE, JourneyResult, RunResult, read_run
from harness.model.screenshots import outline_of, png_size, screenshot_scale
from harness.model.targets import SCAN_JOURNEY
from harness.model.untrusted import safe_href, shown
from harness.model.wcag import title_of

TEMPLATES = Path(__file__).resolve().parent / "templates"
REPORT_FILE = "report.html"
PAGE_WIDE = 0.6
"""An element covering this share of the page or more is the page itself, as far as an outline can help."""
HISTORY_FILE = "history.sqlite"
"""The history database's default name, in the report folder beside the run folders."""
OUTCOME_WORDS = {"completed": "Completed", "blocked": "Blocked", "interrupted": "Did not finish (run stopped)",
                 "in progress": "Did not finish (run stopped)", "not started": "Not started",
                 "error": "Scenario error"}


def environment(template_dirs: Sequence[Path] = (TEMPLATES,)) -> Environment:
    """Autoescaped and strict: page-derived text can never become markup, and a template typo fails loudly.

    Every value a template writes passes `shown_value`, so a control or bidi override from a page is shown as
    a visible code; every address a template links to passes the `safe_href` filter (the `link` macro in
    macros.html.jinja), so a `javascript:` address from a page or a faked axe is shown, never linked.
    """
    env = Environment(loader=FileSystemLoader([str(d) for d in template_dirs]),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=shown_value)
    env.filters["criterion_title"] = title_of
    env.filters["sentence_case"] = sentence_case
    env.filters["safe_href"] = safe_href
    return env


def shown_value(value: Any) -> Any:
    """What a template writes: text (escaped markup included) made safe to show by `untrusted.shown`."""
    return shown(value) if isinstance(value, str) else value


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

    @property
    def quiet(self) -> bool:
        """A walk that finished with nothing found: its steps are folded away in the QA report.

        The demo matrix has 96 walks; written out in full, the clean ones made up a third of a page 600,000
        pixels long, between the walks somebody has to act on.
        """
        return self.result.outcome == "completed" and not self.findings

    def findings_at(self, step_name: str) -> list[Finding]:
        order = {Outcome.ERROR: 0, Outcome.VIOLATION: 1, Outcome.NEEDS_REVIEW: 2}
        return sorted((f for f in self.findings if f.step == step_name),
                      key=lambda f: (f.blocker is False, order[f.outcome], -f.impact.rank, f.rule_id))


def outlines(run_dir: Path, state: dict[str, Any], findings: Sequence[Finding], scale: float = 1.0
             ) -> list[dict[str, Any]]:
    """Boxes to draw over a state's screenshot: one per element, labelled with its findings' numbers.

    Numbers are the findings' places in the step's list, so "1, 2" on a button sends the reader to the first
    two findings. Page-wide findings (html, body) get no box: outlining the whole page marks nothing.
    """
    boxes: dict[str, list[int]] = state.get("boxes") or {}
    size = png_size(run_dir / str(state.get("screenshot", ""))) if state.get("screenshot") and boxes else None
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
class RuleGroup:
    """One rule's findings in one target, page by page: what QA files as one bug with many places."""

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


def rule_groups(views: Sequence[JourneyView]) -> list[RuleGroup]:
    """Findings grouped by target, rule and page; worst first. Each element counts once per page."""
    grouped: dict[tuple[str, str, str], dict[str, dict[tuple[str, str], Finding]]] = defaultdict(
        lambda: defaultdict(dict))
    first: dict[tuple[str, str, str], Finding] = {}
    for view in views:
        for finding in view.findings:
            key = (finding.target or view.result.target, finding.rule_id, finding.outcome.value)
            first.setdefault(key, finding)
            worst = first[key]
            if finding.impact.rank > worst.impact.rank:
                first[key] = finding
            grouped[key][finding.page_url].setdefault((finding.selector, finding.snippet), finding)
    order = {Outcome.ERROR.value: 2, Outcome.VIOLATION.value: 0, Outcome.NEEDS_REVIEW.value: 1}
    groups = [RuleGroup(target=key[0], rule_id=key[1], source=f.source, impact=f.impact.value, outcome=key[2],
                        criteria=f.criteria, message=f.message, help=f.help, help_url=f.help_url,
                        pages=[(url, list(found.values())) for url, found in grouped[key].items()])
              for key, f in first.items()]
    return sorted(groups, key=lambda g: (g.target, order.get(g.outcome, 3), -Impact(g.impact).rank, g.rule_id))


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
        "unreadable": run.unreadable,
        "never_walked": never_walked(run),
        "scan_left_out": scan_left_out(meta),
        "outcome_counts": {word: sum(1 for v in views if v.outcome_words == word)
                           for word in dict.fromkeys(v.outcome_words for v in views)},
        "is_offered": lambda target, journey: journey in targets.get(target, {}).get("journeys", {journey: ""}),
        "rule_groups": rule_groups(views),
        "checks": meta.get("checks", {}),
        "outlines": lambda state, found: outlines(run.run_dir, state, found, _scale(personas, state, found)),
    }


def never_walked(run: RunResult) -> list[str]:
    """Test ids the run planned (its record lists them) but never started: a killed run says what it missed."""
    planned = run.meta.get("planned")
    if not isinstance(planned, list):
        return []  # a run recorded before runs listed their plan
    started = {journey.test_id for journey in run.journeys}
    return [str(test_id) for test_id in dict.fromkeys(planned) if test_id not in started]


def scan_left_out(meta: dict[str, Any]) -> dict[str, Any]:
    """Scan mode's pages found but not scanned, and those that could not be fetched, each with its reason."""
    scan = meta.get("scan")
    if not isinstance(scan, dict):
        return {"pages": [], "max_pages": None}
    skipped, errors = (entries if isinstance(entries := scan.get(key), list) else [] for key in ("skipped", "errors"))
    pages = [{"url": str(page.get("url", "")), "reason": str(page.get("reason", "")),
              "found_on": str(page.get("found_on") or "")} for page in skipped if isinstance(page, dict)]
    pages += [{"url": str(failed.get("url", "")), "reason": f"could not be fetched: {failed.get('message', '')}",
               "found_on": ""} for failed in errors if isinstance(failed, dict)]
    return {"pages": pages, "max_pages": scan.get("max_pages")}


def _scale(personas: dict[str, dict[str, Any]], state: dict[str, Any], findings: Sequence[Finding]) -> float:
    """Image pixels per CSS pixel in the state's screenshot, as recorded or from the persona of older results."""
    persona = findings[0].persona if findings else ""
    return screenshot_scale(state, personas.get(persona, {}).get("context", {}))


def _persona_rank(personas: dict[str, Any], persona_id: str) -> int:
    """Personas in the order the run listed them (default first), unknown ones last."""
    order = list(personas)
    return order.index(persona_id) if persona_id in order else len(order)


def sentence_case(text: str) -> str:
    """Capital first letter, the rest untouched: 'before pressing 'Find address'' keeps the button's name."""
    return text[:1].upper() + text[1:]


NAV = (("index.html", "Summary"), ("report.html", "QA report"), ("personas.html", "Personas"),
       ("comparison.html", "Supplier comparison"), ("history.html", "History"),
       ("statements.html", "Statement drafts"))
"""The run's reports, in the order the navigation lists them."""


def run_nav() -> list[dict[str, str]]:
    return [{"href": href, "label": label} for href, label in NAV]


def render_report(run: RunResult, template_dirs: Sequence[Path] = (TEMPLATES,)) -> str:
    """The QA report: every walk, every finding, grouped and filterable."""
    return environment(template_dirs).get_template("report.html.jinja").render(
        **report_context(run), nav=run_nav(), current=REPORT_FILE)


def write_report(run_dir: Path, template_dirs: Sequence[Path] = (TEMPLATES,)) -> Path:
    """Read the run's stored results and write the QA report, report.html, beside them."""
    run = read_run(run_dir)
    path = run_dir / REPORT_FILE
    path.write_text(render_report(run, template_dirs), encoding="utf-8")
    return path


@dataclass
class WrittenReports:
    files: list[Path]
    problems: list[str]
    """One line per report that could not be made; the others are written all the same."""
    unreadable: list[str] = field(default_factory=list)
    """Lines of the results file every report left out, and why ('line 4: a step record without 'index'')."""

    @property
    def index(self) -> Path | None:
        return next((f for f in self.files if f.name == "index.html"), None)

    def announce(self) -> int:
        """Tell a command-line user what could not be made and where to start; the command's exit status."""
        for problem in self.problems:
            print(f"could not write {problem}", file=sys.stderr)
        if self.unreadable:
            print(f"warning: {len(self.unreadable)} line(s) of results.ndjson could not be read and are left out of "
                  "every report (the summary and the QA report say so too):", file=sys.stderr)
            for reason in self.unreadable[:20]:
                print(f"  {reason}", file=sys.stderr)
            if len(self.unreadable) > 20:
                print(f"  ... and {len(self.unreadable) - 20} more", file=sys.stderr)
        print(f"Start here: {self.index}")
        return 1 if self.problems else 0


def write_reports(run_dir: Path, history_path: Path | None = None) -> WrittenReports:
    """Every report and export of a run; one that fails is named in `problems`, never losing the rest."""
    # Imported here: the page modules use environment() from this module.
    from harness.reports.exports import findings_csv, findings_json
    from harness.reports.procurement import comparison_context

    run = read_run(run_dir)
    env = environment()
    nav = run_nav()
    written = WrittenReports(files=[], problems=[], unreadable=run.unreadable)

    def page(template: str, name: str, context: dict[str, Any]) -> dict[str, str]:
        values = {"meta": run.meta, "personas": run.meta.get("personas", {}), **context}
        return {name: env.get_template(template).render(**values, nav=nav, current=name)}

    makers: list[tuple[str, Callable[[], dict[str, str]]]] = [
        ("QA report", lambda: {REPORT_FILE: render_report(run)}),
        ("findings JSON and CSV", lambda: {"findings.json": findings_json(run), "findings.csv": findings_csv(run)}),
        ("supplier comparison", lambda: page("comparison.html.jinja", "comparison.html",
                                             {**comparison_context(run), **_conformance_context(run)})),
        *_audience_makers(run, env, nav, history_path),
    ]
    for label, make in makers:
        try:
            outputs = make()
        except Exception as exc:  # noqa: BLE001 - one broken report must not cost the others
            written.problems.append(f"{label}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
            continue
        for name, text in outputs.items():
            if not _plain_file_name(name):
                # File names carry target and persona ids from results.ndjson: a damaged or edited file must
                # not make the report writer write outside the run folder.
                written.problems.append(f"{label}: {name!r} is not a plain file name (an id in {RESULTS_FILE} "
                                        "holds a '/', '\\' or a leading '.'), so it was not written")
                continue
            path = run_dir / name
            path.write_text(text, encoding="utf-8")
            written.files.append(path)
    index = page("index.html.jinja", "index.html", {**report_context(run), "files": [
        f.name for f in written.files], "problems": written.problems, "glance": _glance(run)})
    (run_dir / "index.html").write_text(index["index.html"], encoding="utf-8")
    written.files.insert(0, run_dir / "index.html")
    return written


def _plain_file_name(name: str) -> bool:
    return bool(name) and not name.startswith(".") and "/" not in name and "\\" not in name and "\x00" not in name


def _glance(run: RunResult) -> list[Any]:
    """Each target's headline figures, best first, for the summary page; none if they cannot be made."""
    from harness.reports.procurement import rank_products, score_target

    try:
        return rank_products([score_target(run, t) for t in sorted({j.target for j in run.journeys})])
    except Exception:  # noqa: BLE001 - the summary page must not fail because a figure could not be made
        return []


def _conformance_context(run: RunResult) -> dict[str, Any]:
    """Conformance tables, council checks and supplier-claim conflicts per target, for the comparison page."""
    from harness.reports.conformance import conformance_table, council_check_results
    from harness.reports.openacr import claim_conflicts_of

    targets = sorted({j.target for j in run.journeys})
    claims = {t: conflicts for t in targets if (conflicts := claim_conflicts_of(run, t)) is not None}
    return {"conformance": {t: conformance_table(run, t) for t in targets},
            "council_checks": {t: council_check_results(run, t) for t in targets},
            "claim_conflicts": claims}


def _audience_makers(run: RunResult, env: Environment, nav: list[dict[str, str]], history_path: Path | None
                   ) -> list[tuple[str, Callable[[], dict[str, str]]]]:
    from harness.reports.history import HistoryDB
    from harness.reports.history import render_history as history_pages
    from harness.reports.openacr import render_conformance_files
    from harness.reports.personas import render_personas
    from harness.reports.statements import render_statements

    def history() -> dict[str, str]:
        db = HistoryDB(history_path) if history_path is not None and history_path.exists() else None
        return history_pages(run, db, env, nav)

    return [("persona reports", lambda: render_personas(run, env, nav)),
            ("statement drafts", lambda: render_statements(run, env, nav)),
            ("history", history),
            ("conformance exports (OpenACR, EARL)", lambda: render_conformance_files(run))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness.reports.qa",
        description="Rebuild every report of a stored run (QA, personas, comparison, history, statement drafts, "
                    "JSON, CSV, OpenACR, EARL) without a browser.")
    parser.add_argument("run_dir", type=Path, help="the run folder that holds results.ndjson")
    parser.add_argument("--history", type=Path, default=None, metavar="DB",
                        help="history database for the trend view (default: history.sqlite beside the run "
                             "folder, if there is one)")
    args = parser.parse_args(argv)
    history = args.history or args.run_dir.resolve().parent / HISTORY_FILE
    if args.history and not args.history.is_file():
        print(f"error: {args.history}: no history database there. Leave out --history to build the trend "
              "from this run alone.", file=sys.stderr)
        return 2
    try:
        written = write_reports(args.run_dir, history)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written.files:
        print(f"written: {path}")
    return written.announce()



if __name__ == "__main__":
    raise SystemExit(main())
