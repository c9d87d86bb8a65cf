"""Peak resident memory of a process tree (pytest, its xdist workers, Playwright's driver and Chromium).

Sampled from /proc every 0.2 s in a background thread, so it works for any child process without a
dependency such as psutil. RSS counts pages shared between Chromium's processes once per process, so
the sums over-state the memory really used (an upper bound); PSS (from smaps_rollup) shares those pages
out among the processes and is the fairer figure for a "< 1 GiB per worker" target. Both are printed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Self

from benchmarks.figures import parent_pid, process_kind, pss_kib, rss_kib, worker_groups

PROC = Path("/proc")
INTERVAL_S = 0.2


def snapshot() -> tuple[dict[int, int], dict[int, str]]:
    """Every visible process's parent pid and command name; processes that end mid-read are skipped."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = parent_pid((entry / "stat").read_text())
            names[int(entry.name)] = (entry / "comm").read_text().strip()
        except (OSError, ValueError):
            continue
    return parents, names


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
        self._kinds: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-memory", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        parents, names = snapshot()
        if self.root not in parents:
            return
        total = 0
        for group, pids in worker_groups(parents, names, self.root).items():
            rss = sum(rss_of(pid) for pid in pids)
            total += rss
            self.peak_kib[group] = max(self.peak_kib.get(group, 0), rss)
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
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval_s)
