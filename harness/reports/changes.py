"""Compare two stored runs: `python -m harness.reports.changes OLD_RUN NEW_RUN [--old-target ID --new-target ID]`.

Prints the barriers fixed, new and remaining, and writes compare.html, without a browser. Targets with the
same id are paired by default; two releases walked in one run (supplier-c-v1 and supplier-c-v2) are paired
by naming both. `python -m harness.reports.changes --history DB PRODUCT` prints a product's trend from the history.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from harness.model.barriers import barriers_of
from harness.model.errors import HarnessError, did_you_mean
from harness.model.plain_words import plural
from harness.model.results import RESULTS_FILE, RunResult, read_run
from harness.model.run_diff import diff_barriers
from harness.model.untrusted import shown
from harness.reports.history import (
    IMPACT_COLUMNS,
    HistoryDB,
    HistoryError,
    PairView,
    PointView,
    StoredBarrier,
    TrendPoint,
    date_words,
    product_views,
    shared_elements,
    trend_point,
    walked_targets,
)
from harness.reports.qa import NAV

COMPARE_FILE = "compare.html"
COMPARE_TEMPLATE = "compare.html.jinja"


class CompareError(HarnessError):
    """A run folder or target to compare is missing; the message names it and what is available."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a run folder and the target chosen in it."""

    run: RunResult
    target: str

    @property
    def point(self) -> TrendPoint:
        return trend_point(self.run, self.target)

    @property
    def barriers(self) -> list[StoredBarrier]:
        return [StoredBarrier.of(barrier) for barrier in barriers_of(self.run, self.target)]


def load_run(role: str, path: Path) -> RunResult:
    """Read a run folder, naming which of the two it was when it cannot be read."""
    if not path.is_dir():
        raise CompareError(f"{role} {path}: no such folder. Pass a run folder that holds {RESULTS_FILE} "
                           f"(for example reports/out/<run-id>).")
    try:
        return read_run(path)
    except FileNotFoundError as exc:
        raise CompareError(f"{role} {exc}") from exc


def check_target(role: str, run: RunResult, target: str) -> None:
    walked = walked_targets(run)
    if target in walked:
        return
    lines = [f"{role} {run.run_dir}: target '{target}' was not walked in this run."]
    hint = did_you_mean(target, walked)
    if hint:
        lines.append(hint)
    lines.append(f"Targets in this run: {', '.join(sorted(walked)) or 'none (no journeys recorded)'}")
    raise CompareError("\n".join(lines))


def pair_targets(old: RunResult, new: RunResult, old_target: str | None = None,
                 new_target: str | None = None) -> list[tuple[str, str]]:
    """The (old, new) target pairs to compare: the ones named, else every target both runs walked."""
    if old_target or new_target:
        old_id, new_id = old_target or new_target or "", new_target or old_target or ""
        check_target("OLD_RUN", old, old_id)
        check_target("NEW_RUN", new, new_id)
        return [(old_id, new_id)]
    new_walked = walked_targets(new)
    shared = [target for target in walked_targets(old) if target in new_walked]
    if not shared:
        raise CompareError(
            f"The runs walked no target in common: OLD_RUN {old.run_dir} has "
            f"{', '.join(sorted(walked_targets(old))) or 'none'}; NEW_RUN {new.run_dir} has "
            f"{', '.join(sorted(new_walked)) or 'none'}. Name the two to compare with --old-target ID "
            f"--new-target ID.")
    return [(target, target) for target in shared]


def side_labels(old: TrendPoint, new: TrendPoint) -> tuple[str, str]:
    """Words that tell the two sides apart: their releases, else their dates, else their targets."""
    if old.product != new.product:
        return old.target, new.target
    if old.version != new.version:
        return f"release {old.version}", f"release {new.version}"
    if old.run_id != new.run_id:
        old_date, new_date = date_words(old.started), date_words(new.started)
        if old_date != new_date:
            return f"the run of {old_date}", f"the run of {new_date}"
        return f"run {old.run_id}", f"run {new.run_id}"
    return old.target, new.target


def compare_pair(old: Side, new: Side) -> PairView:
    old_point, new_point = old.point, new.point
    old_label, new_label = side_labels(old_point, new_point)
    old_view = PointView(old_point, old.barriers, old_label, date_words(old_point.started))
    new_view = PointView(new_point, new.barriers, new_label, date_words(new_point.started))
    return PairView(old_view, new_view, diff_barriers(old_view.barriers, new_view.barriers))


def compare_runs(old: RunResult, new: RunResult, old_target: str | None = None,
                 new_target: str | None = None) -> list[PairView]:
    """Every pair of targets to compare, diffed."""
    return [compare_pair(Side(old, a), Side(new, b)) for a, b in pair_targets(old, new, old_target, new_target)]


def barrier_line(barrier: StoredBarrier, journey_titles: dict[str, str], was: StoredBarrier | None = None) -> str:
    impact = barrier.impact.value
    if was is not None and was.impact != barrier.impact:
        impact += f" (was {was.impact.value})"
    where = f" at {barrier.selector}" if barrier.selector else ""
    journey = journey_titles.get(barrier.journey, barrier.journey)
    return f"  - {impact}: {journey} › {barrier.page}: {barrier.rule_id}: {barrier.message}{where}"


def shared_lines(barriers: Sequence[StoredBarrier | tuple[StoredBarrier, StoredBarrier]]) -> list[str]:
    return [f"  (one element, more than one rule: {shared.selector} on {shared.page} is named by "
            f"{' and '.join(shared.rules)})" for shared in shared_elements(barriers)]


def compare_text(pairs: Sequence[PairView], journey_titles: dict[str, str]) -> str:
    """The terminal report: for each pair, counts first, then the lists."""
    lines: list[str] = []
    for pair in pairs:
        fixed, added, kept = pair.diff.counts
        for side, view in (("Old", pair.old), ("New", pair.new)):
            p = view.point
            lines.append(f"{side}: {p.target}, {view.label} (run {p.run_id}): {p.walks_completed} of "
                         f"{p.walks_total} walks completed, {plural(p.barriers_total, 'barrier')}")
        lines += [pair.summary, f"Fixed: {fixed}  New: {added}  Remaining: {kept}", ""]
        lines.append(f"Fixed ({fixed}):")
        lines += [barrier_line(b, journey_titles) for b in pair.diff.fixed] or ["  (none)"]
        lines += shared_lines(pair.diff.fixed)
        lines.append(f"New ({added}):")
        lines += [barrier_line(b, journey_titles) for b in pair.diff.new] or ["  (none)"]
        lines += shared_lines(pair.diff.new)
        lines.append(f"Remaining ({kept}):")
        lines += [barrier_line(b, journey_titles, was) for was, b in pair.diff.remaining] or ["  (none)"]
        lines += shared_lines(pair.diff.remaining)
        lines.append("")
    return "\n".join(lines)


def compare_context(old: RunResult, new: RunResult, pairs: Sequence[PairView]) -> dict[str, Any]:
    """Everything compare.html needs, as plain data; the newer run's names win where both runs name a thing."""
    return {
        "meta": new.meta,
        "personas": {**old.meta.get("personas", {}), **new.meta.get("personas", {})},
        "journey_titles": {**old.meta.get("journeys", {}), **new.meta.get("journeys", {})},
        "impacts": list(IMPACT_COLUMNS),
        "shared_elements": shared_elements,
        "old_dir": str(old.run_dir),
        "new_dir": str(new.run_dir),
        "pairs": list(pairs),
    }


def render_compare(old: RunResult, new: RunResult, pairs: Sequence[PairView], env: Environment,
                   nav: list[dict[str, str]]) -> dict[str, str]:
    """{'compare.html': html} for the pairs compare_runs returned."""
    html = env.get_template(COMPARE_TEMPLATE).render(**compare_context(old, new, pairs), nav=nav,
                                                     current=COMPARE_FILE)
    return {COMPARE_FILE: html}


def nav_beside(folder: Path) -> list[dict[str, str]]:
    """Links to the run's report pages that sit in the folder compare.html is written to."""
    links = [{"href": href, "label": label} for href, label in NAV if (folder / href).is_file()]
    return [*links, {"href": COMPARE_FILE, "label": "Compare runs"}] if links else []


def trend_text(db: HistoryDB, product: str) -> str:
    """A product's trend from the history database, one line per run, then what each step changed."""
    products = db.products()
    if product not in products:
        hint = did_you_mean(product, products)
        raise CompareError("\n".join(line for line in (
            f"{db.path}: no runs of product '{product}' are recorded.", hint,
            f"Products recorded: {', '.join(products) or 'none yet'}") if line))
    points = [(point, db.barriers(*point.id)) for point in db.trend(product)]
    (view,) = product_views(points, set())
    lines = [f"{view.product} ({view.supplier})"]
    for pv in view.points:
        p = pv.point
        impacts = ", ".join(f"{n} {impact}" for impact, n in p.barriers_by_impact.items() if n) or "no barriers"
        lines.append(f"  {p.version or '-':<8} {pv.date:<28} {p.target}: {p.walks_completed} of "
                     f"{p.walks_total} walks completed, {p.walks_blocked} blocked; {impacts}; "
                     f"{p.needs_review} to review (run {p.run_id})")
    lines += [f"  {pair.summary}" for pair in view.pairs]
    lines.append(view.summary if not view.pairs else "")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness.reports.changes",
        description="Compare two stored runs: barriers fixed, new and remaining. Writes compare.html.")
    parser.add_argument("runs", nargs="*", metavar="RUN_DIR",
                        help="OLD_RUN NEW_RUN (run folders holding results.ndjson); with --history, PRODUCT")
    parser.add_argument("--old-target", help="target id in OLD_RUN (default: every target both runs walked)")
    parser.add_argument("--new-target", help="target id in NEW_RUN (default: the same id as --old-target)")
    parser.add_argument("-o", "--output", type=Path, help=f"where to write the page (default: NEW_RUN/{COMPARE_FILE})")
    parser.add_argument("--history", type=Path, metavar="DB",
                        help="print the trend of PRODUCT from this history database instead")
    args = parser.parse_args(argv)
    try:
        if args.history is not None:
            if len(args.runs) != 1:
                parser.error("with --history, give one PRODUCT, for example: --history "
                             "reports/out/history.sqlite quickpay-council-payments")
            if not args.history.is_file():
                raise CompareError(f"{args.history}: no history database here. Record a run first, or pass the "
                                   f"file the runs were recorded in.")
            with HistoryDB(args.history) as db:
                print(shown(trend_text(db, args.runs[0])), end="")
            return 0
        if len(args.runs) != 2:
            parser.error("give two run folders: OLD_RUN NEW_RUN")
        old = load_run("OLD_RUN", Path(args.runs[0]))
        new = load_run("NEW_RUN", Path(args.runs[1]))
        pairs = compare_runs(old, new, args.old_target, args.new_target)
    except (CompareError, HistoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    context = compare_context(old, new, pairs)
    # shown: a page's escape sequences and bidi overrides reach the terminal as codes, not as commands.
    print(shown(compare_text(pairs, context["journey_titles"])), end="")
    output: Path = args.output or new.run_dir / COMPARE_FILE
    if env is None:
        from harness.reports.qa import environment  # here: report.py imports the page modules, so no cycle
        env = environment()
    html = render_compare(old, new, pairs, env, nav_beside(output.parent))[COMPARE_FILE]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    print(f"{COMPARE_FILE} written: {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
