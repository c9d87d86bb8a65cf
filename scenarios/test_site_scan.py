"""Scan mode: axe and the page-level persona checks on every page of a site, for monitoring.

Runs when pages are given with --a11y-crawl URL, --a11y-sitemap URL_OR_FILE or --a11y-scan-urls FILE;
otherwise it is skipped. `python -m harness.cli.scan` runs it for people who do not write tests.
"""

from __future__ import annotations

from harness import Journey


def test_scan_page(page_scan: Journey, a11y_scan_checks: tuple[str, ...]) -> None:
    with page_scan.step("Open the page and check it"):
        page_scan.open_start_page()
        page_scan.check_page(a11y_scan_checks)
