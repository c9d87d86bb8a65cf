"""A visitor's answers to a demo journey, kept in Flask's signed session cookie, one key per supplier."""

from __future__ import annotations

from collections.abc import Sequence

from flask import redirect, session, url_for
from werkzeug.wrappers import Response


class Answers:
    """The answers of one supplier's journey, and which question page still lacks one."""

    def __init__(self, cookie_key: str, questions: Sequence[tuple[str, str]]) -> None:
        self.cookie_key = cookie_key
        self.questions = tuple(questions)
        """(page endpoint, answer key) in the order the journey asks them."""

    def all(self) -> dict[str, str]:
        return dict(session.get(self.cookie_key, {}))

    def save(self, **values: str) -> None:
        """Record answers; reassigning the dict tells Flask the cookie must be rewritten."""
        answers = self.all()
        answers.update(values)
        session[self.cookie_key] = answers

    def first_unanswered(self, before: str | None = None) -> str | None:
        """The first question page without an answer (only those before `before`, when given)."""
        answers = self.all()
        for page, key in self.questions:
            if page == before:
                return None
            if not answers.get(key):
                return page
        return None

    def guard(self, page: str) -> Response | None:
        """Send a visitor who skipped ahead (a bookmark, an expired cookie) back to the first gap."""
        missing = self.first_unanswered(before=page)
        return redirect(url_for(f".{missing}")) if missing else None
