"""Scan mode's scenario: axe and the page-level persona checks on every page of a site, for monitoring.

Shipped in the package so `python -m harness.cli.scan` runs it wherever the harness is installed. It runs
when pages are given with --a11y-crawl URL, --a11y-sitemap URL_OR_FILE or --a11y-scan-urls FILE; otherwise
it is skipped. A repository's own scenarios folder runs it under pytest, with that folder's conftest.py, by
importing it: `from harness.cli.scan_scenario import test_scan_page` (see scenarios/test_site_scan.py).
"""

from __future__ import annotations

from harness.browser.journey import Journey


def test_scan_page(page_scan: Journey, a11y_scan_checks: tuple[str, ...]) -> None:
    with page_scan.step("Open the page and check it"):
        page_scan.open_start_page()
        page_scan.check_page(a11y_scan_checks)
