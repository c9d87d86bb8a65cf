"""Shards and merging: --a11y-shard's share of the tests, and `python -m harness.cli.merge` joining run folders."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from harness.cli.merge import main, merge_runs
from harness.model.errors import ConfigError
from harness.model.options import keep_in_shard, parse_shard
from harness.model.records import RunRecord, WalkRecord, record_from_dict
from harness.model.results import RESULTS_FILE, ResultsStore, read_run
from harness.reports.run_view import RunView

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "results" / "sample.ndjson"


def sample_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]


def write_run(run_dir: Path, records: list[dict[str, Any]]) -> Path:
    """A run folder as the plugin leaves it, with a small file for each screenshot the records name."""
    store = ResultsStore(run_dir).open()
    for record in records:
        typed = record_from_dict(record)
        assert typed is not None
        store.append(typed)
        for state in record.get("states", []):
            if state.get("screenshot"):
                (run_dir / state["screenshot"]).write_bytes(f"png of {record['test_id']}".encode())
    return run_dir


def shard_of(records: list[dict[str, Any]], shard: tuple[int, int], started: str) -> list[dict[str, Any]]:
    """What one shard's run would hold: the run record (its own start time) and its tests' records."""
    run, *rest = records
    test_ids = [str(r["test_id"]) for r in rest]
    kept = {t for t, keep in zip(test_ids, keep_in_shard(test_ids, shard), strict=True) if keep}
    return [{**run, "started": started}, *(r for r in rest if r["test_id"] in kept)]


def walk_set(run_dir: Path) -> list[tuple[Any, ...]]:
    run = read_run(run_dir)
    return sorted((w.test_id, w.ending, w.blocker, tuple((s.index, s.name, s.status) for s in w.steps),
                   tuple(sorted((f.rule_id, f.selector, f.outcome.value) for f in w.findings)))
                  for w in run.walks)


# -- --a11y-shard ----------------------------------------------------------------------------------


def test_shards_split_the_tests_evenly_and_every_test_once() -> None:
    ids = [f"scenarios/test_{n % 3}.py::test_walk[target-{n}]" for n in range(10)]
    shares = [[i for i, keep in zip(ids, keep_in_shard(ids, (index, 3)), strict=True) if keep]
              for index in (1, 2, 3)]
    assert sorted(i for share in shares for i in share) == sorted(ids)
    assert [len(share) for share in shares] == [4, 3, 3]


def test_shards_agree_whatever_order_the_tests_were_collected_in() -> None:
    ids = [f"test_{n}" for n in range(7)]
    forwards = {i for i, keep in zip(ids, keep_in_shard(ids, (2, 3)), strict=True) if keep}
    backwards = {i for i, keep in zip(ids[::-1], keep_in_shard(ids[::-1], (2, 3)), strict=True) if keep}
    assert forwards == backwards == {"test_1", "test_4"}


@pytest.mark.parametrize("value", ["0/4", "5/4", "2", "two/four", "2/0", "-1/3", "1/2/3"])
def test_a_bad_shard_says_how_to_write_one(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_shard(value)
    assert str(caught.value) == f"--a11y-shard: {value!r} is not a shard; give I/N with 1 <= I <= N, e.g. 2/4."


def test_a_good_shard() -> None:
    assert parse_shard("2/4") == (2, 4)
    assert parse_shard("1/1") == (1, 1)
    assert parse_shard(None) is None


# -- python -m harness.cli.merge -----------------------------------------------------------------------


def test_merging_two_shards_gives_the_unsharded_run(tmp_path: Path) -> None:
    records = sample_records()
    whole = write_run(tmp_path / "whole", records)
    first = write_run(tmp_path / "shard-1", shard_of(records, (1, 2), "2026-11-26T06:05:00+00:00"))
    second = write_run(tmp_path / "shard-2", shard_of(records, (2, 2), "2026-11-26T06:01:00+00:00"))
    assert walk_set(first) and walk_set(second)

    result = merge_runs(tmp_path / "merged", [first, second])

    assert result.warnings == []
    assert walk_set(tmp_path / "merged") == walk_set(whole)
    lines = [json.loads(line) for line in (tmp_path / "merged" / RESULTS_FILE).read_text().splitlines()]
    assert [r["kind"] for r in lines].count("run") == 1 and lines[0]["kind"] == "run"
    assert lines[0]["started"] == "2026-11-26T06:01:00+00:00"  # the earliest shard's start
    assert lines[0]["run_id"] == "merged" and lines[0]["merged_from"] == ["shard-1", "shard-2"]
    # The shards were written before the format had a number; the merged run is in this harness's format.
    assert lines[0]["format"] == 1
    assert {r["kind"] for r in lines[1:]} == {"step", "walk"} and all("ending" in r for r in lines if r["kind"] == "walk")
    merged = read_run(tmp_path / "merged")
    shots = {s.screenshot for w in merged.walks for step in w.steps for s in step.states}
    assert shots and all((tmp_path / "merged" / shot).is_file() for shot in shots)


def test_the_merged_run_knows_every_shards_targets_and_personas(tmp_path: Path) -> None:
    run, *rest = sample_records()
    one = {**run, "targets": {"a": {"name": "A"}}, "personas": {"default": {"name": "Sam"}}}
    two = {**run, "targets": {"b": {"name": "B"}}, "personas": {"keyboard-only": {"name": "Ash"}}}
    # Scan mode adds targets met during the run in later 'run' lines; they count too.
    later = {"kind": "run", "targets": {"scan-c": {"name": "C"}}}
    merge_runs(tmp_path / "merged", [write_run(tmp_path / "1", [one, *rest[:3]]),
                                     write_run(tmp_path / "2", [two, *rest[3:], later])])
    record = read_run(tmp_path / "merged").record
    assert sorted(record.targets) == ["a", "b", "scan-c"]
    assert sorted(record.personas) == ["default", "keyboard-only"]


def test_the_merge_command_builds_the_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = sample_records()
    shards = [str(write_run(tmp_path / f"shard-{i}", shard_of(records, (i, 2), "2026-11-26T06:0{i}:00+00:00")))
              for i in (1, 2)]
    assert main([str(tmp_path / "merged"), *shards]) == 0
    out = capsys.readouterr().out
    assert "merged 2 run folder(s), 4 walk(s)" in out
    assert (tmp_path / "merged" / "index.html").is_file() and (tmp_path / "merged" / "report.html").is_file()
    assert "supplier-b-legacy-keyboard-only" in (tmp_path / "merged" / "report.html").read_text()


def test_mixing_axe_versions_is_merged_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run, *rest = sample_records()
    old = write_run(tmp_path / "old", [{**run, "axe_version": "4.9.0"}, *rest[:3]])
    new = write_run(tmp_path / "new", [run, *rest[3:]])
    assert main([str(tmp_path / "merged"), str(old), str(new)]) == 0
    err = capsys.readouterr().err
    assert "warning: the shards ran different axe-core versions: 4.9.0" in err
    assert "run every shard with the same harness version" in err


def test_missing_or_wrong_folders_say_what_to_give(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "merged"), str(tmp_path / "nowhere")]) == 2
    assert f"error: {tmp_path / 'nowhere'}: no such folder. Give the run folders the shards made" in (
        capsys.readouterr().err)
    (tmp_path / "empty").mkdir()
    assert main([str(tmp_path / "merged"), str(tmp_path / "empty")]) == 2
    assert f"{tmp_path / 'empty'}: no results.ndjson here, so it is not a run folder." in capsys.readouterr().err
    whole = write_run(tmp_path / "whole", sample_records())
    assert main([str(whole), str(whole)]) == 2
    assert "already holds a run (results.ndjson). Give a new folder for the merged run" in capsys.readouterr().err
    assert not (tmp_path / "merged").exists()


def test_a_shard_of_a_newer_format_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run, *rest = sample_records()
    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / RESULTS_FILE).write_text(json.dumps({**run, "format": 2}) + "\n", encoding="utf-8")
    assert main([str(tmp_path / "merged"), str(write_run(tmp_path / "one", [run, *rest])), str(newer)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {newer / RESULTS_FILE} line 1: results format 2, written by a "
                                              "newer harness")
    assert not (tmp_path / "merged").exists()


def test_the_same_test_in_two_folders_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = sample_records()
    one = write_run(tmp_path / "one", records)
    two = write_run(tmp_path / "two", records)
    assert main([str(tmp_path / "merged"), str(one), str(two)]) == 2
    assert "was walked in both" in capsys.readouterr().err


# -- the run record with several writers (xdist workers) --------------------------------------------


def _start_and_append(run_dir: str, writer: int) -> bool:
    store = ResultsStore(Path(run_dir))
    first = store.start(RunRecord(run_id=f"r-{writer}"))
    for n in range(20):
        store.append(WalkRecord(test_id=f"t{writer}-{n}", target="a", persona="p", journey="j", ending="completed"))
    return first


def test_several_writers_describe_the_run_once_and_first(tmp_path: Path) -> None:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(4) as pool:
        firsts = pool.starmap(_start_and_append, [(str(tmp_path), writer) for writer in range(8)])
    assert firsts.count(True) == 1
    lines = [json.loads(line) for line in (tmp_path / RESULTS_FILE).read_text().splitlines()]
    assert lines[0]["kind"] == "run" and [r["kind"] for r in lines].count("run") == 1
    assert lines[0]["run_id"] == f"r-{firsts.index(True)}"
    assert len(lines) == 1 + 8 * 20
    assert not list(tmp_path.glob(".*.tmp"))


# -- merges that must not be quiet (issue 16) --------------------------------------------------------


def test_the_same_folder_given_twice_is_refused_not_doubled(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    records = sample_records()
    one = write_run(tmp_path / "one", records)
    assert main([str(tmp_path / "merged"), str(one), str(one)]) == 2
    assert capsys.readouterr().err == f"error: {one}: given twice. Give each shard's run folder once.\n"
    again = tmp_path / "elsewhere" / ".." / "one"
    assert main([str(tmp_path / "merged"), str(one), str(again)]) == 2
    assert f"error: {again}: given twice (also given as {one})." in capsys.readouterr().err
    assert not (tmp_path / "merged").exists()


def test_shards_of_another_harness_version_are_named_in_a_warning(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    run, *rest = sample_records()
    old = write_run(tmp_path / "old", [{**run, "harness_version": "0.9.0"}, *rest[:3]])
    new = write_run(tmp_path / "new", [{**run, "harness_version": "1.0.0"}, *rest[3:]])
    assert main([str(tmp_path / "merged"), str(old), str(new)]) == 0
    assert (f"warning: the shards ran different harness versions: 0.9.0 ({old}), 1.0.0 ({new}). Their findings "
            "may not agree; run every shard with the same harness version.") in capsys.readouterr().err


@pytest.mark.parametrize(("key", "value"), [("base_url", "https://other.example/"), ("version", "9.9")])
def test_shards_whose_target_differs_under_one_id_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              key: str, value: str) -> None:
    run, *rest = sample_records()
    target_id = "supplier-a-careful"
    changed = {**run, "targets": {**run["targets"], target_id: {**run["targets"][target_id], key: value}}}
    one = write_run(tmp_path / "one", [run, *rest[:3]])
    two = write_run(tmp_path / "two", [changed, *rest[3:]])
    assert main([str(tmp_path / "merged"), str(one), str(two)]) == 2
    before = run["targets"][target_id][key]
    assert capsys.readouterr().err == (
        f"error: target '{target_id}' has {key} {before!r} in {one} but {value!r} in {two}: these are not shards "
        "of one run. Merge only the folders of one sharded run, made from the same target files.\n")
    assert not (tmp_path / "merged").exists()


def test_a_merged_run_plans_every_shards_tests(tmp_path: Path) -> None:
    run, *rest = sample_records()
    ids = list(dict.fromkeys(r["test_id"] for r in rest))
    one = write_run(tmp_path / "one", [{**run, "planned": ids[:2]}, *(r for r in rest if r["test_id"] in ids[:2])])
    # The second shard was killed before its last test started.
    two = write_run(tmp_path / "two", [{**run, "planned": [*ids[2:], "scenarios/test_x.py::test_never[t-p]"]},
                                       *(r for r in rest if r["test_id"] in ids[2:])])
    merge_runs(tmp_path / "merged", [one, two])
    from harness.reports.qa import never_walked

    merged = RunView.read(tmp_path / "merged")
    assert merged.record.planned == (*ids, "scenarios/test_x.py::test_never[t-p]")
    assert never_walked(merged) == ["scenarios/test_x.py::test_never[t-p]"]


def test_a_locked_history_database_costs_no_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.reports import history as history_module
    from harness.reports.history import HistoryDB

    records = sample_records()
    whole = write_run(tmp_path / "whole", records)
    path = tmp_path / "history.sqlite"
    HistoryDB(path).close()
    monkeypatch.setattr(history_module, "BUSY_TIMEOUT_S", 0.5)  # the real wait is 30 s; the lock is as real
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("DELETE FROM points")
        assert main([str(tmp_path / "merged"), str(whole), "--history", str(path)]) == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert err.startswith(f"warning: the history was not updated: {path}: the history database is locked by "
                          "another program")
    assert "not a harness history database" not in err
    assert "The merged run's reports are written all the same" in err
    for name in ("index.html", "report.html", "history.html"):
        assert (tmp_path / "merged" / name).is_file(), name
    with HistoryDB(path) as db:
        assert db.products() == []  # nothing was half-recorded


def test_shards_of_one_site_scan_either_side_of_midnight_merge(tmp_path: Path) -> None:
    run, *rest = sample_records()
    scan = {"id": "scan-127.0.0.1-8000", "name": "Site scan of http://127.0.0.1:8000", "supplier": "(site scan)",
            "base_url": "http://127.0.0.1:8000/"}
    one = write_run(tmp_path / "one", [{**run, "targets": {scan["id"]: {**scan, "version": "2026-12-07"}}}, *rest[:3]])
    two = write_run(tmp_path / "two", [{**run, "targets": {scan["id"]: {**scan, "version": "2026-12-08"}}}, *rest[3:]])
    assert merge_runs(tmp_path / "merged", [one, two]).walks == 4
