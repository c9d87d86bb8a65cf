"""EARL 1.0 (W3C Evaluation and Report Language) as JSON-LD: the conformance table in a form other tools read.

Vocabulary: https://www.w3.org/TR/EARL10-Schema/ (earl:Assertion, earl:assertedBy, earl:subject, earl:test,
earl:result, earl:TestResult, earl:outcome, earl:pointer, earl:mode) and Pointer Methods in RDF
(https://www.w3.org/TR/Pointers-in-RDF10/: ptr:CSSSelectorPointer, ptr:expression, ptr:reference).
Every key is written with its prefix, so the file means the same with or without a shared context file.
One assertion per target and WCAG criterion; its result points at every element a violation was found on.
"""

from __future__ import annotations

import re
from typing import Any

from harness.model.barriers import Barrier
from harness.model.untrusted import safe_href
from harness.reports.conformance import (
    DOES_NOT_SUPPORT,
    NEEDS_MANUAL,
    NOT_APPLICABLE,
    PARSING,
    PARTIALLY_SUPPORTS,
    SUPPORTS,
    ConformanceRow,
    conformance_table,
)
from harness.reports.run_view import RunView

CONTEXT = {
    "earl": "http://www.w3.org/ns/earl#",
    "dct": "http://purl.org/dc/terms/",
    "ptr": "http://www.w3.org/2009/pointers#",
    "sch": "https://schema.org/",
    "WCAG22": "https://www.w3.org/TR/WCAG22/#",
}
OUTCOMES = {SUPPORTS: "earl:passed", PARTIALLY_SUPPORTS: "earl:failed", DOES_NOT_SUPPORT: "earl:failed",
            NOT_APPLICABLE: "earl:inapplicable", NEEDS_MANUAL: "earl:cantTell"}
ASSERTOR = "_:harness"


def criterion_uri(criterion: str, title: str) -> str:
    """The criterion's anchor in WCAG 2.2, e.g. 'WCAG22:contrast-minimum' for 1.4.3 Contrast (Minimum)."""
    return "WCAG22:" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _pointer(barrier: Barrier) -> dict[str, Any]:
    pointer: dict[str, Any] = {"@type": "ptr:CSSSelectorPointer", "ptr:expression": barrier.selector or "html"}
    # Only a web address becomes an @id: a reader of the graph may follow it, and a page's address can be
    # javascript: or data: (issue 16).
    if safe_href(barrier.page_url, relative=False):
        pointer["ptr:reference"] = {"@id": barrier.page_url}
    return pointer


def _assertion(row: ConformanceRow, subject: str, date: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "@type": "earl:TestResult",
        "earl:outcome": {"@id": OUTCOMES[row.level]},
        "dct:description": " ".join([f"{row.level}."] + row.remarks),
    }
    if date:
        result["dct:date"] = date
    if row.barriers:
        result["earl:pointer"] = [_pointer(b) for b in row.barriers]
    return {
        "@type": "earl:Assertion",
        "earl:assertedBy": {"@id": ASSERTOR},
        "earl:subject": {"@id": subject},
        "earl:test": {"@id": criterion_uri(row.criterion, row.title), "@type": "earl:TestRequirement",
                      "dct:title": row.label},
        "earl:mode": {"@id": "earl:automatic"},
        "earl:result": result,
    }


def earl_document(view: RunView) -> dict[str, Any]:
    """Every walked target's conformance rows as EARL assertions (4.1.1 Parsing, answered without a test, left out)."""
    run = view.record
    date = run.started or ""
    graph: list[dict[str, Any]] = [{
        "@id": ASSERTOR,
        "@type": ["earl:Assertor", "earl:Software"],
        "dct:title": "Council accessibility harness",
        "dct:description": f"Personas walking council journeys in {run.browser or 'a browser'}, with "
                           f"axe-core {run.axe_version or 'unknown'} and the harness's own checks; "
                           f"run {run.run_id or ''}.",
    }]
    for target in sorted(view.targets_walked):
        info = view.target(target)
        subject = f"_:target-{target}"
        table = conformance_table(view, target)
        pages = sorted({state.url for walk in view.walks_on(target) for step in walk.steps for state in step.states
                        if safe_href(state.url, relative=False)})
        graph.append({
            "@id": subject,
            "@type": ["earl:TestSubject", "sch:WebSite"],
            "dct:title": info.name,
            "dct:identifier": target,
            "dct:hasVersion": info.version,
            "dct:publisher": info.supplier,
            "dct:hasPart": [{"@id": url, "@type": "sch:WebPage"} for url in pages],
        })
        graph += [_assertion(row, subject, date) for row in table.rows if row.criterion != PARSING]
    return {"@context": CONTEXT, "@graph": graph}
