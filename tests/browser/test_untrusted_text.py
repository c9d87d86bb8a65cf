"""Untrusted text from a real page in a real Chromium: every record is stored, and the reports run nothing.

Issue 16. Before it, a page whose title held an unpaired surrogate made the results writer raise
UnicodeEncodeError, so every step of the walk was lost; and a help address of `javascript:` became a link in the
QA report that ran the page's script from the report's file:// origin when clicked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from harness.model.records import WalkRecord
from harness.model.results import RESULTS_FILE, read_run
from harness.model.untrusted import safe_href
from tests.browser.test_journey import make_journey
from tests.unit.test_report_safety import HIDDEN, SCRIPT_ADDRESSES, hostile_run, write_reports

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser



def test_a_page_with_unpaired_surrogates_loses_no_step(page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = make_journey(page, tmp_path, pages_url, "untrusted/lone-surrogate.html")
    with journey.step("Open the bin day page"):
        journey.open_start_page()
    with journey.step("Read the heading"):
        journey.expect_heading("Bin day")
    assert page.evaluate("document.title") == "Bins \ud800 \u202e)1(trela"  # what the page really holds
    journey.store.append(WalkRecord(test_id=journey.test_id, target="acme", persona="default", journey="bin-day",
                                    ending=journey.ending, blocker=journey.blocker))
    run = read_run(tmp_path / "run")
    assert run.skipped_lines == 0
    (result,) = run.walks
    assert result.ending == "completed"
    assert [s.name for s in result.steps] == ["Open the bin day page", "Read the heading"]
    assert result.steps[0].states[0].title == "Bins \ufffd \u202e)1(trela"  # stored exactly, but storable
    snippets = [f.snippet for f in result.findings if f.rule_id == "image-alt"]
    assert snippets and "lone \ufffd half, NUL \x00, override \u202e" in snippets[0]

    written = write_reports(tmp_path / "run")
    assert written.problems == []
    report = (tmp_path / "run" / "report.html").read_text(encoding="utf-8", errors="strict")
    assert "Bins \ufffd [U+202E])1(trela" in report
    assert "lone \ufffd half, NUL [U+0000], override [U+202E]" in report
    for path in (tmp_path / "run").iterdir():
        if path.is_file() and path.name != RESULTS_FILE and path.suffix != ".png":
            assert not re.search(f"[{HIDDEN}\ud800-\udfff]", path.read_text(encoding="utf-8")), path.name


def test_no_link_in_any_report_runs_script_when_a_browser_follows_it(page: Page, tmp_path: Path) -> None:
    """The reports opened as a reader would, from disk: every link and image a browser would follow is http(s) or
    one of the run's own files, and following each of the page's addresses runs nothing."""
    pwned = "javascript:window.__pwned=1"
    run_dir = hostile_run(tmp_path / "run", pwned, pwned, "<script>window.__pwned=1</script>",
                          more_addresses=[a.replace("alert(1)", "window.__pwned=1") for a in SCRIPT_ADDRESSES])
    assert write_reports(run_dir).problems == []
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for report in sorted(run_dir.glob("*.html")):
        page.goto(report.as_uri())
        addresses = page.evaluate("""() => [...document.querySelectorAll('[href], [src]')]
            .map(e => e.getAttribute('href') ?? e.getAttribute('src'))""")
        assert all(safe_href(a) == a for a in addresses), (report.name, [a for a in addresses if not safe_href(a)])
        protocols = page.evaluate("""() => [...document.querySelectorAll('a[href], img[src]')]
            .map(e => new URL(e.href || e.src, document.baseURI).protocol)""")
        assert set(protocols) <= {"http:", "https:", "file:"}, report.name
        # Press every in-page link (our anchors); none may run the page's script.
        for link in page.locator("a[href^='#']").all()[:50]:
            link.dispatch_event("click")
        assert page.evaluate("typeof window.__pwned") == "undefined", report.name
    assert dialogs == []
