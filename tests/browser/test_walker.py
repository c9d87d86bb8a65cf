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


PINS = '''
[[journeys.bin-day.steps]]
heading = "Which pothole"
fill = { "Pothole reference" = "PH-1234" }

[[journeys.bin-day.steps]]
path = "survey"
skip = true
press = "Skip the survey and finish"

[[journeys.bin-day.steps]]
heading = "All sorted"
kind = "confirmation"
'''


def test_without_pinned_steps_the_walk_stops_on_the_answer_only_the_product_knows(
        page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = make_journey(page, tmp_path, pages_url, "walker/pinned/start.html")
    with pytest.raises(JourneyBlocked) as caught:
        journey.walk_to("confirmation")
    assert "'Pothole reference'" in str(caught.value)


def test_steps_pinned_in_the_target_file_take_the_walk_to_its_goal(
        page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = make_journey(page, tmp_path, pages_url, "walker/pinned/start.html", PINS)
    taken = journey.walk_to("confirmation")
    assert page.url.endswith("/done.html"), page.url  # the survey was skipped by its own link, not sent
    assert taken[-1].kind == "confirmation" and "pinned in the target file" in taken[-1].reasons[0]
    record = (tmp_path / "run" / "results.ndjson").read_text()
    assert "pinned in the target file as the page with heading 'All sorted'" in record
    assert "pinned steps not met" not in record


def test_a_goal_may_be_the_words_of_its_heading_and_a_pin_never_met_is_said(
        page: Page, tmp_path: Path, pages_url: str) -> None:
    never = '\n[[journeys.bin-day.steps]]\nheading = "Upload a photo"\npress = "Continue"\n'
    journey = make_journey(page, tmp_path, pages_url, "walker/pinned/start.html", PINS + never)
    journey.walk_to("All sorted")
    assert page.url.endswith("/done.html"), page.url
    record = (tmp_path / "run" / "results.ndjson").read_text()
    assert "pinned steps not met on this walk: the page with heading 'Upload a photo'" in record
