"""Runs that fail loudly (issue 16): a report folder that cannot be written, and a killed run's missing walks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.plugin.test_plugin_run import make_project

pytest_plugins = ("pytester", "tests.pages_server")


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_a_report_dir_that_is_not_a_folder_stops_the_run_with_one_message(pytester: pytest.Pytester,
                                                                          pages_url: str, where: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    (pytester.path / "a-file").write_text("not a folder")
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", where)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    what = "is a file, not a folder" if where == "a-file" else "cannot be made: a-file is a file"
    result.stderr.fnmatch_lines([(f"ERROR: --a11y-report-dir: {where} {what}. Pass --a11y-report-dir with a "
                                 "folder you can write to, such as --a11y-report-dir=reports/out.")])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
    assert "PASSED" not in result.stdout.str() and "FAILED" not in result.stdout.str()


def test_a_report_dir_behind_a_dangling_link_stops_the_run(pytester: pytest.Pytester, pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    (pytester.path / "out").symlink_to(pytester.path / "gone")
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "out/run")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([(f"ERROR: --a11y-report-dir: out/run cannot be made: out is a link to "
                                 f"{pytester.path / 'gone'}, which does not exist. Pass --a11y-report-dir*")])


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder, whatever its mode says")
def test_a_report_dir_without_write_permission_stops_the_run(pytester: pytest.Pytester, pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    locked = pytester.path / "locked"
    locked.mkdir(mode=0o555)
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "locked/out")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([("ERROR: --a11y-report-dir: locked/out is not writable by this user (it would be "
                                 "made inside locked): Permission denied. Pass --a11y-report-dir*")])


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, where nobody may make a folder")
def test_a_report_dir_where_nobody_may_write_stops_the_run(pytester: pytest.Pytester, pages_url: str) -> None:
    """Even root cannot make a folder in /proc: the check tries, rather than trusting permission bits."""
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "/proc/a11y-out")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([("ERROR: --a11y-report-dir: /proc/a11y-out is not writable by this user (it would "
                                 "be made inside /proc): *. Pass --a11y-report-dir*")])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


@pytest.mark.browser
@pytest.mark.slow  # an inner pytest run in a subprocess, for an edge case
def test_a_killed_run_says_which_planned_walks_never_ran(pytester: pytest.Pytester, pages_url: str) -> None:
    """SIGKILL once the first walk is recorded; the rebuilt report names every walk that never started."""
    make_project(pytester, pages_url, {"tiny": "tiny-service.html", "tiny-legacy": "tiny-legacy.html"})
    inner = subprocess.Popen([sys.executable, "-m", "pytest", "scenarios", "--a11y-report-dir", "out",
                              "--a11y-fail-on", "none"], cwd=pytester.path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = None
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and inner.poll() is None:
            found = list((pytester.path / "out").glob("*/results.ndjson"))
            if found and '"kind": "walk"' in found[0].read_text():
                results = found[0]
                break
            time.sleep(0.05)
        assert results is not None, "the first walk was never recorded"
    finally:
        inner.send_signal(signal.SIGKILL)
        inner.wait(timeout=60)
    records = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    planned = records[0]["planned"]
    assert len(planned) == 4 and all("::test_find_your_bin_collection_day[" in t for t in planned)
    started = {r["test_id"] for r in records if r["kind"] != "run"}
    missing = [t for t in planned if t not in started]
    assert missing, "every walk had started: the kill came too late to test anything"

    rebuilt = subprocess.run([sys.executable, "-m", "harness.cli.report", str(results.parent)], cwd=pytester.path,
                             capture_output=True, text=True, timeout=300, check=False)
    assert rebuilt.returncode == 0, rebuilt.stderr
    report = (results.parent / "report.html").read_text()
    count = len(missing)
    assert f"{count} planned walk{'s' if count != 1 else ''} never walked" in report
    assert f"{count} more planned, " in report
    for test_id in missing:
        assert f"<code>{test_id}</code>" in report
    index = (results.parent / "index.html").read_text()
    assert f"{count} more planned walk{'s' if count != 1 else ''} never walked" in index


@pytest.mark.browser
@pytest.mark.slow  # an inner pytest run in a subprocess, for an edge case
def test_a_run_stopped_by_maxfail_says_so_in_the_terminal(pytester: pytest.Pytester, pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny-legacy": "tiny-legacy.html"})
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "out", "--a11y-fail-on", "serious",
                                           "-x")
    result.stdout.fnmatch_lines(["*journeys completed: 1 of 1*",
                                 "never walked: 1 planned journey(s) did not start (listed in the report)"])


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "results" / "sample.ndjson"


@pytest.mark.browser
def test_the_never_walked_and_not_scanned_lines_pass_our_own_axe_scan(tmp_path: Path, page: Any) -> None:
    from harness.browser.axe_scan import findings_from_axe, run_axe
    from harness.model.findings import Outcome
    from harness.reports.run_view import RunView
    from harness.reports.writers import write_reports
    from tests.pages_server import serve_folder

    extra = {"kind": "run", "planned": ["scenarios/test_bins.py::test_find_your_bin_collection_day[x-default]"],
             "scan": {"kind": "crawl", "location": "https://www.example.gov.uk/", "max_pages": 50,
                      "skipped": [{"url": "https://www.example.gov.uk/a", "reason": "page limit reached",
                                   "found_on": "https://www.example.gov.uk/"}],
                      "errors": [{"url": "https://www.example.gov.uk/robots.txt", "message": "HTTP 500"}]}}
    (tmp_path / "results.ndjson").write_text(SAMPLE.read_text() + json.dumps(extra) + "\n")
    assert write_reports(RunView.read(tmp_path)).problems == []
    server, url = serve_folder(tmp_path)
    try:
        for name in ("report.html", "index.html"):
            page.goto(f"{url}/{name}")
            text = page.inner_text("main")
            assert "planned walk never walked" in text
            assert "2 pages found but not scanned" in text
            violations = [f.one_line() for f in findings_from_axe(run_axe(page)) if f.outcome is Outcome.VIOLATION]
            assert violations == [], name
    finally:
        server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("split", [pytest.param(["-n", "2"], marks=pytest.mark.slow), ["--a11y-shard", "1/2"]],
                         ids=["xdist", "shard"])
def test_the_plan_is_what_this_run_walks_with_workers_or_shards(pytester: pytest.Pytester, pages_url: str,
                                                                 split: list[str]) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html", "tiny-legacy": "tiny-legacy.html"})
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "out", "--a11y-fail-on", "none",
                                           *split)
    assert result.ret in (0, 1), result.stdout.str()[-2000:]  # 1: the keyboard-only user is blocked
    (run_dir,) = [p for p in (pytester.path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    records = [json.loads(line) for line in (run_dir / "results.ndjson").read_text().splitlines()]
    walked = {r["test_id"] for r in records if r["kind"] == "walk"}
    assert sorted(records[0]["planned"]) == sorted(walked)
    assert len(walked) == (4 if split[0] == "-n" else 2)
    assert "never walked" not in (run_dir / "report.html").read_text()
