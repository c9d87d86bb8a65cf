"""Persona checks: small registered functions that inspect a page state and yield findings.

One import list, here, registers every check module once.
"""

from __future__ import annotations

from harness.browser.checks import (  # noqa: F401 - importing a module registers its checks
    content,
    forms,
    keyboard,
    language,
    layout,
    probes,
    service,
    timing,
)
from harness.browser.checks.registry import CHECKS, CheckSpec, Hit, PageContext, persona_check, run_checks

PAGE_CHECKS = tuple(check_id for check_id, spec in CHECKS.items() if not spec.is_probe)
"""Every check that looks at one page state: scan mode runs them all on every page it visits (checks that
need the journey's context, such as the on-behalf path, find nothing there)."""

EVERY_PERSONA = ("placeholder-label", "autocomplete-purpose", "statement-link", "time-limit",
                 "page-title-distinct")
"""Checks every persona runs on top of axe-core, the default persona included (personas.md)."""

__all__ = ["CHECKS", "EVERY_PERSONA", "PAGE_CHECKS", "CheckSpec", "Hit", "PageContext", "persona_check",
           "run_checks"]
