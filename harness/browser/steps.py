"""The steps of a journey as they are recorded: the findings and page states of the step under way, and one
step record appended to the results store as each step ends, with credential values masked."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from harness.model.findings import Finding, dedupe
from harness.model.masking import SecretMask
from harness.model.records import PageState, StepRecord
from harness.model.results import ResultsStore


@dataclass
class Step:
    name: str
    index: int
    started: float
    states: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    left_page: bool = False
    """True when the step's last action was a press that may have moved to another page."""
    page_kind: str = ""
    """What the walker took the step's page for, and why: shown in the report so a wrong guess is visible."""


@dataclass
class Typing:
    """What the persona typed since the last press, what that press sent, and the slips still to recover from."""

    typed: dict[str, str] = field(default_factory=dict)
    submitted: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    mistakes: list[tuple[str, str, str]] = field(default_factory=list)
    """(label, the right value, the slip typed instead), for the error-recovery probe."""
    after_error: bool = False
    """True when the last press brought the page back showing errors."""

    def submit(self) -> None:
        self.submitted, self.typed = MappingProxyType(dict(self.typed)), {}


class StepLog:
    """The step under way, findings that arrive between steps, and every finding of the journey so far."""

    def __init__(self, store: ResultsStore, *, test_id: str, target: str, persona: str, journey: str,
                 secrets: SecretMask) -> None:
        self.store = store
        self.test_id = test_id
        self.target = target
        self.persona = persona
        self.journey = journey
        self.secrets = secrets
        self.current: Step | None = None
        self.findings: list[Finding] = []
        """Every finding of the steps that have ended, placed and masked."""
        self._count = 0
        self._pending: list[Finding] = []

    def begin(self, name: str) -> Step:
        if self.current is not None:
            raise RuntimeError(f"Step '{name}' started inside step '{self.current.name}'; steps do not nest.")
        self._count += 1
        self.current = Step(name=name, index=self._count, started=time.monotonic())
        self.current.findings.extend(self._pending)
        self._pending.clear()
        return self.current

    def note(self, finding: Finding) -> None:
        assert self.current is not None
        self.current.findings.append(finding)

    def note_event(self, finding: Finding) -> None:
        """Findings from page events arrive between verbs; they belong to the step under way, or the next."""
        if self.current is not None:
            self.current.findings.append(finding)
        else:
            self._pending.append(finding)

    def finish(self, status: str) -> None:
        step = self.current
        assert step is not None
        findings = [self.secrets.finding(f.at_step(target=self.target, persona=self.persona,
                                                   journey=self.journey, step=step.name))
                    for f in dedupe(step.findings)]
        self.findings.extend(findings)
        # Everything a page wrote (titles, addresses, snippets) leaves here: credential values are masked.
        self.store.append(StepRecord(
            test_id=self.test_id, target=self.target, persona=self.persona, journey=self.journey,
            step=step.name, index=step.index, status=status,
            states=tuple(PageState.from_dict(state) for state in step.states), findings=tuple(findings),
            duration_s=round(time.monotonic() - step.started, 3), page_kind=step.page_kind),
            mask=self.secrets.record)
        self.current = None
