"""A run as every report sees it: read once, its barriers gathered once per target, however many writers ask."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from harness.model.barriers import Barrier, barriers_of
from harness.model.findings import Finding, Outcome
from harness.model.records import PersonaRecord, RunRecord, TargetRecord
from harness.model.results import RunResult, WalkResult, read_run


class RunView:
    """One stored run for the writers: its record, its walks, and each target's barriers, computed on first use.

    The QA report, the comparison, the persona pages, the statements, the conformance exports and the history
    all ask for the same target's barriers; a view gathers them once. The history database, when there is one,
    is where the trend beyond this run comes from.
    """

    def __init__(self, run: RunResult, history: Path | None = None) -> None:
        self.run = run
        self.history = history
        """The history database to draw the trend from; None for this run alone."""
        self._barriers: dict[tuple[str, Outcome], list[Barrier]] = {}

    @classmethod
    def read(cls, run_dir: Path, history: Path | None = None) -> RunView:
        """Read the run folder's results once (FileNotFoundError names the file when there is none)."""
        return cls(read_run(run_dir), history)

    @property
    def run_dir(self) -> Path:
        return self.run.run_dir

    @property
    def record(self) -> RunRecord:
        return self.run.record

    @property
    def walks(self) -> list[WalkResult]:
        return self.run.walks

    @property
    def unreadable(self) -> list[str]:
        return self.run.unreadable

    @cached_property
    def findings(self) -> list[Finding]:
        return self.run.findings

    @cached_property
    def targets_walked(self) -> list[str]:
        """Targets with at least one walk, in the order the run first met them."""
        return list(dict.fromkeys(walk.target for walk in self.walks))

    @cached_property
    def targets_in_order(self) -> list[str]:
        """Targets with at least one walk, in the order the run's record lists them, then any it does not."""
        walked = set(self.targets_walked)
        listed = [t for t in self.record.targets if t in walked]
        return listed + sorted(walked - set(listed))

    def walks_on(self, target_id: str) -> list[WalkResult]:
        return [walk for walk in self.walks if walk.target == target_id]

    def barriers(self, target_id: str, outcome: Outcome = Outcome.VIOLATION) -> list[Barrier]:
        """The target's barriers of one outcome, blockers first (see barriers_of); the same list on every call.

        Writers share it: they read barriers and never change them.
        """
        key = (target_id, outcome)
        if key not in self._barriers:
            self._barriers[key] = barriers_of(self.run, target_id, outcomes=(outcome,))
        return self._barriers[key]

    def target(self, target_id: str) -> TargetRecord:
        return self.record.target(target_id)

    def persona(self, persona_id: str) -> PersonaRecord:
        return self.record.persona(persona_id)

    def persona_name(self, persona_id: str) -> str:
        """'Ash', as the run's personas call them; the id when the run did not record one."""
        return self.record.persona(persona_id).display_name

    def target_name(self, target_id: str) -> str:
        return self.record.target(target_id).name

    def journey_title(self, journey_id: str) -> str:
        """'Find your bin collection day'; an id the catalogue lacks reads as words."""
        return self.record.journey_title(journey_id)
