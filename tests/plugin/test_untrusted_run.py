"""A whole pytest run on a page whose title no UTF-8 file can hold: every record and report is still written.

Issue 16: the page sets `document.title = 'Bins \\ud800 ...'`. The bin-day scenario is stopped on it (the page
has no search form), and the message that stops it names the page by its title, so the unpaired surrogate
reaches the blocker finding, the test's failure, the results store, pytest-html and the history database.
"""

from __future__ import annotations

import json

import pytest

from tests.plugin.test_plugin_run import make_project

pytest_plugins = ("pytester", "tests.pages_server")
pytestmark = [pytest.mark.browser, pytest.mark.slow]  # an inner pytest run, for an edge case


def test_a_title_with_an_unpaired_surrogate_loses_nothing(pytester: pytest.Pytester, pages_url: str) -> None:
    make_project(pytester, pages_url, {"sur": "untrusted/lone-surrogate.html"})
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "out", "--a11y-persona", "default",
                                           "--a11y-page-timeout", "2", "--html", "pytest-report.html",
                                           "--self-contained-html", "--junitxml", "junit.xml")
    result.assert_outcomes(failed=1)
    (run_dir,) = [p for p in (pytester.path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    records = [json.loads(line) for line in (run_dir / "results.ndjson").read_text(encoding="utf-8").splitlines()]
    assert [r["kind"] for r in records] == ["run", "step", "walk"]
    walk = records[-1]
    assert walk["ending"] == "blocked"
    assert "on 'Bins \ufffd \u202e)1(trela'" in walk["blocker"]  # the reason, with the title as it could be kept
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert "Some reports could not be made" not in index
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "Bins \ufffd [U+202E])1(trela" in report and "Did not finish" not in report
    assert (pytester.path / "pytest-report.html").is_file()
    # What pytest prints and writes for the failed test shows the override as a code, never the raw character.
    junit = (pytester.path / "junit.xml").read_text(encoding="utf-8")
    assert "could not finish" in junit and "\u202e" not in junit and "[U+202E]" in junit
    assert "\u202e" not in result.stdout.str()
    assert (pytester.path / "out" / "history.sqlite").is_file()
