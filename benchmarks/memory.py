"""Peak resident memory and CPU time of a process tree (pytest, its xdist workers, Playwright's driver and
Chromium).

CPU time is read per process too: getrusage(RUSAGE_CHILDREN) misses Chromium's renderers, which nobody in
the chain waits for, and so under-counted a run's CPU by more than half.

Sampled from /proc every 0.2 s in a background thread, so it works for any child process without a
dependency such as psutil. RSS counts pages shared between Chromium's processes once per process, so
the sums over-state the memory really used (an upper bound); PSS (from smaps_rollup) shares those pages
out among the processes and is the fairer figure for a "< 1 GiB per worker" target. Both are printed.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Self

from benchmarks.figures import (
    command_name,
    cpu_ticks,
    parent_pid,
    process_kind,
    pss_kib,
    rss_kib,
    worker_groups,
)

PROC = Path("/proc")
INTERVAL_S = 0.2
PSS_INTERVAL_S = 3.0
"""PSS is read this often, and at a new RSS peak (at most every PSS_PEAK_GAP_S): reading smaps_rollup for a
worker's Chromium costs the kernel about 65 ms a time. Read at every sample, the sampling took a third of a core
from the runs measured; read every second and at every new peak, 0.08-0.10 of a core; now 0.05-0.06. At -n 2 the
machine has none to spare."""
PSS_PEAK_GAP_S = 1.0


def snapshot() -> tuple[dict[int, int], dict[int, str], dict[int, tuple[int, int]]]:
    """Every visible process's parent pid, command name and CPU ticks; processes that end mid-read are skipped."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    ticks: dict[int, tuple[int, int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parents[int(entry.name)] = parent_pid(stat)
            ticks[int(entry.name)] = cpu_ticks(stat)
            names[int(entry.name)] = command_name(stat)
        except (OSError, ValueError, IndexError):
            continue
    return parents, names, ticks


def cmdline_of(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def rss_of(pid: int) -> int:
    try:
        return rss_kib((PROC / str(pid) / "status").read_text())
    except OSError:
        return 0


def pss_of(pid: int) -> int:
    try:
        return pss_kib((PROC / str(pid) / "smaps_rollup").read_text())
    except OSError:  # older kernels have no smaps_rollup; other users' processes may be unreadable
        return 0


class TreeMemory:
    """Use as `with TreeMemory(proc.pid) as memory: proc.wait()`, then read the peak_* figures."""

    def __init__(self, root: int, interval_s: float = INTERVAL_S) -> None:
        self.root = root
        self.interval_s = interval_s
        self.peak_total_kib = 0
        self.peak_kib: dict[str, int] = {}
        """Each group's own peak RSS (see figures.worker_groups); groups peak at different moments."""
        self.peak_pss_kib: dict[str, int] = {}
        """The same with PSS, which shares Chromium's common pages out instead of counting them per process."""
        self.peak_parts_kib: dict[str, dict[str, int]] = {}
        """Each group's PSS at its PSS peak, by kind of process (python, driver, browser, renderers, ...)."""
        self.samples = 0
        self.own_cpu_s = 0.0
        """CPU the sampling itself used (its thread's user and kernel time): on a machine the run keeps busy,
        the run loses about that much."""
        self._ticks: dict[tuple[int, int], int] = {}
        """The last CPU ticks seen for each process of the tree (a process's CPU after its last sample is lost:
        at most 0.2 s of it)."""
        self._kinds: dict[int, str] = {}
        self._pss_read_at: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-memory", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu_s(self) -> float:
        """CPU seconds the tree's processes used while sampled."""
        return sum(self._ticks.values()) / os.sysconf("SC_CLK_TCK")

    @property
    def cpu_s_by_kind(self) -> dict[str, float]:
        """The same by kind of process (python, driver, Chromium's browser, renderers, GPU, ...)."""
        by_kind: dict[str, float] = {}
        for (pid, _), used in self._ticks.items():
            kind = self._kinds.get(pid, "other")
            by_kind[kind] = by_kind.get(kind, 0.0) + used / os.sysconf("SC_CLK_TCK")
        return by_kind

    def sample(self) -> None:
        parents, names, ticks = snapshot()
        if self.root not in parents:
            return
        total = 0
        for group, pids in worker_groups(parents, names, self.root).items():
            for pid in pids:
                if pid in ticks:
                    self._kind(pid, names.get(pid, ""))
                    # Keyed by pid and start: a pid the system reuses later starts again from its own zero.
                    started, used = ticks[pid]
                    self._ticks[(pid, started)] = max(self._ticks.get((pid, started), 0), used)
            rss = sum(rss_of(pid) for pid in pids)
            total += rss
            new_peak = rss > self.peak_kib.get(group, 0)
            self.peak_kib[group] = max(self.peak_kib.get(group, 0), rss)
            now = time.monotonic()
            since = now - self._pss_read_at.get(group, 0.0)
            if since < (PSS_PEAK_GAP_S if new_peak else PSS_INTERVAL_S):
                continue
            self._pss_read_at[group] = now
            by_pid = {pid: pss_of(pid) for pid in pids}
            pss = sum(by_pid.values())
            if pss > self.peak_pss_kib.get(group, 0):
                self.peak_pss_kib[group] = pss
                parts: dict[str, int] = {}
                for pid, kib in by_pid.items():
                    kind = self._kind(pid, names.get(pid, ""))
                    parts[kind] = parts.get(kind, 0) + kib
                self.peak_parts_kib[group] = parts
        self.peak_total_kib = max(self.peak_total_kib, total)
        self.samples += 1

    def _kind(self, pid: int, name: str) -> str:
        if pid not in self._kinds:
            self._kinds[pid] = process_kind(name, cmdline_of(pid))
        return self._kinds[pid]

    def _run(self) -> None:
        started = time.thread_time()
        while not self._stop.is_set():
            self.sample()
            self.own_cpu_s = time.thread_time() - started
            self._stop.wait(self.interval_s)
