"""The conformance table: one ACR row per WCAG 2.2 A and AA criterion, answered only as far as the run shows.

A supplier's ACR says "Supports" freely; ours may say it only for the few criteria automation can settle, and
only once the checks that settle them ran and a persona who depends on them finished every journey. What the
run cannot settle stays "Needs manual evaluation", named as a deviation from the ITI terms in the notes. The
rules per criterion are data in conformance.toml; reference.md section 5.3 explains them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.model.barriers import Barrier, page_path
from harness.model.findings import Outcome
from harness.model.plain_words import plural
from harness.model.records import PageState
from harness.model.results import WalkResult
from harness.model.wcag import CRITERIA, sort_key
from harness.reports.run_view import RunView

DATA_FILE = Path(__file__).with_name("conformance.toml")

SUPPORTS = "Supports"
PARTIALLY_SUPPORTS = "Partially Supports"
DOES_NOT_SUPPORT = "Does Not Support"
NOT_APPLICABLE = "Not Applicable"
NEEDS_MANUAL = "Needs manual evaluation"
NOT_EVALUATED_BY_RUN = "Not evaluated by this run"
LEVELS = (DOES_NOT_SUPPORT, PARTIALLY_SUPPORTS, SUPPORTS, NOT_APPLICABLE, NEEDS_MANUAL)
"""Worst first: the order counts are shown in."""

PARSING = "4.1.1"
PARSING_TITLE = "Parsing"
PARSING_REMARK = ("WCAG 2.2 made 4.1.1 Parsing obsolete, and the errata for WCAG 2.0 and 2.1 treat it as always "
                  "satisfied for HTML, so it is answered Supports without a test.")

AXE_SCAN_FAILED = "axe-scan-failed"
"""The harness's error finding for a page state axe-core could not scan (harness/browser/axe_scan.py)."""

Page = tuple[str, str]
"""(journey id, page path within the product): one page where a criterion was tested."""


@dataclass(frozen=True)
class CriterionRule:
    """What conformance.toml says about one criterion."""

    settle: bool = False
    axe: bool = False
    checks: tuple[str, ...] = ()
    personas: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    absent_text: str = ""
    manual: str = "that the criterion is met"


@dataclass(frozen=True)
class FpsRule:
    clause: str
    title: str
    personas: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    criteria: dict[str, CriterionRule]
    fps: tuple[FpsRule, ...]


def load_rules(path: Path = DATA_FILE) -> Rules:
    """Read conformance.toml; a key that is not a known criterion or field stops here, naming it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    known = set(CriterionRule.__dataclass_fields__)
    criteria: dict[str, CriterionRule] = {}
    for cid, entry in data.get("criteria", {}).items():
        if cid not in CRITERIA:
            raise ValueError(f"{path}: [criteria.\"{cid}\"] is not a WCAG 2.2 criterion in harness/model/wcag.py.")
        unknown = set(entry) - known
        if unknown:
            raise ValueError(f"{path}: [criteria.\"{cid}\"] has unknown field(s) {', '.join(sorted(unknown))}; "
                             f"known fields: {', '.join(sorted(known))}.")
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
        criteria[cid] = CriterionRule(**values)
    fps = tuple(FpsRule(clause=e["clause"], title=e["title"], personas=tuple(e["personas"]))
                for e in data.get("fps", []))
    return Rules(criteria=criteria, fps=fps)


@dataclass
class ConformanceRow:
    """One row of an ACR table: Criteria | Conformance Level | Remarks and Explanations."""

    criterion: str
    level: str
    remarks: list[str] = field(default_factory=list)
    barriers: list[Barrier] = field(default_factory=list)
    """Violations mapped to the criterion, blockers first."""
    title: str = ""
    wcag_level: str = ""
    """'A' or 'AA'."""
    review: list[Barrier] = field(default_factory=list)
    """Needs-review findings mapped to the criterion: what a person should look at first."""

    @property
    def label(self) -> str:
        return f"{self.criterion} {self.title}"


@dataclass
class FpsRow:
    """An EN 301 549 functional performance statement answered by whether personas finished their journeys."""

    clause: str
    title: str
    personas: list[str]
    level: str
    remarks: list[str] = field(default_factory=list)


@dataclass
class ConformanceTable:
    target: str
    name: str
    supplier: str
    version: str
    rows: list[ConformanceRow]
    fps: list[FpsRow]
    notes: list[str]
    pages_tested: int = 0

    def rows_at(self, wcag_level: str) -> list[ConformanceRow]:
        return [row for row in self.rows if row.wcag_level == wcag_level]

    def row(self, criterion: str) -> ConformanceRow:
        for row in self.rows:
            if row.criterion == criterion:
                return row
        raise KeyError(criterion)

    @property
    def counts(self) -> dict[str, int]:
        """Rows per level, worst first, every level present (zero when none)."""
        counts = {level: 0 for level in LEVELS}
        for row in self.rows:
            counts[row.level] += 1
        return counts


@dataclass
class CouncilCheckResult:
    """A council check (no WCAG criterion) for one target: passed, failed, needs review, or not run."""

    check_id: str
    summary: str
    status: str
    barriers: list[Barrier] = field(default_factory=list)
    note: str = ""


@dataclass
class _Evidence:
    """What the run saw of one target, gathered once and read per criterion."""

    tested: dict[str, set[Page]] = field(default_factory=dict)
    failing: dict[str, set[Page]] = field(default_factory=dict)
    checks_ran: set[str] = field(default_factory=set)
    axe_applied: set[str] = field(default_factory=set)
    states: list[tuple[Page, PageState]] = field(default_factory=list)
    journeys_walked: set[str] = field(default_factory=set)
    walks: list[WalkResult] = field(default_factory=list)
    axe_failed: int = 0
    """Page states whose axe-core scan failed (axe-scan-failed): what axe would have found there is unknown."""


def _gather(view: RunView, target: str) -> _Evidence:
    base_url = view.target(target).base_url
    check_criteria = {cid: check.criteria for cid, check in view.record.checks.items()}
    evidence = _Evidence()
    for walk in view.walks_on(target):
        evidence.walks.append(walk)
        evidence.journeys_walked.add(walk.journey)
        for step in walk.steps:
            for state in step.states:
                page = (walk.journey, page_path(state.url, base_url))
                evidence.states.append((page, state))
                covered = set(state.axe_checked or ())
                evidence.axe_applied |= covered
                for check in state.checks or ():
                    evidence.checks_ran.add(check)
                    covered.update(check_criteria.get(check, ()))
                for cid in covered:
                    evidence.tested.setdefault(cid, set()).add(page)
            # Raw step findings, not the journey's de-duplicated ones: a failure repeated on every page of a
            # journey must count on every page for the "most pages" test.
            for finding in step.findings:
                if finding.rule_id == AXE_SCAN_FAILED and finding.source == "harness":
                    evidence.axe_failed += 1
                if finding.outcome is not Outcome.VIOLATION:
                    continue
                page = (walk.journey, page_path(finding.page_url, base_url))
                for cid in finding.criteria:
                    evidence.failing.setdefault(cid, set()).add(page)
    return evidence




def barrier_remarks(view: RunView, barriers: Iterable[Barrier], suffix: str = "") -> list[str]:
    """'[journey] › [step]: [message] (3 instances; personas: Ash, Sam)', one line per problem and step."""
    groups: dict[tuple[str, str, str], list[Barrier]] = {}
    for barrier in barriers:
        step = barrier.steps[0] if barrier.steps else ""
        groups.setdefault((barrier.journey, step, barrier.message), []).append(barrier)
    remarks = []
    for (journey, step, message), group in groups.items():
        personas: list[str] = []
        blocked: list[str] = []
        for barrier in group:
            personas += [p for p in barrier.personas if p not in personas]
            blocked += [p for p in barrier.blocked if p not in blocked]
        where = view.journey_title(journey) + (f" › {step}" if step else "")
        details = [plural(len(group), "instance"),
                   "personas: " + ", ".join(view.persona_name(p) for p in personas)]
        if blocked:
            details.append("stopped " + ", ".join(view.persona_name(p) for p in blocked))
        remarks.append(f"{where}: {message.rstrip('.')} ({'; '.join(details)}){suffix}")
    return remarks


def _walk_summary(view: RunView, walks: list[WalkResult], persona: str) -> tuple[bool, str]:
    """(completed every walk, remark) for one persona on one target."""
    own = [w for w in walks if w.persona == persona]
    name = view.persona_name(persona)
    if not own:
        return False, f"{name} ({persona}) did not walk this target"
    done = sum(1 for w in own if w.ending == "completed")
    if done == len(own):
        done_all = f"all {len(own)} journeys" if len(own) > 1 else "the one journey walked"
        return True, f"{name} ({persona}) completed {done_all}"
    return False, f"{name} ({persona}) completed {done} of {plural(len(own), 'journey')}"


def _row(view: RunView, cid: str, rule: CriterionRule, evidence: _Evidence, violations: list[Barrier],
         review: list[Barrier]) -> ConformanceRow:
    criterion = CRITERIA[cid]
    row = ConformanceRow(criterion=cid, level=NEEDS_MANUAL, title=criterion.title, wcag_level=criterion.level,
                         barriers=violations, review=review)
    failing = evidence.failing.get(cid, set())
    tested = evidence.tested.get(cid, set()) | failing
    if violations:
        blockers = [b for b in violations if b.is_blocker]
        # Only page checks and axe record where they tested; a journey probe is seen only when it fails, so
        # a criterion known from probes alone has no count of pages to take "most" of.
        counted = bool(evidence.tested.get(cid))
        most = counted and len(failing) * 2 > len(tested)
        row.level = DOES_NOT_SUPPORT if blockers or most else PARTIALLY_SUPPORTS
        why = []
        if blockers:
            why.append("a failure stopped a persona finishing a journey")
        if counted:
            why.append(f"failures on {len(failing)} of {plural(len(tested), 'page')} where it was tested")
        else:
            why.append(f"failures on {plural(len(failing), 'page')}, found by journey probes, which run only where "
                       "a journey gives the chance")
        row.remarks.append("; ".join(why).capitalize() + ".")
        if evidence.axe_failed and (rule.axe or cid in evidence.axe_applied):
            row.remarks.append(f"There may be more: {_axe_failed_text(evidence)}.")
        row.remarks += barrier_remarks(view, violations)
        if review:
            row.remarks += barrier_remarks(view, review, suffix=" – needs review")
        return row
    if review:
        row.remarks.append(f"No failures, but automated checks flagged {plural(len(review), 'item')} for a person "
                           f"to judge; a person must confirm {rule.manual}.")
        row.remarks += barrier_remarks(view, review, suffix=" – needs review")
        return row
    if rule.absent and _absent_everywhere(cid, rule.absent, evidence.states):
        row.level = NOT_APPLICABLE
        row.remarks.append(
            f"No {rule.absent_text} in the tested journeys: axe-core found no <{rule.absent_text}> element to "
            f"test on any of {plural(len(_scanned(evidence.states)), 'page state')}. Embedded players in frames and "
            "links to media files were not checked.")
        return row
    pages = len(tested)
    if not pages:
        row.remarks.append(f"No automated check covers this criterion in this run; a person must confirm "
                           f"{rule.manual}.")
        return row
    if rule.settle and evidence.axe_failed and (rule.axe or cid in evidence.axe_applied):
        row.remarks.append(f"Not evaluated: {_axe_failed_text(evidence)}, so failures there would not have been "
                           f"seen; a person must confirm {rule.manual}.")
        return row
    if rule.settle:
        missing = _missing_evidence(view, rule, evidence, cid)
        if not missing:
            row.level = SUPPORTS
            ran = ["axe-core rules"] if cid in evidence.axe_applied else []
            ran += [f"the {check} check" for check in rule.checks]
            journeys = {journey for journey, _ in tested}
            remark = (f"No failures from {' and '.join(ran) or 'automated checks'} on "
                      f"{plural(pages, 'page')} across {plural(len(journeys), 'journey')}")
            walks = [_walk_summary(view, evidence.walks, p)[1] for p in rule.personas]
            row.remarks.append(remark + ("; " + "; ".join(walks) if walks else "") + ".")
            return row
        row.remarks.append(f"No failures found by automated checks on {plural(pages, 'page')}, but "
                           f"{'; '.join(missing)}; a person must confirm {rule.manual}.")
        return row
    row.remarks.append(f"No failures found by automated checks on {plural(pages, 'page')}; "
                       f"automated checks cannot settle this criterion, so a person must confirm {rule.manual}.")
    return row


def _axe_failed_text(evidence: _Evidence) -> str:
    return f"the axe-core scan failed on {plural(evidence.axe_failed, 'page state')} of this target"


def _absent_everywhere(cid: str, witnesses: tuple[str, ...], states: list[tuple[Page, PageState]]) -> bool:
    """True when the witnesses' axe rules found nothing to test on every scanned state, and every page was scanned.

    A state kept without scan fields (the screenshot where a persona was stopped) is allowed when another state
    of the same page was scanned; a page never scanned at all could hold the video.
    """
    scanned = [(page, state) for page, state in states if state.scanned]
    if not scanned or {page for page, _ in states} - {page for page, _ in scanned}:
        return False
    for _, state in scanned:
        checked = set(state.axe_checked or ())
        if cid in checked or any(w in checked or w not in (state.axe_inapplicable or ()) for w in witnesses):
            return False
    return True


def _scanned(states: list[tuple[Page, PageState]]) -> list[PageState]:
    return [state for _, state in states if state.axe_checked is not None]


def _missing_evidence(view: RunView, rule: CriterionRule, evidence: _Evidence, cid: str) -> list[str]:
    """Why "Supports" cannot be given yet: each missing piece of evidence, in words."""
    missing = []
    if rule.axe and cid not in evidence.axe_applied:
        missing.append("no axe-core rule for it applied on any page")
    for check in rule.checks:
        if check not in evidence.checks_ran:
            missing.append(f"the {check} check did not run")
    for persona in rule.personas:
        completed, remark = _walk_summary(view, evidence.walks, persona)
        if not completed:
            missing.append(remark)
    untested = sorted(evidence.journeys_walked - {journey for journey, _ in evidence.tested.get(cid, set())})
    if untested:
        missing.append("it was not tested on " + ", ".join(view.journey_title(j) for j in untested))
    return missing


def _by_criterion(barriers: list[Barrier]) -> dict[str, list[Barrier]]:
    found: dict[str, list[Barrier]] = {}
    for barrier in barriers:
        for cid in barrier.criteria:
            found.setdefault(cid, []).append(barrier)
    return found


def fps_rows(view: RunView, target: str, rules: Rules | None = None) -> list[FpsRow]:
    """EN 301 549 clause 4.2 rows from journey completion: the behavioural evidence no scanner gives."""
    rules = rules or load_rules()
    walks = view.walks_on(target)
    rows = []
    for rule in rules.fps:
        own = [w for w in walks if w.persona in rule.personas]
        finished = [w for w in own if w.ending in ("completed", "blocked")]
        row = FpsRow(clause=rule.clause, title=rule.title, personas=list(rule.personas), level=NOT_EVALUATED_BY_RUN)
        names = " and ".join(f"{view.persona_name(p)} ({p})" for p in rule.personas)
        unfinished = len(own) - len(finished)
        if not finished:
            row.remarks.append(f"{names} did not walk this target" + (
                " to the end (the run stopped or the harness failed)." if own else "."))
            rows.append(row)
            continue
        blocked = [w for w in finished if w.ending == "blocked"]
        if not blocked:
            row.level = SUPPORTS
        elif len(blocked) * 2 > len(finished):
            row.level = DOES_NOT_SUPPORT
        else:
            row.level = PARTIALLY_SUPPORTS
        for persona in rule.personas:
            mine = [w for w in finished if w.persona == persona]
            if mine:
                done = sum(1 for w in mine if w.ending == "completed")
                row.remarks.append(f"{view.persona_name(persona)} ({persona}) completed {done} of "
                                   f"{plural(len(mine), 'journey')}.")
        for walk in blocked:
            where = view.journey_title(walk.journey)
            reason = walk.blocker.strip() or "no reason recorded"
            row.remarks.append(f"Blocked: {where} ({view.persona_name(walk.persona)}): {reason}")
        if unfinished:
            row.remarks.append(f"{plural(unfinished, 'walk')} did not finish (the run stopped or the harness "
                               "failed) and are not counted.")
        rows.append(row)
    return rows


def table_notes(view: RunView, target: str, pages: int) -> list[str]:
    """The notes ITI requires: deviations from its terms, the Not Applicable policy, and the method."""
    walks = view.walks_on(target)
    personas = sorted({w.persona for w in walks})
    journeys = sorted({w.journey for w in walks})
    axe = view.record.axe_version or "unknown"
    tags = ", ".join(view.record.axe_tags or ())
    return [
        ("\"Needs manual evaluation\" is not an ITI term. ITI allows \"Not Evaluated\" only for Level AAA; this "
         "table uses \"Needs manual evaluation\" for Level A and AA criteria that automated testing cannot settle, "
         "so that no criterion is claimed as Supports without evidence. A person must evaluate those criteria "
         "before this table is used as an Accessibility Conformance Report."),
        ("Supports is given only for criteria automation can settle (listed in harness/reports/conformance.toml), when "
         "the checks for them ran on every journey walked, found no failures and flagged nothing for review, and "
         "the personas who depend on them completed every journey."),
        ("Not Applicable is used only for the time-based media criteria (1.2.x), when axe-core found no video on "
         "any page state. ITI allows Supports where there is no content of the type; we chose Not Applicable so "
         "the table shows there was nothing to test."),
        ("Does Not Support means a failure stopped a persona finishing a journey, or failures on more than half "
         "of the pages where the criterion was tested; Partially Supports means at least one failure otherwise. "
         "Only violations count toward the level; needs-review findings leave a criterion for a person to judge."),
        (f"Method: automated testing in a real browser. {plural(len(personas), 'persona')} "
         f"({', '.join(personas)}) walked {plural(len(journeys), 'journey')} ({', '.join(journeys)}) "
         f"in {plural(len(walks), 'walk')}; axe-core {axe} ({tags}) scanned every page state and the harness's "
         f"own checks ran for each persona, on {plural(pages, 'page')} in all."),
        PARSING_REMARK,
    ]


def conformance_table(view: RunView, target_id: str, rules: Rules | None = None) -> ConformanceTable:
    """Every WCAG 2.2 A and AA criterion (and 4.1.1) for one target, in WCAG order."""
    targets = view.record.targets
    walked = set(view.targets_walked)
    if target_id not in targets and target_id not in walked:
        known = ", ".join(sorted(set(targets) | walked)) or "none"
        raise KeyError(f"target {target_id!r} is not in this run; targets in the run: {known}")
    rules = rules or load_rules()
    evidence = _gather(view, target_id)
    violations = _by_criterion(view.barriers(target_id))
    review = _by_criterion(view.barriers(target_id, Outcome.NEEDS_REVIEW))
    rows = []
    for cid, criterion in CRITERIA.items():
        if criterion.level not in ("A", "AA"):
            continue
        rows.append(_row(view, cid, rules.criteria.get(cid, CriterionRule()), evidence, violations.get(cid, []),
                         review.get(cid, [])))
    rows.append(ConformanceRow(criterion=PARSING, level=SUPPORTS, remarks=[PARSING_REMARK], title=PARSING_TITLE,
                               wcag_level="A"))
    rows.sort(key=lambda row: sort_key(row.criterion))
    pages = len(set().union(*evidence.tested.values(), *evidence.failing.values()))
    recorded = view.target(target_id)
    return ConformanceTable(
        target=target_id, name=recorded.name, supplier=recorded.supplier, version=recorded.version, rows=rows, fps=fps_rows(view, target_id, rules),
        notes=table_notes(view, target_id, pages), pages_tested=pages)


def council_check_results(view: RunView, target_id: str) -> list[CouncilCheckResult]:
    """The council's own checks (offline route, upload alternative…) for one target, in the catalogue's order."""
    checks = {cid: check for cid, check in view.record.checks.items() if check.council_check}
    violations = view.barriers(target_id)
    review = view.barriers(target_id, Outcome.NEEDS_REVIEW)
    evidence = _gather(view, target_id)
    walkers = {j.persona for j in evidence.walks}

    results = []
    for check_id, check in checks.items():
        failed = [b for b in violations if b.rule_id == check_id]
        flagged = [b for b in review if b.rule_id == check_id]
        result = CouncilCheckResult(check_id=check_id, summary=check.summary, status="not run")
        carriers = [p for p in walkers if check_id in view.persona(p).checks]
        if failed:
            result.status, result.barriers = "failed", failed + flagged
        elif flagged:
            result.status, result.barriers = "needs review", flagged
        elif check_id in evidence.checks_ran:
            result.status = "passed"
        elif check.probe and carriers:
            # A probe leaves no trace when it finds nothing, so "passed" rests on who walked, and says so.
            result.status = "passed"
            result.note = ("No problem met while " + ", ".join(view.persona_name(p) for p in sorted(carriers))
                           + " walked; this probe runs only where a journey gives the chance.")
        results.append(result)
    return results
