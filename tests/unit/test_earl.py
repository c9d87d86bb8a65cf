"""EARL 1.0 JSON-LD: one assertion per target and criterion, outcomes matching the conformance table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.model.wcag import CRITERIA
from harness.reports.conformance import conformance_table
from harness.reports.earl import CONTEXT, criterion_uri, earl_document
from harness.reports.run_view import RunView

RUN_DIR = Path(__file__).resolve().parents[1] / "data" / "results" / "conformance" / "run"


def assertions(doc: dict[str, Any], target: str) -> dict[str, dict[str, Any]]:
    """{criterion id: assertion} for one target."""
    found = {}
    for node in doc["@graph"]:
        if node.get("@type") == "earl:Assertion" and node["earl:subject"]["@id"] == f"_:target-{target}":
            found[node["earl:test"]["dct:title"].split()[0]] = node
    return found


def test_document_is_json_ld_with_the_earl_vocabulary() -> None:
    doc = earl_document(RunView.read(RUN_DIR))
    assert doc["@context"]["earl"] == "http://www.w3.org/ns/earl#"
    assert doc["@context"] is CONTEXT
    assertor = doc["@graph"][0]
    assert "earl:Assertor" in assertor["@type"] and "4.12.1" in assertor["dct:description"]
    subjects = [n for n in doc["@graph"] if "earl:TestSubject" in n.get("@type", [])]
    assert [s["dct:identifier"] for s in subjects] == ["bad", "good"]
    assert {"@id": "http://demo/sup/bin-day", "@type": "sch:WebPage"} in subjects[0]["dct:hasPart"]
    json.loads(json.dumps(doc))


def test_one_assertion_per_target_and_criterion_with_outcomes_from_the_table() -> None:
    run = RunView.read(RUN_DIR)
    doc = earl_document(run)
    bad = assertions(doc, "bad")
    assert set(bad) == {cid for cid, c in CRITERIA.items() if c.level in ("A", "AA")}
    assert bad["2.1.1"]["earl:result"]["earl:outcome"] == {"@id": "earl:failed"}
    assert bad["1.2.2"]["earl:result"]["earl:outcome"] == {"@id": "earl:inapplicable"}
    assert bad["1.3.3"]["earl:result"]["earl:outcome"] == {"@id": "earl:cantTell"}
    good = assertions(doc, "good")
    assert good["1.4.3"]["earl:result"]["earl:outcome"] == {"@id": "earl:passed"}
    assert conformance_table(run, "good").row("1.4.3").level == "Supports"
    assert all(a["earl:assertedBy"] == {"@id": "_:harness"} for a in bad.values())
    assert bad["1.4.3"]["earl:mode"] == {"@id": "earl:automatic"}


def test_failures_point_at_the_elements_and_pages() -> None:
    bad = assertions(earl_document(RunView.read(RUN_DIR)), "bad")
    pointers = bad["2.1.1"]["earl:result"]["earl:pointer"]
    assert {"@type": "ptr:CSSSelectorPointer", "ptr:expression": "div.find",
            "ptr:reference": {"@id": "http://demo/sup/bin-day"}} in pointers
    assert "Does Not Support." in bad["2.1.1"]["earl:result"]["dct:description"]
    assert "earl:pointer" not in bad["1.3.3"]["earl:result"]


def test_tests_are_wcag_22_anchors() -> None:
    assert criterion_uri("1.4.3", "Contrast (Minimum)") == "WCAG22:contrast-minimum"
    assert criterion_uri("2.5.8", "Target Size (Minimum)") == "WCAG22:target-size-minimum"
    assert criterion_uri("3.3.4", "Error Prevention (Legal, Financial, Data)") == (
        "WCAG22:error-prevention-legal-financial-data")
    assert CONTEXT["WCAG22"] == "https://www.w3.org/TR/WCAG22/#"
