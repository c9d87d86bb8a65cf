"""Persona checks: small registered functions that inspect a page state and yield findings.

One import list, here, registers every check module once.
"""

from __future__ import annotations

from harness.checks import content, forms, keyboard, language, layout, service, timing  # noqa: F401 - registers
from harness.checks.registry import CHECKS, CheckSpec, Hit, persona_check, run_checks

PAGE_CHECKS = ("clickable-elements-focusable", "focus-visible", "reflow", "offline-alternative",
               "plain-language")
"""The checks that need no journey: scan mode runs them on every page."""

__all__ = ["CHECKS", "PAGE_CHECKS", "CheckSpec", "Hit", "persona_check", "run_checks"]
