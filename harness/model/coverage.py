"""WCAG coverage: for every WCAG 2.2 A and AA success criterion, what tests it automatically, and who.

A table built from the data that decides what runs (axe-core's own rule tags, our rules registry, the persona
files), never typed by hand, so it cannot drift from what a run does. Automated coverage of a criterion is
always partial: a rule catches some of the ways to fail it, never proves it is met. A criterion with nothing
automated is "manual only": a person must judge it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from harness.model.rules import Rule
from harness.model.wcag import CRITERIA, sort_key

EVERY_PERSONA = "every persona"
LEVELS = ("A", "AA")


@dataclass(frozen=True)
class CoverageRow:
    """One success criterion and what tests it."""

    criterion: str
    title: str
    level: str
    axe_rules: tuple[str, ...]
    own_checks: tuple[str, ...]
    personas: tuple[str, ...]
    """Who makes the own checks: the persona ids whose files list one, or "every persona"."""

    @property
    def automated(self) -> bool:
        return bool(self.axe_rules or self.own_checks)


def coverage_rows(axe_rules: Mapping[str, Iterable[str]], rules: Mapping[str, Rule],
                  persona_checks: Mapping[str, Iterable[str]]) -> list[CoverageRow]:
    """Rows for every A and AA criterion, in WCAG order.

    Args:
        axe_rules: axe-core rule id -> the criteria its tags name (the rules a run enables).
        rules: our rules registry (checks and probes; the harness's own rules test nothing).
        persona_checks: persona id -> the check and probe ids its file lists.
    """
    axe_by: dict[str, list[str]] = {}
    for rule_id, criteria in axe_rules.items():
        for tested in criteria:
            axe_by.setdefault(tested, []).append(rule_id)
    own_by: dict[str, list[Rule]] = {}
    for rule in rules.values():
        if rule.selectable:
            for tested in rule.criteria:
                own_by.setdefault(tested, []).append(rule)
    rows = []
    for criterion in sorted((c for c in CRITERIA.values() if c.level in LEVELS), key=lambda c: sort_key(c.id)):
        own = own_by.get(criterion.id, [])
        every = any(rule.every_persona for rule in own)
        who = (EVERY_PERSONA,) if every else tuple(sorted(
            persona for persona, checks in persona_checks.items() if {r.id for r in own} & set(checks)))
        rows.append(CoverageRow(criterion=criterion.id, title=criterion.title, level=criterion.level,
                                axe_rules=tuple(sorted(axe_by.get(criterion.id, []))),
                                own_checks=tuple(sorted(r.id for r in own)), personas=who if own else ()))
    return rows


def coverage_table(rows: list[CoverageRow]) -> str:
    """The table as Markdown, with its counts first."""
    automated = sum(row.automated for row in rows)
    both = sum(bool(row.axe_rules and row.own_checks) for row in rows)
    own_only = sum(bool(row.own_checks and not row.axe_rules) for row in rows)
    counts = (f"{len(rows)} criteria at levels A and AA: {automated} tested in part automatically ({both} by "
              f"axe-core and our checks, {own_only} by our checks alone, {automated - both - own_only} by axe-core "
              f"alone); {len(rows) - automated} manual only.")
    lines = [counts, "",
             "| criterion | level | coverage | axe-core rules | our checks | personas |", "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row.criterion} {row.title} | {row.level} | "
                     f"{'partly automated' if row.automated else 'manual only'} | {_code(row.axe_rules)} | "
                     f"{_code(row.own_checks)} | {', '.join(row.personas)} |")
    return "\n".join(lines)


def _code(items: tuple[str, ...]) -> str:
    return ", ".join(f"`{item}`" for item in items)
