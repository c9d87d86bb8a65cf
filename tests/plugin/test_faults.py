"""Fault injection: pages that are slow, endless, crashing, looping or hostile never abort a run or lose results."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from harness.browser.checks import CHECKS
from tests.faults_server import FAULTS, start_fault_server
from tests.plugin.test_plugin_run import SCENARIO

pytest_plugins = ("pytester",)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]

# fault -> (how the walk ends, a harness finding it must record, or "" for none)
EXPECTED: dict[str, tuple[str, str]] = {
    "healthy": ("completed", ""),
    "endless-loading": ("completed", "page-load-timeout"),
    "alert-on-load": ("completed", "unexpected-dialog"),
    "confirm-on-submit": ("completed", "unexpected-dialog"),
    "popup": ("completed", "new-window-opened"),
    "download": ("blocked", "unexpected-download"),
    # Issue 16, time limits: a redirect loop is named as one (rule redirect-loop), no longer a bare journey-blocked.
    "redirect-loop": ("blocked", "redirect-loop"),
    "outside-origin": ("blocked", "navigation-outside-target"),
    "huge-page": ("completed", "large-page"),
    "crash": ("blocked", "page-crashed"),
    "hostile": ("completed", ""),
    "frames": ("completed", "frame-not-tested"),
    "shadow-dom": ("completed", ""),
    "live-payment": ("blocked", "payment-refused"),
    "slow-start": ("blocked", "journey-blocked"),
    "flaky": ("completed", "navigation-retried"),
}


@pytest.fixture(scope="session")
def fault_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One inner run of the bin-day scenario on one target per fault."""
    server, url = start_fault_server()
    project = tmp_path_factory.mktemp("faults")
    (project / "conftest.py").write_text('pytest_plugins = ("harness.plugin",)\n')
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    (project / "personas").mkdir()
    (project / "personas" / "default.toml").write_text((REPO / "personas" / "default.toml").read_text())
    targets = project / "scenarios" / "targets"
    targets.mkdir(parents=True)
    for fault in FAULTS:
        entry = "slow-start?s=4" if fault == "slow-start" else fault
        live = fault == "live-payment"
        (targets / f"{fault}.toml").write_text(
            f'name = "{fault}"\nsupplier = "Faulty Ltd"\nversion = "1"\nbase_url = "{url}/"\n'
            f'test_environment = {"false" if live else "true"}\n\n[journeys.bin-day]\nentry = "{entry}"\n')
    (project / "scenarios" / "test_bins.py").write_text(SCENARIO)
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "scenarios", "--a11y-report-dir", "out", "--a11y-fail-on", "none",
         "--a11y-page-timeout", "2", "-q"],
        cwd=project, capture_output=True, text=True, timeout=600, check=False)
    (run_dir,) = [p for p in (project / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    records = [json.loads(line) for line in (run_dir / "results.ndjson").read_text().splitlines()]
    yield {"result": result, "run_dir": run_dir, "records": records}
    server.shutdown()


def fault_of(record: dict[str, Any]) -> str:
    return str(record["test_id"]).rsplit("[", 1)[1].removesuffix("-default]")


def test_no_fault_aborts_the_run_and_every_journey_is_recorded(fault_run: dict[str, Any]) -> None:
    result = fault_run["result"]
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]  # blocked journeys fail
    ends = {fault_of(r): r["ending"] for r in fault_run["records"] if r["kind"] == "walk"}
    assert ends == {fault: ending for fault, (ending, _) in EXPECTED.items()}
    assert (fault_run["run_dir"] / "report.html").is_file()


def fault_findings(fault_run: dict[str, Any], fault: str) -> list[dict[str, Any]]:
    """The harness's own findings about how the page behaved: what the persona checks find is tested elsewhere
    (the fault pages, for one, link to no accessibility statement)."""
    return [f for r in fault_run["records"] if r["kind"] == "step" and fault_of(r) == fault
            for f in r["findings"] if f["source"] == "harness" and f["rule_id"] not in CHECKS]


@pytest.mark.parametrize("fault", list(EXPECTED))
def test_each_fault_becomes_a_clear_finding(fault_run: dict[str, Any], fault: str) -> None:
    ending, rule = EXPECTED[fault]
    findings = fault_findings(fault_run, fault)
    if not rule:
        assert [f["rule_id"] for f in findings] == []
        return
    matching = [f for f in findings if f["rule_id"] == rule]
    assert matching, f"{fault}: expected a '{rule}' finding, got {[f['rule_id'] for f in findings]}"
    assert all(f["message"] for f in matching)
    if ending == "blocked":
        assert [f for f in findings if f["blocker"]], f"{fault}: no blocker finding"


def test_blockers_say_what_happened(fault_run: dict[str, Any]) -> None:
    ends = {fault_of(r): r["blocker"] for r in fault_run["records"] if r["kind"] == "walk"}
    assert "ERR_TOO_MANY_REDIRECTS" in ends["redirect-loop"]
    assert ends["slow-start"].startswith("Could not complete 'Search for the address': The start page did not "
                                         "respond within 2 s")
    assert "crashed" in ends["crash"]
    assert "not marked as a test environment" in ends["live-payment"]


def test_same_origin_frames_and_shadow_dom_are_scanned(fault_run: dict[str, Any]) -> None:
    axe = {(fault_of(r), f["rule_id"], f["selector"]) for r in fault_run["records"] if r["kind"] == "step"
           for f in r["findings"] if f["source"] == "axe" and f["outcome"] == "violation"}
    assert ("frames", "label", "iframe[title=\"Map\"] >> input") in axe
    assert not [a for a in axe if a[0] == "frames" and "Payment" in a[2]]  # another site's frame: not tested
    assert ("shadow-dom", "image-alt", "council-logo >> img") in axe
    # Embedding another site's frame is the page's business: it loads, and is reported as not tested.
    frames = fault_findings(fault_run, "frames")
    assert [f["rule_id"] for f in frames] == ["frame-not-tested"]
    assert frames[0]["snippet"].endswith("/frame-content")


def test_hostile_page_content_never_runs_in_the_report(fault_run: dict[str, Any], page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = sorted(fault_run["run_dir"].glob("*.html"))
    # Every audience's report: QA, personas, comparison, history and statement drafts.
    assert {"index.html", "report.html", "comparison.html", "personas.html", "history.html",
            "statements.html"} <= {p.name for p in pages}
    for report in pages:
        page.goto(report.as_uri())
        assert page.evaluate("typeof window.__pwned") == "undefined", report.name
        html = report.read_text()
        assert "<script>window.__pwned" not in html and "onerror=\"window.__pwned" not in html, report.name
    assert dialogs == []
    html = (fault_run["run_dir"] / "report.html").read_text()
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html  # shown, as text
    json.loads((fault_run["run_dir"] / "findings.json").read_text())  # page text cannot break the JSON
