"""Why a step could not go on when no barrier finding explains it: the journey turns these into blockers."""

from __future__ import annotations


class ExpectationFailed(Exception):
    """Something the persona looked for was not on the page."""


class StepTimedOut(Exception):
    """A step ran past its time limit."""
