"""The walker on pages it was not written for: it goes on by itself, and says what it saw when it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from harness.model.findings import JourneyBlocked
from tests.browser.test_journey import make_journey

pytest_plugins = ("tests.pages_server",)


def test_a_page_that_does_not_move_on_stops_the_walk_naming_what_was_tried_and_seen(
        page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = make_journey(page, tmp_path, pages_url, "walker/start.html")
    with pytest.raises(JourneyBlocked) as caught:
        journey.walk_to("confirmation")
    message = str(caught.value)
    assert "did not move on" in message or "came back to the same page" in message, message
    assert "'Where is the drain?'" in message  # the field it had
    assert "'Continue'" in message  # the button it pressed
    steps = [line for line in (tmp_path / "run" / "results.ndjson").read_text().splitlines() if '"step"' in line]
    assert '"page_kind": "start' in steps[1], steps[1]  # the start page was taken for a start page


def test_the_walk_says_what_each_page_was_taken_for(page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = make_journey(page, tmp_path, pages_url, "walker/start.html")
    with pytest.raises(JourneyBlocked):
        journey.walk_to("confirmation")
    kinds = [line.split('"page_kind": "')[1].split(":")[0]
             for line in (tmp_path / "run" / "results.ndjson").read_text().splitlines()
             if '"page_kind": "' in line and '"page_kind": ""' not in line]
    assert kinds[:2] == ["start", "form"] or kinds[:2] == ["start", "question"], kinds
