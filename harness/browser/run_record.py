"""The run's first record: what ran (browser, versions, axe tags), on what and by whom, and every check's metadata.

Stored with the run so the reports, rebuilt later, need no browser code to describe it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from harness.browser.axe_scan import AXE_VERSION
from harness.browser.checks import CHECKS
from harness.browser.session import BrowserChoice, package_version
from harness.model.personas import Persona
from harness.model.targets import Target, known_journeys


def check_catalogue() -> dict[str, dict[str, Any]]:
    """Every check's metadata, stored with the run so reports need no browser code to describe them."""
    return {cid: {"criteria": list(spec.criteria), "impact": spec.impact.value, "help": spec.help,
                  "help_url": spec.help_url, "council_check": spec.council_check, "summary": spec.summary,
                  "probe": spec.is_probe} for cid, spec in CHECKS.items()}


def opening_record(*, run_id: str, browser: BrowserChoice, headless: bool, axe_tags: Iterable[str], fail_on: str,
                   targets: Iterable[Target], personas: Iterable[Persona], planned: list[str],
                   scan: Mapping[str, Any]) -> dict[str, Any]:
    """The 'run' record that opens results.ndjson; `scan` is scan mode's part (scan_sources.scan_record)."""
    return {
        "kind": "run", "run_id": run_id,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "browser": browser.describe(headless=headless),
        "playwright_version": package_version("playwright"),
        "harness_version": package_version("council-a11y-harness"),
        "axe_version": AXE_VERSION, "axe_tags": list(axe_tags),
        "fail_on": fail_on,
        "targets": {t.id: t.to_dict() for t in targets},
        "personas": {p.id: p.to_dict() for p in personas},
        "journeys": known_journeys(), "checks": check_catalogue(),
        "planned": planned, **scan}
