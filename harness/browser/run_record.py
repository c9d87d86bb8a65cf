"""The run's first record: what ran (browser, versions, axe tags), on what and by whom, and every check's metadata.

Stored with the run so the reports, rebuilt later, need no browser code to describe it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from harness.browser.axe_scan import AXE_VERSION
from harness.browser.checks import CHECKS
from harness.browser.session import BrowserChoice, package_version
from harness.model.personas import Persona
from harness.model.records import CheckRecord, PersonaRecord, RunRecord, ScanRecord, TargetRecord
from harness.model.scan_sources import CrawlResult, ScanSource, page_limit
from harness.model.targets import Target, known_journeys


def check_catalogue() -> dict[str, CheckRecord]:
    """Every check's metadata, stored with the run so reports need no browser code to describe them."""
    return {cid: CheckRecord(id=cid, criteria=tuple(spec.criteria), impact=spec.impact.value, help=spec.help,
                             help_url=spec.help_url, council_check=spec.council_check, summary=spec.summary,
                             probe=spec.is_probe) for cid, spec in CHECKS.items()}


def scan_record(source: ScanSource | None, pages: CrawlResult | None) -> ScanRecord | None:
    """Scan mode's part of the run record: where the pages came from, the limit, and what was left out."""
    if source is None or pages is None:
        return None
    return ScanRecord(kind=source.kind, location=source.location, max_pages=page_limit(source),
                      skipped=pages.skipped, errors=pages.errors)


def opening_record(*, run_id: str, browser: BrowserChoice, headless: bool, axe_tags: Iterable[str], fail_on: str,
                   targets: Iterable[Target], personas: Iterable[Persona], planned: Iterable[str],
                   scan: ScanRecord | None) -> RunRecord:
    """The 'run' record that opens results.ndjson."""
    return RunRecord(
        run_id=run_id, started=datetime.now(UTC).isoformat(timespec="seconds"),
        browser=browser.describe(headless=headless), playwright_version=package_version("playwright"),
        harness_version=package_version("council-a11y-harness"), axe_version=AXE_VERSION,
        axe_tags=tuple(axe_tags), fail_on=fail_on, targets={t.id: TargetRecord.of(t) for t in targets},
        personas={p.id: PersonaRecord.of(p) for p in personas}, journeys=known_journeys(),
        checks=check_catalogue(), planned=tuple(planned), scan=scan)
