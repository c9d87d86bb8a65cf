"""The README's WCAG coverage table is what a run tests: built from axe-core, the rules registry and personas."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

from harness.cli.coverage import END, START, axe_rules, table
from harness.model.coverage import coverage_rows
from harness.model.rules import RULES

REPO = Path(__file__).resolve().parents[2]


def test_the_readme_table_matches_what_a_run_tests(page: Page) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert shown == table(page), "Regenerate it: .venv/bin/python -m harness.cli.coverage --write README.md"


def test_axe_cores_own_tags_name_the_criteria_its_rules_test(page: Page) -> None:
    rules = axe_rules(page)
    assert rules["color-contrast"] == ("1.4.3",)
    assert "1.1.1" in rules["image-alt"]
    assert all(re.fullmatch(r"\d\.\d\.\d{1,2}", c) for criteria in rules.values() for c in criteria)


def test_a_criterion_only_our_checks_test_names_the_personas_that_make_them() -> None:
    rows = {row.criterion: row for row in coverage_rows({}, RULES, {"keyboard-only": ["keyboard-trap"], "x": []})}
    assert rows["2.1.2"].own_checks == ("keyboard-trap",) and rows["2.1.2"].personas == ("keyboard-only",)
    assert rows["2.1.2"].automated and not rows["1.2.5"].automated
    assert len(rows) == 55  # WCAG 2.2 has 31 A and 24 AA criteria (4.1.1 is gone)
