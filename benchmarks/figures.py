"""Pure helpers for the benchmark: read /proc text, results.ndjson and JUnit XML, and lay out the figures.

Kept apart from speed.py (which drives browsers and subprocesses) so a unit test can check them on
fixture strings without a browser or a clock.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from harness.model.records import Record, StepRecord, WalkRecord
from harness.model.results import read_records as read_results

FindingKey = tuple[str, str, str, str, str, str, str]
"""(target, persona, journey, page path, rule_id, selector, outcome): the port of the demo is left out,
because each run (and each xdist worker) serves the demo on its own free port."""


# -- /proc --------------------------------------------------------------------------------------------


def rss_kib(status_text: str) -> int:
    """VmRSS from /proc/<pid>/status, in KiB; 0 for a process with no memory of its own (a zombie)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def pss_kib(smaps_rollup_text: str) -> int:
    """Pss from /proc/<pid>/smaps_rollup, in KiB: shared pages divided among the processes sharing them,
    so a sum over Chromium's processes does not count its shared libraries many times over."""
    for line in smaps_rollup_text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def command_name(stat_text: str) -> str:
    """The command name from /proc/<pid>/stat (what /proc/<pid>/comm holds): reading it here saves the sampler
    a second file per process every 0.2 s."""
    return stat_text[stat_text.index("(") + 1:stat_text.rindex(")")]


def parent_pid(stat_text: str) -> int:
    """The parent pid from /proc/<pid>/stat; the command name (field 2) may hold spaces and brackets."""
    after_name = stat_text[stat_text.rindex(")") + 2:]
    return int(after_name.split()[1])


def cpu_ticks(stat_text: str) -> tuple[int, int]:
    """From /proc/<pid>/stat: when the process started, and utime + stime, the CPU it has used so far (both
    in clock ticks). The start tells a process from a later one that was given the same pid."""
    fields = stat_text[stat_text.rindex(")") + 2:].split()
    return int(fields[19]), int(fields[11]) + int(fields[12])


MACHINE_CPU_FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def machine_cpu(proc_stat_text: str) -> dict[str, int]:
    """The first line of /proc/stat: ticks every core spent in each state since boot."""
    first = proc_stat_text.splitlines()[0].split()
    return {name: int(value) for name, value in zip(MACHINE_CPU_FIELDS, first[1:], strict=False)}


def machine_cores(before: Mapping[str, int], after: Mapping[str, int], cpus: int) -> dict[str, float]:
    """How many cores, on average between two /proc/stat readings, were busy, idle, or taken by the host.

    Busy counts every process on the machine, ours and anyone else's; steal is time the hypervisor gave
    our virtual cores to other machines.
    """
    delta = {name: after.get(name, 0) - before.get(name, 0) for name in MACHINE_CPU_FIELDS}
    total = sum(delta.values())
    if total <= 0:
        return {}
    share = {
        "busy": delta["user"] + delta["nice"] + delta["system"] + delta["irq"] + delta["softirq"],
        "idle": delta["idle"] + delta["iowait"],
        "steal": delta["steal"],
    }
    return {name: round(cpus * ticks / total, 2) for name, ticks in share.items()}


def descendants(parents: Mapping[int, int], root: int) -> set[int]:
    """root and every process below it, from a pid -> parent pid map."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def worker_groups(parents: Mapping[int, int], names: Mapping[int, str], root: int) -> dict[str, set[int]]:
    """The tree split per pytest process: each python child of root is an xdist worker, with its browser.

    Without xdist the whole tree (pytest, Playwright's driver and Chromium) is one group, "main".
    """
    tree = descendants(parents, root)
    workers = sorted(pid for pid in tree if parents.get(pid) == root and names.get(pid, "").startswith("python"))
    groups = {f"worker {pid}": descendants(parents, pid) for pid in workers}
    taken = set().union(*groups.values()) if groups else set()
    main = "controller" if groups else "main"
    return {main: tree - taken, **groups}


def process_kind(name: str, cmdline: str) -> str:
    """What a process in the tree is, for the memory breakdown: Python, Playwright's driver or a Chromium part."""
    if name.startswith("python") or name == "pytest":
        return "python (pytest, harness)"
    if name.startswith("node"):  # the driver's main thread names the process "node-MainThread"
        return "playwright driver (node)"
    if "--type=" in cmdline:
        kind = cmdline.split("--type=", 1)[1].split()[0]
        if kind == "utility":
            return "chromium utility (network, storage)"
        return f"chromium {kind}"
    if "crashpad" in name:
        return "chromium crash handler"
    if name.startswith(("chrom", "headless_shell")):
        return "chromium browser"
    return "other"


# -- the harness's own records ------------------------------------------------------------------------


def read_records(results_file: Path) -> list[Record]:
    """Every record of a results.ndjson, read as the reports read them; a half-written last line is left out."""
    return read_results(results_file)[0]


def steps(records: Iterable[Record]) -> list[StepRecord]:
    return [r for r in records if isinstance(r, StepRecord)]


def page_state_count(records: Iterable[Record]) -> int:
    """Page states the run scanned and recorded: the 'pages' in pages per second."""
    return sum(len(step.states) for step in steps(records))


def finding_keys(records: Iterable[Record]) -> list[FindingKey]:
    """Sorted finding identities, to compare two runs of the same matrix."""
    keys = []
    for step in steps(records):
        for finding in step.findings:
            keys.append((step.target, step.persona, step.journey, urlsplit(finding.page_url).path, finding.rule_id,
                         finding.selector, finding.outcome.value))
    return sorted(keys)


def junit_test_seconds(xml_text: str) -> list[tuple[str, float]]:
    """Each test's name and time from pytest's JUnit XML, in run order: setup + call + teardown (pytest's
    default, 'total'), so a fresh browser context and the test's own reporting are counted."""
    root = ElementTree.fromstring(xml_text)
    return [(case.get("name", ""), float(case.get("time", "0"))) for case in root.iter("testcase")]


def step_seconds_by_url(records: Iterable[Record]) -> dict[str, tuple[str, float]]:
    """Scan mode: each page's test id and its one step's duration (open, settle, axe, checks, screenshot)."""
    found = {}
    for step in steps(records):
        url = step.states[0].url if step.states else ""
        if url:
            found[url] = (step.test_id, step.duration_s)
    return found


def walk_times(records: Iterable[Record]) -> dict[tuple[str, str], tuple[str, float, int]]:
    """(target, journey) -> how the walk ended, its duration and its steps, for walks by one persona."""
    step_counts: dict[tuple[str, str], int] = {}
    for step in steps(records):
        step_counts[(step.target, step.journey)] = step_counts.get((step.target, step.journey), 0) + 1
    return {(r.target, r.journey): (r.ending, r.duration_s, step_counts.get((r.target, r.journey), 0))
            for r in records if isinstance(r, WalkRecord)}


# -- figures ------------------------------------------------------------------------------------------


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def speedups(rounds: Sequence[Mapping[int, float]], workers: int) -> list[float]:
    """Each round's -n 0 wall time over its -n `workers` one. Rounds run the counts in turn, so each ratio
    compares runs minutes apart: on a shared machine the -n 0 time alone moves by a tenth from run to run."""
    return [r[0] / r[workers] for r in rounds if r.get(0) and r.get(workers)]


def speedup_bound(serial_wall_s: float | None, parallel_cpu_s: float | None, cores: int) -> float | None:
    """The most a parallel run could gain over the serial one, given the CPU it actually used.

    `cores` cores cannot do the parallel run's CPU seconds in less than cpu / cores of wall time, however well
    the work is spread. When the same tests take more CPU in parallel (processes slow each other down through
    shared caches and memory), this bound falls below the usual cores / (cores busy at -n 0).
    """
    if not parallel_cpu_s or cores < 1:
        return None
    return ratio(serial_wall_s, parallel_cpu_s / cores)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def verdict(value: float | None, target: float, *, at_most: bool) -> str:
    """'meets' or 'misses' a target such as '<= 1.3' or '>= 1.6'; 'n/a' with no figure."""
    if value is None:
        return "n/a"
    met = value <= target if at_most else value >= target
    return "meets" if met else "misses"


def show(value: float | str | None, unit: str = "", places: int = 2) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value}{unit}"
    return f"{value:.{places}f}{unit}"


def mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.0f} MiB"


def table(rows: Sequence[tuple[str, ...]]) -> str:
    """A plain table (first column left, the others right, the last as free text) for a terminal or CI log."""
    if not rows:
        return ""
    columns = len(rows[0])
    widths = [max(len(row[i]) for row in rows) for i in range(columns - 1)]
    lines = []
    for row in rows:
        cells = [f"{row[0]:<{widths[0]}}", *(f"{cell:>{widths[i]}}" for i, cell in enumerate(row[1:-1], 1))]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)
