"""Our own reports pass our own harness: axe-core finds nothing, and the keyboard reaches everything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from harness.browser.axe_scan import findings_from_axe, run_axe
from harness.browser.tab_walk import walk_tab_order
from harness.model.findings import Outcome
from harness.reports.run_view import RunView
from harness.reports.writers import write_reports
from tests.pages_server import serve_folder

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "results" / "sample.ndjson"
# A 1x1 PNG, standing in for the sample run's screenshots.
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a0f30000000049454e44ae426082")


@pytest.fixture(scope="module")
def report_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    run_dir = tmp_path_factory.mktemp("run")
    # The sample, and a walk that found nothing, which the QA report folds away in a disclosure.
    (run_dir / "results.ndjson").write_text(SAMPLE.read_text() + SAMPLE.with_name("clean-walk.ndjson").read_text())
    view = RunView.read(run_dir)
    for walk in view.walks:
        for step in walk.steps:
            for state in step.states:
                if state.screenshot:
                    (run_dir / state.screenshot).parent.mkdir(parents=True, exist_ok=True)
                    (run_dir / state.screenshot).write_bytes(PIXEL)
    written = write_reports(view)
    assert written.problems == []
    server, url = serve_folder(run_dir)
    yield url
    server.shutdown()


PAGES = ["index.html", "report.html", "comparison.html", "history.html", "personas.html",
         "persona-keyboard-only.html", "statements.html", "statement-supplier-b-legacy.html"]
"""One page of each kind the run writes: every audience's report."""


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("name", PAGES)
def test_report_has_no_axe_violations(page: Page, report_url: str, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{report_url}/{name}")
    findings = findings_from_axe(run_axe(page))
    assert [f.one_line() for f in findings if f.outcome is Outcome.VIOLATION] == []


@pytest.mark.parametrize("name", PAGES)
def test_report_can_be_used_with_the_keyboard_alone(page: Page, report_url: str, name: str) -> None:
    page.goto(f"{report_url}/{name}")
    walk = walk_tab_order(page, max_presses=600)
    assert len(walk.expected) > 5  # the navigation between reports, at least
    assert walk.unreached == []
    assert [stop.name for stop in walk.without_visible_focus] == []
    assert walk.stops[0].name == "Skip to main content"


def test_the_keyboard_check_can_fail(page: Page) -> None:
    """The check above would catch a page whose focus is invisible or whose controls are out of reach."""
    page.set_content('<a href="#a" style="outline:none">One</a> <div tabindex="-1">Two</div>'
                     '<a href="#b">Three</a> <span onclick="x()" tabindex="0" style="outline:none">Four</span>')
    walk = walk_tab_order(page)
    assert [stop.name for stop in walk.without_visible_focus] == ["One", "Four"]
    assert walk.unreached == []


def test_links_inside_a_closed_disclosure_are_not_expected_tab_stops(page: Page) -> None:
    """A closed <details> hides its links from Tab; the walk must not count them as unreachable."""
    page.set_content('<a href="#a">One</a><details><summary>More</summary><a href="#b">Hidden</a></details>')
    walk = walk_tab_order(page)
    assert [stop.name for stop in walk.stops] == ["One", "More"] and walk.unreached == []
    page.set_content('<a href="#a">One</a><details open><summary>More</summary><a href="#b">Shown</a></details>')
    assert [stop.name for stop in walk_tab_order(page).stops] == ["One", "More", "Shown"]
