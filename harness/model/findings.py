"""The findings model: one problem at one place on one page, with its outcome and impact."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from harness.model.untrusted import shown
from harness.model.wcag import title_of


class Outcome(str, enum.Enum):
    """What a finding means: a failure, something a person must judge, or the harness itself failing."""

    VIOLATION = "violation"
    NEEDS_REVIEW = "needs-review"
    ERROR = "error"


class Impact(str, enum.Enum):
    """axe-core's impact scale, unchanged: https://github.com/dequelabs/axe-core/blob/develop/doc/issue_impact.md"""

    CRITICAL = "critical"
    SERIOUS = "serious"
    MODERATE = "moderate"
    MINOR = "minor"

    @property
    def rank(self) -> int:
        """Higher is worse; used for thresholds and sorting."""
        return _IMPACT_RANK[self]

    @classmethod
    def parse(cls, value: str | None) -> Impact:
        """axe leaves impact empty on some needs-review results; treat those as minor."""
        return cls(value) if value else cls.MINOR


_IMPACT_RANK = {Impact.MINOR: 1, Impact.MODERATE: 2, Impact.SERIOUS: 3, Impact.CRITICAL: 4}
IMPACTS_WORST_FIRST = sorted(Impact, key=lambda impact: -impact.rank)


@dataclass(frozen=True)
class Finding:
    """One problem at one element (or page) in one page state, seen by one persona."""

    outcome: Outcome
    impact: Impact
    rule_id: str
    """axe rule id verbatim (e.g. 'color-contrast') or our check id (e.g. 'keyboard-reachable')."""
    source: str
    """'axe' or 'harness'."""
    message: str
    """One plain-English sentence: what is wrong and for whom."""
    help: str
    help_url: str
    criteria: tuple[str, ...] = ()
    page_url: str = ""
    selector: str = ""
    snippet: str = ""
    """The element's HTML as the page sent it: page-derived, always escaped when shown."""
    target: str = ""
    persona: str = ""
    journey: str = ""
    step: str = ""
    blocker: bool = False
    """True when this finding stopped the persona finishing the journey."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def criteria_titles(self) -> list[str]:
        return [title_of(cid) for cid in self.criteria]

    def dedupe_key(self) -> tuple[str, ...]:
        """The same rule failing on the same element is one finding, whichever step or page saw it.

        Page templates repeat: a logo without alt text on every page of a journey is one barrier to fix.
        """
        return (self.target, self.persona, self.journey, self.outcome.value, self.rule_id,
                self.selector, self.snippet)

    def at_step(self, *, target: str, persona: str, journey: str, step: str) -> Finding:
        return replace(self, target=target, persona=persona, journey=journey, step=step)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = self.outcome.value
        data["impact"] = self.impact.value
        data["criteria"] = list(self.criteria)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Finding:
        """A finding as stored; ValueError names the field when the data has not the shape `to_dict` writes.

        Stored lines can be damaged or edited by hand, so nothing is taken on trust: a wrong type here must
        be caught when the run is read, not crash a report later. Keys this version does not know are left out.
        """
        if not isinstance(data, dict):
            # ValueError, not TypeError: readers catch one error for every kind of damaged finding.
            raise ValueError(f"a finding that is {type(data).__name__}, not a JSON object")  # noqa: TRY004  # noqa: TRY004 - one error for any damaged record
        missing = [name for name in _REQUIRED if name not in data]
        if missing:
            raise ValueError(f"a finding without {', '.join(repr(name) for name in missing)}")
        values = {name: data[name] for name in _FIELD_NAMES if name in data}
        wrong = [name for name, kind in _FIELD_TYPES.items()
                 if name in values and not isinstance(values[name], kind)]
        if wrong:
            raise ValueError(f"a finding whose {', '.join(repr(name) for name in wrong)} "
                             f"{'has' if len(wrong) == 1 else 'have'} the wrong type")
        criteria = values.get("criteria", [])
        if not isinstance(criteria, list) or not all(isinstance(c, str) and CRITERION_ID.fullmatch(c)
                                                     for c in criteria):
            raise ValueError("a finding whose 'criteria' is not a list of WCAG criterion numbers such as '1.4.3'")
        for name, scale in (("outcome", Outcome), ("impact", Impact)):
            if values[name] not in {member.value for member in scale}:
                raise ValueError(f"a finding whose {name!r} is {values[name]!r}, not one of "
                                 f"{', '.join(member.value for member in scale)}")
            values[name] = scale(values[name])
        values["criteria"] = tuple(criteria)
        return cls(**values)

    def one_line(self) -> str:
        """A short line for terminal output and test failure messages."""
        where = f" at {self.selector}" if self.selector else ""
        criteria = f" [{', '.join(self.criteria)}]" if self.criteria else ""
        return f"{self.impact.value} {self.outcome.value} {self.rule_id}{criteria}: {self.message}{where}"


CRITERION_ID = re.compile(r"\d{1,2}\.\d{1,2}\.\d{1,2}")
"""A WCAG success criterion's number: '1.4.3'. Sorting and the conformance tables read it as numbers."""
_FIELD_NAMES = tuple(f.name for f in fields(Finding))
_REQUIRED = ("outcome", "impact", "rule_id", "source", "message", "help", "help_url")
_FIELD_TYPES: dict[str, type] = {
    **{name: str for name in ("outcome", "impact", "rule_id", "source", "message", "help", "help_url",
                              "page_url", "selector", "snippet", "target", "persona", "journey", "step")},
    "blocker": bool, "extra": dict}


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the first sighting of each finding, in order."""
    seen: set[tuple[str, ...]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = finding.dedupe_key()
        if key in seen:
            continue
        seen.add(key)
        unique.append(finding)
    return unique


def at_or_above(findings: Iterable[Finding], threshold: Impact | None) -> list[Finding]:
    """Violations and errors whose impact reaches the threshold; needs-review never fails a test."""
    if threshold is None:
        return []
    return [f for f in findings
            if f.outcome is not Outcome.NEEDS_REVIEW and f.impact.rank >= threshold.rank]


def count_by_impact(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {impact.value: 0 for impact in IMPACTS_WORST_FIRST}
    for finding in findings:
        counts[finding.impact.value] += 1
    return counts


class JourneyBlocked(AssertionError):
    """The persona cannot go on: carries the blocker finding that says why.

    Raised inside a step by whatever meets the blocker (a behaviour, the payment guard, a probe, the journey),
    and raised again out of `journey.step` with the persona and step named, which is what pytest shows.
    """

    def __init__(self, finding: Finding, message: str = "") -> None:
        # pytest prints this and writes it into JUnit XML: a page's control and bidi characters show as codes.
        super().__init__(shown(message or finding.message))
        self.finding = finding


class AccessibilityFindings(AssertionError):
    """Raised after a journey when findings reach the fail threshold; lists them briefly."""

    def __init__(self, findings: list[Finding], threshold: Impact, limit: int = 15) -> None:
        self.findings = findings
        lines = [f"{len(findings)} accessibility finding(s) at or above '{threshold.value}':"]
        # shown: page text in a message reaches the terminal with its escape sequences and overrides as codes.
        lines += [shown(f"  - {f.one_line()}  (step: {f.step})") for f in findings[:limit]]
        if len(findings) > limit:
            lines.append(f"  ... and {len(findings) - limit} more; see the HTML report.")
        super().__init__("\n".join(lines))
