"""Tests for harness/model/wcag.py: axe-core tags to WCAG success criteria, their order and titles."""

from __future__ import annotations

import pytest

from harness.model.wcag import CRITERIA, criteria_from_tags, criterion_from_tag, sort_key, title_of


@pytest.mark.parametrize(("tag", "criterion"), [
    ("wcag111", "1.1.1"), ("wcag143", "1.4.3"), ("wcag1410", "1.4.10"), ("wcag1411", "1.4.11"),
    ("wcag247", "2.4.7"), ("wcag2411", "2.4.11"), ("wcag258", "2.5.8"), ("wcag412", "4.1.2"),
])
def test_criterion_from_tag(tag: str, criterion: str) -> None:
    assert criterion_from_tag(tag) == criterion


@pytest.mark.parametrize("tag", [
    "wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa", "wcag22aa",  # levels, not criteria
    "best-practice", "cat.forms", "section508", "EN-9.1.1.1", "TT7.a", "ACT", "",
    "wcag999",  # criterion-shaped, but not a WCAG 2.2 criterion
    "wcag12345", "xwcag111", "wcag111x", "WCAG111",
])
def test_tags_that_are_not_criteria_give_none(tag: str) -> None:
    assert criterion_from_tag(tag) is None


def test_criteria_from_tags_keeps_wcag_order_without_repeats() -> None:
    tags = ["cat.color", "wcag2aa", "wcag1410", "wcag143", "wcag21aa", "wcag144", "wcag143", "wcag111"]
    assert criteria_from_tags(tags) == ("1.1.1", "1.4.3", "1.4.4", "1.4.10")
    assert criteria_from_tags([]) == ()
    assert criteria_from_tags(["wcag2a", "best-practice"]) == ()


def test_sort_key_puts_1_4_10_after_1_4_4() -> None:
    ids = ["2.4.11", "1.4.10", "1.4.4", "4.1.2", "1.4.3", "2.4.7"]
    assert sorted(ids, key=sort_key) == ["1.4.3", "1.4.4", "1.4.10", "2.4.7", "2.4.11", "4.1.2"]
    # A plain string sort gets this wrong, which is why sort_key exists.
    assert sorted(["1.4.10", "1.4.4"]) == ["1.4.10", "1.4.4"]


def test_the_table_is_in_wcag_order_and_well_formed() -> None:
    ids = list(CRITERIA)
    assert ids == sorted(ids, key=sort_key)
    assert {c.level for c in CRITERIA.values()} == {"A", "AA", "AAA"}
    # AAA criteria appear only where a check tests one (3.1.5 Reading Level, for plain language).
    assert [cid for cid, c in CRITERIA.items() if c.level == "AAA"] == ["3.1.5"]
    assert all(cid == c.id for cid, c in CRITERIA.items())
    # WCAG 2.2 removed 4.1.1 Parsing; it must not come back from an old axe tag.
    assert "4.1.1" not in CRITERIA and criterion_from_tag("wcag411") is None


def test_title_of() -> None:
    assert title_of("1.4.3") == "1.4.3 Contrast (Minimum)"
    assert title_of("4.1.2") == "4.1.2 Name, Role, Value"
    assert title_of("2.5.8") == "2.5.8 Target Size (Minimum)"
    assert title_of("9.9.9") == "9.9.9"


def test_understanding_url() -> None:
    assert CRITERIA["1.4.3"].understanding_url == \
        "https://www.w3.org/WAI/WCAG22/Understanding/contrast-minimum.html"
    assert CRITERIA["4.1.2"].understanding_url == \
        "https://www.w3.org/WAI/WCAG22/Understanding/name-role-value.html"
    assert CRITERIA["2.1.1"].understanding_url == "https://www.w3.org/WAI/WCAG22/Understanding/keyboard.html"
