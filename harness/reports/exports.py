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
from harness.model.untrusted import json_text, safe_href, shown
from harness.reports.run_view import RunView

CSV_COLUMNS = ("target", "target_version", "journey", "persona", "step", "walk_ending", "outcome", "impact",
               "blocker", "rule_id", "source", "criteria", "message", "page_url", "page", "selector", "snippet",
               "help", "help_url")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def finding_rows(view: RunView) -> list[dict[str, Any]]:
    """One row per finding, with the walk and target it belongs to."""
    rows = []
    for walk in view.walks:
        target = view.target(walk.target)
        for finding in walk.findings:
            rows.append({
                "target": walk.target, "target_version": target.version,
                "journey": walk.journey, "persona": walk.persona, "step": finding.step,
                "walk_ending": walk.ending, "outcome": finding.outcome.value, "impact": finding.impact.value,
                "blocker": finding.blocker, "rule_id": finding.rule_id, "source": finding.source,
                "criteria": list(finding.criteria), "message": finding.message, "page_url": finding.page_url,
                "page": page_path(finding.page_url, target.base_url),
                "selector": finding.selector, "snippet": finding.snippet, "help": finding.help,
                "help_url": safe_href(finding.help_url, relative=False)})
    return rows


def findings_json(view: RunView) -> str:
    """The run's facts, how every walk ended, and every finding."""
    document = {
        "run": {key: getattr(view.record, key) for key in ("run_id", "started", "browser", "playwright_version",
                                                           "axe_version", "axe_tags", "fail_on")},
        "targets": {target_id: _sorted_keys(target.to_dict()) for target_id, target in view.record.targets.items()},
        "walks": [{"test_id": w.test_id, "target": w.target, "persona": w.persona, "journey": w.journey,
                   "ending": w.ending, "blocker": w.blocker, "duration_s": w.duration_s,
                   "steps": len(w.steps)} for w in view.walks],
        "findings": finding_rows(view),
    }
    return json_text(document) + "\n"


def _sorted_keys(value: Any) -> Any:
    """Objects with their keys in order, as results.ndjson holds them, so the export reads the same run to run."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    return value


def _cell(value: Any) -> str:
    text = shown("; ".join(value) if isinstance(value, list) else str(value))
    # A cell that starts like a formula would run in a spreadsheet: a leading apostrophe keeps it text.
    return "'" + text if text.startswith(FORMULA_START) else text


def findings_csv(view: RunView) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in finding_rows(view):
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def render_exports(view: RunView) -> dict[str, str]:
    """{'findings.json', 'findings.csv'}: every finding, for dashboards, spreadsheets and bug trackers."""
    return {"findings.json": findings_json(view), "findings.csv": findings_csv(view)}
