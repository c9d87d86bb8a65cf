"""Scan mode in this repository's scenarios: the harness's own scan scenario, so `pytest scenarios/
--a11y-crawl URL` scans a site with this folder's targets, personas and conftest.py.

`python -m harness.cli.scan` runs the same scenario for people who do not write tests.
"""

from __future__ import annotations

from harness.cli.scan_scenario import test_scan_page

__all__ = ["test_scan_page"]
