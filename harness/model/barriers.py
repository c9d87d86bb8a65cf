"""Barriers: findings gathered into the distinct problems a supplier would fix, and compared across releases.

A finding is one sighting (one persona, one step). A barrier is the thing to fix: the same rule failing on
the same element of the same page of one journey, however many personas met it. Its key leaves out the
host and the product's base path, so release 1.0 at /v1/ and release 2.0 at /v2/ are compared page for page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from harness.model.findings import Finding, Impact, Outcome
from harness.model.results import RunResult
from harness.model.wcag import sort_key

BarrierKey = tuple[str, str, str, str]
"""(journey, page path within the product, rule id, selector)."""


def page_path(url: str, base_url: str) -> str:
    """The page's address within its product: 'garden-waste/address' for any host and release folder.

    base_url may still hold the '{demo}' placeholder, as stored targets do.
    """
    path = urlsplit(url).path
    base = urlsplit(base_url.replace("{demo}", "http://demo")).path
    if base and path.startswith(base):
        path = path[len(base):]
    return path.strip("/") or "/"


@dataclass
class Barrier:
    """One distinct problem in one target, with everyone and everywhere it was met."""

    key: BarrierKey
    target: str
    rule_id: str
    outcome: Outcome
    impact: Impact
    """The worst impact any sighting had."""
    criteria: tuple[str, ...]
    message: str
    help: str
    help_url: str
    page: str
    """Page path within the product (see page_path)."""
    page_url: str
    """The first full address it was seen at, for people to open."""
    journey: str
    selector: str
    snippet: str
    source: str
    steps: list[str] = field(default_factory=list)
    personas: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    """Personas this barrier stopped: fixing it would let them go on."""
    pages: list[str] = field(default_factory=list)
    """Every page path it was seen on: a template fault (a logo on every page) is one barrier on many pages."""
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_blocker(self) -> bool:
        return bool(self.blocked)


def barrier_key(finding: Finding, base_url: str) -> BarrierKey:
    return (finding.journey, page_path(finding.page_url, base_url), finding.rule_id, finding.selector)


def barriers_of(run: RunResult, target: str, outcomes: Iterable[Outcome] = (Outcome.VIOLATION,)
                ) -> list[Barrier]:
    """The target's barriers, blockers first, then worst impact, then WCAG order.

    Errors (the harness failing) are left out by default: they say nothing about the product.
    """
    wanted = set(outcomes)
    base_url = run.record.target(target).base_url
    found: dict[BarrierKey, Barrier] = {}
    for walk in run.walks:
        if walk.target != target:
            continue
        for finding in walk.findings:
            if finding.outcome not in wanted:
                continue
            key = barrier_key(finding, base_url)
            barrier = found.get(key)
            if barrier is None:
                barrier = found[key] = Barrier(
                    key=key, target=target, rule_id=finding.rule_id, outcome=finding.outcome,
                    impact=finding.impact, criteria=finding.criteria, message=finding.message, help=finding.help,
                    help_url=finding.help_url, page=key[1], page_url=finding.page_url, journey=finding.journey,
                    selector=finding.selector, snippet=finding.snippet, source=finding.source, pages=[key[1]])
            barrier.findings.append(finding)
            if finding.impact.rank > barrier.impact.rank:
                barrier.impact = finding.impact
            if finding.step not in barrier.steps:
                barrier.steps.append(finding.step)
            if finding.persona not in barrier.personas:
                barrier.personas.append(finding.persona)
            if finding.blocker and finding.persona not in barrier.blocked:
                barrier.blocked.append(finding.persona)
    _add_pages(run, target, found)
    return sorted(found.values(), key=lambda b: (
        not b.is_blocker, -b.impact.rank, [sort_key(c) for c in b.criteria] or [(99,)], b.journey, b.page,
        b.rule_id, b.selector))


def _add_pages(run: RunResult, target: str, found: dict[BarrierKey, Barrier]) -> None:
    """Walk findings are de-duplicated per walk; the steps still say each page a barrier was seen on."""
    base_url = run.record.target(target).base_url
    by_element = {(b.journey, b.rule_id, b.selector, b.outcome): b for b in found.values()}
    for walk in run.walks:
        if walk.target != target:
            continue
        for step in walk.steps:
            for finding in step.findings:
                barrier = by_element.get((finding.journey, finding.rule_id, finding.selector, finding.outcome))
                path = page_path(finding.page_url, base_url)
                if barrier is not None and path not in barrier.pages:
                    barrier.pages.append(path)
