"""The benchmark's helpers (benchmarks/figures.py): /proc parsing, run records, JUnit times, the table; and its
/proc sampler (benchmarks/memory.py) on a real child process.

No timings are asserted anywhere: speed is measured by benchmarks/speed.py and read by people.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import figures
from benchmarks.memory import TreeMemory
from harness.model.records import Record, record_from_dict

STATUS = """Name:\tchromium
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 1234567 kB
VmRSS:\t  204800 kB
RssAnon:\t   81920 kB
"""
# A command name with a space and a bracket, as Chromium's and Python's threads can have.
STAT = "4242 (Chrome_Child (x) 1) S 4100 4242 4100 0 -1 4194560 1234 0 0 0 5 3 0 0 20 0 12 0"


def test_rss_is_read_from_vmrss_in_kib() -> None:
    assert figures.rss_kib(STATUS) == 204800


def test_pss_is_read_from_smaps_rollup_in_kib() -> None:
    rollup = ("55d0c0a00000-7ffc2d7f1000 ---p 00000000 00:00 0  [rollup]\nRss:  204800 kB\n"
              "Pss:   90112 kB\nPss_Anon:  40960 kB\n")
    assert figures.pss_kib(rollup) == 90112


def test_a_process_without_vmrss_counts_as_no_memory() -> None:
    assert figures.rss_kib("Name:\tzombie\nState:\tZ (zombie)\n") == 0


def test_the_command_name_is_read_from_stat_whatever_brackets_it_holds() -> None:
    assert figures.command_name(STAT) == "Chrome_Child (x) 1"


def test_parent_pid_is_found_after_a_command_name_with_spaces_and_brackets() -> None:
    assert figures.parent_pid(STAT) == 4100


def test_cpu_ticks_are_utime_plus_stime_with_the_start_time() -> None:
    # After the name: state, ppid, ..., utime (field 14) = 5, stime (field 15) = 3, starttime (field 22) = 77.
    assert figures.cpu_ticks(STAT + " 77 999") == (77, 8)


def test_the_whole_machine_is_split_into_busy_idle_and_stolen_cores() -> None:
    before = figures.machine_cpu("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3\n")
    after = figures.machine_cpu("cpu  400 100 150 1100 50 0 50 150 0 0\ncpu0 1 2 3\n")
    # 1000 ticks went by on 2 cores: 550 busy (user, nice, system, softirq), 300 idle, 150 stolen.
    assert figures.machine_cores(before, after, cpus=2) == {"busy": 1.1, "idle": 0.6, "steal": 0.3}
    assert figures.machine_cores(after, after, cpus=2) == {}


def test_descendants_follow_the_whole_tree_and_nothing_else() -> None:
    parents = {10: 1, 11: 10, 12: 11, 13: 10, 20: 1, 21: 20}
    assert figures.descendants(parents, 10) == {10, 11, 12, 13}


def test_without_xdist_the_whole_tree_is_one_group() -> None:
    parents = {100: 1, 101: 100, 102: 101, 103: 101}
    names = {100: "python", 101: "node", 102: "chromium", 103: "chromium"}
    assert figures.worker_groups(parents, names, 100) == {"main": {100, 101, 102, 103}}


def test_each_xdist_worker_is_a_group_with_its_own_browser() -> None:
    parents = {100: 1, 200: 100, 201: 200, 202: 201, 300: 100, 301: 300}
    names = {100: "python", 200: "python", 201: "node", 202: "chromium", 300: "python3.11", 301: "node"}
    assert figures.worker_groups(parents, names, 100) == {
        "controller": {100}, "worker 200": {200, 201, 202}, "worker 300": {300, 301}}


def record_dicts() -> list[dict[str, Any]]:
    """Two scan-mode steps as results.ndjson holds them."""
    finding = {"page_url": "http://127.0.0.1:5001/supplier-a/bin-day", "rule_id": "label", "selector": "#postcode",
               "outcome": "violation", "impact": "serious", "source": "axe", "message": "m", "help": "",
               "help_url": ""}
    who = {"target": "t", "persona": "default", "journey": "site-scan", "step": "Scan", "index": 1,
           "status": "completed"}
    return [
        {"kind": "run", "run_id": "r1"},
        {"kind": "step", "test_id": "scenarios/test_site_scan.py::test_scan_page[a-default]", **who,
         "duration_s": 1.5, "states": [{"url": "http://127.0.0.1:5001/a"}], "findings": [finding]},
        {"kind": "step", "test_id": "scenarios/test_site_scan.py::test_scan_page[b-default]", **who,
         "duration_s": 2.0, "states": [{"url": "http://127.0.0.1:5001/b"}, {"url": "http://127.0.0.1:5001/b#2"}],
         "findings": []},
    ]


def typed(dicts: list[dict[str, Any]]) -> list[Record]:
    return [r for r in map(record_from_dict, dicts) if r is not None]


def records() -> list[Record]:
    return typed(record_dicts())


def test_page_states_are_counted_over_every_step() -> None:
    assert figures.page_state_count(records()) == 3


def test_finding_keys_leave_out_the_demo_port_so_two_runs_compare() -> None:
    one = figures.finding_keys(records())
    other_run = typed(json.loads(json.dumps(record_dicts()).replace(":5001/", ":6123/")))
    assert one == figures.finding_keys(other_run)
    assert one == [("t", "default", "site-scan", "/supplier-a/bin-day", "label", "#postcode", "violation")]


def test_a_different_selector_makes_the_findings_differ() -> None:
    changed = typed(json.loads(json.dumps(record_dicts()).replace("#postcode", "#house")))
    assert figures.finding_keys(changed) != figures.finding_keys(records())


def test_step_seconds_are_found_by_the_first_state_url() -> None:
    assert figures.step_seconds_by_url(records())["http://127.0.0.1:5001/b"] == (
        "scenarios/test_site_scan.py::test_scan_page[b-default]", 2.0)


def test_a_half_written_last_line_is_left_out(tmp_path: Path) -> None:
    results = tmp_path / "results.ndjson"
    results.write_text("\n".join(json.dumps(r) for r in record_dicts()) + '\n{"kind": "st')
    assert [type(r).__name__ for r in figures.read_records(results)] == ["RunRecord", "StepRecord", "StepRecord"]


def test_junit_times_keep_run_order() -> None:
    xml = ('<testsuites><testsuite name="pytest" tests="2">'
           '<testcase classname="scenarios.test_site_scan" name="test_scan_page[b]" time="2.500" />'
           '<testcase classname="scenarios.test_site_scan" name="test_scan_page[a]" time="1.25">'
           '<failure message="findings">...</failure></testcase></testsuite></testsuites>')
    assert figures.junit_test_seconds(xml) == [("test_scan_page[b]", 2.5), ("test_scan_page[a]", 1.25)]


def test_ratio_is_missing_rather_than_infinite() -> None:
    assert figures.ratio(3.0, 2.0) == 1.5
    assert figures.ratio(3.0, 0.0) is None
    assert figures.ratio(None, 2.0) is None


def test_verdicts_read_the_target_the_right_way_round() -> None:
    assert figures.verdict(1.3, 1.3, at_most=True) == "meets"
    assert figures.verdict(1.31, 1.3, at_most=True) == "misses"
    assert figures.verdict(1.5, 1.6, at_most=False) == "misses"
    assert figures.verdict(None, 1.6, at_most=False) == "n/a"


def test_the_table_aligns_names_and_values() -> None:
    rows = [("raw per page", figures.show(0.41234, " s", 3), "warm"),
            ("pages", figures.show(30), ""),
            ("peak", figures.mib(2 * 1024 * 1024), "RSS")]
    assert figures.table(rows).splitlines() == [
        "raw per page   0.412 s  warm",
        "pages               30",
        "peak          2048 MiB  RSS"]


def test_the_table_takes_any_number_of_columns() -> None:
    rows = [("page", "raw s", "axe only s", "note"), ("/", "0.41", "0.5", "")]
    assert figures.table(rows).splitlines() == [
        "page  raw s  axe only s  note",
        "/      0.41         0.5"]


@pytest.mark.parametrize(("name", "cmdline", "kind"), [
    ("python3", "python -m pytest scenarios/", "python (pytest, harness)"),
    ("node", "node cli.js run-driver", "playwright driver (node)"),
    ("node-MainThread", "/x/playwright/driver/node /x/cli.js run-driver", "playwright driver (node)"),
    ("chromium", "/usr/lib/chromium/chromium --headless --no-first-run", "chromium browser"),
    ("chromium", "/usr/lib/chromium/chromium --type=renderer --lang=en-GB", "chromium renderer"),
    ("chromium", "/usr/lib/chromium/chromium --type=gpu-process", "chromium gpu-process"),
    ("chromium", "/usr/lib/chromium/chromium --type=utility --utility-sub-type=network.mojom",
     "chromium utility (network, storage)"),
    ("chrome_crashpad", "", "chromium crash handler"),
    ("sh", "/bin/sh -c true", "other"),
])
def test_process_kind(name: str, cmdline: str, kind: str) -> None:
    assert figures.process_kind(name, cmdline) == kind


def test_the_summary_says_how_much_faster_two_workers_could_be_here() -> None:
    from benchmarks.speed import summarise

    run = {"wall_s": 100.0, "cpu_s": 125.0, "exit_code": 1, "run_folders": 1, "page_states": 50,
           "pages_per_s": 0.5, "findings": 3, "peak_total_kib": 0, "peak_kib": {}, "peak_pss_kib": {}}
    result = {"machine": {"cpus": 2}, "raw": {"pages": 1, "mean_s": 0.3, "median_s": 0.3, "total_s": 1.0,
                                               "fresh_context_mean_s": 1.0}, "scan": {},
              "matrix": {"-n 0": run, "-n 2": {**run, "wall_s": 80.0}}, "speedup": 1.25, "matrix_identical": True}
    rows = {name: (value, note) for name, value, note in summarise(result)}
    assert rows["matrix -n 0: CPU, cores busy"][0] == "125 s, 1.25"
    assert rows["speed-up ceiling on this machine"][0] == "1.60x"
    assert rows["matrix speed-up -n 0 / -n 2"] == ("1.25x", "target >= 1.6: misses")


def test_the_sampler_counts_a_busy_childs_cpu_and_memory_and_its_own_cpu() -> None:
    busy = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\n"
    child = subprocess.Popen([sys.executable, "-c", busy])
    with TreeMemory(child.pid, interval_s=0.05) as memory:
        child.wait(timeout=30)
    assert 0.3 < memory.cpu_s < 5
    assert memory.peak_total_kib > 1024  # a Python process holds more than a MiB
    assert memory.samples > 3
    assert 0 < memory.own_cpu_s < memory.cpu_s


def test_each_round_of_the_matrix_gives_its_own_speed_up_and_a_round_missing_a_run_gives_none() -> None:
    rounds = [{0: 400.0, 2: 250.0}, {0: 390.0, 2: 260.0}, {0: 410.0}]
    assert figures.speedups(rounds, 2) == [1.6, 1.5]
    assert figures.median(figures.speedups(rounds, 2)) == 1.55


def test_the_speed_up_bound_falls_when_the_parallel_run_needs_more_cpu_than_the_serial_one() -> None:
    # Run G's first round: 418.8 s at -n 0; 552 s of CPU at -n 2 on 2 cores, so no faster than 276 s.
    assert round(figures.speedup_bound(418.8, 552.0, 2) or 0, 2) == 1.52
    # The same CPU as the serial run's 508 s gives the usual ceiling of cores / cores busy (2 / 1.21).
    assert round(figures.speedup_bound(418.8, 508.0, 2) or 0, 2) == round(2 / (508.0 / 418.8), 2)
    assert figures.speedup_bound(None, 552.0, 2) is None
    assert figures.speedup_bound(418.8, 0.0, 2) is None


def test_walk_times_give_each_walks_ending_duration_and_steps() -> None:
    walk = {"kind": "walk", "test_id": "x", "target": "t", "persona": "default", "journey": "site-scan",
            "ending": "blocked", "blocker": "b", "duration_s": 3.5}
    assert figures.walk_times(typed([*record_dicts(), walk])) == {("t", "site-scan"): ("blocked", 3.5, 2)}


def test_the_walk_ratio_counts_only_walks_both_ways_completed() -> None:
    from benchmarks.speed import walk_ratio

    found = {"scripted": {("a", "j"): ("completed", 2.0, 3), ("a", "k"): ("completed", 1.0, 2)},
             "walker": {("a", "j"): ("completed", 3.0, 4), ("a", "k"): ("blocked", 9.0, 1)}}
    assert walk_ratio(found) == 1.5
