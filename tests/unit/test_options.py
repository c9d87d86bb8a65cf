"""Tests for harness/model/options.py: option values and their messages."""

from __future__ import annotations

import pytest

from harness.model.errors import ConfigError
from harness.model.findings import Impact
from harness.model.options import (
    FAIL_ON_CHOICES,
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
