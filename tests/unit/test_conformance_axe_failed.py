"""A criterion axe-core settles is never "Supports" where an axe-core scan of the target failed or was tampered with.

The stored fixture run (tests/data/results/conformance/run) gives target "good" Supports for 1.4.3 and the other
axe-settled criteria. Here one of its page states is stored as a scan that failed, the way
harness/browser/axe_scan.py records one: an axe-scan-failed error finding, and a state with no axe evidence.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.reports.conformance import (
    NEEDS_MANUAL,
    NOT_APPLICABLE,
    PARTIALLY_SUPPORTS,
    SUPPORTS,
    conformance_table,
    load_rules,
)
from harness.reports.earl import earl_document
from harness.reports.openacr import openacr_document
from harness.reports.run_view import RunView

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "results" / "conformance" / "run"
AXE_SETTLED = sorted(cid for cid, rule in load_rules().criteria.items() if rule.settle and rule.axe)
FAILED = {"blocker": False, "criteria": [], "extra": {}, "help": "Re-run the test.", "help_url": "",
          "impact": "serious", "outcome": "error", "rule_id": "axe-scan-failed", "selector": "", "snippet": "",
          "source": "harness",
          "message": "The axe-core scan could not run on this page state: axe-core threw Error: broken. Nothing "
                     "it would have tested here counts as passed."}


def run_with_failed_scans(tmp_path: Path, target: str, how_many: int) -> RunView:
    """The fixture run with the first how_many steps of the target stored as failed axe scans."""
    run_dir = tmp_path / "run"
    shutil.copytree(FIXTURE, run_dir)
    lines = (run_dir / "results.ndjson").read_text(encoding="utf-8").splitlines()
    out, changed = [], 0
    for line in lines:
        record: dict[str, Any] = json.loads(line)
        if record.get("kind") == "step" and record.get("target") == target and changed < how_many:
            changed += 1
            for state in record["states"]:
                state.update(axe_checked=[], axe_inapplicable=[])
            where = {k: record[k] for k in ("journey", "persona", "step", "target")}
            record["findings"].append(dict(FAILED, page_url=record["states"][0]["url"], **where))
        out.append(json.dumps(record))
    (run_dir / "results.ndjson").write_text("\n".join(out) + "\n", encoding="utf-8")
    return RunView.read(run_dir)


SUPPORTED = ["1.4.3", "2.5.8", "3.1.1"]
"""The axe-settled criteria the fixture run supports for target "good" (1.3.5 has no field to test there)."""


def test_the_stored_run_supports_the_axe_settled_criteria_when_every_scan_ran() -> None:
    table = conformance_table(RunView.read(FIXTURE), "good")
    assert [cid for cid in AXE_SETTLED if table.row(cid).level == SUPPORTS] == SUPPORTED


def test_one_failed_scan_stops_every_axe_settled_criterion_being_supports(tmp_path: Path) -> None:
    table = conformance_table(run_with_failed_scans(tmp_path, "good", 2), "good")
    for cid in SUPPORTED:
        row = table.row(cid)
        assert row.level == NEEDS_MANUAL, cid
        assert row.remarks[0].startswith("Not evaluated: the axe-core scan failed on 2 page states of this "
                                         "target, so failures there would not have been seen; a person must "
                                         "confirm "), row.remarks
    # Criteria that rest on the harness's own checks and the personas' walks alone keep their evidence.
    assert table.row("2.4.7").level == SUPPORTS
    assert table.row("4.1.1").level == SUPPORTS
    # No video was found where axe ran, but it did not run everywhere: not "Not Applicable" either.
    assert table.row("1.2.2").level != NOT_APPLICABLE


def test_the_acr_and_earl_never_claim_what_a_failed_scan_could_not_show(tmp_path: Path) -> None:
    run = run_with_failed_scans(tmp_path, "good", 1)
    table = conformance_table(run, "good")
    acr = json.dumps(openacr_document(table, run))
    assert table.row("1.4.3").level == NEEDS_MANUAL
    assert "the axe-core scan failed on 1 page state of this target" in acr
    earl = json.dumps(earl_document(run))
    assert "the axe-core scan failed on 1 page state of this target" in earl


def test_failures_found_elsewhere_still_count_and_the_row_says_there_may_be_more(tmp_path: Path) -> None:
    row = conformance_table(run_with_failed_scans(tmp_path, "bad", 1), "bad").row("1.4.3")
    assert row.level == PARTIALLY_SUPPORTS
    assert "There may be more: the axe-core scan failed on 1 page state of this target." in row.remarks


@pytest.mark.parametrize("target", ["good", "bad"])
def test_other_targets_are_not_touched_by_one_targets_failed_scan(tmp_path: Path, target: str) -> None:
    other = "bad" if target == "good" else "good"
    run = run_with_failed_scans(tmp_path, target, 1)
    assert conformance_table(run, other).row("1.4.3").level == conformance_table(RunView.read(FIXTURE), other).row(
        "1.4.3").level
