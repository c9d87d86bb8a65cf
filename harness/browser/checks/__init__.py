"""Persona checks: small registered functions that inspect a page state and yield findings.

One import list, here, registers every check module once. Their metadata (criteria, impact, help, which
personas make them) is each one's rule in harness/model/rules.toml.
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
from harness.model.rules import EVERY_PERSONA, RULES, RULES_FILE, RuleKind

_UNWRITTEN = [rule_id for rule_id, rule in RULES.items() if rule.kind is RuleKind.CHECK and rule_id not in CHECKS]
if _UNWRITTEN:
    raise ImportError(f"{RULES_FILE.name} describes checks that no module registers with @persona_check: "
                      f"{', '.join(_UNWRITTEN)}; write them, or import their module here.")

PAGE_CHECKS = tuple(check_id for check_id, spec in CHECKS.items() if not spec.is_probe)
"""Every check that looks at one page state: scan mode runs them all on every page it visits (checks that
need the journey's context, such as the on-behalf path, find nothing there)."""

SCAN_CHECKS = (*PAGE_CHECKS, "page-title-distinct")
"""What --a11y-scan-checks may name: the page checks, and the probe the journey makes on every page state it
scans (the page's title)."""

__all__ = ["CHECKS", "EVERY_PERSONA", "PAGE_CHECKS", "SCAN_CHECKS", "CheckSpec", "Hit", "PageContext", "persona_check",
           "run_checks"]
