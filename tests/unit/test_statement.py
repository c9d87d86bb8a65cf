"""Statement drafts: the model's legal wording, never 'fully compliant', council checks kept out of WCAG."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.model.findings import Finding, Impact, Outcome
from harness.reports.run_view import RunView
from harness.reports.statements import (
    EASS_URL,
    PARTIAL,
    UNKNOWN,
    can_do_list,
    markdown_text,
    render_statements,
    statement_draft,
)
from tests.unit.test_persona_story import demo_run, finding, step, walk


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def with_council_failures(run: RunView) -> RunView:
    """Margaret meets a council check with no criterion, and one mapped to 3.3.4, on Supplier B."""
    council = [
        finding("offline-alternative", "low-digital-skill", "garden-waste", "Start", criteria=(),
                impact="serious", selector="body", snippet="", message="The start page names no phone number.",
                council=True),
        finding("extra-zero", "low-digital-skill", "garden-waste", "Pay", criteria=("3.3.4",),
                selector="#amount", snippet="", message="The amount 520.00 was taken without being shown back.",
                council=True),
    ]
    run.walks.append(walk("sup-b", "low-digital-skill", "bin-day", [
        step(1, "Start", findings=council)]))
    return run


def render(run: RunView) -> dict[str, str]:
    return render_statements(run)


def test_violations_make_it_partially_compliant_and_never_fully(tmp_path: Path) -> None:
    pages = render(demo_run(tmp_path))
    assert statement_draft(demo_run(tmp_path), "sup-b").compliance == PARTIAL
    html, md = pages["statement-sup-b.html"], pages["statement-sup-b.md"]
    assert "This website is partially compliant with the" in md
    assert "Web Content Accessibility Guidelines version 2.2" in html and "AA standard, due to the non-compliances" \
        " listed below." in html
    for text in pages.values():
        assert "fully compliant" not in text.lower()


def test_no_violations_asks_for_a_manual_audit_instead(tmp_path: Path) -> None:
    run = demo_run(tmp_path)
    draft = statement_draft(run, "sup-a")
    assert draft.compliance == UNKNOWN
    assert draft.non_compliance == []
    assert "audited by a person" in draft.compliance_sentence
    md = render(run)["statement-sup-a.md"]
    assert "fully compliant" not in md.lower() and "partially compliant" not in md


def test_council_check_failures_are_not_wcag_non_compliance(tmp_path: Path) -> None:
    run = with_council_failures(demo_run(tmp_path))
    draft = statement_draft(run, "sup-b")
    listed = {k.rule_id for g in draft.non_compliance for k in g.barriers}
    assert "keyboard-reachable" in listed
    assert "offline-alternative" not in listed and "extra-zero" not in listed
    known = {k.rule_id for k in draft.known_barriers}
    assert {"offline-alternative", "extra-zero"} <= known
    html = render(run)["statement-sup-b.html"]
    non_compliance = section(html, "Non-compliance with the accessibility regulations", "Disproportionate burden")
    how = section(html, "How accessible this website is", "Feedback and contact information")
    assert "names no way to use the service except online" in how
    assert "names no way to use the service except online" not in non_compliance
    assert "3.3.4" not in non_compliance


def test_non_compliance_entry_names_the_criterion_and_leaves_a_fix_date(tmp_path: Path) -> None:
    run = demo_run(tmp_path)
    md = render(run)["statement-sup-b.md"]
    assert "##### 2.1.1 Keyboard (level A)" in md
    assert "This fails WCAG 2.2 success criterion 2.1.1 (Keyboard)." in md
    assert "This fails WCAG 2.2 success criterion 1.1.1 (Non-text Content)." in md
    assert md.count("We plan to fix this by [fix date].") == 2


def test_can_do_bullets_follow_persona_completion(tmp_path: Path) -> None:
    run = demo_run(tmp_path)
    b = {c.persona: c for c in can_do_list(run, "sup-b") if c.persona}
    assert not b["keyboard-only"].included and "1 of 3" in b["keyboard-only"].reason  # Ash was stopped twice
    assert b["low-vision-zoom"].included  # Claudia completed the one journey she walked
    assert not b["screen-reader"].included and "did not walk" in b["screen-reader"].reason
    a = {c.persona: c for c in can_do_list(run, "sup-a") if c.persona}
    assert a["keyboard-only"].included and not a["low-vision-zoom"].included
    md_b = render(run)["statement-sup-b.md"]
    bullets = section(md_b, "you should be able to:", "> **Note for the editor:**")
    assert "- zoom in up to 300% without the text spilling off the screen" in bullets
    assert "using just a keyboard" not in bullets
    # Nothing the run cannot show is claimed.
    assert "change colours" not in bullets and "speech recognition" not in bullets


def test_preparation_names_journeys_personas_tools_and_date(tmp_path: Path) -> None:
    draft = statement_draft(demo_run(tmp_path), "sup-b")
    method = " ".join(draft.method)
    assert draft.tested_on == "26 November 2026"
    assert "Find your bin collection day" in method and "Subscribe to garden waste collection" in method
    assert "Ash (keyboard-only user)" in method and "axe-core 4.12.1" in method and "Playwright 1.65.2" in method
    assert draft.organisation == "[name of organisation]"  # Supplier B's target leaves it empty
    assert statement_draft(demo_run(tmp_path), "sup-a").organisation == "Millbrook District Council"


def test_legal_wording_banner_and_enforcement(tmp_path: Path) -> None:
    pages = render(demo_run(tmp_path))
    html = pages["statement-sup-b.html"]
    assert html.count("<h1>") == 1
    assert "Draft from automated testing: not a statement to publish as it is." in html
    for heading in ("How accessible this website is", "Feedback and contact information",
                    "Reporting accessibility problems with this website", "Enforcement procedure",
                    "Technical information about this website's accessibility", "Compliance status",
                    "Non-accessible content", "Disproportionate burden",
                    "Content that's not within the scope of the accessibility regulations",
                    "Preparation of this accessibility statement"):
        assert f">{heading}</h" in html, heading
    assert "The content listed below is non-accessible for the following reasons." in html
    assert "This statement was prepared on" in html and "It was last reviewed on" in html
    assert f'href="{EASS_URL}"' in html and "Equality and Human Rights Commission (EHRC)" in html
    assert "is committed to making its website accessible, in accordance with the Public Sector Bodies " \
        "(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018." in html
    index = pages["statements.html"]
    assert 'href="statement-sup-a.html"' in index and 'href="statement-sup-b.md"' in index


def test_markdown_text_keeps_page_text_on_one_line_and_never_as_html() -> None:
    assert markdown_text("Plain words\nacross  lines") == "Plain words across lines"
    assert markdown_text("<html> element must have a lang attribute") == \
        "\\<html\\> element must have a lang attribute"
    assert markdown_text("uses `code` and <b>") == "uses \\`code\\` and \\<b\\>"


def test_page_text_is_escaped_in_html_and_in_markdown(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    run = demo_run(tmp_path)
    run.walks.append(walk("sup-b", "low-vision-zoom", "bin-day", [step(1, "Search", "blocked", [
        Finding(outcome=Outcome.VIOLATION, impact=Impact.SERIOUS, rule_id="control-has-role", source="harness",
                message=evil, help=evil, help_url="", criteria=("4.1.2",), page_url=f"http://demo/sup-b/{evil}",
                selector=evil, snippet=evil, target="sup-b", persona="low-vision-zoom", journey="bin-day",
                step="Search", blocker=True)])], "blocked", evil))
    run.run.record = replace(run.record, journeys={**run.record.journeys, "bin-day": evil})
    pages = render(run)
    for name, text in pages.items():
        if name.endswith(".html"):
            assert evil not in text and "<script>" not in text, name
    md = pages["statement-sup-b.md"]
    assert "<script>" not in md
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in md  # every character shown, none acted on


def test_a_failed_axe_scan_is_said_where_the_draft_finds_no_failures(tmp_path: Path) -> None:
    """Issue 16: a page that broke axe-core's scan must not read as a page without failures."""
    run = demo_run(tmp_path)
    failed = Finding(outcome=Outcome.ERROR, impact=Impact.SERIOUS, rule_id="axe-scan-failed", source="harness",
                     message="The axe-core scan could not run on this page state.", help="", help_url="",
                     page_url="https://a.example/start", target="sup-a", persona="default", journey="bin-day",
                     step="Start")
    run.walks.append(walk("sup-a", "default", "bin-day", [step(1, "Start", findings=[failed])]))
    draft = statement_draft(run, "sup-a")
    assert draft.compliance == UNKNOWN and draft.scans_failed == 1
    assert "the axe-core scan failed on 1 page state, where failures would not have been seen" \
        in draft.compliance_sentence
    pages = render(run)
    for name in ("statement-sup-a.html", "statement-sup-a.md"):
        assert "failed on 1 page state" in pages[name].split("Non-compliance with the accessibility regulations")[1]
