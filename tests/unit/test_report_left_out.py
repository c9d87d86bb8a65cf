"""The reports' lines for walks never walked and pages not scanned, read from the run record (issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.model.records import RunRecord
from harness.model.results import RunResult, WalkResult
from harness.reports.qa import never_walked, scan_left_out
from harness.reports.run_view import RunView


def run_with(record: dict[str, Any], started: list[str]) -> RunView:
    return RunView(RunResult(run_dir=Path("."), record=RunRecord.from_dict(record),
                             walks=[WalkResult(test_id=t, target="t", persona="p", journey="bin-day")
                                    for t in started]))


def test_never_walked_is_the_plan_less_what_began_in_plan_order() -> None:
    run = run_with({"planned": ["a", "b", "c", "b"]}, ["b"])
    assert never_walked(run) == ["a", "c"]
    assert never_walked(run_with({}, ["b"])) == []  # a run recorded before runs listed their plan


@pytest.mark.parametrize("scan", [None, "text", {"skipped": None, "errors": 3}, {"skipped": ["x", 1]}])
def test_a_malformed_scan_record_shows_nothing_rather_than_failing(scan: object) -> None:
    assert scan_left_out(RunRecord.from_dict({"scan": scan}))["pages"] == []


def test_skipped_pages_and_failed_fetches_are_listed_with_their_reasons() -> None:
    left_out = scan_left_out(RunRecord.from_dict({"scan": {"max_pages": 50, "skipped": [
        {"url": "https://a.example/x", "reason": "page limit reached", "found_on": "https://a.example/"}],
        "errors": [{"url": "https://a.example/robots.txt", "message": "HTTP 500"}]}}))
    assert left_out == {"max_pages": 50, "pages": [
        {"url": "https://a.example/x", "reason": "page limit reached", "found_on": "https://a.example/"},
        {"url": "https://a.example/robots.txt", "reason": "could not be fetched: HTTP 500", "found_on": ""}]}
