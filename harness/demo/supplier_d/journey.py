"""The order of a journey's pages, so nobody lands mid-way with answers missing, and Edit links return.

Both multi-page journeys work the same way, as form platforms do: every page knows which answer it
collects; a page whose earlier answers are missing sends people back to the first missing one; and
a page reached from an "Edit" link on the review page goes back to the review page once saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from werkzeug.wrappers import Response

from harness.demo.supplier_d import release


@dataclass(frozen=True, slots=True)
class Step:
    """One page: its endpoint and the answer it must leave behind before later pages make sense."""

    endpoint: str
    answer: str


@dataclass(frozen=True, slots=True)
class Journey:
    """A sequence of steps ending with a review page."""

    key: str
    steps: tuple[Step, ...]
    review: str

    @property
    def count(self) -> int:
        """How many steps the stepper counts: every page that asks something, plus the review."""
        return len(self.steps) + 1

    def number(self, endpoint: str) -> int:
        """The stepper's number for a page ("Step 2 of 5")."""
        if endpoint == self.review:
            return self.count
        return next(i for i, step in enumerate(self.steps, start=1) if step.endpoint == endpoint)

    def answers(self) -> dict[str, Any]:
        """The answers so far; a finished application is forgotten once someone starts again."""
        answers = release.load(self.key)
        if "reference" in answers:
            release.clear(self.key)
            return {}
        return answers

    def guard(self, endpoint: str, answers: dict[str, Any]) -> Response | None:
        """A redirect to the first unanswered earlier page, or None if this page may be shown.

        A GET that arrives from an Edit link is remembered, so saving the page returns to review.
        """
        for step in self.steps:
            if step.endpoint == endpoint:
                break
            if answers.get(step.answer) in (None, ""):
                return release.go(step.endpoint)
        else:
            if endpoint != self.review:
                raise LookupError(endpoint)
        if request.method == "GET" and request.args.get("return") == "review":
            answers["editing"] = True
            release.store(self.key, answers)
        return None

    def saved(self, answers: dict[str, Any], next_endpoint: str) -> Response:
        """Store the answers and go on: to the review page if this was an edit, else to the next page."""
        editing = bool(answers.pop("editing", False))
        release.store(self.key, answers)
        return release.go(self.review if editing else next_endpoint)
