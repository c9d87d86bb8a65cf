"""Tests for harness/model/run_diff.py: barriers fixed, new and remaining between two releases."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.model.findings import Impact
from harness.model.run_diff import diff_barriers
from harness.reports.history import BarrierRecord, history_page, shared_elements
from harness.reports.run_view import RunView

RELEASES = Path(__file__).resolve().parents[1] / "data" / "results" / "history" / "releases"


def stored(rule: str, page: str = "amount", impact: Impact = Impact.SERIOUS, selector: str = "#x",
           journey: str = "pay") -> BarrierRecord:
    return BarrierRecord(journey=journey, page=page, rule_id=rule, selector=selector, impact=impact,
                         criteria=(), message=f"{rule} on {page}")


def test_fixed_new_and_remaining_are_matched_by_key() -> None:
    old = [stored("label"), stored("kept", impact=Impact.MINOR), stored("contrast")]
    new = [stored("kept", impact=Impact.MODERATE), stored("timeout", page="card")]
    diff = diff_barriers(old, new)
    assert [b.rule_id for b in diff.fixed] == ["label", "contrast"]
    assert [b.rule_id for b in diff.new] == ["timeout"]
    assert [(o.impact, n.impact) for o, n in diff.remaining] == [(Impact.MINOR, Impact.MODERATE)]
    assert diff.counts == (2, 1, 1)


def test_every_part_of_the_key_counts() -> None:
    """Same rule, but another page, selector or journey, is another barrier: one fixed, one new each."""
    base = stored("label")
    for other in (stored("label", page="card"), stored("label", selector="#y"), stored("label", journey="bins")):
        diff = diff_barriers([base], [other])
        assert (diff.fixed, diff.new, diff.remaining) == ([base], [other], [])


def test_message_and_impact_do_not_change_the_match() -> None:
    """Reworded messages and a changed impact are the same barrier still there."""
    old = stored("label", impact=Impact.CRITICAL)
    new = BarrierRecord(journey="pay", page="amount", rule_id="label", selector="#x", impact=Impact.MINOR,
                        criteria=("1.3.1",), message="reworded")
    assert diff_barriers([old], [new]).remaining == [(old, new)]


def test_empty_sides() -> None:
    assert diff_barriers([], []).counts == (0, 0, 0)
    assert diff_barriers([stored("a")], []).counts == (1, 0, 0)
    assert diff_barriers([], [stored("a")]).counts == (0, 1, 0)


def test_releases_in_their_own_folders_compare_page_for_page() -> None:
    """pay-v1 lives at /pay/v1/ and pay-v2 at /pay/v2/: the offline-route barrier on 'start' is the same one."""
    run = RunView.read(RELEASES)
    old, new = run.barriers("pay-v1"), run.barriers("pay-v2")
    assert {b.page_url.split("/pay/")[1].split("/")[0] for b in old} == {"v1"}
    assert {b.page_url.split("/pay/")[1].split("/")[0] for b in new} == {"v2"}
    diff = diff_barriers(old, new)
    assert sorted(b.rule_id for b in diff.fixed) == ["amount-before-payment", "label"]
    assert [b.rule_id for b in diff.new] == ["session-timeout"]
    assert [(o.rule_id, o.page, o.impact, n.impact) for o, n in diff.remaining] == [
        ("offline-alternative", "start", Impact.MINOR, Impact.MODERATE)]


def test_live_and_stored_barriers_diff_alike() -> None:
    run = RunView.read(RELEASES)
    live = diff_barriers(run.barriers("pay-v1"), run.barriers("pay-v2"))
    kept = diff_barriers([BarrierRecord.of(b) for b in run.barriers("pay-v1")],
                         [BarrierRecord.of(b) for b in run.barriers("pay-v2")])
    assert [b.key for b in live.fixed] == [b.key for b in kept.fixed]
    assert [b.key for b in live.new] == [b.key for b in kept.new]
    assert [n.key for _, n in live.remaining] == [n.key for _, n in kept.remaining]


def test_rules_that_name_one_element_are_pointed_out() -> None:
    """Two rules on #amount are one thing to fix; two page-wide checks on 'body' are two problems."""
    label, placeholder = stored("label", selector="#amount"), stored("placeholder-label", selector="#amount")
    body_checks = [stored("statement-link", selector="body"), stored("offline-route", selector="body")]
    shared = shared_elements([label, stored("contrast", selector="#other"), *body_checks, placeholder])
    assert [(s.page, s.selector, s.rules) for s in shared] == [("amount", "#amount", ("label", "placeholder-label"))]
    assert shared_elements([(label, label), (placeholder, placeholder)])[0].rules == ("label", "placeholder-label")


def test_the_pages_say_which_rows_are_one_element() -> None:
    run = RunView.read(RELEASES)
    assert "One element, more than one rule" not in history_page(run, None)
    step = next(w for w in run.walks if w.target == "pay-v1").steps[0]
    label = next(f for f in step.findings if f.rule_id == "label")
    step.findings.append(replace(label, rule_id="placeholder-label", message="Only a placeholder names it."))
    run = RunView(run.run)  # a view is of the run as read: changed findings make a new view
    text = " ".join(history_page(run, None).split())
    assert "Release 2.0 fixed 3 barriers" in text
    assert ("One element, more than one rule: <code>#amount</code> on amount (Pay an amount) is named by label "
            "and placeholder-label, so these 2 rows are one thing to fix.") in text
