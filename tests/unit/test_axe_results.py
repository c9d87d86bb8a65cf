"""axe-core's results are untrusted data: each malformed answer is refused by name, and text is made safe to show.

The bad answers are the stored real response (tests/data/axe/missed-bin-page.json) with one field spoiled.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from harness.browser.axe_scan import (
    MAX_NODES,
    MAX_TEXT,
    AxeResponseError,
    axe_evidence,
    findings_from_axe,
    validated_response,
)
from harness.model.findings import Outcome

STORED = Path(__file__).resolve().parents[1] / "data" / "axe" / "missed-bin-page.json"


def stored() -> dict[str, Any]:
    response: dict[str, Any] = json.loads(STORED.read_text(encoding="utf-8"))
    return response


def spoiled(path: str, value: Any) -> dict[str, Any]:
    """The stored response with the field at a dotted path ('violations.0.nodes.0.target') set to value."""
    response = stored()
    *parents, last = path.split(".")
    here: Any = response
    for key in parents:
        here = here[int(key)] if isinstance(here, list) else here[key]
    if isinstance(here, list):
        here[int(last)] = value
    else:
        here[last] = value
    return response


@pytest.mark.parametrize(("path", "value", "message"), [
    ("violations", None, "'violations' is null, not a list of rules"),
    ("incomplete", {"id": "x"}, "'incomplete' is an object, not a list of rules"),
    ("violations", [{"id": "x"}] * 501, "'violations' has 501 rules; axe-core has about 100"),
    ("violations.0", "color-contrast", "violations[0] is text, not a rule"),
    ("violations.0.id", 7, "violations[0].id is 7, not an axe-core rule id"),
    ("violations.0.id", "Color Contrast", "violations[0].id is 'Color Contrast', not an axe-core rule id"),
    ("violations.0.id", "<img src=x onerror=alert(1)>",
     "violations[0].id is '<img src=x onerror=alert(1)>', not an axe-core rule id"),
    ("violations.0.tags", "wcag143", "violations[0] (color-contrast).tags is not a list of axe-core tags"),
    ("violations.0.tags", ["wcag143", 143], "violations[0] (color-contrast).tags is not a list of axe-core tags"),
    ("violations.0.tags", ["wcag 1.4.3 <b>"], "violations[0] (color-contrast).tags is not a list of axe-core tags"),
    ("violations.0.impact", "catastrophic",
     ("violations[0] (color-contrast).impact is 'catastrophic', not one of critical, serious, moderate, minor or "
     "null")),
    ("violations.0.help", ["h"], "violations[0] (color-contrast).help is a list, not text"),
    ("violations.0.helpUrl", 3, "violations[0] (color-contrast).helpUrl is a number, not text"),
    ("violations.0.nodes", {"0": {}}, "violations[0] (color-contrast).nodes is an object, not a list"),
    ("violations.0.nodes.0", None, "violations[0] (color-contrast).nodes[0] is null, not a node"),
    ("violations.0.nodes.0.target", "p", ("violations[0] (color-contrast).nodes[0].target is text, not a list of "
                                         "selectors")),
    ("violations.0.nodes.0.target", [{"selector": "p"}],
     "violations[0] (color-contrast).nodes[0].target holds an object, not a selector"),
    ("violations.0.nodes.0.target", [["#host", 5]],
     "violations[0] (color-contrast).nodes[0].target holds a list, not a selector"),
    ("violations.0.nodes.0.html", None, "violations[0] (color-contrast).nodes[0].html is null, not text"),
    ("violations.0.nodes.0.impact", 9, ("violations[0] (color-contrast).nodes[0].impact is 9, not one of critical, "
                                       "serious, moderate, minor or null")),
    ("incomplete.0.nodes.0.failureSummary", {"text": "x"},
     "incomplete[0] (color-contrast).nodes[0].failureSummary is an object, not text"),
    ("url", ["https://example.test/"], "url is a list, not text"),
])
def test_a_malformed_answer_is_refused_saying_where_and_what(path: str, value: Any, message: str) -> None:
    bad = spoiled(path, value)
    for use in (validated_response, findings_from_axe, axe_evidence):
        with pytest.raises(AxeResponseError) as caught:
            use(bad)
        assert str(caught.value) == message


@pytest.mark.parametrize("junk", ["junk", None, 42, [], True])
def test_an_answer_that_is_not_an_object_is_refused(junk: Any) -> None:
    with pytest.raises(AxeResponseError, match=r"^the results are .+, not an object$"):
        findings_from_axe(junk)


def test_the_stored_real_answer_passes_unchanged_where_it_is_read() -> None:
    clean = validated_response(stored())
    assert validated_response(clean) == clean  # checking clean results changes nothing
    assert findings_from_axe(clean) == findings_from_axe(stored())
    assert [f.rule_id for f in findings_from_axe(clean) if f.outcome is Outcome.VIOLATION] == [
        "color-contrast", "html-has-lang", "image-alt", "label"]


@pytest.mark.parametrize("address", ["javascript:alert(document.domain)", " JavaScript:alert(1)",
                                     "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
                                     "//evil.example/x", "vbscript:msgbox(1)"])
def test_a_help_address_that_is_not_http_is_dropped(address: str) -> None:
    (finding, *_) = findings_from_axe(spoiled("violations.0.helpUrl", address))
    assert (finding.rule_id, finding.help_url) == ("color-contrast", "")


def test_http_help_addresses_are_kept() -> None:
    (finding, *_) = findings_from_axe(spoiled("violations.0.helpUrl", "HTTP://example.test/rule"))
    assert finding.help_url == "HTTP://example.test/rule"


def test_huge_text_is_cut_to_a_size_a_report_can_show() -> None:
    bad = spoiled("violations.0.nodes.0.html", "<p>" + "x" * 1_000_000 + "</p>")
    bad["violations"][0]["nodes"][0]["target"] = ["#" + "y" * 1_000_000]
    (finding, *_) = findings_from_axe(bad)
    assert len(finding.snippet) == MAX_TEXT and finding.snippet.endswith("…")
    assert len(finding.selector) == MAX_TEXT


def test_a_rule_with_too_many_nodes_keeps_the_first_and_says_how_many_were_left_out() -> None:
    response = stored()
    node = response["violations"][2]["nodes"][0]
    response["violations"][2]["nodes"] = [node] * (MAX_NODES + 250)
    found = findings_from_axe(response)
    assert len([f for f in found if f.rule_id == "image-alt"]) == MAX_NODES
    (cut,) = [f for f in found if f.rule_id == "axe-results-cut"]
    assert cut.outcome is Outcome.NEEDS_REVIEW and cut.source == "harness"
    assert cut.message == ("axe-core reported 1,250 elements for its image-alt rule on this page state; the first "
                           "1,000 are listed and 250 were left out.")
    assert cut.criteria == ("1.1.1",)


def test_passes_and_inapplicable_are_checked_too_but_only_their_ids_and_tags_are_kept() -> None:
    response = stored()
    response["passes"] = [{"id": "document-title", "tags": ["wcag2a", "wcag242"], "nodes": [{"html": 5}]}]
    response["inapplicable"] = [{"id": "video-caption", "tags": ["wcag2a", "wcag122"], "nodes": []}]
    assert axe_evidence(response)["axe_inapplicable"] == ["1.2.2"]
    assert "2.4.2" in axe_evidence(response)["axe_checked"]
    response["passes"][0]["tags"] = "wcag242"
    with pytest.raises(AxeResponseError, match=r"^passes\[0\] \(document-title\).tags is not a list"):
        axe_evidence(response)


def test_the_stored_answer_is_not_changed_by_checking_it() -> None:
    response = stored()
    before = copy.deepcopy(response)
    validated_response(response)
    assert response == before
