"""The results store: one JSON line per step, appended as it happens, so a crash loses nothing written."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness.findings import Finding, dedupe

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

    def start(self, run_record: dict[str, Any]) -> bool:
        """Create the results file with the run's record as its first line, unless a writer already has.

        With xdist every worker tries; exactly one wins (True), so the run is described once and its
        record always comes first. The record is written whole to a private file, then linked into place:
        a link fails if the name exists, so no reader ever sees a results file without its run record.
        """
        self.open()
        if self.path.exists():
            return False
        private = self.run_dir / f".{RESULTS_FILE}.{os.getpid()}.tmp"
        private.write_bytes(_line(run_record))
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
                os.write(fd, _line(run_record))
            finally:
                os.close(fd)
            return True
        finally:
            private.unlink(missing_ok=True)

    def append(self, record: dict[str, Any]) -> None:
        line = _line(record)
        # One write on an O_APPEND descriptor keeps lines whole even with several writers (xdist workers).
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


@dataclass
class StepResult:
    name: str
    index: int
    status: str
    """'completed' or 'blocked'."""
    states: list[dict[str, Any]]
    """Each page state scanned in the step: label, url, title, screenshot (relative path)."""
    findings: list[Finding]
    duration_s: float = 0.0


@dataclass
class JourneyResult:
    test_id: str
    target: str
    persona: str
    journey: str
    steps: list[StepResult] = field(default_factory=list)
    outcome: str = "interrupted"
    """'completed', 'blocked', or 'interrupted' when the run stopped before the journey ended."""
    blocker: str = ""
    duration_s: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        """Every finding of the journey, each counted once however many steps saw it."""
        return dedupe(f for step in self.steps for f in step.findings)


@dataclass
class RunResult:
    run_dir: Path
    meta: dict[str, Any]
    journeys: list[JourneyResult]
    skipped_lines: int = 0
    """Lines that could not be read (a record cut short by a crash)."""

    @property
    def findings(self) -> list[Finding]:
        return [f for journey in self.journeys for f in journey.findings]

    def persona_name(self, persona_id: str) -> str:
        """'Ash', as the run's personas call them; the id when the run did not record one."""
        persona = self.meta.get("personas", {}).get(persona_id, {})
        return str(persona.get("name") or persona.get("title") or persona_id)

    def journey_title(self, journey_id: str) -> str:
        """'Find your bin collection day'; an id the catalogue lacks reads as words."""
        return str(self.meta.get("journeys", {}).get(journey_id) or journey_id.replace("-", " ").capitalize())

    def target_name(self, target_id: str) -> str:
        return str(self.meta.get("targets", {}).get(target_id, {}).get("name") or target_id)


def merge_run_record(meta: dict[str, Any], record: dict[str, Any]) -> None:
    """Later 'run' lines add to the first: new targets met during the run (scan mode), never overwrite."""
    for key, value in record.items():
        if isinstance(value, dict) and isinstance(meta.get(key), dict):
            meta[key] = {**value, **meta[key]}
        else:
            meta.setdefault(key, value)


def read_records(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Every whole record of a results file, and how many lines could not be read (a torn last line)."""
    records: list[dict[str, Any]] = []
    skipped = 0
    # errors="replace": a write cut short inside a multi-byte character must not make the file unreadable.
    # split("\n"), not splitlines(): JSON written with ensure_ascii=False keeps U+2028 and U+0085 from
    # page text raw inside a record, and splitlines() would cut the record there.
    for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            record["kind"]
        except (json.JSONDecodeError, KeyError, TypeError):
            skipped += 1
            continue
        records.append(record)
    return records, skipped


def read_run(run_dir: Path) -> RunResult:
    """Rebuild a run from its results file; a torn last line is skipped and counted, not fatal."""
    path = run_dir / RESULTS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no results file here. Pass the run folder that holds {RESULTS_FILE}.")
    meta: dict[str, Any] = {}
    journeys: dict[str, JourneyResult] = {}
    records, skipped = read_records(path)
    for record in records:
        kind = record["kind"]
        if kind == "run":
            merge_run_record(meta, record)
            continue
        journey = journeys.setdefault(record["test_id"], JourneyResult(
            test_id=record["test_id"], target=record["target"], persona=record["persona"],
            journey=record["journey"]))
        if kind == "step":
            journey.steps.append(StepResult(
                name=record["step"], index=record["index"], status=record["status"],
                states=record.get("states", []), duration_s=record.get("duration_s", 0.0),
                findings=[Finding.from_dict(f) for f in record.get("findings", [])]))
        elif kind == "journey":
            journey.outcome = record["outcome"]
            journey.blocker = record.get("blocker", "")
            journey.duration_s = record.get("duration_s", 0.0)
    for journey in journeys.values():
        journey.steps.sort(key=lambda step: step.index)
    return RunResult(run_dir=run_dir, meta=meta, journeys=list(journeys.values()), skipped_lines=skipped)
