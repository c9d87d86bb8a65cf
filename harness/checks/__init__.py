"""Persona checks: small registered functions that inspect a page state and yield findings.

One import list, here, registers every check module once.
"""

from __future__ import annotations

from harness.checks import (  # noqa: F401 - importing a module registers its checks
    content,
    forms,
    keyboard,
    language,
    layout,
    probes,
    service,
    timing,
)
from harness.checks.registry import CHECKS, CheckSpec, Hit, PageContext, persona_check, run_checks

PAGE_CHECKS = ("clickable-elements-focusable", "focus-visible", "reflow", "offline-alternative",
               "plain-language")
"""The checks that need no journey: scan mode runs them on every page."""

EVERY_PERSONA = ("placeholder-label", "autocomplete-purpose", "statement-link", "time-limit",
                 "page-title-distinct")
"""Checks every persona runs on top of axe-core, the default persona included (personas.md)."""

__all__ = ["CHECKS", "EVERY_PERSONA", "PAGE_CHECKS", "CheckSpec", "Hit", "PageContext", "persona_check",
           "run_checks"]
