"""benchmarks/act_report.py: the ACT rules' examples run through scan mode and judged per rule, on a sample."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import act_report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not (act_report.CORPUS / "cases.json").is_file(), reason="the ACT corpus is not on this machine")
def test_the_report_judges_a_sample_of_examples(tmp_path: Path) -> None:
    """One example of each outcome of a keyboard rule and a spacing rule: a trap that puts focus back after 10 ms,
    spacing fixed with !important in a style attribute, and an SVG document, all as ACT expects; axe-core's
    avoid-inline-spacing is judged on the same pages through its own actIds."""
    out = tmp_path / "act.json"
    result = subprocess.run([sys.executable, "benchmarks/act_report.py", "--rules", "80af7b,24afc2", "--sample", "1",
                             "--work", str(tmp_path / "work"), "--json", str(out)], cwd=REPO, capture_output=True,
                            text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = {row["rule"]: row for row in json.loads(out.read_text())["rules"]}
    figures = ("failed", "caught", "failed_review", "others", "flagged", "others_review", "errors")
    assert {rule: tuple(row[key] for key in figures) for rule, row in rows.items()} == {
        "80af7b": (1, 1, 0, 2, 0, 0, 0),
        "24afc2": (1, 1, 0, 2, 0, 0, 0),
    }
    assert rows["24afc2"]["axe_rules"] == ["avoid-inline-spacing"] and rows["24afc2"]["axe_caught"] == 1
    assert "| `24afc2` Important letter spacing in style attributes is wide enough | text-spacing | 1/1 | 0 | 0/2 |" \
        in result.stdout
    assert "| **all** | | **2/2** | 0 | **0/4** |" in result.stdout


def test_axe_cores_own_act_ids_map_its_rules() -> None:
    mapping = act_report.axe_act_map({})
    assert {"avoid-inline-spacing"} <= mapping["24afc2"]
    assert "meta-refresh" in mapping["bc659a"]
