"""The conformance table: each level given only on the evidence reference.md 5.3 asks for."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.model.findings import Finding, Impact, Outcome
from harness.model.records import PageState, RunRecord
from harness.model.results import RunResult, StepResult, WalkResult
from harness.model.wcag import CRITERIA, sort_key
from harness.reports.conformance import (
    DOES_NOT_SUPPORT,
    NEEDS_MANUAL,
    NOT_APPLICABLE,
    NOT_EVALUATED_BY_RUN,
    PARTIALLY_SUPPORTS,
    SUPPORTS,
    conformance_table,
    council_check_results,
    load_rules,
)
from harness.reports.render import environment
from harness.reports.run_view import RunView

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "results" / "conformance"
BASE = "http://demo/sup/"

CHECKS = {
    "focus-visible": {"criteria": ["2.4.7"], "council_check": False, "probe": False, "summary": "Focus shows."},
    "clickable-elements-focusable": {"criteria": ["2.1.1"], "council_check": False, "probe": False,
                                     "summary": "Clickable things take focus."},
    "keyboard-reachable": {"criteria": ["2.1.1"], "council_check": False, "probe": True,
                           "summary": "Controls reached by Tab."},
    "offline-alternative": {"criteria": [], "council_check": True, "probe": False,
                            "summary": "Another way to use the service is named."},
    "place-name-lookup": {"criteria": [], "council_check": True, "probe": True,
                          "summary": "Addresses can be found by place name."},
    "upload-alternative": {"criteria": [], "council_check": True, "probe": False,
                           "summary": "Evidence can be sent another way."},
}
PERSONAS = {
    "default": {"name": "Sam", "checks": []},
    "keyboard-only": {"name": "Ash", "checks": ["focus-visible", "clickable-elements-focusable",
                                                "keyboard-reachable"]},
    "screen-reader": {"name": "Ashleigh", "checks": []},
    "low-digital-skill": {"name": "Margaret", "checks": ["offline-alternative", "place-name-lookup"]},
}
JOURNEYS = {"bin-day": "Find your bin collection day", "garden-waste": "Subscribe to garden waste collection",
            "pay": "Pay an amount"}


def state(page: str, checked: tuple[str, ...] = ("1.4.3", "1.1.1"), inapplicable: tuple[str, ...] = ("1.2.2",),
          checks: tuple[str, ...] = ()) -> PageState:
    return PageState(label="end of step", url=BASE + page, title=page, axe_checked=checked,
                     axe_inapplicable=inapplicable, checks=checks)


def finding(rule: str, criteria: tuple[str, ...], page: str, persona: str = "default", journey: str = "bin-day",
            step: str = "Search", outcome: Outcome = Outcome.VIOLATION, blocker: bool = False,
            selector: str = "#x", message: str = "Something is wrong.", target: str = "sup") -> Finding:
    return Finding(outcome=outcome, impact=Impact.SERIOUS, rule_id=rule, source="axe", message=message,
                   help="Fix it.", help_url="https://example.test/help", criteria=criteria, page_url=BASE + page,
                   selector=selector, snippet="<p>", target=target, persona=persona, journey=journey, step=step,
                   blocker=blocker)


def walk(persona: str, journey: str, pages: list[str], findings: list[Finding] | None = None,
         ending: str = "completed", checks: tuple[str, ...] = (), blocker: str = "", target: str = "sup",
         states: list[PageState] | None = None) -> WalkResult:
    """One walk: one step per page, every page scanned; findings land on the step of their page."""
    findings = findings or []
    steps = []
    for index, page in enumerate(pages, start=1):
        name = "Search" if index == 1 else f"Step {index}"
        own = [f for f in findings if f.page_url == BASE + page]
        page_states = [state(page, checks=checks)] if states is None else [s for s in states
                                                                           if s.url == BASE + page]
        steps.append(StepResult(name=name, index=index, status="completed", states=page_states,
                                findings=[f.at_step(target=target, persona=persona, journey=journey, step=name)
                                          for f in own]))
    if ending == "blocked" and steps:
        steps[-1].status = "blocked"
    return WalkResult(test_id=f"{target}-{persona}-{journey}", target=target, persona=persona, journey=journey,
                      steps=steps, ending=ending, blocker=blocker)


def make_run(*walks: WalkResult, targets: dict[str, Any] | None = None) -> RunView:
    meta = {"run_id": "r1", "started": "2026-11-26T10:00:00Z", "axe_version": "4.12.1",
            "axe_tags": ["wcag2a", "wcag2aa"], "browser": "chromium", "checks": CHECKS, "personas": PERSONAS,
            "journeys": JOURNEYS,
            "targets": targets or {"sup": {"id": "sup", "name": "Sup service", "supplier": "Sup Ltd",
                                           "version": "1.0", "base_url": "{demo}/sup/",
                                           "journeys": {"bin-day": "bin-day"}}}}
    return RunView(RunResult(run_dir=Path("/nonexistent"), record=RunRecord.from_dict(meta), walks=list(walks)))


KB_CHECKS = ("focus-visible", "clickable-elements-focusable")


def clean_run() -> RunView:
    return make_run(walk("default", "bin-day", ["a", "b", "c"]),
                    walk("keyboard-only", "bin-day", ["a", "b", "c"], checks=KB_CHECKS))


def level(run: RunView, criterion: str) -> str:
    return conformance_table(run, "sup").row(criterion).level


def test_rows_cover_every_a_and_aa_criterion_and_parsing_in_wcag_order() -> None:
    table = conformance_table(clean_run(), "sup")
    ids = [row.criterion for row in table.rows]
    expected = [cid for cid, c in CRITERIA.items() if c.level in ("A", "AA")] + ["4.1.1"]
    assert sorted(ids, key=sort_key) == ids
    assert sorted(ids) == sorted(expected)
    assert "3.1.5" not in ids
    parsing = table.row("4.1.1")
    assert parsing.level == SUPPORTS and parsing.wcag_level == "A"
    assert "obsolete" in parsing.remarks[0]
    assert sum(table.counts.values()) == len(table.rows)


def test_clean_run_supports_only_settled_criteria_and_leaves_the_rest_to_a_person() -> None:
    table = conformance_table(clean_run(), "sup")
    assert table.row("1.4.3").level == SUPPORTS
    assert table.row("2.1.1").level == SUPPORTS
    assert table.row("2.4.7").level == SUPPORTS
    assert "Ash (keyboard-only) completed the one journey walked" in table.row("2.1.1").remarks[0]
    # 1.1.1 was tested by axe and passed, but axe cannot judge whether alt text is right.
    alt = table.row("1.1.1")
    assert alt.level == NEEDS_MANUAL
    assert alt.remarks[0].startswith("No failures found by automated checks on 3 pages")
    assert "a person must confirm" in alt.remarks[0]
    # Nothing tests 1.3.3 at all.
    assert table.row("1.3.3").level == NEEDS_MANUAL
    assert "No automated check covers" in table.row("1.3.3").remarks[0]
    # Supports is never given without a settle entry in conformance.toml.
    rules = load_rules()
    for row in table.rows:
        if row.level == SUPPORTS and row.criterion != "4.1.1":
            assert rules.criteria[row.criterion].settle, row.criterion


def test_keyboard_criteria_need_the_keyboard_persona_to_finish_every_walk() -> None:
    blocked = make_run(walk("default", "bin-day", ["a", "b"]),
                       walk("keyboard-only", "bin-day", ["a", "b"], checks=KB_CHECKS),
                       walk("keyboard-only", "garden-waste", ["g"], checks=KB_CHECKS, ending="blocked",
                            blocker="Timed out."))
    row = conformance_table(blocked, "sup").row("2.4.7")
    assert row.level == NEEDS_MANUAL
    assert "Ash (keyboard-only) completed 1 of 2 journeys" in row.remarks[0]
    not_walked = make_run(walk("default", "bin-day", ["a", "b"], checks=KB_CHECKS))
    row = conformance_table(not_walked, "sup").row("2.1.1")
    assert row.level == NEEDS_MANUAL
    assert "Ash (keyboard-only) did not walk this target" in row.remarks[0]


def test_supports_needs_the_settling_check_to_have_run() -> None:
    run = make_run(walk("default", "bin-day", ["a"]),
                   walk("keyboard-only", "bin-day", ["a"], checks=("clickable-elements-focusable",)))
    row = conformance_table(run, "sup").row("2.4.7")
    assert row.level == NEEDS_MANUAL
    assert "No automated check covers" in row.remarks[0]
    # axe's scrollable-region-focusable rule tests 2.1.1 too, but alone it does not settle it.
    axe_only = [replace(state("a", checked=("2.1.1",)), checks=("focus-visible",))]
    run = make_run(walk("default", "bin-day", ["a"], states=axe_only),
                   walk("keyboard-only", "bin-day", ["a"], states=axe_only))
    row = conformance_table(run, "sup").row("2.1.1")
    assert row.level == NEEDS_MANUAL
    assert "the clickable-elements-focusable check did not run" in row.remarks[0]


def test_supports_needs_the_criterion_tested_on_every_journey_walked() -> None:
    run = make_run(walk("default", "bin-day", ["a"]),
                   walk("default", "garden-waste", ["g"], states=[state("g", checked=("1.1.1",))]),
                   walk("keyboard-only", "bin-day", ["a"], checks=KB_CHECKS))
    row = conformance_table(run, "sup").row("1.4.3")
    assert row.level == NEEDS_MANUAL
    assert "it was not tested on Subscribe to garden waste collection" in row.remarks[0]


def test_a_blocker_makes_does_not_support_with_a_remark_naming_journey_step_and_personas() -> None:
    stop = finding("keyboard-reachable", ("2.1.1",), "b", persona="keyboard-only", blocker=True,
                   message="'Find' cannot be reached with the keyboard.")
    run = make_run(walk("default", "bin-day", ["a", "b", "c"]),
                   walk("keyboard-only", "bin-day", ["a", "b"], [stop], checks=KB_CHECKS, ending="blocked"))
    row = conformance_table(run, "sup").row("2.1.1")
    assert row.level == DOES_NOT_SUPPORT
    assert row.remarks[0].startswith("A failure stopped a persona finishing a journey")
    assert ("Find your bin collection day › Step 2: 'Find' cannot be reached with the keyboard "
            "(1 instance; personas: Ash; stopped Ash)") in row.remarks
    assert [b.rule_id for b in row.barriers] == ["keyboard-reachable"]


def test_violations_on_most_pages_do_not_support_and_on_fewer_partially_support() -> None:
    one = [finding("color-contrast", ("1.4.3",), "a")]
    run = make_run(walk("default", "bin-day", ["a", "b", "c"], one))
    row = conformance_table(run, "sup").row("1.4.3")
    assert row.level == PARTIALLY_SUPPORTS
    assert "failures on 1 of 3 pages where it was tested" in row.remarks[0].lower()
    two = [finding("color-contrast", ("1.4.3",), "a"), finding("color-contrast", ("1.4.3",), "b")]
    run = make_run(walk("default", "bin-day", ["a", "b", "c"], two))
    assert level(run, "1.4.3") == DOES_NOT_SUPPORT


def test_the_same_element_failing_on_every_page_counts_on_every_page() -> None:
    # De-duplicated findings keep only the first page; the page count must not.
    logo = [finding("image-alt", ("1.1.1",), page, selector="img.logo") for page in ("a", "b", "c")]
    run = make_run(walk("default", "bin-day", ["a", "b", "c"], logo))
    row = conformance_table(run, "sup").row("1.1.1")
    assert row.level == DOES_NOT_SUPPORT
    assert "failures on 3 of 3 pages" in row.remarks[0].lower()


def test_instances_and_personas_are_counted_in_remarks() -> None:
    findings_default = [finding("image-alt", ("1.1.1",), "a", selector=f"img.n{i}", message="Image has no alt.")
                        for i in range(3)]
    findings_kb = [finding("image-alt", ("1.1.1",), "a", persona="keyboard-only", selector="img.n0",
                           message="Image has no alt.")]
    run = make_run(walk("default", "bin-day", ["a", "b", "c"], findings_default),
                   walk("keyboard-only", "bin-day", ["a", "b", "c"], findings_kb, checks=KB_CHECKS))
    row = conformance_table(run, "sup").row("1.1.1")
    assert row.level == PARTIALLY_SUPPORTS
    assert "Find your bin collection day › Search: Image has no alt (3 instances; personas: Sam, Ash)" in row.remarks


def test_needs_review_findings_leave_the_criterion_for_a_person() -> None:
    review = [finding("color-contrast", ("1.4.3",), "a", outcome=Outcome.NEEDS_REVIEW, message="Text on image.")]
    run = make_run(walk("default", "bin-day", ["a", "b"], review),
                   walk("keyboard-only", "bin-day", ["a", "b"], checks=KB_CHECKS))
    row = conformance_table(run, "sup").row("1.4.3")
    assert row.level == NEEDS_MANUAL
    assert row.barriers == [] and len(row.review) == 1
    assert any(remark.endswith("– needs review") and "Text on image" in remark for remark in row.remarks)


def test_media_criteria_are_not_applicable_only_when_no_video_was_found_anywhere() -> None:
    run = clean_run()
    table = conformance_table(run, "sup")
    for cid in ("1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5"):
        assert table.row(cid).level == NOT_APPLICABLE, cid
    assert "No video in the tested journeys" in table.row("1.2.2").remarks[0]
    # Not Applicable is kept to the media criteria: 1.4.2 found nothing to test either, but stays manual.
    assert table.row("1.4.2").level == NEEDS_MANUAL
    with_video = make_run(walk("default", "bin-day", ["a", "b"],
                               states=[state("a"), state("b", checked=("1.2.2",), inapplicable=())]))
    assert level(with_video, "1.2.2") == NEEDS_MANUAL


def test_a_page_never_scanned_keeps_media_criteria_from_not_applicable() -> None:
    unscanned = PageState(label="blocked here", url=BASE + "z", title="z")
    run = make_run(walk("default", "bin-day", ["a", "z"], states=[state("a"), unscanned]))
    assert level(run, "1.2.2") == NEEDS_MANUAL
    # The same unscanned state on a page scanned elsewhere in the run is fine.
    again = replace(unscanned, url=BASE + "a")
    run = make_run(walk("default", "bin-day", ["a"], states=[state("a"), again]))
    assert level(run, "1.2.2") == NOT_APPLICABLE


def test_functional_performance_rows_follow_journey_completion() -> None:
    run = make_run(
        walk("screen-reader", "bin-day", ["a"]), walk("screen-reader", "garden-waste", ["g"]),
        walk("keyboard-only", "bin-day", ["a"], ending="blocked", blocker="Find cannot be reached."),
        walk("keyboard-only", "garden-waste", ["g"], ending="blocked", blocker="Start cannot be reached."),
        walk("keyboard-only", "pay", ["p"]),
        walk("low-digital-skill", "bin-day", ["a"], ending="blocked", blocker="No phone number."),
        walk("low-digital-skill", "garden-waste", ["g"]), walk("low-digital-skill", "pay", ["p"]))
    rows = {row.clause: row for row in conformance_table(run, "sup").fps}
    assert rows["4.2.1"].level == SUPPORTS
    assert rows["4.2.1"].remarks == ["Ashleigh (screen-reader) completed 2 of 2 journeys."]
    assert rows["4.2.7"].level == DOES_NOT_SUPPORT
    assert "Blocked: Find your bin collection day (Ash): Find cannot be reached." in rows["4.2.7"].remarks
    assert rows["4.2.10"].level == PARTIALLY_SUPPORTS
    assert rows["4.2.2"].level == NOT_EVALUATED_BY_RUN


def test_walks_that_did_not_finish_are_not_counted_as_blocked() -> None:
    run = make_run(walk("screen-reader", "bin-day", ["a"]),
                   walk("screen-reader", "garden-waste", ["g"], ending="interrupted"))
    row = next(r for r in conformance_table(run, "sup").fps if r.clause == "4.2.1")
    assert row.level == SUPPORTS
    assert any("1 walk did not finish" in remark for remark in row.remarks)


def test_council_checks_report_failed_passed_needs_review_and_not_run() -> None:
    offline = finding("offline-alternative", (), "a", persona="low-digital-skill", message="No phone number.")
    run = make_run(walk("low-digital-skill", "bin-day", ["a"], [offline], checks=("offline-alternative",)))
    results = {r.check_id: r for r in council_check_results(run, "sup")}
    assert list(results) == ["offline-alternative", "place-name-lookup", "upload-alternative"]
    assert results["offline-alternative"].status == "failed"
    assert results["offline-alternative"].barriers[0].message == "No phone number."
    # A probe leaves no trace when it passes: "passed" rests on who walked, and the note says so.
    assert results["place-name-lookup"].status == "passed"
    assert "Margaret walked" in results["place-name-lookup"].note
    assert results["upload-alternative"].status == "not run"
    clean = make_run(walk("low-digital-skill", "bin-day", ["a"], checks=("offline-alternative",)))
    assert council_check_results(clean, "sup")[0].status == "passed"
    flagged = [finding("offline-alternative", (), "a", persona="low-digital-skill",
                       outcome=Outcome.NEEDS_REVIEW)]
    review = make_run(walk("low-digital-skill", "bin-day", ["a"], flagged, checks=("offline-alternative",)))
    assert council_check_results(review, "sup")[0].status == "needs review"


def test_unknown_target_names_the_targets_in_the_run() -> None:
    with pytest.raises(KeyError, match="targets in the run: sup"):
        conformance_table(clean_run(), "nope")


def test_rules_file_names_only_known_criteria_and_fields(tmp_path: Path) -> None:
    rules = load_rules()
    assert set(rules.criteria) <= set(CRITERIA)
    assert [fps.clause for fps in rules.fps] == ["4.2.1", "4.2.2", "4.2.7", "4.2.10"]
    bad = tmp_path / "c.toml"
    bad.write_text('[criteria."1.4.3"]\nsetle = true\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"c.toml: \[criteria.\"1.4.3\"\] has unknown field\(s\) setle"):
        load_rules(bad)
    bad.write_text('[criteria."9.9.9"]\nsettle = true\n', encoding="utf-8")
    with pytest.raises(ValueError, match="is not a WCAG 2.2 criterion"):
        load_rules(bad)


def test_stored_fixture_run_gives_the_expected_levels() -> None:
    run = RunView.read(FIXTURE / "run")
    good = conformance_table(run, "good").counts
    assert good[DOES_NOT_SUPPORT] == good[PARTIALLY_SUPPORTS] == 0
    assert good[SUPPORTS] >= 5
    bad = conformance_table(run, "bad")
    assert bad.row("2.1.1").level == DOES_NOT_SUPPORT
    assert bad.row("1.4.3").level == PARTIALLY_SUPPORTS


MACROS = ('{% from "conformance.html.jinja" import conformance_styles, conformance_counts, conformance_table, '
          'fps_table, council_checks, claim_conflicts, conformance_notes %}')
PAGE = ('{% extends "base.html.jinja" %}{% block title %}ACR{% endblock %}{% block content %}' + MACROS +
        '{{ conformance_styles() }}<h1>ACR</h1>{{ conformance_counts(table) }}{{ conformance_table(table) }}'
        '{{ fps_table(table) }}{{ conformance_notes(table) }}{{ council_checks(council, table.name) }}'
        '{{ claim_conflicts(conflicts, table.name, journeys) }}{{ claim_conflicts(none) }}{% endblock %}')


def test_macros_escape_page_text() -> None:
    from harness.reports.openacr import cross_check

    evil = "<script>alert(1)</script>"
    bad = [finding("image-alt", ("1.1.1",), "a", message=evil, selector=evil),
           finding("offline-alternative", (), "a", persona="low-digital-skill", message=evil),
           finding("keyboard-reachable", ("2.1.1",), "a", persona="keyboard-only", blocker=True, message=evil)]
    run = make_run(walk("default", "bin-day", ["a"], bad[:1]),
                   walk("low-digital-skill", "bin-day", ["a"], bad[1:2]),
                   walk("keyboard-only", "bin-day", ["a"], bad[2:], ending="blocked", blocker=evil),
                   targets={"sup": {"name": evil, "supplier": evil, "version": evil, "base_url": BASE}})
    table = conformance_table(run, "sup")
    conflicts = cross_check({"1.1.1": "supports", "2.1.1": "supports"}, table)
    assert len(conflicts) == 2
    html = environment().from_string(PAGE).render(
        table=table, council=council_check_results(run, "sup"), conflicts=conflicts, nav=[], journeys=JOURNEYS)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<table") == 6  # counts, A, AA, FPS, council checks, conflicts
    assert 'th scope="row">1.1.1 Non-text Content' in html
    assert "(Find your bin collection day, page a; stopped a persona)" in html
    assert "was not given for this run" in html
