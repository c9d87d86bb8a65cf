"""Tests for harness/model/results.py: records are appended as they happen and a run is rebuilt from them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from harness.model.findings import Finding, Impact, Outcome
from harness.model.results import RESULTS_FILE, ResultsStore, new_run_id, read_run

TEST_ID = "scenarios/test_bin_collection.py::test_find_your_bin_collection_day[supplier-b-legacy-default]"
WHO = {"test_id": TEST_ID, "target": "supplier-b-legacy", "persona": "default", "journey": "bin-day"}


def a_finding(**changes: Any) -> Finding:
    values: dict[str, Any] = {
        "outcome": Outcome.VIOLATION, "impact": Impact.CRITICAL, "rule_id": "image-alt", "source": "axe",
        "message": "Images must have alternative text", "help": "Add an alt attribute.",
        "help_url": "https://dequeuniversity.com/rules/axe/4.12/image-alt", "criteria": ("1.1.1",),
        "page_url": "http://127.0.0.1:8000/supplier-b/bin-day", "selector": "#logo",
        "snippet": '<img id="logo">', "target": "supplier-b-legacy", "persona": "default",
        "journey": "bin-day", "step": "Search for the address"}
    values.update(changes)
    return Finding(**values)


def step_record(name: str, index: int, findings: list[Finding], status: str = "completed",
                **who: str) -> dict[str, Any]:
    return {"kind": "step", **(who or WHO), "step": name, "index": index, "status": status,
            "states": [{"label": "end of step", "url": "http://127.0.0.1:8000/supplier-b/bin-day",
                        "title": "Bin day", "screenshot": f"screenshots/shot-{index:02d}.png"}],
            "findings": [f.to_dict() for f in findings], "duration_s": 1.5}


def journey_record(outcome: str = "completed", blocker: str = "", **who: str) -> dict[str, Any]:
    return {"kind": "journey", **(who or WHO), "outcome": outcome, "blocker": blocker, "duration_s": 4.25}


@pytest.fixture
def store(tmp_path: Path) -> ResultsStore:
    store = ResultsStore(tmp_path / "run").open()
    store.append({"kind": "run", "run_id": "2026-11-26T06-01-02Z-4242", "axe_version": "4.12.1"})
    return store


def test_open_makes_the_run_and_screenshot_folders(tmp_path: Path) -> None:
    store = ResultsStore(tmp_path / "reports" / "run-1").open()
    assert store.screenshots.is_dir() and store.screenshots.name == "screenshots"
    assert store.path == tmp_path / "reports" / "run-1" / RESULTS_FILE
    assert not store.path.exists()


def test_append_writes_one_json_line_per_record_at_once(store: ResultsStore) -> None:
    store.append(step_record("Search for the address", 1, [a_finding()]))
    # Written at once, not at the end of the session: a second reader sees it straight away.
    lines = store.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["kind"] == "run"
    assert json.loads(lines[1])["findings"][0]["rule_id"] == "image-alt"
    store.append(journey_record())
    assert len(store.path.read_text(encoding="utf-8").splitlines()) == 3


def test_append_keeps_page_text_readable(store: ResultsStore) -> None:
    store.append(step_record("Choose “Myself”", 1, [a_finding(snippet="<p>Zoë’s bin\nday</p>")]))
    last = store.path.read_text(encoding="utf-8").splitlines()[-1]
    assert "Choose “Myself”" in last and "Zoë’s" in last
    assert "\\n" in last  # a newline in page text is escaped, so a record stays on one line


def test_read_run_rebuilds_journeys_and_steps(store: ResultsStore) -> None:
    logo, lang = a_finding(), a_finding(rule_id="html-has-lang", impact=Impact.SERIOUS, selector="html",
                                        step="Read the collection days", criteria=("3.1.1",))
    store.append(step_record("Search for the address", 1, [logo]))
    store.append(step_record("Read the collection days", 2, [lang]))
    store.append(journey_record())
    run = read_run(store.run_dir)
    assert run.run_dir == store.run_dir
    assert run.meta == {"kind": "run", "run_id": "2026-11-26T06-01-02Z-4242", "axe_version": "4.12.1"}
    assert run.skipped_lines == 0
    [journey] = run.journeys
    assert (journey.test_id, journey.target, journey.persona, journey.journey) == tuple(WHO.values())
    assert (journey.outcome, journey.blocker, journey.duration_s) == ("completed", "", 4.25)
    assert [(s.index, s.name, s.status) for s in journey.steps] == [
        (1, "Search for the address", "completed"), (2, "Read the collection days", "completed")]
    assert journey.steps[0].findings == [logo]
    assert journey.steps[0].states[0]["screenshot"] == "screenshots/shot-01.png"
    assert journey.steps[0].duration_s == 1.5
    assert run.findings == [logo, lang]


def test_steps_are_put_back_in_order(store: ResultsStore) -> None:
    store.append(step_record("Second", 2, []))
    store.append(step_record("First", 1, []))
    assert [s.name for s in read_run(store.run_dir).journeys[0].steps] == ["First", "Second"]


def test_journeys_are_kept_apart_by_test_id(store: ResultsStore) -> None:
    other = {**WHO, "test_id": TEST_ID.replace("-default]", "-keyboard-only]"), "persona": "keyboard-only"}
    store.append(step_record("Search for the address", 1, [a_finding()]))
    store.append(step_record("Search for the address", 1, [a_finding(persona="keyboard-only")], "blocked",
                             **other))
    store.append(journey_record("blocked", "Could not reach 'Find'", **other))
    store.append(journey_record())
    first, second = read_run(store.run_dir).journeys
    assert (first.persona, first.outcome) == ("default", "completed")
    assert (second.persona, second.outcome) == ("keyboard-only", "blocked")
    assert second.blocker == "Could not reach 'Find'"
    assert second.steps[0].status == "blocked"


def test_a_finding_seen_at_two_steps_counts_once_for_the_journey(store: ResultsStore) -> None:
    store.append(step_record("Search for the address", 1, [a_finding()]))
    store.append(step_record("Read the collection days", 2, [a_finding(step="Read the collection days")]))
    journey = read_run(store.run_dir).journeys[0]
    assert sum(len(s.findings) for s in journey.steps) == 2
    assert [f.step for f in journey.findings] == ["Search for the address"]


def test_a_journey_with_no_end_record_was_interrupted(store: ResultsStore) -> None:
    store.append(step_record("Search for the address", 1, [a_finding()]))
    journey = read_run(store.run_dir).journeys[0]
    assert journey.outcome == "interrupted"
    assert (journey.blocker, journey.duration_s) == ("", 0.0)
    assert len(journey.steps) == 1


def test_a_torn_last_line_is_skipped_and_counted(store: ResultsStore) -> None:
    store.append(step_record("Search for the address", 1, [a_finding()]))
    whole = json.dumps(step_record("Read the collection days", 2, [a_finding()]))
    with store.path.open("a", encoding="utf-8") as handle:
        handle.write(whole[: len(whole) // 2])  # the process died part-way through the write
    run = read_run(store.run_dir)
    assert run.skipped_lines == 1
    assert [s.name for s in run.journeys[0].steps] == ["Search for the address"]
    assert run.meta["run_id"] == "2026-11-26T06-01-02Z-4242"


def test_a_line_torn_inside_a_multibyte_character_is_skipped(store: ResultsStore) -> None:
    store.append(step_record("Search for the address", 1, [a_finding()]))
    whole = json.dumps(step_record("Choose “Myself”", 2, []), ensure_ascii=False).encode("utf-8")
    cut = whole.index("“".encode()) + 1  # one byte into a three-byte character
    with store.path.open("ab") as handle:
        handle.write(whole[:cut])
    run = read_run(store.run_dir)
    assert run.skipped_lines == 1
    assert [s.name for s in run.journeys[0].steps] == ["Search for the address"]


def test_page_text_with_unicode_line_separators_stays_one_record(store: ResultsStore) -> None:
    """U+2028 and U+0085 are written raw with ensure_ascii=False; they must not split a record."""
    snippet = "<p>Collections\u2028resume\x85on Monday</p>"
    store.append(step_record("Search for the address", 1, [a_finding(snippet=snippet)]))
    run = read_run(store.run_dir)
    assert run.skipped_lines == 0
    assert run.journeys[0].steps[0].findings[0].snippet == snippet


def test_unreadable_lines_anywhere_are_skipped_and_counted(store: ResultsStore) -> None:
    with store.path.open("a", encoding="utf-8") as handle:
        handle.write('{"no_kind": true}\n[1, 2]\n\n   \n')
    store.append(step_record("Search for the address", 1, []))
    run = read_run(store.run_dir)
    assert run.skipped_lines == 2  # blank lines are not records, so they are not counted
    assert len(run.journeys) == 1


def test_read_run_without_a_results_file_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        read_run(tmp_path)
    assert str(caught.value) == (f"{tmp_path / RESULTS_FILE}: no results file here. "
                                 f"Pass the run folder that holds {RESULTS_FILE}.")


def test_new_run_id_sorts_by_time_and_names_the_process() -> None:
    run_id = new_run_id(datetime(2026, 11, 26, 6, 1, 2, tzinfo=UTC))
    assert re.fullmatch(r"2026-11-26T06-01-02Z-\d+", run_id)
    assert new_run_id(datetime(2026, 11, 26, 6, 1, 3, tzinfo=UTC)) > run_id
