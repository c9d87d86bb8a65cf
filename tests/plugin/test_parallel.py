"""Beyond one process: xdist workers share one run, shards split it, and a remote browser server walks it.

Each test is an inner pytest run in a subprocess on a small project (one or two tiny targets, the real
bin-day scenario), as in test_plugin_run.py.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.browser.session import system_chromium
from harness.cli.merge import main as merge_main
from harness.model.results import read_run
from tests.plugin.test_plugin_run import make_project

pytest_plugins = ("pytester", "tests.pages_server")
pytestmark = [pytest.mark.browser, pytest.mark.slow]

TWO_TARGETS = {"tiny": "tiny-service.html", "tiny-legacy": "tiny-legacy.html"}
EXPECTED_ENDS = {"tiny-default": "completed", "tiny-keyboard-only": "completed",
                 "tiny-legacy-default": "completed", "tiny-legacy-keyboard-only": "blocked"}


def run_dirs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())


def records(run_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (run_dir / "results.ndjson").read_text().splitlines()]


def ends(run_dir: Path) -> dict[str, str]:
    return {w.test_id.split("[")[1].rstrip("]"): w.ending for w in read_run(run_dir).walks}


def findings(run_dir: Path) -> list[tuple[str, ...]]:
    return sorted((j.target, j.persona, j.journey, f.rule_id, f.selector, f.outcome.value)
                  for j in read_run(run_dir).walks for f in j.findings)


def test_two_workers_make_one_run_with_one_report_and_the_same_findings(pytester: pytest.Pytester,
                                                                        pages_url: str) -> None:
    make_project(pytester, pages_url, TWO_TARGETS)
    serial = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "serial", "--a11y-fail-on",
                                           "critical")
    serial.assert_outcomes(passed=3, failed=1)

    result = pytester.runpytest_subprocess("scenarios", "-n", "2", "-v", "--a11y-report-dir", "out",
                                           "--a11y-fail-on", "critical")

    result.assert_outcomes(passed=3, failed=1)
    output = result.stdout.str()
    assert "[gw0]" in output and "[gw1]" in output  # both workers walked journeys
    result.stdout.fnmatch_lines(["*journeys completed: 3 of 4*", "*reports: *index.html"])
    assert output.count("journeys completed:") == 1  # the controller alone sums up
    (run_dir,) = run_dirs(pytester.path / "out")
    assert os.readlink(pytester.path / "out" / "latest") == run_dir.name
    kinds = [r["kind"] for r in records(run_dir)]
    assert kinds[0] == "run" and kinds.count("run") == 1
    assert kinds.count("walk") == 4 and kinds.count("step") == 7
    assert ends(run_dir) == EXPECTED_ENDS
    assert (run_dir / "report.html").is_file() and (run_dir / "index.html").is_file()
    assert "cannot be reached with the keyboard" in (run_dir / "report.html").read_text()
    (serial_dir,) = run_dirs(pytester.path / "serial")
    assert findings(run_dir) == findings(serial_dir) != []

    from harness.reports.history import HistoryDB

    history = HistoryDB(pytester.path / "out" / "history.sqlite")
    assert [p.run_id for p in history.trend("tiny")] == [run_dir.name]  # recorded once, by the controller


def test_workers_walk_one_demo_council_so_each_page_has_one_address(pytester: pytest.Pytester) -> None:
    # With a demo council per worker, the same page had two addresses and reports listed it twice.
    make_project(pytester, "{demo}/supplier-a", {"demo-one": "bin-day", "demo-two": "bin-day"})

    result = pytester.runpytest_subprocess("scenarios", "-n", "2", "-v", "--a11y-report-dir", "out")

    result.assert_outcomes(passed=4)
    output = result.stdout.str()
    assert "[gw0]" in output and "[gw1]" in output
    (run_dir,) = run_dirs(pytester.path / "out")
    pages = [state["url"] for r in records(run_dir) if r["kind"] == "step" for state in r["states"]]
    assert len(pages) >= 8 and all(page.startswith("http://127.0.0.1:") for page in pages)
    assert len({page.split("/supplier-a/")[0] for page in pages}) == 1, sorted(set(pages))


def test_shards_split_the_journeys_and_merge_into_the_whole_run(pytester: pytest.Pytester,
                                                               pages_url: str) -> None:
    make_project(pytester, pages_url, TWO_TARGETS)
    shard_dirs = []
    for index in (1, 2):
        result = pytester.runpytest_subprocess("scenarios", "--a11y-shard", f"{index}/2", "--a11y-report-dir",
                                               f"shard-{index}", "--a11y-fail-on", "none")
        result.stdout.fnmatch_lines([f"a11y shard: {index} of 2 *", "*2 deselected*"])
        (shard_dir,) = run_dirs(pytester.path / f"shard-{index}")
        shard_dirs.append(shard_dir)
    shares = [set(ends(d)) for d in shard_dirs]
    assert len(shares[0]) == len(shares[1]) == 2 and not shares[0] & shares[1]

    assert merge_main([str(pytester.path / "merged"), *map(str, shard_dirs)]) == 0

    assert ends(pytester.path / "merged") == EXPECTED_ENDS
    assert (pytester.path / "merged" / "report.html").is_file()


def test_a_bad_shard_stops_the_run_with_the_fix(pytester: pytest.Pytester, pages_url: str) -> None:
    make_project(pytester, pages_url, TWO_TARGETS)
    result = pytester.runpytest_subprocess("scenarios", "--a11y-shard", "3/2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --a11y-shard: '3/2' is not a shard; give I/N with 1 <= I <= N, e.g. 2/4."])


def test_a_missing_browser_stops_a_parallel_run_with_what_to_do(pytester: pytest.Pytester,
                                                               pages_url: str) -> None:
    make_project(pytester, pages_url, TWO_TARGETS)
    result = pytester.runpytest_subprocess("scenarios", "-n", "2", "--a11y-chromium", "/no/such/chrome")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --a11y-chromium / A11Y_CHROMIUM: '/no/such/chrome' is not an executable*"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_a_missing_browser_does_not_stop_parallel_tests_that_walk_no_journey(pytester: pytest.Pytester,
                                                                            pages_url: str) -> None:
    make_project(pytester, pages_url, TWO_TARGETS)
    pytester.mkpydir("checks").joinpath("test_sums.py").write_text(
        "def test_one(): assert 1 + 1 == 2\n\ndef test_two(): assert 2 * 2 == 4\n")

    result = pytester.runpytest_subprocess("checks", "-n", "2", "--a11y-chromium", "/no/such/chrome")

    result.assert_outcomes(passed=2)
    assert "is not an executable" not in result.stdout.str() + result.stderr.str()


@pytest.fixture
def browser_server() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`python -m playwright run-server` on a free port; --unsafe lets a client choose the Chromium binary."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "playwright", "run-server", "--port", str(port), "--host",
                               "127.0.0.1", "--unsafe"], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith(f"Listening on ws://127.0.0.1:{port}/")
        yield f"ws://127.0.0.1:{port}/", server
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # the Node server under `python -m playwright` ignores SIGTERM
        server.wait()


def test_journeys_run_on_a_remote_browser_server(pytester: pytest.Pytester, pages_url: str,
                                                 browser_server: tuple[str, subprocess.Popen[str]]) -> None:
    chromium = system_chromium()
    if chromium is None:
        pytest.skip("no system Chromium on PATH for the browser server to launch")
    address, server = browser_server
    # The server launches this wrapper (the path is sent in the launch options): it notes who started it.
    started_by = pytester.path / "started-by"
    wrapper = pytester.path / "server-chromium"
    wrapper.write_text(f'#!/bin/sh\necho $PPID >> "{started_by}"\nexec "{chromium}" "$@"\n')
    wrapper.chmod(0o755)
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})

    result = pytester.runpytest_subprocess("scenarios", "--a11y-persona", "default", "--a11y-report-dir", "out",
                                           "--a11y-browser-ws", address, "--a11y-chromium", str(wrapper))

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"a11y browser: remote: {address} (launching {wrapper} on the server)"])
    parents = {int(pid) for pid in started_by.read_text().split()}
    assert parents and all(os.getpgid(pid) == server.pid for pid in parents)  # launched by the server
    (run_dir,) = run_dirs(pytester.path / "out")
    assert (read_run(run_dir).record.browser or "").startswith(f"remote: {address}")
    assert ends(run_dir) == {"tiny-default": "completed"}
    # axe-core ran in its isolated world over the remote connection too: it tested criteria and did not fail.
    steps = read_run(run_dir).walks[0].steps
    scanned = [state for step in steps for state in step.states if state.checks is not None]
    assert scanned and all(state.axe_checked for state in scanned)
    assert not [f for step in steps for f in step.findings if f.rule_id == "axe-scan-failed"]


def test_a_browser_server_address_that_is_not_a_websocket_is_refused(pytester: pytest.Pytester,
                                                                     pages_url: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    monkeypatch.setenv("A11Y_BROWSER_WS", "127.0.0.1:3000")
    result = pytester.runpytest_subprocess("scenarios")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([("ERROR: --a11y-browser-ws / A11Y_BROWSER_WS: '127.0.0.1:3000' is not a ws:// "
                                  "or wss:// address.*")])
