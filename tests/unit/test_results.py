"""Tests for harness/model/results.py and records.py: typed records are appended as they happen, in a versioned
format, and a run is rebuilt from them (old files included)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from harness.model.findings import Finding, Impact, Outcome
from harness.model.records import (
    FORMAT,
    CheckRecord,
    PageState,
    PersonaRecord,
    ResultsFormatError,
    RunRecord,
    ScanRecord,
    StepRecord,
    TargetRecord,
    WalkRecord,
    record_from_dict,
)
from harness.model.results import RESULTS_FILE, ResultsStore, new_run_id, read_records, read_run
from harness.model.scan_sources import FailedFetch, SkippedPage

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
                **who: str) -> StepRecord:
    return StepRecord(**(who or WHO), step=name, index=index, status=status,
                      states=(PageState(label="end of step", url="http://127.0.0.1:8000/supplier-b/bin-day",
                                        title="Bin day", screenshot=f"screenshots/shot-{index:02d}.png"),),
                      findings=tuple(findings), duration_s=1.5)


def walk_record(ending: str = "completed", blocker: str = "", **who: str) -> WalkRecord:
    return WalkRecord(**(who or WHO), ending=ending, blocker=blocker, duration_s=4.25)


@pytest.fixture
def store(tmp_path: Path) -> ResultsStore:
    store = ResultsStore(tmp_path / "run").open()
    store.start(RunRecord(run_id="2026-11-26T06-01-02Z-4242", axe_version="4.12.1"))
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
    store.append(walk_record())
    assert len(store.path.read_text(encoding="utf-8").splitlines()) == 3


def test_append_keeps_page_text_readable(store: ResultsStore) -> None:
    store.append(step_record("Choose “Myself”", 1, [a_finding(snippet="<p>Zoë’s bin\nday</p>")]))
    last = store.path.read_text(encoding="utf-8").splitlines()[-1]
    assert "Choose “Myself”" in last and "Zoë’s" in last
    assert "\\n" in last  # a newline in page text is escaped, so a record stays on one line


def test_read_run_rebuilds_walks_and_steps(store: ResultsStore) -> None:
    logo, lang = a_finding(), a_finding(rule_id="html-has-lang", impact=Impact.SERIOUS, selector="html",
                                        step="Read the collection days", criteria=("3.1.1",))
    store.append(step_record("Search for the address", 1, [logo]))
    store.append(step_record("Read the collection days", 2, [lang]))
    store.append(walk_record())
    run = read_run(store.run_dir)
    assert run.run_dir == store.run_dir
    assert run.record == RunRecord(run_id="2026-11-26T06-01-02Z-4242", axe_version="4.12.1", format=FORMAT)
    assert run.skipped_lines == 0
    [walk] = run.walks
    assert (walk.test_id, walk.target, walk.persona, walk.journey) == tuple(WHO.values())
    assert (walk.ending, walk.blocker, walk.duration_s) == ("completed", "", 4.25)
    assert [(s.index, s.name, s.status) for s in walk.steps] == [
        (1, "Search for the address", "completed"), (2, "Read the collection days", "completed")]
    assert walk.steps[0].findings == [logo]
    assert walk.steps[0].states[0].screenshot == "screenshots/shot-01.png"
    assert walk.steps[0].duration_s == 1.5
    assert run.findings == [logo, lang]


def test_steps_are_put_back_in_order(store: ResultsStore) -> None:
    store.append(step_record("Second", 2, []))
    store.append(step_record("First", 1, []))
    assert [s.name for s in read_run(store.run_dir).walks[0].steps] == ["First", "Second"]


def test_walks_are_kept_apart_by_test_id(store: ResultsStore) -> None:
    other = {**WHO, "test_id": TEST_ID.replace("-default]", "-keyboard-only]"), "persona": "keyboard-only"}
    store.append(step_record("Search for the address", 1, [a_finding()]))
    store.append(step_record("Search for the address", 1, [a_finding(persona="keyboard-only")], "blocked",
                             **other))
    store.append(walk_record("blocked", "Could not reach 'Find'", **other))
    store.append(walk_record())
    first, second = read_run(store.run_dir).walks
    assert (first.persona, first.ending) == ("default", "completed")
    assert (second.persona, second.ending) == ("keyboard-only", "blocked")
    assert second.blocker == "Could not reach 'Find'"
    assert second.steps[0].status == "blocked"


def test_a_finding_seen_at_two_steps_counts_once_for_the_walk(store: ResultsStore) -> None:
    store.append(step_record("Search for the address", 1, [a_finding()]))
    store.append(step_record("Read the collection days", 2, [a_finding(step="Read the collection days")]))
    walk = read_run(store.run_dir).walks[0]
    assert sum(len(s.findings) for s in walk.steps) == 2
    assert [f.step for f in walk.findings] == ["Search for the address"]


def test_a_walk_with_no_walk_record_was_interrupted(store: ResultsStore) -> None:
    store.append(step_record("Search for the address", 1, [a_finding()]))
    walk = read_run(store.run_dir).walks[0]
    assert walk.ending == "interrupted"
    assert (walk.blocker, walk.duration_s) == ("", 0.0)
    assert len(walk.steps) == 1


def test_a_torn_last_line_is_skipped_and_counted(store: ResultsStore) -> None:
    store.append(step_record("Search for the address", 1, [a_finding()]))
    whole = json.dumps(step_record("Read the collection days", 2, [a_finding()]).to_dict())
    with store.path.open("a", encoding="utf-8") as handle:
        handle.write(whole[: len(whole) // 2])  # the process died part-way through the write
    run = read_run(store.run_dir)
    assert run.skipped_lines == 1
    assert [s.name for s in run.walks[0].steps] == ["Search for the address"]
    assert run.record.run_id == "2026-11-26T06-01-02Z-4242"


def test_a_line_torn_inside_a_multibyte_character_is_skipped(store: ResultsStore) -> None:
    store.append(step_record("Search for the address", 1, [a_finding()]))
    whole = json.dumps(step_record("Choose “Myself”", 2, []).to_dict(), ensure_ascii=False).encode("utf-8")
    cut = whole.index("“".encode()) + 1  # one byte into a three-byte character
    with store.path.open("ab") as handle:
        handle.write(whole[:cut])
    run = read_run(store.run_dir)
    assert run.skipped_lines == 1
    assert [s.name for s in run.walks[0].steps] == ["Search for the address"]


def test_page_text_with_unicode_line_separators_stays_one_record(store: ResultsStore) -> None:
    """U+2028 and U+0085 are written raw with ensure_ascii=False; they must not split a record."""
    snippet = "<p>Collections\u2028resume\x85on Monday</p>"
    store.append(step_record("Search for the address", 1, [a_finding(snippet=snippet)]))
    run = read_run(store.run_dir)
    assert run.skipped_lines == 0
    assert run.walks[0].steps[0].findings[0].snippet == snippet


def test_unreadable_lines_anywhere_are_skipped_and_counted(store: ResultsStore) -> None:
    with store.path.open("a", encoding="utf-8") as handle:
        handle.write('{"no_kind": true}\n[1, 2]\n\n   \n')
    store.append(step_record("Search for the address", 1, []))
    run = read_run(store.run_dir)
    assert run.skipped_lines == 2  # blank lines are not records, so they are not counted
    assert len(run.walks) == 1


def test_read_run_without_a_results_file_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        read_run(tmp_path)
    assert str(caught.value) == (f"{tmp_path / RESULTS_FILE}: no results file here. "
                                 f"Pass the run folder that holds {RESULTS_FILE}.")


def test_new_run_id_sorts_by_time_and_names_the_process() -> None:
    run_id = new_run_id(datetime(2026, 11, 26, 6, 1, 2, tzinfo=UTC))
    assert re.fullmatch(r"2026-11-26T06-01-02Z-\d+", run_id)
    assert new_run_id(datetime(2026, 11, 26, 6, 1, 3, tzinfo=UTC)) > run_id


# -- the format: one writer, one reader, a version ----------------------------------------------------------


def test_every_record_is_written_as_its_kind_and_read_back_the_same() -> None:
    run = RunRecord(
        run_id="r-1", started="2026-11-26T06:01:02+00:00", browser="Chromium 131", playwright_version="1.49.0",
        harness_version="0.9.0", axe_version="4.12.1", axe_tags=("wcag2a",), fail_on="serious",
        targets={"acme": TargetRecord(id="acme", name="Acme", supplier="Acme Ltd", version="2.0",
                                      base_url="{demo}/acme/", journeys={"bin-day": "bins"}, product="acme")},
        personas={"keyboard-only": PersonaRecord(id="keyboard-only", name="Ash", title="Keyboard-only user",
                                                 context={"viewport": {"width": 1280, "height": 800}},
                                                 checks=("focus-visible",))},
        journeys={"bin-day": "Find your bin collection day"},
        checks={"focus-visible": CheckRecord(id="focus-visible", criteria=("2.4.7",), impact="serious")},
        planned=("t-1",), scan=ScanRecord(kind="crawl", location="http://x/", max_pages=5,
                                          skipped=(SkippedPage("http://x/b", "page limit reached", "http://x/"),),
                                          errors=(FailedFetch("http://x/c", "timed out"),)))
    state = PageState(label="end", url="http://x/", boxes={"#logo": (1.0, 2.0, 3.0, 4.0)}, screenshot_scale=1.0,
                      axe_checked=("1.1.1",), axe_inapplicable=(), checks=("focus-visible",))
    step = StepRecord(**WHO, step="Search", index=1, status="completed", states=(state,), findings=(a_finding(),))
    for record in (run, step, walk_record("blocked", "Could not reach 'Find'")):
        data = json.loads(json.dumps(record.to_dict()))
        assert record_from_dict(data) == record
    assert run.to_dict()["format"] == FORMAT == 1
    assert walk_record().to_dict()["kind"] == "walk" and "ending" in walk_record().to_dict()


def test_a_run_file_says_its_format_on_its_first_line(store: ResultsStore) -> None:
    first = json.loads(store.path.read_text(encoding="utf-8").splitlines()[0])
    assert (first["kind"], first["format"]) == ("run", FORMAT)


def test_files_written_before_the_format_had_a_number_are_read_as_format_0(tmp_path: Path) -> None:
    """Walk records were kind 'journey' and named their ending 'outcome'; such files still read."""
    lines = [{"kind": "run", "run_id": "old-run", "personas": {"default": {"name": "Sam", "title": "Default"}}},
             {**step_record("Search for the address", 1, [a_finding()]).to_dict()},
             {"kind": "journey", **WHO, "outcome": "blocked", "blocker": "stuck", "duration_s": 2.0}]
    (tmp_path / RESULTS_FILE).write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    run = read_run(tmp_path)
    assert run.record.format == 0 and run.record.run_id == "old-run"
    assert run.record.persona("default").display_name == "Sam"
    assert [(w.ending, w.blocker, len(w.steps)) for w in run.walks] == [("blocked", "stuck", 1)]
    assert run.skipped_lines == 0


def test_a_newer_format_is_refused_naming_the_file_and_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / RESULTS_FILE
    path.write_text(json.dumps({"kind": "run", "format": FORMAT + 1, "harness_version": "9.0"}) + "\n",
                    encoding="utf-8")
    with pytest.raises(ResultsFormatError) as caught:
        read_run(tmp_path)
    assert str(caught.value) == (
        f"{path} line 1: results format {FORMAT + 1}, written by a newer harness (harness version 9.0); this "
        f"harness reads formats 0 to {FORMAT}. Rebuild the reports with that harness, or upgrade this one "
        "(pip install --upgrade council-a11y-harness).")


def test_a_format_that_is_not_a_number_is_a_damaged_line(tmp_path: Path) -> None:
    (tmp_path / RESULTS_FILE).write_text(json.dumps({"kind": "run", "format": "1"}) + "\n", encoding="utf-8")
    assert read_records(tmp_path / RESULTS_FILE) == (
        [], ["line 1: a run record whose 'format' is text, not a whole number"])


def test_a_later_run_record_adds_targets_and_never_overwrites(store: ResultsStore) -> None:
    store.append(RunRecord(run_id="another", targets={"scan-x": TargetRecord(id="scan-x", name="Site scan")}))
    run = read_run(store.run_dir).record
    assert run.run_id == "2026-11-26T06-01-02Z-4242"
    assert run.target("scan-x").name == "Site scan"


def test_a_mask_hides_values_before_the_record_is_written(store: ResultsStore) -> None:
    store.append(walk_record("blocked", "the password is hunter2"),
                 mask=lambda data: {k: v.replace("hunter2", "[masked]") if isinstance(v, str) else v
                                    for k, v in data.items()})
    assert "hunter2" not in store.path.read_text(encoding="utf-8")
    assert read_run(store.run_dir).walks[0].blocker == "the password is [masked]"
