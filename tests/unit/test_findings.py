"""Tests for harness/model/findings.py, and for turning stored axe-core responses into findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.browser.axe_scan import (
    DEFAULT_TAGS,
    AxeResponseError,
    axe_options,
    findings_from_axe,
    selector_text,
)
from harness.model.findings import (
    IMPACTS_WORST_FIRST,
    AccessibilityFindings,
    Finding,
    Impact,
    Outcome,
    at_or_above,
    count_by_impact,
    dedupe,
)

AXE = Path(__file__).resolve().parents[2] / "tests" / "data" / "axe"


def axe_response(case: str) -> dict[str, Any]:
    """A real axe-core response, stored from a run on a page with known problems (see the file's url)."""
    return json.loads((AXE / f"{case}.json").read_text(encoding="utf-8"))


def finding(**changes: Any) -> Finding:
    values: dict[str, Any] = {
        "outcome": Outcome.VIOLATION, "impact": Impact.SERIOUS, "rule_id": "label", "source": "axe",
        "message": "Form elements must have labels", "help": "Add a label.",
        "help_url": "https://dequeuniversity.com/rules/axe/4.12/label", "criteria": ("4.1.2",),
        "page_url": "https://waste.example.gov.uk/bin-day", "selector": "#postcode",
        "snippet": '<input id="postcode">', "target": "supplier-b-legacy", "persona": "default",
        "journey": "bin-day", "step": "Search for the address"}
    values.update(changes)
    return Finding(**values)


# -- findings_from_axe on a stored response ---------------------------------------------------------


@pytest.fixture(scope="module")
def missed_bin() -> list[Finding]:
    return findings_from_axe(axe_response("missed-bin-page"))


def by_rule(findings: list[Finding], rule_id: str, outcome: Outcome = Outcome.VIOLATION) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id and f.outcome is outcome]


def test_the_stored_responses_were_made_with_the_harness_options() -> None:
    for case in ("missed-bin-page", "missed-bin-page-frames-injected"):
        response = axe_response(case)
        assert response["testEngine"]["name"] == "axe-core"
        assert response["toolOptions"]["runOnly"] == axe_options(DEFAULT_TAGS)["runOnly"]
        assert response["toolOptions"]["resultTypes"] == ["violations", "incomplete"]
        assert "passes" not in response and "inapplicable" not in response


def test_one_finding_per_node(missed_bin: list[Finding]) -> None:
    response = axe_response("missed-bin-page")
    nodes = sum(len(rule["nodes"]) for key in ("violations", "incomplete") for rule in response[key])
    assert nodes == 5
    assert len(missed_bin) == nodes


def test_violations_and_incomplete_become_violation_and_needs_review(missed_bin: list[Finding]) -> None:
    assert sorted((f.outcome.value, f.rule_id) for f in missed_bin) == [
        ("needs-review", "color-contrast"),
        ("violation", "color-contrast"), ("violation", "html-has-lang"), ("violation", "image-alt"),
        ("violation", "label"),
    ]


def test_impact_is_kept_as_axe_gave_it(missed_bin: list[Finding]) -> None:
    assert {f.rule_id: f.impact for f in missed_bin if f.outcome is Outcome.VIOLATION} == {
        "image-alt": Impact.CRITICAL, "label": Impact.CRITICAL,
        "color-contrast": Impact.SERIOUS, "html-has-lang": Impact.SERIOUS}
    assert by_rule(missed_bin, "color-contrast", Outcome.NEEDS_REVIEW)[0].impact is Impact.SERIOUS


@pytest.mark.parametrize(("rule_id", "criteria"), [
    ("image-alt", ("1.1.1",)), ("label", ("4.1.2",)), ("color-contrast", ("1.4.3",)),
    ("html-has-lang", ("3.1.1",)),
])
def test_criteria_come_from_the_wcag_tags(missed_bin: list[Finding], rule_id: str,
                                          criteria: tuple[str, ...]) -> None:
    assert by_rule(missed_bin, rule_id)[0].criteria == criteria


def test_element_fields_are_kept_raw(missed_bin: list[Finding]) -> None:
    logo = by_rule(missed_bin, "image-alt")[0]
    assert logo.selector == "#logo"
    assert logo.snippet == '<img src="logo.png" id="logo">'
    assert by_rule(missed_bin, "label")[0].snippet == '<input type="text" id="postcode" name="postcode">'
    assert by_rule(missed_bin, "html-has-lang")[0].selector == "html"


def test_rule_text_and_links(missed_bin: list[Finding]) -> None:
    response = axe_response("missed-bin-page")
    logo = by_rule(missed_bin, "image-alt")[0]
    assert logo.source == "axe"
    assert logo.page_url == response["url"]
    assert logo.message == "Images must have alternative text"
    assert logo.help_url == "https://dequeuniversity.com/rules/axe/4.12/image-alt?application=axeAPI"
    # axe's failure summary keeps one reason per line, each with its spaces tidied.
    assert logo.help.splitlines()[:2] == ["Fix any of the following:", "Element does not have an alt attribute"]
    assert "wcag111" in logo.extra["tags"]
    assert (logo.target, logo.persona, logo.journey, logo.step, logo.blocker) == ("", "", "", "", False)


def test_needs_review_keeps_axes_reason(missed_bin: list[Finding]) -> None:
    review = by_rule(missed_bin, "color-contrast", Outcome.NEEDS_REVIEW)[0]
    assert review.selector == "p:nth-child(5)"
    assert "background gradient" in review.help


def test_nodes_inside_an_iframe_get_a_chained_selector() -> None:
    findings = findings_from_axe(axe_response("missed-bin-page-frames-injected"))
    images = by_rule(findings, "image-alt")
    assert [f.selector for f in images] == ["#logo", "iframe >> img"]
    assert images[1].snippet == '<img src="inner.png">'
    assert [f.selector for f in by_rule(findings, "button-name")] == ["iframe >> button"]
    assert len(findings) == 7


def test_an_empty_response_has_no_findings_and_one_without_its_lists_is_malformed() -> None:
    assert findings_from_axe({"violations": [], "incomplete": []}) == []
    # axe-core always answers with both lists: an answer without them is not axe-core's, and must not read
    # as a clean page.
    with pytest.raises(AxeResponseError, match="'violations' is null, not a list of rules"):
        findings_from_axe({})


def test_a_node_without_impact_takes_the_rules_and_then_minor() -> None:
    response = {"url": "https://example.test/", "violations": [], "incomplete": [
        {"id": "aria-valid-attr-value", "impact": "serious", "tags": ["wcag2a", "wcag412"], "help": "h",
         "helpUrl": "u", "nodes": [{"impact": None, "target": ["#a"], "html": "<a>"}]},
        {"id": "video-caption", "impact": None, "tags": ["wcag2a", "wcag122"], "help": "h", "helpUrl": "u",
         "nodes": [{"impact": None, "target": ["video"], "html": "<video>"}]},
    ]}
    first, second = findings_from_axe(response)
    assert (first.impact, first.criteria) == (Impact.SERIOUS, ("4.1.2",))
    assert (second.impact, second.criteria) == (Impact.MINOR, ("1.2.2",))
    assert second.outcome is Outcome.NEEDS_REVIEW


def test_the_harness_own_markers_never_reach_a_finding() -> None:
    """A check marks elements with data-a11y-* to find them again; a later scan of the same page sees them."""
    response = {"url": "https://example.test/", "violations": [
        {"id": "button-name", "impact": "critical", "tags": ["wcag2a", "wcag412"], "help": "h", "helpUrl": "u",
         "nodes": [{"target": ['button[data-a11y-tab="3"]'],
                    "html": '<button class="x" data-a11y-tab="3" data-a11y-clip="1"></button>'}]}], "incomplete": []}
    (finding,) = findings_from_axe(response)
    assert finding.snippet == '<button class="x"></button>'
    assert finding.selector == "button"


@pytest.mark.parametrize(("target", "text"), [
    (["#logo"], "#logo"),
    (["iframe", "img"], "iframe >> img"),
    ([["#host", "button"]], "#host >> button"),
    (["iframe#pay", ["#card-host", "input"]], "iframe#pay >> #card-host >> input"),
    ([], ""),
])
def test_selector_text(target: list[Any], text: str) -> None:
    assert selector_text(target) == text


def test_axe_options_are_explicit() -> None:
    assert axe_options(["wcag2a", "wcag2aa"]) == {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]},
        "resultTypes": ["violations", "incomplete"]}


# -- the findings model -----------------------------------------------------------------------------


def test_impacts_rank_worst_first() -> None:
    assert [i.value for i in IMPACTS_WORST_FIRST] == ["critical", "serious", "moderate", "minor"]
    assert Impact.CRITICAL.rank > Impact.SERIOUS.rank > Impact.MODERATE.rank > Impact.MINOR.rank
    assert Impact.parse("moderate") is Impact.MODERATE
    assert Impact.parse(None) is Impact.MINOR and Impact.parse("") is Impact.MINOR


def test_dedupe_keeps_the_first_sighting_of_the_same_rule_on_the_same_element() -> None:
    first = finding(step="Search for the address")
    later = finding(step="Read the collection days", message="worded differently", extra={"tags": ["x"]})
    assert dedupe([first, later]) == [first]
    assert dedupe([first, later])[0].step == "Search for the address"


def test_the_same_element_on_another_page_of_the_journey_is_one_finding() -> None:
    """Page templates repeat: a logo without alt text on every page is one barrier to fix."""
    first = finding(page_url="https://waste.example.gov.uk/bin-day")
    later = finding(page_url="https://waste.example.gov.uk/bin-day/results#main",
                    step="Read the collection days")
    assert dedupe([first, later]) == [first]


@pytest.mark.parametrize("change", [
    {"selector": "#street"}, {"snippet": '<input id="postcode" name="pc">'},
    {"rule_id": "autocomplete-valid"}, {"outcome": Outcome.NEEDS_REVIEW}, {"persona": "keyboard-only"},
    {"target": "supplier-a-careful"}, {"journey": "garden-waste"},
])
def test_dedupe_keeps_findings_that_differ_in_a_key_field(change: dict[str, Any]) -> None:
    first, other = finding(), finding(**change)
    assert dedupe([first, other, first]) == [first, other]


def test_at_or_above() -> None:
    critical = finding(impact=Impact.CRITICAL)
    serious = finding(impact=Impact.SERIOUS, selector="#b")
    minor = finding(impact=Impact.MINOR, selector="#c")
    error = finding(outcome=Outcome.ERROR, impact=Impact.SERIOUS, rule_id="axe-scan-failed", source="harness")
    review = finding(outcome=Outcome.NEEDS_REVIEW, impact=Impact.CRITICAL)
    everything = [critical, serious, minor, error, review]
    assert at_or_above(everything, Impact.CRITICAL) == [critical]
    assert at_or_above(everything, Impact.SERIOUS) == [critical, serious, error]
    assert at_or_above(everything, Impact.MINOR) == [critical, serious, minor, error]
    assert at_or_above(everything, None) == []
    # Needs review never fails a test, however high its impact.
    assert review not in at_or_above(everything, Impact.MINOR)


def test_count_by_impact_lists_every_impact_worst_first() -> None:
    counts = count_by_impact([finding(impact=Impact.CRITICAL), finding(impact=Impact.MINOR),
                              finding(impact=Impact.MINOR, outcome=Outcome.NEEDS_REVIEW)])
    assert list(counts.items()) == [("critical", 1), ("serious", 0), ("moderate", 0), ("minor", 2)]
    assert count_by_impact([]) == {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}


def test_to_dict_is_plain_json_and_from_dict_rebuilds_the_finding() -> None:
    original = finding(blocker=True, criteria=("1.3.1", "4.1.2"), extra={"tags": ["wcag2a", "wcag412"]},
                       snippet='<div onclick="go()">"><script>alert(1)</script></div>')
    data = original.to_dict()
    assert data["outcome"] == "violation" and data["impact"] == "serious"
    assert data["criteria"] == ["1.3.1", "4.1.2"]
    rebuilt = Finding.from_dict(json.loads(json.dumps(data)))
    assert rebuilt == original
    assert rebuilt.extra == {"tags": ["wcag2a", "wcag412"]}
    assert rebuilt.criteria == ("1.3.1", "4.1.2") and rebuilt.outcome is Outcome.VIOLATION
    assert rebuilt.snippet == original.snippet


def test_at_step_places_a_finding_without_changing_it() -> None:
    bare = finding(target="", persona="", journey="", step="")
    placed = bare.at_step(target="t", persona="p", journey="j", step="s")
    assert (placed.target, placed.persona, placed.journey, placed.step) == ("t", "p", "j", "s")
    assert (bare.target, placed.rule_id, placed.selector) == ("", bare.rule_id, bare.selector)


def test_criteria_titles_and_one_line() -> None:
    f = finding(criteria=("1.3.1", "4.1.2"))
    assert f.criteria_titles == ["1.3.1 Info and Relationships", "4.1.2 Name, Role, Value"]
    assert f.one_line() == ("serious violation label [1.3.1, 4.1.2]: Form elements must have labels "
                            "at #postcode")
    assert finding(criteria=(), selector="").one_line() == \
        "serious violation label: Form elements must have labels"


def test_accessibility_findings_message_lists_the_findings() -> None:
    findings = [finding(impact=Impact.CRITICAL, rule_id="image-alt",
                        message="Images must have alternative text", criteria=("1.1.1",), selector="#logo"),
                finding()]
    error = AccessibilityFindings(findings, Impact.SERIOUS)
    assert isinstance(error, AssertionError)
    assert error.findings == findings
    assert str(error) == (
        "2 accessibility finding(s) at or above 'serious':\n"
        "  - critical violation image-alt [1.1.1]: Images must have alternative text at #logo"
        "  (step: Search for the address)\n"
        "  - serious violation label [4.1.2]: Form elements must have labels at #postcode"
        "  (step: Search for the address)")


def test_accessibility_findings_message_is_cut_short_after_the_limit() -> None:
    findings = [finding(selector=f"#field-{n}") for n in range(5)]
    lines = str(AccessibilityFindings(findings, Impact.MINOR, limit=2)).splitlines()
    assert lines[0] == "5 accessibility finding(s) at or above 'minor':"
    assert len(lines) == 4
    assert lines[2].endswith("at #field-1  (step: Search for the address)")
    assert lines[3] == "  ... and 3 more; see the HTML report."
