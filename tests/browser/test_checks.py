"""Every persona check on its fixture page (axe-core style): #pass elements pass, #fail and #review are found."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from playwright.sync_api import Page

from harness.browser.checks import CHECKS, PAGE_CHECKS, run_checks
from harness.browser.checks.registry import CheckSpec, Hit, PageContext
from harness.model.findings import Impact, Outcome
from harness.model.rules import CHECK_FAILED_HELP, RULES, Rule, RuleKind

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser

CHECK_PAGES = Path(__file__).resolve().parents[1] / "data" / "pages" / "checks"


PAGE_CHECK_IDS = sorted(check_id for check_id, spec in CHECKS.items() if not spec.is_probe)


def test_every_registered_check_has_a_fixture_page() -> None:
    for check_id in PAGE_CHECK_IDS:
        assert (CHECK_PAGES / f"{check_id}.html").is_file(), f"no fixture page for check '{check_id}'"
        assert (CHECK_PAGES / f"{check_id}.json").is_file(), f"no expected results for check '{check_id}'"
    assert set(PAGE_CHECKS) <= set(CHECKS)


@pytest.mark.parametrize("check_id", PAGE_CHECK_IDS)
def test_check_finds_exactly_what_its_fixture_page_expects(page: Page, pages_url: str, check_id: str) -> None:
    """The expected file holds one case, or a list of cases that each give the journey's context."""
    expected = json.loads((CHECK_PAGES / f"{check_id}.json").read_text())
    for case in expected if isinstance(expected, list) else [expected]:
        page.goto(f"{pages_url}/checks/{check_id}.html")
        context = PageContext(**case.get("context", {}))
        findings = run_checks(page, [check_id], context)
        assert [f.one_line() for f in findings if f.outcome is Outcome.ERROR] == []
        found = {outcome: sorted(f.selector for f in findings if f.outcome.value == outcome)
                 for outcome in ("violation", "needs-review")}
        assert found == {outcome: sorted(case[outcome]) for outcome in ("violation", "needs-review")}, context
        spec = CHECKS[check_id]
        assert all(f.rule_id == check_id and f.criteria == spec.criteria and f.help == spec.help
                   for f in findings)


def test_a_check_that_crashes_becomes_an_error_and_the_others_still_run(
        page: Page, pages_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(page: Page) -> Iterator[Hit]:
        raise RuntimeError("the page did something unexpected")
        yield  # pragma: no cover

    rule = Rule(id="broken-check", kind=RuleKind.CHECK, summary="broken", impact=Impact.SERIOUS, help="Fix it.",
                criteria=("1.3.1",))
    monkeypatch.setitem(CHECKS, "broken-check", CheckSpec.of(rule, broken))
    page.goto(f"{pages_url}/checks/reflow.html")
    findings = run_checks(page, ["broken-check", "reflow"])
    assert [(f.rule_id, f.outcome.value) for f in findings] == [("broken-check", "error"), ("reflow", "violation")]
    assert findings[0].message == ("The check 'broken-check' failed to run: RuntimeError: the page did "
                                   "something unexpected")
    assert (findings[0].impact, findings[0].criteria, findings[0].help) == (Impact.MINOR, ("1.3.1",), CHECK_FAILED_HELP)


def test_registering_a_duplicate_misshapen_or_undescribed_check_is_refused() -> None:
    from harness.browser.checks.registry import persona_check

    def reflow(page: Page) -> Iterator[Hit]:
        yield from ()

    with pytest.raises(ValueError, match="A check named 'reflow' is already registered"):
        persona_check(reflow)

    def wrong_shape(url: str) -> Iterator[Hit]:
        yield from ()

    with pytest.raises(TypeError, match="must take the page as its first argument"):
        persona_check(wrong_shape)  # type: ignore[arg-type]
    assert "wrong-shape" not in CHECKS

    def undescribed(page: Page) -> Iterator[Hit]:
        yield from ()

    with pytest.raises(ValueError, match=r"Check 'undescribed' has no entry in rules.toml; add \[undescribed\]"):
        persona_check(undescribed)

    def payment_refused(page: Page) -> Iterator[Hit]:
        yield from ()

    with pytest.raises(ValueError, match="Check 'payment-refused' is a harness rule in rules.toml"):
        persona_check(payment_refused)
    assert "undescribed" not in CHECKS and "payment-refused" not in CHECKS


def test_every_check_and_probe_of_the_rules_file_is_registered_with_its_metadata() -> None:
    assert {rule_id for rule_id, rule in RULES.items() if rule.selectable} == set(CHECKS)
    for check_id, spec in CHECKS.items():
        assert RULES[check_id] == Rule(**{f.name: getattr(spec, f.name) for f in fields(Rule)})
        assert spec.is_probe == (spec.run is None) == (RULES[check_id].kind is RuleKind.PROBE)
