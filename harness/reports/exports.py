"""Machine outputs: every finding as JSON and as CSV, for dashboards, spreadsheets and bug trackers.

Both carry the run's own words (messages, selectors, snippets): escaping is the reader's job, but three things
from pages are defused, because people open these files in Excel and text editors: a spreadsheet formula,
controls and bidi overrides (written as JSON escapes, or as visible codes such as '[U+202E]' in CSV), and a
help address that is not a web address (left empty: `javascript:` helps nobody).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from harness.model.barriers import page_path
from harness.model.results import RunResult
from harness.model.untrusted import json_text, safe_href, shown

CSV_COLUMNS = ("target", "target_version", "journey", "persona", "step", "walk_outcome", "outcome", "impact",
               "blocker", "rule_id", "source", "criteria", "message", "page_url", "page", "selector", "snippet",
               "help", "help_url")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def finding_rows(run: RunResult) -> list[dict[str, Any]]:
    """One row per finding, with the walk and target it belongs to."""
    targets: dict[str, dict[str, Any]] = run.meta.get("targets", {})
    rows = []
    for walk in run.journeys:
        target = targets.get(walk.target, {})
        for finding in walk.findings:
            rows.append({
                "target": walk.target, "target_version": str(target.get("version", "")),
                "journey": walk.journey, "persona": walk.persona, "step": finding.step,
                "walk_outcome": walk.outcome, "outcome": finding.outcome.value, "impact": finding.impact.value,
                "blocker": finding.blocker, "rule_id": finding.rule_id, "source": finding.source,
                "criteria": list(finding.criteria), "message": finding.message, "page_url": finding.page_url,
                "page": page_path(finding.page_url, str(target.get("base_url", ""))),
                "selector": finding.selector, "snippet": finding.snippet, "help": finding.help,
                "help_url": safe_href(finding.help_url, relative=False)})
    return rows


def findings_json(run: RunResult) -> str:
    """The run's facts, every walk's outcome, and every finding."""
    document = {
        "run": {key: run.meta.get(key) for key in ("run_id", "started", "browser", "playwright_version",
                                                    "axe_version", "axe_tags", "fail_on")},
        "targets": run.meta.get("targets", {}),
        "walks": [{"test_id": w.test_id, "target": w.target, "persona": w.persona, "journey": w.journey,
                   "outcome": w.outcome, "blocker": w.blocker, "duration_s": w.duration_s,
                   "steps": len(w.steps)} for w in run.journeys],
        "findings": finding_rows(run),
    }
    return json_text(document) + "\n"


def _cell(value: Any) -> str:
    text = shown("; ".join(value) if isinstance(value, list) else str(value))
    # A cell that starts like a formula would run in a spreadsheet: a leading apostrophe keeps it text.
    return "'" + text if text.startswith(FORMULA_START) else text


def findings_csv(run: RunResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in finding_rows(run):
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()
