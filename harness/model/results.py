"""The results store: one JSON line per record, appended as it happens, so a crash loses nothing written.

The records themselves, and the one place each is turned into a line and back, are in `records.py`; this
module writes them to a run folder and reads a run folder back into walks.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from harness.model.findings import Finding, dedupe
from harness.model.records import (
    Mask,
    PageState,
    Record,
    RunRecord,
    StepRecord,
    WalkRecord,
    check_format,
    line_of,
    record_from_dict,
    record_problem,
)
from harness.model.untrusted import storable

RESULTS_FILE = "results.ndjson"
SCREENSHOTS_DIR = "screenshots"


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and readable: 2026-11-26T06-01-02Z plus the process id, so parallel runs never collide."""
    now = now or datetime.now(UTC)
    return f"{now.strftime('%Y-%m-%dT%H-%M-%SZ')}-{os.getpid()}"


class ResultsStore:
    """Appends records to <run_dir>/results.ndjson; each record is written with one O_APPEND write."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.path = run_dir / RESULTS_FILE
        self.screenshots = run_dir / SCREENSHOTS_DIR

    def open(self) -> ResultsStore:
        self.screenshots.mkdir(parents=True, exist_ok=True)
        return self

    def start(self, run_record: RunRecord) -> bool:
        """Create the results file with the run's record as its first line, unless a writer already has.

        With xdist every worker tries; exactly one wins (True), so the run is described once and its
        record always comes first. The record is written whole to a private file, then linked into place:
        a link fails if the name exists, so no reader ever sees a results file without its run record.
        """
        self.open()
        if self.path.exists():
            return False
        line = line_of(run_record)
        private = self.run_dir / f".{RESULTS_FILE}.{os.getpid()}.tmp"
        private.write_bytes(line)
        try:
            os.link(private, self.path)
            return True
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: exclusive creation, then one write
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
            return True
        finally:
            private.unlink(missing_ok=True)

    def append(self, record: Record, mask: Mask | None = None) -> None:
        """Add a record (a later run record, a step, a walk's ending), its credential values masked first."""
        line = line_of(record, mask)
        # One write on an O_APPEND descriptor keeps lines whole even with several writers (xdist workers).
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


@dataclass
class StepResult:
    name: str
    index: int
    status: str
    """'completed' or 'blocked'."""
    states: list[PageState]
    """Each page state scanned in the step."""
    findings: list[Finding]
    duration_s: float = 0.0
    page_kind: str = ""
    """What the walker took the step's page for, and the signals why: a wrong guess shows in the report."""


@dataclass
class WalkResult:
    """One walk as read back: a persona on one journey of one target, its steps, and how it ended."""

    test_id: str
    target: str
    persona: str
    journey: str
    steps: list[StepResult] = field(default_factory=list)
    ending: str = "interrupted"
    """'completed', 'blocked', 'error', or 'interrupted' when the run stopped before the walk ended."""
    blocker: str = ""
    duration_s: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        """Every finding of the walk, each counted once however many steps saw it."""
        return dedupe(f for step in self.steps for f in step.findings)


@dataclass
class RunResult:
    run_dir: Path
    record: RunRecord
    """What the run recorded about itself: its targets, personas, journeys, checks and tools."""
    walks: list[WalkResult]
    unreadable: list[str] = field(default_factory=list)
    """Why each line that could not be read was left out: 'line 4: a step record without 'index''."""

    @property
    def skipped_lines(self) -> int:
        """Lines that could not be read: a record cut short by a crash, or not in the shape the harness writes."""
        return len(self.unreadable)

    @property
    def findings(self) -> list[Finding]:
        return [f for walk in self.walks for f in walk.findings]


def read_records(path: Path) -> tuple[list[Record], list[str]]:
    """Every record of a results file that has the shape its kind needs, and why each other line was left out.

    A line can be torn (the run was killed mid-write), or damaged or edited by hand; one such line must cost
    only itself, never the report. A record of a kind this version does not know is left out, uncounted; a
    run record of a newer format stops the reading (ResultsFormatError).
    """
    records: list[Record] = []
    problems: list[str] = []
    # errors="replace": a write cut short inside a multi-byte character must not make the file unreadable.
    # split("\n"), not splitlines(): JSON written with ensure_ascii=False keeps U+2028 and U+0085 from
    # page text raw inside a record, and splitlines() would cut the record there.
    # utf-8-sig: a file saved by an editor that adds a byte-order mark keeps its first record, the run's.
    for number, line in enumerate(path.read_text(encoding="utf-8-sig", errors="replace").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line, parse_constant=_no_constant)
            if _SURROGATE_ESCAPE.search(line):
                # An escaped unpaired surrogate ("\\ud800") would otherwise fail every report's write.
                data = storable(data)
        except (ValueError, RecursionError):  # ValueError: JSONDecodeError, and a number of 5,000 digits
            problems.append(f"line {number}: not a whole JSON record (cut short when the run stopped, or damaged)")
            continue
        problem = record_problem(data)
        if problem:
            problems.append(f"line {number}: {problem}")
            continue
        record = record_from_dict(data)
        if isinstance(record, RunRecord):
            check_format(record, f"{path} line {number}")
        if record is not None:
            records.append(record)
    return records, problems


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""The only way a line of UTF-8 can give a surrogate: a JSON escape of one."""


def _no_constant(name: str) -> None:
    """NaN and Infinity are not JSON: Python reads them, but findings.json would pass them on to its readers."""
    raise ValueError(f"{name} is not a JSON value")


def read_run(run_dir: Path) -> RunResult:
    """Rebuild a run from its results file; lines that cannot be read are skipped and counted, never fatal."""
    path = run_dir / RESULTS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no results file here. Pass the run folder that holds {RESULTS_FILE}.")
    run: RunRecord | None = None
    walks: dict[str, WalkResult] = {}
    records, problems = read_records(path)
    for record in records:
        if isinstance(record, RunRecord):
            run = record if run is None else run.joined(record)
            continue
        walk = walks.setdefault(record.test_id, WalkResult(
            test_id=record.test_id, target=record.target, persona=record.persona, journey=record.journey))
        if isinstance(record, StepRecord):
            walk.steps.append(StepResult(
                name=record.step, index=record.index, status=record.status, states=list(record.states),
                duration_s=record.duration_s, findings=list(record.findings), page_kind=record.page_kind))
        elif isinstance(record, WalkRecord):
            walk.ending, walk.blocker, walk.duration_s = record.ending, record.blocker, record.duration_s
    for walk in walks.values():
        walk.steps.sort(key=lambda step: step.index)
    return RunResult(run_dir=run_dir, record=run or RunRecord(format=0), walks=list(walks.values()),
                     unreadable=problems)
