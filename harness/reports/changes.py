"""What changed between two stored runs: the barriers fixed, new and remaining, as text and as compare.html.

Targets with the same id are paired by default; two releases walked in one run (supplier-c-v1 and supplier-c-v2)
are paired by naming both. A product's trend can be told from the history database alone. The command is
`python -m harness.cli.compare` (harness/cli/compare.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.model.errors import HarnessError, did_you_mean
from harness.model.plain_words import plural
from harness.model.results import RESULTS_FILE
from harness.model.run_diff import diff_barriers
from harness.reports.history import (
    IMPACT_COLUMNS,
    BarrierRecord,
    HistoryDB,
    PairView,
    PointView,
    TrendPoint,
    date_words,
    product_views,
    shared_elements,
    trend_point,
)
from harness.reports.render import NAV, environment
from harness.reports.run_view import RunView

COMPARE_FILE = "compare.html"
COMPARE_TEMPLATE = "compare.html.jinja"


class CompareError(HarnessError):
    """A run folder or target to compare is missing; the message names it and what is available."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a run folder and the target chosen in it."""

    view: RunView
    target: str

    @property
    def point(self) -> TrendPoint:
        return trend_point(self.view, self.target)

    @property
    def barriers(self) -> list[BarrierRecord]:
        return [BarrierRecord.of(barrier) for barrier in self.view.barriers(self.target)]


def load_run(role: str, path: Path) -> RunView:
    """Read a run folder, naming which of the two it was when it cannot be read."""
    if not path.is_dir():
        raise CompareError(f"{role} {path}: no such folder. Pass a run folder that holds {RESULTS_FILE} "
                           f"(for example reports/out/<run-id>).")
    try:
        return RunView.read(path)
    except FileNotFoundError as exc:
        raise CompareError(f"{role} {exc}") from exc


def check_target(role: str, view: RunView, target: str) -> None:
    walked = view.targets_walked
    if target in walked:
        return
    lines = [f"{role} {view.run_dir}: target '{target}' was not walked in this run."]
    hint = did_you_mean(target, walked)
    if hint:
        lines.append(hint)
    lines.append(f"Targets in this run: {', '.join(sorted(walked)) or 'none (no journeys recorded)'}")
    raise CompareError("\n".join(lines))


def pair_targets(old: RunView, new: RunView, old_target: str | None = None,
                 new_target: str | None = None) -> list[tuple[str, str]]:
    """The (old, new) target pairs to compare: the ones named, else every target both runs walked."""
    if old_target or new_target:
        old_id, new_id = old_target or new_target or "", new_target or old_target or ""
        check_target("OLD_RUN", old, old_id)
        check_target("NEW_RUN", new, new_id)
        return [(old_id, new_id)]
    new_walked = new.targets_walked
    shared = [target for target in old.targets_walked if target in new_walked]
    if not shared:
        raise CompareError(
            f"The runs walked no target in common: OLD_RUN {old.run_dir} has "
            f"{', '.join(sorted(old.targets_walked)) or 'none'}; NEW_RUN {new.run_dir} has "
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


def compare_runs(old: RunView, new: RunView, old_target: str | None = None,
                 new_target: str | None = None) -> list[PairView]:
    """Every pair of targets to compare, diffed."""
    return [compare_pair(Side(old, a), Side(new, b)) for a, b in pair_targets(old, new, old_target, new_target)]


def barrier_line(barrier: BarrierRecord, journey_titles: Mapping[str, str], was: BarrierRecord | None = None
                 ) -> str:
    impact = barrier.impact.value
    if was is not None and was.impact != barrier.impact:
        impact += f" (was {was.impact.value})"
    where = f" at {barrier.selector}" if barrier.selector else ""
    journey = journey_titles.get(barrier.journey, barrier.journey)
    return f"  - {impact}: {journey} › {barrier.page}: {barrier.rule_id}: {barrier.message}{where}"


def shared_lines(barriers: Sequence[BarrierRecord | tuple[BarrierRecord, BarrierRecord]]) -> list[str]:
    return [f"  (one element, more than one rule: {shared.selector} on {shared.page} is named by "
            f"{' and '.join(shared.rules)})" for shared in shared_elements(barriers)]


def compare_text(pairs: Sequence[PairView], journey_titles: Mapping[str, str]) -> str:
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


def journey_titles(old: RunView, new: RunView) -> dict[str, str]:
    """Journey titles from both runs; the newer run's win where both name a journey."""
    return {**old.record.journeys, **new.record.journeys}


def compare_context(old: RunView, new: RunView, pairs: Sequence[PairView]) -> dict[str, Any]:
    """Everything compare.html needs, as plain data; the newer run's names win where both runs name a thing."""
    return {
        "run": new.record,
        "personas": {**old.record.personas, **new.record.personas},
        "journey_titles": journey_titles(old, new),
        "impacts": list(IMPACT_COLUMNS),
        "shared_elements": shared_elements,
        "old_dir": str(old.run_dir),
        "new_dir": str(new.run_dir),
        "pairs": list(pairs),
    }


def render_compare(old: RunView, new: RunView, pairs: Sequence[PairView], nav: list[dict[str, str]]
                   ) -> dict[str, str]:
    """{'compare.html': html} for the pairs compare_runs returned."""
    html = environment().get_template(COMPARE_TEMPLATE).render(**compare_context(old, new, pairs), nav=nav,
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
