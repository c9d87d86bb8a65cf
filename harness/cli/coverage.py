"""Print the WCAG coverage table, or write it into the README between its markers.

    .venv/bin/python -m harness.cli.coverage [--write README.md]

axe-core's rules and the criteria they test are read from axe-core itself, in Chromium, with the tags a run
enables; our checks from the rules registry; who makes them from the persona files.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from harness.browser.axe_scan import AXE_SOURCE, DEFAULT_TAGS
from harness.browser.behaviours import BEHAVIOURS
from harness.browser.session import choose_browser
from harness.model.coverage import coverage_rows, coverage_table
from harness.model.errors import ConfigError
from harness.model.personas import load_personas
from harness.model.rules import RULES
from harness.model.wcag import criteria_from_tags

PERSONAS = Path(__file__).resolve().parents[2] / "personas"
START, END = "<!-- coverage:start -->", "<!-- coverage:end -->"


def axe_rules(page: Page, tags: Sequence[str] = DEFAULT_TAGS) -> dict[str, tuple[str, ...]]:
    """axe-core rule id -> the WCAG criteria its tags name, for the rules a run with these tags enables."""
    page.goto("about:blank")
    page.add_script_tag(content=AXE_SOURCE)
    raw = page.evaluate("tags => axe.getRules(tags).map(r => [r.ruleId, r.tags])", list(tags))
    return {str(rule_id): criteria_from_tags([str(t) for t in rule_tags]) for rule_id, rule_tags in raw}


def table(page: Page, personas_dir: Path = PERSONAS) -> str:
    personas = load_personas(personas_dir, BEHAVIOURS)
    return coverage_table(coverage_rows(axe_rules(page), RULES, {p.id: p.checks for p in personas.values()}))


def table_from_a_new_browser() -> str:
    choice = choose_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**choice.launch_args({"headless": True}))
        try:
            return table(browser.new_page())
        finally:
            browser.close()


def write_into(readme: Path, text: str) -> None:
    content = readme.read_text(encoding="utf-8")
    if START not in content or END not in content:
        raise ConfigError(f"{readme}: no {START} ... {END} markers to write the table between. Add them where "
                          "the table belongs.")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    readme.write_text(pattern.sub(lambda _: f"{START}\n{text}\n{END}", content), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.cli.coverage", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, metavar="README", help="write the table into this file's markers")
    args = parser.parse_args(argv)
    text = table_from_a_new_browser()
    try:
        if args.write:
            write_into(args.write, text)
            print(f"Wrote the coverage table into {args.write}")
        else:
            print(text)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
