"""Machine outputs: every finding as JSON and as CSV, for dashboards, spreadsheets and bug trackers.

Both carry the run's own words (messages, selectors, snippets) unchanged: escaping is the reader's job,
and a spreadsheet formula in page text is defused, because CSV files are opened by people in Excel.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from harness.barriers import page_path
from harness.results import RunResult

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
                "help_url": finding.help_url})
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
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> str:
    text = "; ".join(value) if isinstance(value, list) else str(value)
    # A cell that starts like a formula would run in a spreadsheet: a leading apostrophe keeps it text.
    return "'" + text if text.startswith(FORMULA_START) else text


def findings_csv(run: RunResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in finding_rows(run):
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()
