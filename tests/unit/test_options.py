"""Tests for harness/model/options.py: option values and their messages."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from harness.cli import scan as scan_command
from harness.model.errors import ConfigError
from harness.model.findings import Impact
from harness.model.options import (
    FAIL_ON_CHOICES,
    SAME,
    SHARED_OPTIONS,
    parse_axe_tags,
    parse_fail_on,
    parse_scan_checks,
    parse_scan_context,
)


@pytest.mark.parametrize(("value", "impact"), [
    ("critical", Impact.CRITICAL), ("serious", Impact.SERIOUS), ("moderate", Impact.MODERATE),
    ("minor", Impact.MINOR), ("none", None),
])
def test_parse_fail_on(value: str, impact: Impact | None) -> None:
    assert parse_fail_on(value) is impact


def test_every_impact_is_a_fail_on_choice() -> None:
    assert set(FAIL_ON_CHOICES) == {i.value for i in Impact} | {"none"}


def test_parse_fail_on_names_the_choices() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_fail_on("serous")
    assert str(caught.value) == ("--a11y-fail-on: unknown threshold 'serous'.\n"
                                 "Did you mean 'serious'?\n"
                                 "Known thresholds: critical, minor, moderate, none, serious")


def test_parse_fail_on_without_a_close_match() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_fail_on("high")
    assert str(caught.value) == ("--a11y-fail-on: unknown threshold 'high'.\n"
                                 "Known thresholds: critical, minor, moderate, none, serious")


def test_parse_axe_tags() -> None:
    assert parse_axe_tags("wcag2a,wcag2aa") == ("wcag2a", "wcag2aa")
    assert parse_axe_tags(" wcag2a , best-practice,, ") == ("wcag2a", "best-practice")
    # Criterion tags such as wcag143 run one criterion's rules.
    assert parse_axe_tags("wcag143,wcag1410") == ("wcag143", "wcag1410")


@pytest.mark.parametrize("value", ["", " , ,"])
def test_parse_axe_tags_needs_a_tag(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_axe_tags(value)
    assert str(caught.value) == "--a11y-axe-tags: give at least one axe-core tag, such as wcag2a,wcag2aa."


def test_parse_axe_tags_names_a_misspelt_tag() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_axe_tags("wcag2a,best-practise")  # British spelling; axe's tag is American
    assert str(caught.value) == (
        "--a11y-axe-tags: unknown axe tag 'best-practise'.\n"
        "Did you mean 'best-practice'?\n"
        "Known axe tags: ACT, EN-301-549, RGAAv4, TTv5, best-practice, experimental, section508, wcag21a, "
        "wcag21aa, wcag22a, wcag22aa, wcag2a, wcag2aa, wcag2aaa")


def test_parse_axe_tags_is_case_sensitive_like_axe() -> None:
    with pytest.raises(ConfigError, match=r"unknown axe tag 'WCAG2A'"):
        parse_axe_tags("WCAG2A")


def test_time_limits_must_be_positive() -> None:
    from harness.model.options import parse_seconds

    assert parse_seconds("--a11y-page-timeout", 2.5) == 2.5
    with pytest.raises(ConfigError) as caught:
        parse_seconds("--a11y-page-timeout", 0)
    assert str(caught.value) == ("--a11y-page-timeout: 0 is not a time limit. Give a number of seconds above 0, "
                                 "such as --a11y-page-timeout=30.")


PAGE_CHECK_IDS = ("focus-visible", "reflow", "statement-link")


@pytest.mark.parametrize(("value", "chosen"), [
    ("all", None),  # every page check, and the persona's own
    ("none", ()),  # axe alone
    ("reflow", ("reflow",)),
    (" focus-visible, reflow ,focus-visible", ("focus-visible", "reflow")),
])
def test_parse_scan_checks(value: str, chosen: tuple[str, ...] | None) -> None:
    assert parse_scan_checks(value, PAGE_CHECK_IDS) == chosen


def test_parse_scan_checks_names_the_unknown_one_and_the_known_ones() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_scan_checks("reflow,focus-visibel", PAGE_CHECK_IDS)
    assert str(caught.value) == (
        "--a11y-scan-checks: unknown page check 'focus-visibel'.\nDid you mean 'focus-visible'?\n"
        "Known page checks: all, focus-visible, none, reflow, statement-link")


def test_parse_scan_checks_refuses_an_empty_list() -> None:
    with pytest.raises(ConfigError, match="give 'all', 'none' or check ids separated by commas"):
        parse_scan_checks(" , ", PAGE_CHECK_IDS)


def test_parse_scan_context() -> None:
    assert parse_scan_context("fresh") == "fresh"
    with pytest.raises(ConfigError, match="--a11y-scan-context: unknown choice 'new'"):
        parse_scan_context("new")


# -- the options the plugin and the scan command share: declared once -------------------------------------


def plugin_side() -> argparse.ArgumentParser:
    """The shared options as the plugin adds them: the same keyword arguments, given to pytest's addoption."""
    parser = argparse.ArgumentParser()
    for spec in SHARED_OPTIONS:
        parser.add_argument(spec.flag, **spec.parser_kwargs())
    return parser


def test_every_scan_command_option_reaches_pytest_under_the_plugins_name(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    given = ["--urls", "pages.txt", "--persona", "keyboard-only", "--persona", "default", "--fail-on", "minor",
             "--report-dir", "out", "--max-pages", "7", "--depth", "1", "--include", "/bins/", "--exclude",
             r"\.pdf$", "--checks", "reflow", "--context", "fresh"]
    command = scan_command.build_parser().parse_args(given)
    handed_on, _ = plugin_side().parse_known_args(scan_command.pytest_arguments(command))
    assert vars(handed_on) == {
        "a11y_scan_urls": str(tmp_path / "pages.txt"), "a11y_sitemap": None, "a11y_crawl": None,
        "a11y_persona": ["keyboard-only", "default"], "a11y_fail_on": "minor",
        "a11y_report_dir": str(tmp_path / "out"), "a11y_crawl_max_pages": 7, "a11y_crawl_depth": 1,
        "a11y_crawl_include": ["/bins/"], "a11y_crawl_exclude": [r"\.pdf$"], "a11y_scan_checks": "reflow",
        "a11y_scan_context": "fresh"}


def test_the_scan_command_hands_on_its_own_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each default is declared once; only --fail-on differs, in the same declaration (a scan reports)."""
    monkeypatch.chdir(tmp_path)
    command = scan_command.build_parser().parse_args(["--crawl", "https://www.example.gov.uk/"])
    handed_on, _ = plugin_side().parse_known_args(scan_command.pytest_arguments(command))
    for spec in SHARED_OPTIONS:
        if spec.source or spec.local_path:
            continue
        assert getattr(handed_on, spec.flag[2:].replace("-", "_")) == spec.parser_kwargs(command=True)["default"]
    assert handed_on.a11y_fail_on == "none"
    assert plugin_side().parse_args([]).a11y_fail_on == "serious"
    assert [s.flag for s in SHARED_OPTIONS if s.command_default is not SAME] == ["--a11y-fail-on"]


def test_the_scan_command_reports_in_the_folder_it_was_started_in(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    arguments = scan_command.pytest_arguments(scan_command.build_parser().parse_args(["--urls", "p.txt"]))
    assert arguments[arguments.index("--a11y-report-dir") + 1] == str(tmp_path / "reports" / "out")
    assert "--a11y-personas-dir" not in arguments  # none here: the bundled personas
    (tmp_path / "personas").mkdir()
    arguments = scan_command.pytest_arguments(scan_command.build_parser().parse_args(["--urls", "p.txt"]))
    assert arguments[arguments.index("--a11y-personas-dir") + 1] == str(tmp_path / "personas")
