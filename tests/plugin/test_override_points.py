"""The fixture override points: a team's conftest.py changes what every walk gets without copying the plugin."""

from __future__ import annotations

import json

import pytest

from tests.plugin.test_plugin_run import make_project

pytest_plugins = ("pytester", "tests.pages_server")
pytestmark = pytest.mark.browser

CONFTEST = '''
import dataclasses

import pytest

pytest_plugins = ("harness.plugin",)


@pytest.fixture
def journey_args(journey_args):
    """Every journey in Welsh, with only the WCAG 2.0 A rules, starting on the service's second page."""
    return dataclasses.replace(journey_args, context={**journey_args.context, "locale": "cy-GB"},
                               axe_tags=("wcag2a",), entry_url=journey_args.entry_url + "?from=conftest")


@pytest.fixture
def page_scan_args(page_scan_args):
    return dataclasses.replace(page_scan_args, context={**page_scan_args.context, "locale": "cy-GB"})
'''

SCENARIO = '''
import pytest

from harness.cli.scan_scenario import test_scan_page


@pytest.mark.journey("bin-day")
def test_what_the_walk_was_given(journey, persona, target):
    with journey.step("Open the start page"):
        journey.open_start_page()
    assert journey.page.evaluate("navigator.language") == "cy-GB"
    assert journey.axe_tags == ("wcag2a",)
    assert journey.page.url.endswith("?from=conftest")
    assert (persona.id, target.id) == ("default", "tiny")


def test_what_the_scan_was_given(page_scan):
    with page_scan.step("Open the page"):
        page_scan.open_start_page()
    assert page_scan.page.evaluate("navigator.language") == "cy-GB"
'''


def test_a_conftest_overrides_the_args_of_journeys_and_scans(pytester: pytest.Pytester, pages_url: str) -> None:
    make_project(pytester, pages_url, {"tiny": "tiny-service.html"})
    pytester.makeconftest(CONFTEST)
    (pytester.path / "scenarios" / "test_bins.py").write_text(SCENARIO)
    (pytester.path / "pages.txt").write_text(f"{pages_url}/tiny-service.html\n")
    result = pytester.runpytest_subprocess("scenarios", "-v", "--a11y-report-dir", "out", "--a11y-persona",
                                           "default", "--a11y-fail-on", "none", "--a11y-scan-urls", "pages.txt")
    result.assert_outcomes(passed=3)  # the walk, the scan of one page (shared context), the bundled scan test
    (run_dir,) = [p for p in (pytester.path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    records = [json.loads(line) for line in (run_dir / "results.ndjson").read_text().splitlines()]
    steps = [r for r in records if r["kind"] == "step"]
    assert {s["test_id"].split("::")[1].split("[")[0] for s in steps} == {
        "test_what_the_walk_was_given", "test_what_the_scan_was_given", "test_scan_page"}
    walk = next(s for s in steps if "test_what_the_walk_was_given" in s["test_id"])
    assert all(state["url"].endswith("?from=conftest") for state in walk["states"])
