"""The results store: one JSON line per step, appended as it happens, so a crash loses nothing written."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness.model.findings import Finding, dedupe
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
    """One record as a line of UTF-8 JSON, whatever text a page put in it.

    `storable` makes an unpaired surrogate (a page title of 'Bins \\ud800') U+FFFD, which UTF-8 can hold:
    otherwise the encoding fails and the walk's steps are lost. `default=str` keeps a value JSON has no type
    for as its text rather than losing the record.
    """
    text = json.dumps(storable(record), ensure_ascii=False, sort_keys=True, default=str)
    return (text + "\n").encode("utf-8")


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
    """Lines that could not be read: a record cut short by a crash, or not in the shape the harness writes."""
    unreadable: list[str] = field(default_factory=list)
    """Why each of those lines was left out: 'line 4: a step record without 'index''."""

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
    """Every readable record of a results file, and how many lines could not be read."""
    records, problems = read_checked_records(path)
    return records, len(problems)


def read_checked_records(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Every record of a results file that has the shape its kind needs, and why each other line was left out.

    A line can be torn (the run was killed mid-write), or damaged or edited by hand; one such line must cost
    only itself, never the report. Records of a kind this version does not know are kept for the caller.
    """
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    # errors="replace": a write cut short inside a multi-byte character must not make the file unreadable.
    # split("\n"), not splitlines(): JSON written with ensure_ascii=False keeps U+2028 and U+0085 from
    # page text raw inside a record, and splitlines() would cut the record there.
    # utf-8-sig: a file saved by an editor that adds a byte-order mark keeps its first record, the run's.
    for number, line in enumerate(path.read_text(encoding="utf-8-sig", errors="replace").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_constant=_no_constant)
            if _SURROGATE_ESCAPE.search(line):
                # An escaped unpaired surrogate ("\\ud800") would otherwise fail every report's write.
                record = storable(record)
        except (ValueError, RecursionError):  # ValueError: JSONDecodeError, and a number of 5,000 digits
            problems.append(f"line {number}: not a whole JSON record (cut short when the run stopped, or damaged)")
            continue
        problem = record_problem(record)
        if problem:
            problems.append(f"line {number}: {problem}")
            continue
        records.append(record)
    return records, problems


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""The only way a line of UTF-8 can give a surrogate: a JSON escape of one."""


def _no_constant(name: str) -> None:
    """NaN and Infinity are not JSON: Python reads them, but findings.json would pass them on to its readers."""
    raise ValueError(f"{name} is not a JSON value")


_WHO = {"test_id": str, "target": str, "persona": str, "journey": str}
_NUMBER = (int, float)
_TYPE_WORDS = {str: "text", int: "a whole number", _NUMBER: "a number", list: "a list", dict: "an object",
               bool: "true or false"}
_STATE_FIELDS: dict[str, Any] = {"label": str, "url": str, "title": str, "screenshot": str, "boxes": dict,
                                 "screenshot_scale": _NUMBER, "axe_checked": list, "axe_inapplicable": list,
                                 "checks": list}


STATE_DEFAULTS: dict[str, Any] = {"label": "", "url": "", "title": "", "screenshot": "", "boxes": {}}
"""What a page state lacking a field is read as, so a report never meets a missing one."""


def record_problem(record: Any) -> str:
    """What is wrong with a stored record ('a step record without 'index''), or '' when it can be used."""
    if not isinstance(record, dict):
        return f"{_type_word(record)} where a record (a JSON object) should be"
    kind = record.get("kind")
    if not isinstance(kind, str):
        return "a record without a 'kind'"
    if kind == "run":
        return _run_problem(record)
    if kind == "step":
        return _step_problem(record)
    if kind == "journey":
        problem = _fields_problem(record, {**_WHO, "outcome": str}) or _fields_problem(
            record, {"blocker": str, "duration_s": _NUMBER}, required=False)
        return f"a journey record {problem}" if problem else ""
    return ""


def _step_problem(record: dict[str, Any]) -> str:
    problem = _fields_problem(record, {**_WHO, "step": str, "index": int, "status": str}) or _fields_problem(
        record, {"states": list, "findings": list, "duration_s": _NUMBER}, required=False)
    if problem:
        return f"a step record {problem}"
    for state in record.get("states", []):
        if not isinstance(state, dict):
            return f"a step record whose 'states' holds {_type_word(state)}, not a page state (an object)"
        problem = (_fields_problem(state, _STATE_FIELDS, required=False) or _boxes_problem(state.get("boxes", {}))
                   or _text_lists_problem(state))
        if problem:
            return f"a step record with a page state {problem}"
    for finding in record.get("findings", []):
        try:
            Finding.from_dict(finding)
        except ValueError as exc:
            return f"a step record holding {exc}"
    return ""


def _boxes_problem(boxes: dict[str, Any]) -> str:
    for selector, box in boxes.items():
        if not (isinstance(box, list) and len(box) == 4 and all(_has_type(n, _NUMBER) for n in box)):
            return f"whose box for {selector!r} is not four numbers (x, y, width, height)"
    return ""


def _text_lists_problem(state: dict[str, Any]) -> str:
    for name in ("axe_checked", "axe_inapplicable", "checks"):
        if not all(isinstance(item, str) for item in state.get(name, [])):
            return f"whose {name!r} is not a list of text"
    return ""


def _run_problem(record: dict[str, Any]) -> str:
    problem = _fields_problem(record, {"targets": dict, "personas": dict, "checks": dict, "journeys": dict,
                                       "axe_tags": list}, required=False)
    if problem:
        return f"a run record {problem}"
    for key in ("targets", "personas", "checks"):
        for name, value in record.get(key, {}).items():
            if not isinstance(value, dict):
                return f"a run record whose '{key}' entry {name!r} is {_type_word(value)}, not an object"
    if not all(isinstance(title, str) for title in record.get("journeys", {}).values()):
        return "a run record whose 'journeys' are not all titles (text)"
    return ""


def _fields_problem(record: dict[str, Any], wanted: dict[str, Any], required: bool = True) -> str:
    """'without 'index'' or 'whose 'index' is text, not a whole number', or '' when every field fits."""
    missing = [name for name in wanted if name not in record] if required else []
    if missing:
        return f"without {', '.join(repr(name) for name in missing)}"
    for name, kind in wanted.items():
        if name in record and not _has_type(record[name], kind):
            return f"whose {name!r} is {_type_word(record[name])}, not {_TYPE_WORDS[kind]}"
    return ""


def _has_type(value: Any, kind: Any) -> bool:
    # JSON's true and false are ints to Python; a step index of true is as wrong as one of "x".
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def _type_word(value: Any) -> str:
    if value is None:
        return "null"
    for kind, word in _TYPE_WORDS.items():
        if kind is not _NUMBER and _has_type(value, kind):
            return word
    return "a number" if isinstance(value, float) else type(value).__name__


def read_run(run_dir: Path) -> RunResult:
    """Rebuild a run from its results file; lines that cannot be read are skipped and counted, never fatal."""
    path = run_dir / RESULTS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no results file here. Pass the run folder that holds {RESULTS_FILE}.")
    meta: dict[str, Any] = {}
    journeys: dict[str, JourneyResult] = {}
    records, problems = read_checked_records(path)
    for record in records:
        kind = record["kind"]
        if kind == "run":
            merge_run_record(meta, record)
            continue
        if kind not in ("step", "journey"):
            continue  # a record a later version writes: nothing here knows how to show it
        journey = journeys.setdefault(record["test_id"], JourneyResult(
            test_id=record["test_id"], target=record["target"], persona=record["persona"],
            journey=record["journey"]))
        if kind == "step":
            journey.steps.append(StepResult(
                name=record["step"], index=record["index"], status=record["status"],
                states=[{**STATE_DEFAULTS, **state} for state in record.get("states", [])],
                duration_s=record.get("duration_s", 0.0),
                findings=[Finding.from_dict(f) for f in record.get("findings", [])]))
        else:
            journey.outcome = record["outcome"]
            journey.blocker = record.get("blocker", "")
            journey.duration_s = record.get("duration_s", 0.0)
    for journey in journeys.values():
        journey.steps.sort(key=lambda step: step.index)
    return RunResult(run_dir=run_dir, meta=meta, journeys=list(journeys.values()), skipped_lines=len(problems),
                     unreadable=problems)
