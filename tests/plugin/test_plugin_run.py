"""The plugin end to end: an inner pytest run in a subprocess walks a tiny scenario in a real Chromium."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.browser.session import playwright_chromium, system_chromium, system_headless_shell

pytest_plugins = ("pytester", "tests.pages_server")
pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]

# The real bin-day scenario, run against the tiny fixture pages in an inner project.
SCENARIO = (REPO / "tests" / "data" / "scenarios" / "scripted_bin_day.py").read_text()


def make_project(pytester: pytest.Pytester, base_url: str, targets: dict[str, str]) -> None:
    """A project laid out like ours: root conftest, personas, scenarios and their targets."""
    pytester.makeconftest('pytest_plugins = ("harness.plugin",)')
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    (pytester.path / "personas").mkdir()
    for persona in ("default", "keyboard-only"):  # the mouse and keyboard users are enough to test the plugin
        shutil.copy(REPO / "personas" / f"{persona}.toml", pytester.path / "personas")
    scenarios = pytester.mkpydir("scenarios")
    (scenarios / "targets").mkdir()
    for target_id, page in targets.items():
        (scenarios / "targets" / f"{target_id}.toml").write_text(
            f'name = "{target_id}"\nsupplier = "Test supplier"\nversion = "1"\n'
            f'base_url = "{base_url}/"\n\n[journeys.bin-day]\nentry = "{page}"\n')
    (scenarios / "test_bins.py").write_text(SCENARIO)


def test_tiny_scenario_end_to_end(pytester: pytest.Pytester, pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html", "tiny-legacy": "tiny-legacy.html"})
    result = pytester.runpytest_subprocess("scenarios", "-v", "--a11y-report-dir", "out",
                                           "--a11y-fail-on", "critical", "--html", "pytest-report.html",
                                           "--self-contained-html")
    result.stdout.fnmatch_lines([
        "a11y: playwright *, axe-core 4.*",
        "a11y personas: default, keyboard-only",
        "a11y targets: tiny-legacy, tiny",
        "a11y browser: *",
    ])
    for node_id, outcome in (("tiny-default", "PASSED"), ("tiny-keyboard-only", "PASSED"),
                             ("tiny-legacy-default", "PASSED"), ("tiny-legacy-keyboard-only", "FAILED")):
        result.stdout.fnmatch_lines([f"*::test_find_your_bin_collection_day?{node_id}? {outcome}*"])
    result.stdout.fnmatch_lines(["*journeys completed: 3 of 4*", "reports: *index.html"])
    result.stdout.fnmatch_lines([("*Keyboard-only user could not finish 'Search for the address'*"
                                  "'Find collection days' cannot be reached with the keyboard*")])
    assert result.ret == 1

    (run_dir,) = [p for p in (pytester.path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    records = [json.loads(line) for line in (run_dir / "results.ndjson").read_text().splitlines()]
    assert [r["kind"] for r in records].count("step") == 7  # 2 steps x 3 journeys + the blocked one
    ends = {r["test_id"].split("[")[1]: r["ending"] for r in records if r["kind"] == "walk"}
    assert ends == {"tiny-default]": "completed", "tiny-keyboard-only]": "completed",
                    "tiny-legacy-default]": "completed", "tiny-legacy-keyboard-only]": "blocked"}
    legacy_default = [f for r in records if r["kind"] == "step" and r["test_id"].endswith("tiny-legacy-default]")
                      for f in r["findings"]]
    # The span used as a button, and (a check every persona makes) no accessibility statement link.
    assert sorted({f["rule_id"] for f in legacy_default if f["source"] == "harness"}) == [
        "control-has-role", "statement-link"]
    screenshots = [s["screenshot"] for r in records if r["kind"] == "step" for s in r["states"]]
    assert screenshots and all((run_dir / s).is_file() for s in screenshots)
    report = (run_dir / "report.html").read_text()
    assert "cannot be reached with the keyboard" in report
    # pytest-html shows each journey's findings too, as extras.
    pytest_html_report = (pytester.path / "pytest-report.html").read_text()
    assert "keyboard-reachable" in pytest_html_report and "control-has-role" in pytest_html_report


def test_fail_threshold_fails_the_test_after_the_whole_journey(pytester: pytest.Pytester,
                                                                pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny-legacy": "tiny-legacy.html"})
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "out",
                                           "--a11y-persona", "default", "--a11y-fail-on", "serious")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*AccessibilityFindings: 1 accessibility finding(s) at or above 'serious':",
        "*serious violation control-has-role [[]4.1.2]: 'Find collection days' looks like a control*",
    ])


@pytest.mark.slow  # an inner pytest run in a subprocess, for an edge case
def test_chromium_override_by_environment_variable(pytester: pytest.Pytester, pages_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    chromium = system_chromium()
    if chromium is None:
        pytest.skip("no system Chromium on PATH to override with")
    monkeypatch.setenv("A11Y_CHROMIUM", chromium)
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    pytester.makepyfile(test_launch_args='''
def test_launch_args(browser_type_launch_args, browser):
    assert browser_type_launch_args["executable_path"].endswith("chromium") or "chrom" in browser_type_launch_args["executable_path"]
    for flag in ("--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"):
        assert flag in browser_type_launch_args["args"]
    assert browser.version
''')
    result = pytester.runpytest_subprocess("test_launch_args.py")
    result.stdout.fnmatch_lines(["a11y browser: * (Chromium chosen by --a11y-chromium or A11Y_CHROMIUM)"])
    result.assert_outcomes(passed=1)


@pytest.mark.slow  # two inner runs, one of them a full headed browser
def test_headless_runs_launch_the_system_headless_shell_and_headed_runs_the_full_browser(
        pytester: pytest.Pytester, pages_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    shell, full = system_headless_shell(), system_chromium()
    if shell is None or full is None or playwright_chromium():
        pytest.skip("needs a system chromium and chromium-headless-shell, and no Playwright Chromium")
    monkeypatch.delenv("A11Y_CHROMIUM", raising=False)
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    pytester.makepyfile(test_launch_args=f'''
def test_headless(browser_type_launch_args, browser):
    assert browser_type_launch_args["executable_path"] == {shell!r}
    assert browser.version  # it launched
''')
    result = pytester.runpytest_subprocess("test_launch_args.py")
    result.stdout.fnmatch_lines([f"a11y browser: {full} (system Chromium; headless runs use {shell})"])
    result.assert_outcomes(passed=1)
    # --headed needs a window, which this machine may not have: only the launch arguments are read.
    pytester.makepyfile(test_headed_args=f'''
def test_headed(browser_type_launch_args):
    assert browser_type_launch_args["executable_path"] == {full!r}
''')
    pytester.runpytest_subprocess("test_headed_args.py", "--headed").assert_outcomes(passed=1)


def test_a_missing_browser_stops_the_run_with_what_to_do(pytester: pytest.Pytester, pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    result = pytester.runpytest_subprocess("scenarios", "--a11y-chromium", "/no/such/chrome")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([
        "ERROR: --a11y-chromium / A11Y_CHROMIUM: '/no/such/chrome' is not an executable file.",
        "Give the full path to a Chromium or Chrome binary, or 'playwright' or 'system'.",
    ])


def test_a_bad_persona_file_stops_the_run_before_any_browser(pytester: pytest.Pytester,
                                                              pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    (pytester.path / "personas" / "keyboard-only.toml").write_text(
        'name = "Ash"\ntitle = "Keyboard"\ndescription = "x"\nbehaviour = "keybord-only"\n')
    result = pytester.runpytest_subprocess("scenarios")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([
        "ERROR: personas/keyboard-only.toml, line 4: unknown behaviour 'keybord-only'.",
        "Did you mean 'keyboard-only'?",
        "Known behaviours: keyboard-only, pointer, screen-reader, touch",
    ])


def test_a_scenario_that_breaks_between_steps_is_not_reported_as_completed(pytester: pytest.Pytester,
                                                                           pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    (pytester.path / "scenarios" / "test_bins.py").write_text(SCENARIO.replace(
        '    with journey.step("Read the collection days"):',
        '    assert False, "the scenario got the page wrong"\n    with journey.step("Read the collection days"):'))
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "out", "--a11y-persona", "default")
    result.assert_outcomes(failed=1)
    (run_dir,) = [p for p in (pytester.path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    (ending,) = [json.loads(line) for line in (run_dir / "results.ndjson").read_text().splitlines()
                 if json.loads(line)["kind"] == "walk"]
    assert ending["ending"] == "error"
    assert ending["blocker"].startswith("The scenario failed outside a step: AssertionError: the scenario got")


@pytest.mark.slow  # an inner pytest run in a subprocess, for an edge case
def test_a_killed_run_keeps_its_steps_and_the_report_command_renders_them(pytester: pytest.Pytester,
                                                                           pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    (pytester.path / "scenarios" / "test_bins.py").write_text(SCENARIO.replace(
        '    with journey.step("Read the collection days"):',
        '    import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)\n'
        '    with journey.step("Read the collection days"):'))
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "out", "--a11y-persona", "default")
    assert result.ret != 0
    (run_dir,) = [p for p in (pytester.path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    assert not (run_dir / "report.html").exists()  # the process died before the session could finish
    kinds = [json.loads(line)["kind"] for line in (run_dir / "results.ndjson").read_text().splitlines()]
    assert kinds == ["run", "step"]

    from harness.cli.report import main

    assert main([str(run_dir)]) == 0
    report = (run_dir / "report.html").read_text()
    assert "Did not finish (run stopped)" in report
    assert "Search for the address" in report


@pytest.mark.parametrize(("args", "message"), [
    (["--a11y-fail-on", "severe"],
     ("*error: argument --a11y-fail-on: invalid choice: 'severe' (choose from 'critical', 'serious', "
     "'moderate', 'minor', 'none')")),
    (["--a11y-axe-tags", "wcag2a,wcag2aaa,wcag21aa,best-practise"],
     "ERROR: --a11y-axe-tags: unknown axe tag 'best-practise'."),
    (["--a11y-page-timeout", "0"],
     ("ERROR: --a11y-page-timeout: 0 is not a time limit. Give a number of seconds above 0, such as "
     "--a11y-page-timeout=30.")),
    (["--a11y-target", "tiny-legacyy"], "ERROR: --a11y-target: unknown target 'tiny-legacyy'."),
    (["--a11y-persona", "keybaord-only"], "ERROR: --a11y-persona: unknown persona 'keybaord-only'."),
    (["--a11y-crawl", "www.example.gov.uk/bins"],
     ("ERROR: --a11y-crawl: 'www.example.gov.uk/bins' is not an absolute http:// or https:// address. Write it "
     "in full, such as https://www.example.gov.uk/bins")),
])
def test_bad_option_values_stop_the_run_with_the_fix(pytester: pytest.Pytester, pages_url: str,
                                                     args: list[str], message: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html", "tiny-legacy": "tiny-legacy.html"})
    result = pytester.runpytest_subprocess("scenarios", *args)
    assert result.ret in (pytest.ExitCode.USAGE_ERROR, 2)  # argparse's own choices exit with 2
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stderr.str()


@pytest.mark.slow  # an inner pytest run in a subprocess, for an edge case
def test_ctrl_c_mid_run_still_writes_the_report(pytester: pytest.Pytester, pages_url: str) -> None:
    import signal
    import subprocess
    import sys
    import time

    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    (pytester.path / "scenarios" / "test_bins.py").write_text(SCENARIO.replace(
        '    with journey.step("Read the collection days"):',
        '    import pathlib, time\n    pathlib.Path("between-steps").touch()\n    time.sleep(60)\n'
        '    with journey.step("Read the collection days"):'))
    # As in a terminal: Ctrl+C interrupts. A run started in the background (as CI jobs often are) inherits
    # an ignored SIGINT, and Python would keep ignoring it.
    run_pytest = ("import signal, sys, pytest; signal.signal(signal.SIGINT, signal.default_int_handler); "
                  "sys.exit(pytest.main(['scenarios', '--a11y-report-dir', 'out', '--a11y-persona', 'default']))")
    process = subprocess.Popen([sys.executable, "-c", run_pytest], cwd=pytester.path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    results = None
    while time.monotonic() < deadline:
        found = list((pytester.path / "out").glob("*/results.ndjson")) if (pytester.path / "out").exists() else []
        # Ctrl+C between steps, once the scenario is in its own code: the first step is recorded.
        if found and '"kind": "step"' in found[0].read_text() and (pytester.path / "between-steps").exists():
            results = found[0]
            break
        time.sleep(0.2)
    assert results is not None, "the first step was never recorded"
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=120)
    assert "KeyboardInterrupt" in output
    report = (results.parent / "report.html").read_text()
    assert "Search for the address" in report and "Did not finish (run stopped)" in report
