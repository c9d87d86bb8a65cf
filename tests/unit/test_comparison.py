"""Tests for harness/reports/procurement.py and harness/reports/exports.py: ranking, the completion matrix, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from harness.model.findings import Finding, Impact, Outcome
from harness.model.records import RunRecord, StepRecord, WalkRecord
from harness.model.results import ResultsStore, read_run
from harness.reports.exports import findings_csv, findings_json
from harness.reports.procurement import completion_matrix, rank_products, score_target
from harness.reports.run_view import RunView

TARGETS = {
    "good": {"name": "Good product", "supplier": "Good Ltd", "version": "1.0", "base_url": "{demo}/good/",
             "journeys": {"bins": "bins", "pay": "pay"}},
    "bad": {"name": "Bad product", "supplier": "Bad plc", "version": "4.2", "base_url": "{demo}/bad/",
            "journeys": {"bins": "bins", "pay": "pay"}},
    "small": {"name": "Small product", "supplier": "Small Ltd", "version": "2.0", "base_url": "{demo}/small/",
              "journeys": {"pay": "pay"}},
}
CHECKS = {"offline-alternative": {"criteria": [], "council_check": True, "summary": "an offline route"}}


def finding(rule: str, *, impact: Impact = Impact.SERIOUS, criteria: tuple[str, ...] = ("1.1.1",),
            page: str = "http://127.0.0.1:5000/bad/bins", selector: str = "img", blocker: bool = False,
            outcome: Outcome = Outcome.VIOLATION, message: str = "Images must have alternative text") -> Finding:
    return Finding(outcome=outcome, impact=impact, rule_id=rule, source="axe", message=message, help="Add alt",
                   help_url="", criteria=criteria, page_url=page, selector=selector, snippet="<img>",
                   blocker=blocker)


def walk(store: ResultsStore, target: str, journey: str, persona: str, ending: str,
         findings: list[Finding]) -> None:
    who = {"test_id": f"scenarios/test_{journey}.py::test[{target}-{persona}]", "target": target,
           "persona": persona, "journey": journey}
    step_findings = [f.at_step(target=target, persona=persona, journey=journey, step="Find the address")
                     for f in findings]
    store.append(StepRecord(**who, step="Find the address", index=1,
                            status="blocked" if ending == "blocked" else "completed", findings=tuple(step_findings)))
    store.append(WalkRecord(**who, ending=ending))


def make_run(tmp_path: Path, walks: list[tuple[str, str, str, str, list[Finding]]]) -> RunView:
    store = ResultsStore(tmp_path).open()
    store.start(RunRecord.from_dict({
        "run_id": "r1", "targets": TARGETS, "checks": CHECKS,
        "personas": {"default": {"name": "Sam", "title": "Default"},
                     "keyboard-only": {"name": "Ash", "title": "Keyboard-only user"}},
        "journeys": {"bins": "Find your bin day", "pay": "Pay an amount"}}))
    for args in walks:
        walk(store, *args)
    return RunView(read_run(tmp_path))


def demo_like(tmp_path: Path) -> RunView:
    logo = finding("image-alt")
    return make_run(tmp_path, [
        ("good", "bins", "default", "completed", []),
        ("good", "bins", "keyboard-only", "completed", []),
        ("good", "pay", "default", "completed", []),
        ("good", "pay", "keyboard-only", "completed", []),
        ("bad", "bins", "default", "completed", [logo]),
        ("bad", "bins", "keyboard-only", "blocked", [
            logo, finding("keyboard-reachable", impact=Impact.CRITICAL, criteria=("2.1.1",), selector="#find",
                          blocker=True)]),
        ("bad", "pay", "default", "completed", [
            finding("offline-alternative", criteria=(), page="http://127.0.0.1:5000/bad/pay", selector="")]),
        ("bad", "pay", "keyboard-only", "completed", [
            finding("color-contrast", impact=Impact.SERIOUS, criteria=("1.4.3",), outcome=Outcome.NEEDS_REVIEW)]),
        ("small", "pay", "default", "completed", [finding("region", impact=Impact.MODERATE, criteria=())]),
        ("small", "pay", "keyboard-only", "completed", []),
    ])


def test_scores_count_distinct_barriers_not_sightings(tmp_path: Path) -> None:
    bad = score_target(demo_like(tmp_path), "bad")
    # The logo was met by two personas on one page: one barrier.
    assert (bad.walks, bad.completed, bad.blockers) == (4, 3, 1)
    assert bad.barriers_by_impact == {"critical": 1, "serious": 2, "moderate": 0, "minor": 0}
    assert bad.needs_review == 1
    assert (bad.criteria_failed_a, bad.criteria_failed_aa) == (["1.1.1", "2.1.1"], [])
    assert bad.council_failed == ["offline-alternative"]
    assert bad.completion_text == "3 of 4 (75%)"


def test_ranking_puts_completion_first_then_blockers_then_serious_barriers(tmp_path: Path) -> None:
    run = demo_like(tmp_path)
    ranked = rank_products([score_target(run, t) for t in ("bad", "small", "good")])
    # good and small both complete every walk; small has a moderate barrier, so good is first.
    assert [(s.target, s.rank) for s in ranked] == [("good", 1), ("small", 2), ("bad", 3)]


def test_products_level_on_every_rule_share_a_rank(tmp_path: Path) -> None:
    run = make_run(tmp_path, [("good", "pay", "default", "completed", []),
                              ("small", "pay", "default", "completed", [])])
    ranked = rank_products([score_target(run, t) for t in ("good", "small")])
    assert [s.rank for s in ranked] == [1, 1]


def test_matrix_says_not_offered_where_a_product_does_not_list_the_journey(tmp_path: Path) -> None:
    run = demo_like(tmp_path)
    rows = completion_matrix(run, ["good", "bad", "small"])
    by_row = {(r["journey"], r["persona"]): r["cells"] for r in rows}
    assert by_row[("bins", "keyboard-only")]["small"].state == "not offered"
    assert by_row[("bins", "keyboard-only")]["bad"].state == "blocked"
    assert by_row[("bins", "keyboard-only")]["bad"].blocked_at == "step 1 of 1, Find the address"
    assert by_row[("pay", "default")]["small"].state == "completed"


def test_matrix_says_not_run_for_an_offered_journey_without_a_walk(tmp_path: Path) -> None:
    run = make_run(tmp_path, [("good", "bins", "default", "completed", []),
                              ("bad", "pay", "default", "completed", [])])
    by_row = {(r["journey"], r["persona"]): r["cells"] for r in completion_matrix(run, ["good", "bad"])}
    assert by_row[("bins", "default")]["bad"].state == "not run"


def test_findings_json_holds_every_walk_and_finding(tmp_path: Path) -> None:
    document: dict[str, Any] = json.loads(findings_json(demo_like(tmp_path)))
    assert len(document["walks"]) == 10
    assert document["run"]["run_id"] == "r1"
    blocker = [f for f in document["findings"] if f["blocker"]]
    assert [(f["target"], f["persona"], f["rule_id"], f["page"]) for f in blocker] == [
        ("bad", "keyboard-only", "keyboard-reachable", "bins")]


def test_findings_csv_defuses_spreadsheet_formulas_from_page_text(tmp_path: Path) -> None:
    run = make_run(tmp_path, [("bad", "bins", "default", "completed", [
        finding("link-name", message="=HYPERLINK(\"http://evil.example\")", selector="-a")])])
    rows = list(csv.DictReader(io.StringIO(findings_csv(run))))
    assert len(rows) == 1
    assert rows[0]["message"] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[0]["selector"] == "'-a"
    assert rows[0]["criteria"] == "1.1.1"
    assert rows[0]["target_version"] == "4.2"
