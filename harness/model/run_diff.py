"""What changed between two runs of one product: the barriers fixed, the new ones, and the ones still there.

Barriers are matched by their key (journey, page path within the product, rule, selector), which leaves
out the host and the release folder, so release 1.0 at /v1/ and release 2.0 at /v2/ compare page for page.
The diff works on anything with such a key: live barriers from a run folder, or barriers stored in the
history database, so two releases can be compared without their run folders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from harness.model.barriers import BarrierKey


class Keyed(Protocol):
    """A barrier as the diff sees it: only its key matters."""

    @property
    def key(self) -> BarrierKey: ...


B = TypeVar("B", bound=Keyed)


@dataclass(frozen=True)
class BarrierDiff(Generic[B]):
    """Fixed (only in the old run), new (only in the new run) and remaining (in both) barriers."""

    fixed: list[B] = field(default_factory=list)
    new: list[B] = field(default_factory=list)
    remaining: list[tuple[B, B]] = field(default_factory=list)
    """(old, new) pairs, so a change of impact between the runs can be shown."""

    @property
    def counts(self) -> tuple[int, int, int]:
        """(fixed, new, remaining)."""
        return len(self.fixed), len(self.new), len(self.remaining)


def diff_barriers(old: Iterable[B], new: Iterable[B]) -> BarrierDiff[B]:
    """Match barriers by key; each list keeps the order its run gave (blockers and worst impact first)."""
    old_list, new_list = list(old), list(new)
    old_by_key = {barrier.key: barrier for barrier in old_list}
    new_keys = {barrier.key for barrier in new_list}
    return BarrierDiff(
        fixed=[barrier for barrier in old_list if barrier.key not in new_keys],
        new=[barrier for barrier in new_list if barrier.key not in old_by_key],
        remaining=[(old_by_key[barrier.key], barrier) for barrier in new_list if barrier.key in old_by_key],
    )
