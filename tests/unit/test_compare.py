"""Tests for harness/cli/compare.py and harness/reports/changes.py: `python -m harness.cli.compare OLD_RUN NEW_RUN`,
its output, page and errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from harness.cli.compare import main
from harness.reports.changes import compare_runs, compare_text, render_compare
from harness.reports.history import HistoryDB
from harness.reports.run_view import RunView

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "results" / "history"
RELEASES, LATER, HOSTILE = DATA / "releases", DATA / "later", DATA / "hostile"


def test_two_releases_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "compare.html"
    code = main([str(RELEASES), str(RELEASES), "--old-target", "pay-v1", "--new-target", "pay-v2", "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert printed.splitlines()[:4] == [
        "Old: pay-v1, release 1.9 (run 2026-11-01T09-00-00Z-1): 1 of 2 walks completed, 3 barriers",
        "New: pay-v2, release 2.0 (run 2026-11-01T09-00-00Z-1): 2 of 2 walks completed, 2 barriers",
        "Release 2.0 fixed 2 barriers, kept 1 and added 1 new one; 2 of 2 walks completed (was 1 of 2).",
        "Fixed: 2  New: 1  Remaining: 1",
    ]
    fixed = printed.split("Fixed (2):\n")[1].split("New (1):\n")[0].splitlines()
    assert fixed == [
        ("  - serious: Pay an amount › card: amount-before-payment: The total is not shown before the card "
        "details are asked for."),
        "  - serious: Pay an amount › amount: label: The field 'Amount' has only a placeholder, no label. at #amount",
    ]
    assert printed.split("New (1):\n")[1].split("Remaining (1):\n")[0] == (
        "  - serious: Pay an amount › card: session-timeout: The card page ends the session after 15 minutes "
        "without warning.\n")
    assert printed.split("Remaining (1):\n")[1].startswith(
        "  - moderate (was minor): Pay an amount › start: offline-alternative: The start page offers no other way")
    assert printed.endswith(f"compare.html written: {out}\n")
    html = out.read_text(encoding="utf-8")
    assert "<h1>Compare runs: what was fixed, what is new, what remains</h1>" in html
    assert "Fixed in release 2.0 (2)" in html and "Still there in release 2.0 (1)" in html


def test_same_id_targets_are_paired_and_the_page_goes_into_the_new_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "later"
    shutil.copytree(LATER, new)
    (new / "report.html").write_text("a report")
    assert main([str(RELEASES), str(new)]) == 0
    printed = capsys.readouterr().out
    # Both runs walked pay-v1 and pay-v2: two comparisons, in the old run's order.
    assert [line for line in printed.splitlines() if line.startswith("Old: ")] == [
        "Old: pay-v1, release 1.9 (run 2026-11-01T09-00-00Z-1): 1 of 2 walks completed, 3 barriers",
        ("Old: pay-v2, the run of 1 November 2026 09:00 UTC (run 2026-11-01T09-00-00Z-1): 2 of 2 walks "
        "completed, 2 barriers"),
    ]
    assert ("The run of 20 November 2026 09:00 UTC fixed 1 barrier, kept 1 and added no new ones; 2 of 2 walks "
            "completed (was 2 of 2).") in printed
    html = (new / "compare.html").read_text(encoding="utf-8")
    assert '<a href="report.html">QA report</a>' in html  # linked because it sits beside the page
    assert 'href="personas.html"' not in html


def test_naming_one_target_pairs_it_with_the_same_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main([str(RELEASES), str(LATER), "--old-target", "pay-v2", "-o", str(tmp_path / "c.html")]) == 0
    assert sum(line.startswith("Old: ") for line in capsys.readouterr().out.splitlines()) == 1


def test_a_missing_run_folder_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope"
    assert main([str(RELEASES), str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"error: NEW_RUN {missing}: no such folder. Pass a run folder that holds results.ndjson "
        "(for example reports/out/<run-id>).\n")
    assert main([str(tmp_path), str(RELEASES)]) == 2
    assert capsys.readouterr().err.startswith(
        f"error: OLD_RUN {tmp_path / 'results.ndjson'}: no results file here.")


def test_a_missing_target_lists_the_targets_there(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(RELEASES), str(RELEASES), "--old-target", "pay-v1", "--new-target", "pay-2"]) == 2
    assert capsys.readouterr().err == (
        f"error: NEW_RUN {RELEASES}: target 'pay-2' was not walked in this run.\n"
        "Did you mean 'pay-v2'?\n"
        "Targets in this run: pay-v1, pay-v2\n")


def test_runs_with_no_target_in_common(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(RELEASES), str(HOSTILE)]) == 2
    assert capsys.readouterr().err == (
        f"error: The runs walked no target in common: OLD_RUN {RELEASES} has pay-v1, pay-v2; NEW_RUN {HOSTILE} "
        "has evil-v1, evil-v2. Name the two to compare with --old-target ID --new-target ID.\n")


def test_trend_from_the_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "history.sqlite"
    with HistoryDB(db_path) as db:
        db.record_run(RunView.read(RELEASES))
        db.record_run(RunView.read(LATER))
    assert main(["--history", str(db_path), "quickpay"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "quickpay (QuickPay Ltd)"
    assert [line.split()[0] for line in lines[1:5]] == ["1.9", "1.10", "2.0", "2.0"]
    assert lines[1].endswith("pay-v1: 1 of 2 walks completed, 1 blocked; 2 serious, 1 minor; 1 to review "
                             "(run 2026-11-01T09-00-00Z-1)")
    assert lines[5].strip().startswith("Release 1.10 fixed 2 barriers, kept 1")
    assert main(["--history", str(db_path), "quickpai"]) == 2
    assert capsys.readouterr().err == (
        f"error: {db_path}: no runs of product 'quickpai' are recorded.\nDid you mean 'quickpay'?\n"
        "Products recorded: quickpay\n")
    assert main(["--history", str(tmp_path / "none.sqlite"), "quickpay"]) == 2
    assert "none.sqlite: no history database here." in capsys.readouterr().err


def test_the_module_runs_from_the_command_line(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "harness.cli.compare", str(RELEASES), str(RELEASES),
                             "--old-target", "pay-v1", "--new-target", "pay-v2", "-o", str(tmp_path / "c.html")],
                            cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "Fixed: 2  New: 1  Remaining: 1" in result.stdout
    assert (tmp_path / "c.html").is_file()


def test_compare_page_escapes_page_text() -> None:
    run = RunView.read(HOSTILE)
    pairs = compare_runs(run, run, "evil-v1", "evil-v2")
    assert pairs[0].diff.counts == (1, 1, 1)
    html = render_compare(run, run, pairs, [])["compare.html"]
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Field &lt;script&gt;alert(1)&lt;/script&gt; has no label." in html


def test_the_terminal_says_which_rows_are_one_element() -> None:
    run = RunView.read(RELEASES)
    step = next(w for w in run.walks if w.target == "pay-v1").steps[0]
    label = next(f for f in step.findings if f.rule_id == "label")
    step.findings.append(replace(label, rule_id="placeholder-label"))
    text = compare_text(compare_runs(run, run, "pay-v1", "pay-v2"), {})
    fixed = text.split("Fixed (3):\n")[1].split("New (1):")[0]
    assert fixed.endswith("  (one element, more than one rule: #amount on amount is named by label and "
                          "placeholder-label)\n")
