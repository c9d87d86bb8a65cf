"""Precision: the harness's own checks raise no false violation on the GOV.UK Design System's own examples.

The corpus (tests/data/precision/govuk/, built by tests/data/precision/build.py from the govuk-frontend package)
is every shown example of every component as a page. Scan mode runs over all of it, as a user would run it; every
violation of our own checks (axe-core's are not this test's subject) must be either a reviewed true finding in
tests/data/precision/true_findings.toml, with the reason it is true, or a false alarm known here with the reason
it is not yet fixed. A new violation fails the test, named; so does an entry that no longer occurs (stale).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from harness.model.findings import Finding, Outcome
from harness.model.results import read_run
from tests.pages_server import serve_folder

REPO = Path(__file__).resolve().parents[2]
PRECISION = REPO / "tests" / "data" / "precision"
CORPUS = PRECISION / "govuk"
TRUE_FINDINGS = PRECISION / "true_findings.toml"

PERSONAS = ("default",)
"""In scan mode every persona runs every page check (and its own): the default persona runs them all once, at the
desktop size; reflow and resize-text set the narrow viewport they need themselves."""

KNOWN_FALSE_ALARMS: dict[tuple[str, str], str] = {}
"""(page, rule) -> why it is false and who is fixing it: false alarms of checks outside this work's lane, kept
visible here so the test passes honestly until they are fixed (then the entry is stale and the test says so)."""

Key = tuple[str, str]


def true_findings() -> dict[Key, str]:
    """The reviewed true findings: (page, rule) -> the reason it is true."""
    entries = tomllib.loads(TRUE_FINDINGS.read_text())["finding"]
    found: dict[Key, str] = {}
    for entry in entries:
        key = (entry["page"], entry["rule"])
        assert key not in found, f"{TRUE_FINDINGS.name}: {key} is listed twice"
        assert (CORPUS / entry["page"]).is_file(), f"{TRUE_FINDINGS.name}: no page {entry['page']}"
        assert entry["reason"].strip(), f"{TRUE_FINDINGS.name}: {key} gives no reason"
        found[key] = entry["reason"]
    return found


@pytest.fixture(scope="module")
def corpus_url() -> Iterator[str]:
    server, url = serve_folder(CORPUS)
    yield url
    server.shutdown()


def scan_corpus(corpus_url: str, work: Path) -> list[Finding]:
    """Scan mode over every page of the corpus, in a pytest run of its own: our checks' findings, by page."""
    pages = (CORPUS / "pages.txt").read_text().split()
    urls = work / "urls.txt"
    urls.write_text("".join(f"{corpus_url}/{page}\n" for page in pages))
    command = [sys.executable, "-m", "pytest", "scenarios/test_site_scan.py", "-p", "no:cacheprovider", "-q",
               f"--basetemp={work / 'inner'}", "--a11y-scan-urls", str(urls), "--a11y-report-dir", str(work / "out"),
               "--a11y-fail-on", "none",
               # axe-core's findings are not this test's subject: its smallest set of rules keeps its time low.
               "--a11y-axe-tags", "wcag2aaa"]
    for persona in PERSONAS:
        command += ["--a11y-persona", persona]
    result = subprocess.run(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                            text=True, timeout=3600, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"{len(pages) * len(PERSONAS)} passed" in result.stdout, result.stdout[-2000:]
    run = read_run(next((work / "out").glob("*/results.ndjson")).parent)
    assert run.skipped_lines == 0, run.unreadable
    return [f for f in run.findings if f.source != "axe"]


def page_of(finding: Finding) -> str:
    return urlsplit(finding.page_url).path.lstrip("/")


@pytest.mark.browser
@pytest.mark.slow  # scan mode over 293 pages
def test_our_checks_raise_no_false_violation_on_the_design_systems_examples(corpus_url: str, tmp_path: Path) -> None:
    findings = scan_corpus(corpus_url, tmp_path)
    errors = sorted(f.one_line() for f in findings if f.outcome is Outcome.ERROR)
    assert errors == [], "checks that failed to run on the corpus:\n" + "\n".join(errors)
    violations: dict[Key, list[Finding]] = {}
    for finding in findings:
        if finding.outcome is Outcome.VIOLATION:
            violations.setdefault((page_of(finding), finding.rule_id), []).append(finding)
    expected = true_findings()
    overlap = set(expected) & set(KNOWN_FALSE_ALARMS)
    assert not overlap, f"both true and a known false alarm: {sorted(overlap)}"
    new = {key: found for key, found in violations.items() if key not in expected and key not in KNOWN_FALSE_ALARMS}
    stale = sorted(key for key in [*expected, *KNOWN_FALSE_ALARMS] if key not in violations)
    problems = [f"new violation on {page} ({rule}): {found[0].message}" for (page, rule), found in sorted(new.items())]
    problems += [f"stale: {page} ({rule}) is listed but no longer found; take it out of "
                 f"{TRUE_FINDINGS.name if (page, rule) in expected else 'KNOWN_FALSE_ALARMS'}"
                 for page, rule in stale]
    assert problems == [], f"{len(problems)} differences from the reviewed findings:\n" + "\n".join(problems)
