"""The records of results.ndjson as types: one place writes them as lines, one place reads lines back into them.

A run's results file holds one JSON object a line: the run record first (kind 'run': what was tested, with
what and how), a step record as each step ends (kind 'step': its page states and findings) and a walk record
as each walk ends (kind 'walk': how it ended). `to_dict` gives each record's line; `record_from_dict` reads
one back once `record_problem` has found nothing wrong with it: a results file holds text from pages and can
be torn by a crash or edited by hand, so no field is taken on trust.

Format versions: 1 is this one, named in the run record as 'format'. 0 is every file written before there was
a version: its walk records were kind 'journey' and named their ending 'outcome', and are read all the same.
A newer format is refused (`ResultsFormatError`), naming the file and what to do, rather than misread.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from harness.model.errors import HarnessError
from harness.model.findings import Finding
from harness.model.personas import Persona
from harness.model.scan_sources import FailedFetch, SkippedPage
from harness.model.targets import Target
from harness.model.untrusted import storable

FORMAT = 1
"""The results format this harness writes, and the newest it reads."""

ENDINGS = ("completed", "blocked", "interrupted", "error")
"""How a walk can end: every step done; a step the persona could not get past; the run stopped first; the
scenario itself failed between steps. A walk without its walk record is read as 'interrupted'."""

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return _EMPTY


class ResultsFormatError(HarnessError):
    """A results file in a format this harness does not read; the message names the file and what to do."""


def _text(value: Any, default: str = "") -> str:
    """A stored value as text: what `str()` made of it in the reports before records were typed."""
    return default if value is None else str(value)


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list | tuple) else ()


def _mapping(value: Any) -> Mapping[str, Any]:
    return MappingProxyType(dict(value)) if isinstance(value, dict) else _EMPTY


def _maybe_text(value: Any) -> str | None:
    return None if value is None else str(value)


# -- what the run record says about the things it tested ---------------------------------------------------


@dataclass(frozen=True)
class PersonaRecord:
    """A persona as the run recorded it: enough for every report to name and describe the person."""

    id: str
    name: str = ""
    """'Ash'."""
    title: str = ""
    """'Keyboard-only user'."""
    description: str = ""
    behaviour: str = ""
    context: Mapping[str, Any] = field(default_factory=_empty)
    """The browser context arguments the persona was walked with (viewport, device_scale_factor, ...)."""
    checks: tuple[str, ...] = ()
    """The checks and probes this person adds."""

    @classmethod
    def of(cls, persona: Persona) -> PersonaRecord:
        return cls.from_dict(persona.id, persona.to_dict())

    @classmethod
    def from_dict(cls, persona_id: str, data: Mapping[str, Any]) -> PersonaRecord:
        return cls(id=persona_id, name=_text(data.get("name")), title=_text(data.get("title")),
                   description=_text(data.get("description")), behaviour=_text(data.get("behaviour")),
                   context=_mapping(data.get("context")), checks=_texts(data.get("checks")))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "title": self.title, "description": self.description,
                "behaviour": self.behaviour, "context": dict(self.context), "checks": list(self.checks)}

    @property
    def display_name(self) -> str:
        """'Ash'; the title, then the id, for a persona recorded without a name."""
        return self.name or self.title or self.id

    @property
    def label(self) -> str:
        """'Ash, keyboard-only user': the name and what kind of user, as the reports name people."""
        if self.name:
            return f"{self.name}, {(self.title or self.id).lower()}"
        return self.title or self.id

    @property
    def device_scale_factor(self) -> float:
        """Image pixels per CSS pixel of the persona's screenshots in results stored before they said so."""
        factor = self.context.get("device_scale_factor")
        return float(factor) if isinstance(factor, int | float) and not isinstance(factor, bool) and factor else 1.0


@dataclass(frozen=True)
class TargetRecord:
    """A target as the run recorded it: the product, its supplier and release, and the journeys it offers."""

    id: str
    name: str = ""
    """'QuickPay release 1.9'; the id for a target recorded without a name."""
    supplier: str = ""
    version: str = ""
    base_url: str = ""
    """May still hold the '{demo}' placeholder, as the target file writes it."""
    journeys: Mapping[str, str] | None = None
    """Journey id to its entry path; None for targets recorded before this field, which offer every journey."""
    test_environment: bool = False
    description: str = ""
    allowed_origins: tuple[str, ...] = ()
    credentials: Mapping[str, str] = field(default_factory=_empty)
    """Credential names to the environment variables holding them: never a value."""
    wording: Mapping[str, Mapping[str, str]] = field(default_factory=_empty)
    product: str = ""
    """The product across releases, for the history's trend; the id when the target named none."""
    organisation: str = ""
    contact: str = ""

    @classmethod
    def of(cls, target: Target) -> TargetRecord:
        return cls.from_dict(target.id, target.to_dict())

    @classmethod
    def from_dict(cls, target_id: str, data: Mapping[str, Any]) -> TargetRecord:
        journeys = data.get("journeys")
        wording = data.get("wording")
        return cls(
            id=target_id, name=_text(data.get("name")) or target_id, supplier=_text(data.get("supplier")),
            version=_text(data.get("version")), base_url=_text(data.get("base_url")),
            journeys=MappingProxyType({str(k): _text(v) for k, v in journeys.items()})
            if isinstance(journeys, dict) else None,
            test_environment=bool(data.get("test_environment")), description=_text(data.get("description")),
            allowed_origins=_texts(data.get("allowed_origins")),
            credentials=MappingProxyType({str(k): _text(v) for k, v in _mapping(data.get("credentials")).items()}),
            wording=MappingProxyType({str(j): _mapping(w) for j, w in wording.items()})
            if isinstance(wording, dict) else _EMPTY,
            product=_text(data.get("product")) or target_id, organisation=_text(data.get("organisation")),
            contact=_text(data.get("contact")))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "name": self.name, "supplier": self.supplier, "version": self.version,
            "base_url": self.base_url, "test_environment": self.test_environment, "description": self.description,
            "allowed_origins": list(self.allowed_origins), "credentials": dict(self.credentials),
            "wording": {j: dict(w) for j, w in self.wording.items()}, "product": self.product,
            "organisation": self.organisation, "contact": self.contact}
        if self.journeys is not None:
            data["journeys"] = dict(self.journeys)
        return data

    def offers(self, journey_id: str) -> bool:
        """A target lists the journeys it offers; one recorded before that field offers every journey."""
        return self.journeys is None or journey_id in self.journeys


@dataclass(frozen=True)
class CheckRecord:
    """A check's or probe's metadata, stored with the run so reports need no browser code to describe it."""

    id: str
    criteria: tuple[str, ...] = ()
    impact: str = ""
    help: str = ""
    help_url: str = ""
    council_check: bool = False
    """A council service check (an offline route, an upload alternative): no WCAG criterion."""
    summary: str = ""
    """What it makes sure of, in everyday words."""
    probe: bool = False
    """A probe: a check the journey makes while walking, seen only when it finds something."""

    @classmethod
    def from_dict(cls, check_id: str, data: Mapping[str, Any]) -> CheckRecord:
        return cls(id=check_id, criteria=_texts(data.get("criteria")), impact=_text(data.get("impact")),
                   help=_text(data.get("help")), help_url=_text(data.get("help_url")),
                   council_check=bool(data.get("council_check")), summary=_text(data.get("summary")),
                   probe=bool(data.get("probe")))

    def to_dict(self) -> dict[str, Any]:
        return {"criteria": list(self.criteria), "impact": self.impact, "help": self.help,
                "help_url": self.help_url, "council_check": self.council_check, "summary": self.summary,
                "probe": self.probe}


@dataclass(frozen=True)
class ScanRecord:
    """Scan mode's part of the run record: where the pages came from, the limit, and what was left out."""

    kind: str = ""
    """'list', 'sitemap' or 'crawl'."""
    location: str = ""
    max_pages: int | None = None
    skipped: tuple[SkippedPage, ...] = ()
    """Pages found but not scanned, each with its reason."""
    errors: tuple[FailedFetch, ...] = ()
    """Pages that could not be fetched at all."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScanRecord:
        skipped, errors = (entries if isinstance(entries := data.get(key), list) else [] for key in ("skipped", "errors"))
        limit = data.get("max_pages")
        return cls(
            kind=_text(data.get("kind")), location=_text(data.get("location")),
            max_pages=limit if isinstance(limit, int) and not isinstance(limit, bool) else None,
            skipped=tuple(SkippedPage(url=_text(page.get("url")), reason=_text(page.get("reason")),
                                      found_on=_maybe_text(page.get("found_on")))
                          for page in skipped if isinstance(page, dict)),
            errors=tuple(FailedFetch(url=_text(failed.get("url")), message=_text(failed.get("message")))
                         for failed in errors if isinstance(failed, dict)))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "location": self.location, "max_pages": self.max_pages,
                "skipped": [{"url": p.url, "reason": p.reason, "found_on": p.found_on} for p in self.skipped],
                "errors": [{"url": e.url, "message": e.message} for e in self.errors]}


# -- the three kinds of record -----------------------------------------------------------------------------


_RUN_FACTS = ("run_id", "started", "browser", "playwright_version", "harness_version", "axe_version", "axe_tags",
              "fail_on", "planned")
"""The run record's facts a run may not have recorded (None): written only when known."""


@dataclass(frozen=True)
class RunRecord:
    """What was tested, with what and how: the first line of every results file.

    A later run line (scan mode meets a new site during the run) adds to it: see `joined`. A fact the run did
    not record is None (an old file, a damaged first line), and reports say 'unknown'.
    """

    run_id: str | None = None
    started: str | None = None
    """ISO time the run started: '2026-11-26T06:01:02+00:00'."""
    browser: str | None = None
    playwright_version: str | None = None
    harness_version: str | None = None
    axe_version: str | None = None
    axe_tags: tuple[str, ...] | None = None
    fail_on: str | None = None
    targets: Mapping[str, TargetRecord] = field(default_factory=_empty)
    personas: Mapping[str, PersonaRecord] = field(default_factory=_empty)
    """In the order the run listed them: the default persona first."""
    journeys: Mapping[str, str] = field(default_factory=_empty)
    """Journey id to its title: 'bin-day' to 'Find your bin collection day'."""
    checks: Mapping[str, CheckRecord] = field(default_factory=_empty)
    planned: tuple[str, ...] | None = None
    """Test ids the run meant to walk; None for runs recorded before runs listed their plan."""
    scan: ScanRecord | None = None
    merged_from: tuple[str, ...] = ()
    """The shards' run folders, for a run joined from a sharded run."""
    format: int = FORMAT

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunRecord:
        scan = data.get("scan")
        planned = data.get("planned")
        tags = data.get("axe_tags")
        return cls(
            run_id=_maybe_text(data.get("run_id")), started=_maybe_text(data.get("started")),
            browser=_maybe_text(data.get("browser")), playwright_version=_maybe_text(data.get("playwright_version")),
            harness_version=_maybe_text(data.get("harness_version")),
            axe_version=_maybe_text(data.get("axe_version")), axe_tags=None if tags is None else _texts(tags),
            fail_on=_maybe_text(data.get("fail_on")),
            targets=MappingProxyType({k: TargetRecord.from_dict(k, v) for k, v in data.get("targets", {}).items()}),
            personas=MappingProxyType({k: PersonaRecord.from_dict(k, v)
                                       for k, v in data.get("personas", {}).items()}),
            journeys=MappingProxyType(dict(data.get("journeys", {}))),
            checks=MappingProxyType({k: CheckRecord.from_dict(k, v) for k, v in data.get("checks", {}).items()}),
            planned=_texts(planned) if isinstance(planned, list) else None,
            scan=ScanRecord.from_dict(scan) if isinstance(scan, dict) else None,
            merged_from=_texts(data.get("merged_from")), format=int(data.get("format", 0)))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": "run", "format": self.format,
            "targets": {k: t.to_dict() for k, t in self.targets.items()},
            "personas": {k: p.to_dict() for k, p in self.personas.items()},
            "journeys": dict(self.journeys), "checks": {k: c.to_dict() for k, c in self.checks.items()}}
        for name in _RUN_FACTS:
            if (value := getattr(self, name)) is not None:
                data[name] = list(value) if isinstance(value, tuple) else value
        if self.scan is not None:
            data["scan"] = self.scan.to_dict()
        if self.merged_from:
            data["merged_from"] = list(self.merged_from)
        return data

    def joined(self, later: RunRecord) -> RunRecord:
        """This record with what a later run line adds: targets and the like it lacks; never overwriting."""
        changes: dict[str, Any] = {
            name: MappingProxyType({**getattr(later, name), **getattr(self, name)})
            for name in ("targets", "personas", "journeys", "checks")}
        for name in (*_RUN_FACTS, "scan"):
            if getattr(self, name) is None:
                changes[name] = getattr(later, name)
        if not self.merged_from:
            changes["merged_from"] = later.merged_from
        return replace(self, **changes)

    def target(self, target_id: str) -> TargetRecord:
        """The target as recorded; one the run did not describe is named by its id and offers every journey."""
        return self.targets.get(target_id) or TargetRecord(id=target_id, name=target_id, product=target_id)

    def persona(self, persona_id: str) -> PersonaRecord:
        """The persona as recorded; one the run did not describe is named by its id."""
        return self.personas.get(persona_id) or PersonaRecord(id=persona_id)

    def journey_title(self, journey_id: str) -> str:
        """'Find your bin collection day'; an id the run's catalogue lacks reads as words."""
        return self.journeys.get(journey_id) or journey_id.replace("-", " ").capitalize()


@dataclass(frozen=True)
class PageState:
    """One page state a step scanned: where it was, what was tested there, and its screenshot."""

    label: str = ""
    """'before pressing 'Find address'', 'where the persona got stuck'."""
    url: str = ""
    title: str = ""
    screenshot: str = ""
    """Relative to the run folder: 'screenshots/x-02.png'; '' when none was kept."""
    boxes: Mapping[str, tuple[float, float, float, float]] = field(default_factory=_empty)
    """Each finding's element, by selector: x, y, width, height in CSS pixels."""
    screenshot_scale: float | None = None
    """Image pixels per CSS pixel; None in results stored before screenshots were taken in CSS pixels."""
    axe_checked: tuple[str, ...] | None = None
    """WCAG criteria axe-core's rules tested here; None when the state was not scanned (a blocker's screenshot)."""
    axe_inapplicable: tuple[str, ...] | None = None
    """axe-core rules that found nothing to test here."""
    checks: tuple[str, ...] | None = None
    """The harness checks that ran here."""

    @property
    def scanned(self) -> bool:
        return self.axe_checked is not None and self.axe_inapplicable is not None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PageState:
        scale = data.get("screenshot_scale")
        return cls(
            label=_text(data.get("label")), url=_text(data.get("url")), title=_text(data.get("title")),
            screenshot=_text(data.get("screenshot")),
            boxes=MappingProxyType({str(selector): (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
                                    for selector, box in _mapping(data.get("boxes")).items()}),
            screenshot_scale=float(scale) if isinstance(scale, int | float) and not isinstance(scale, bool) else None,
            **{name: _texts(data[name]) if name in data else None
               for name in ("axe_checked", "axe_inapplicable", "checks")})

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "url": self.url, "title": self.title,
                                "screenshot": self.screenshot, "boxes": {s: list(b) for s, b in self.boxes.items()}}
        if self.screenshot_scale is not None:
            data["screenshot_scale"] = (int(self.screenshot_scale) if self.screenshot_scale.is_integer()
                                        else self.screenshot_scale)
        for name in ("axe_checked", "axe_inapplicable", "checks"):
            if (value := getattr(self, name)) is not None:
                data[name] = list(value)
        return data


@dataclass(frozen=True)
class StepRecord:
    """One step of a walk, written as it ends: its page states and the findings first seen in it."""

    test_id: str
    target: str
    persona: str
    journey: str
    step: str
    """The step's name: 'Search for the address'."""
    index: int
    status: str
    """'completed' or 'blocked'."""
    states: tuple[PageState, ...] = ()
    findings: tuple[Finding, ...] = ()
    duration_s: float = 0.0
    page_kind: str = ""
    """What the walker took the step's page for, and why ('' for a step a scenario wrote by hand)."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StepRecord:
        return cls(test_id=data["test_id"], target=data["target"], persona=data["persona"],
                   journey=data["journey"], step=data["step"], index=data["index"], status=data["status"],
                   states=tuple(PageState.from_dict(state) for state in data.get("states", [])),
                   findings=tuple(Finding.from_dict(f) for f in data.get("findings", [])),
                   duration_s=data.get("duration_s", 0.0), page_kind=data.get("page_kind", ""))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "step", "test_id": self.test_id, "target": self.target, "persona": self.persona,
                "journey": self.journey, "step": self.step, "index": self.index, "status": self.status,
                "states": [state.to_dict() for state in self.states],
                "findings": [finding.to_dict() for finding in self.findings], "duration_s": self.duration_s,
                "page_kind": self.page_kind}


@dataclass(frozen=True)
class WalkRecord:
    """How one walk (a persona, a journey, a target) ended, written when it ends."""

    test_id: str
    target: str
    persona: str
    journey: str
    ending: str
    """One of ENDINGS."""
    blocker: str = ""
    """What stopped the persona, in a sentence, for a blocked walk (or a scenario's error)."""
    duration_s: float = 0.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WalkRecord:
        return cls(test_id=data["test_id"], target=data["target"], persona=data["persona"],
                   journey=data["journey"], ending=data["ending"] if "ending" in data else data["outcome"],
                   blocker=data.get("blocker", ""), duration_s=data.get("duration_s", 0.0))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "walk", "test_id": self.test_id, "target": self.target, "persona": self.persona,
                "journey": self.journey, "ending": self.ending, "blocker": self.blocker,
                "duration_s": self.duration_s}


Record = RunRecord | StepRecord | WalkRecord
WALK_KINDS = ("walk", "journey")
"""The walk record's kind: 'journey' in format 0."""


Mask = Callable[[dict[str, Any]], Any]
"""Hides credential values in a record's JSON object before it is written (masking.SecretMask.record)."""


def line_of(record: Record, mask: Mask | None = None) -> bytes:
    """One record as a line of UTF-8 JSON, whatever text a page put in it: the only way records are written.

    `mask` (a function of the record's JSON object) hides credential values before anything is written.
    `storable` makes an unpaired surrogate (a page title of 'Bins \\ud800') U+FFFD, which UTF-8 can hold:
    otherwise the encoding fails and the walk's steps are lost. `default=str` keeps a value JSON has no type
    for as its text rather than losing the record.
    """
    data = record.to_dict()
    if mask is not None:
        data = mask(data)
    text = json.dumps(storable(data), ensure_ascii=False, sort_keys=True, default=str)
    return (text + "\n").encode("utf-8")


def record_from_dict(data: dict[str, Any]) -> Record | None:
    """A record read back, once `record_problem(data)` has found nothing wrong with it.

    None for a kind this version does not know (a tool's note, say): nothing here knows how to show it.
    """
    kind = data["kind"]
    if kind == "run":
        return RunRecord.from_dict(data)
    if kind == "step":
        return StepRecord.from_dict(data)
    if kind in WALK_KINDS:
        return WalkRecord.from_dict(data)
    return None


# -- the shape each kind must have ----------------------------------------------------------------------


_WHO = {"test_id": str, "target": str, "persona": str, "journey": str}
_NUMBER = (int, float)
_TYPE_WORDS = {str: "text", int: "a whole number", _NUMBER: "a number", list: "a list", dict: "an object",
               bool: "true or false"}
_STATE_FIELDS: dict[str, Any] = {"label": str, "url": str, "title": str, "screenshot": str, "boxes": dict,
                                 "screenshot_scale": _NUMBER, "axe_checked": list, "axe_inapplicable": list,
                                 "checks": list}


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
    if kind in WALK_KINDS:
        # Format 0 named a walk's ending 'outcome', the word findings keep.
        ending = "ending" if kind == "walk" or "ending" in record else "outcome"
        problem = _fields_problem(record, {**_WHO, ending: str}) or _fields_problem(
            record, {"blocker": str, "duration_s": _NUMBER}, required=False)
        return f"a walk record {problem}" if problem else ""
    return ""  # a kind this version does not know: left out by record_from_dict, never counted as damage


def _step_problem(record: dict[str, Any]) -> str:
    problem = _fields_problem(record, {**_WHO, "step": str, "index": int, "status": str}) or _fields_problem(
        record, {"states": list, "findings": list, "duration_s": _NUMBER, "page_kind": str}, required=False)
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
                                       "axe_tags": list, "format": int}, required=False)
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


def check_format(record: RunRecord, where: str) -> None:
    """Refuse a run written in a newer results format than this harness reads, before misreading it."""
    if record.format > FORMAT:
        by = f" (harness version {record.harness_version})" if record.harness_version else ""
        raise ResultsFormatError(
            f"{where}: results format {record.format}, written by a newer harness{by}; this harness reads "
            f"formats 0 to {FORMAT}. Rebuild the reports with that harness, or upgrade this one "
            "(pip install --upgrade council-a11y-harness).")

