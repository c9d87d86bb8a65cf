"""The procurement comparison: suppliers side by side on the same journeys, ranked by a stated method.

It leads with behaviour (which personas finished which journeys), because a buyer can defend "Ash could not
pay on product B" where a conformance percentage invites argument; criteria failed come next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.model.barriers import Barrier
from harness.model.findings import IMPACTS_WORST_FIRST, Impact, Outcome
from harness.model.results import WalkResult
from harness.model.wcag import CRITERIA, sort_key
from harness.reports.conformance import conformance_table, council_check_results
from harness.reports.openacr import claim_conflicts_of
from harness.reports.render import render_page
from harness.reports.run_view import RunView

COMPARISON_FILE = "comparison.html"

RANKING_METHOD = (
    "Products are ranked by, in order: (1) the share of persona walks completed, over the journeys each "
    "product offers; (2) the number of distinct barriers that stopped a persona (fewer is better); (3) the "
    "number of distinct critical and serious barriers; (4) the number of WCAG 2.2 level A criteria with at "
    "least one failure, then level AA; (5) the number of council service checks failed; (6) all distinct "
    "barriers. A later rule only separates products the earlier rules leave level. A barrier is one rule "
    "failing on one element of one page of a journey, however many personas met it, so a product is not "
    "punished twice for one mistake repeated on every step.")


@dataclass
class ProductScore:
    """What a buyer compares for one target, and the ranking key made from it."""

    target: str
    name: str
    supplier: str
    version: str
    walks: int
    completed: int
    blockers: int
    barriers_by_impact: dict[str, int]
    needs_review: int
    criteria_failed_a: list[str]
    criteria_failed_aa: list[str]
    council_failed: list[str]
    barriers: list[Barrier] = field(default_factory=list)
    rank: int = 0

    @property
    def completion(self) -> float:
        return self.completed / self.walks if self.walks else 0.0

    @property
    def completion_text(self) -> str:
        return f"{self.completed} of {self.walks} ({self.completion:.0%})" if self.walks else "no walks"

    @property
    def serious_or_worse(self) -> int:
        return self.barriers_by_impact["critical"] + self.barriers_by_impact["serious"]

    def ranking_key(self) -> tuple[float | int, ...]:
        return (-self.completion, self.blockers, self.serious_or_worse, len(self.criteria_failed_a),
                len(self.criteria_failed_aa), len(self.council_failed), len(self.barriers))


def score_target(view: RunView, target: str) -> ProductScore:
    recorded = view.target(target)
    checks = view.record.checks
    walks = view.walks_on(target)
    found = view.barriers(target)
    review = view.barriers(target, Outcome.NEEDS_REVIEW)
    failed = sorted({c for b in found for c in b.criteria if c in CRITERIA}, key=sort_key)
    by_impact = {impact.value: 0 for impact in IMPACTS_WORST_FIRST}
    for barrier in found:
        by_impact[barrier.impact.value] += 1
    return ProductScore(
        target=target, name=recorded.name, supplier=recorded.supplier, version=recorded.version, walks=len(walks),
        completed=sum(1 for w in walks if w.ending == "completed"),
        blockers=sum(1 for b in found if b.is_blocker), barriers_by_impact=by_impact, needs_review=len(review),
        criteria_failed_a=[c for c in failed if CRITERIA[c].level == "A"],
        criteria_failed_aa=[c for c in failed if CRITERIA[c].level == "AA"],
        council_failed=sorted({b.rule_id for b in found if b.rule_id in checks and checks[b.rule_id].council_check}),
        barriers=found)


def rank_products(scores: Sequence[ProductScore]) -> list[ProductScore]:
    """Best first; products level on every rule share a rank, as a buyer would expect."""
    ordered = sorted(scores, key=lambda s: (s.ranking_key(), s.target))
    previous: tuple[float | int, ...] | None = None
    for position, score in enumerate(ordered, start=1):
        key = score.ranking_key()
        score.rank = ordered[position - 2].rank if key == previous else position
        previous = key
    return ordered


@dataclass(frozen=True)
class MatrixCell:
    """One target's result for one journey and persona: a walk, or the reason there is none."""

    state: str
    """'completed', 'blocked', 'interrupted', 'error', 'not offered' or 'not run'."""
    walk: WalkResult | None = None
    blocked_at: str = ""
    """'step 2 of 5, Enter the address' for a blocked walk."""


def completion_matrix(view: RunView, targets: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of journey × persona; one cell per target. A journey a target does not list is 'not offered'."""
    walks = {(w.target, w.journey, w.persona): w for w in view.walks}
    walked_personas = [p for p in view.record.personas if any(w.persona == p for w in view.walks)]
    walked_personas += sorted({w.persona for w in view.walks} - set(walked_personas))
    journeys = sorted({w.journey for w in view.walks if w.target in targets})
    rows = []
    for journey in journeys:
        for persona in walked_personas:
            cells: dict[str, MatrixCell] = {}
            for target in targets:
                walk = walks.get((target, journey, persona))
                if walk is None:
                    cells[target] = MatrixCell("not run" if view.target(target).offers(journey) else "not offered")
                else:
                    cells[target] = MatrixCell(walk.ending, walk, _blocked_at(walk))
            if any(cell.walk for cell in cells.values()):
                rows.append({"journey": journey, "persona": persona, "cells": cells})
    return rows


def _blocked_at(walk: WalkResult) -> str:
    for step in walk.steps:
        if step.status == "blocked":
            return f"step {step.index} of {len(walk.steps)}, {step.name}"
    return ""


def ranked_products(view: RunView) -> list[ProductScore]:
    """Every walked target's score, best first."""
    return rank_products([score_target(view, t) for t in sorted(view.targets_walked)])


def comparison_context(view: RunView) -> dict[str, Any]:
    ranked = ranked_products(view)
    return {
        "ranked": ranked,
        "matrix": completion_matrix(view, [s.target for s in ranked]),
        "impacts": [i.value for i in IMPACTS_WORST_FIRST],
        "ranking_method": RANKING_METHOD,
        "level_a": sum(1 for c in CRITERIA.values() if c.level == "A"),
        "level_aa": sum(1 for c in CRITERIA.values() if c.level == "AA"),
        "worst": Impact.CRITICAL.value,
    }


def conformance_context(view: RunView) -> dict[str, Any]:
    """Conformance tables, council checks and supplier-claim conflicts per target, for the comparison page."""
    targets = sorted(view.targets_walked)
    claims = {t: conflicts for t in targets if (conflicts := claim_conflicts_of(view, t)) is not None}
    return {"conformance": {t: conformance_table(view, t) for t in targets},
            "council_checks": {t: council_check_results(view, t) for t in targets},
            "claim_conflicts": claims}


def render_comparison(view: RunView) -> dict[str, str]:
    """{'comparison.html': the supplier comparison, with each product's conformance report}."""
    return {COMPARISON_FILE: render_page("comparison.html.jinja", COMPARISON_FILE, run=view.record,
                                         personas=view.record.personas, **comparison_context(view),
                                         **conformance_context(view))}
