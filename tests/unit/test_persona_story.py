"""Persona stories: each kind of walk told in a sentence, where they got stuck, and what fixing unlocks."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

from harness.model.findings import Finding, Impact, Outcome
from harness.model.records import PageState, PersonaRecord, RunRecord
from harness.model.results import RunResult, StepResult, WalkResult
from harness.reports.personas import (
    fixes_for,
    journey_story,
    outline_of,
    persona_report,
    png_size,
    render_personas,
    screenshot_scale,
)
from harness.reports.run_view import RunView

BASE = "http://demo/sup-b/"
KEY_BLOCK = "'Start' cannot be reached with the keyboard, so someone who cannot use a mouse cannot go on."


def png(path: Path, width: int, height: int) -> None:
    """A valid blank PNG of the given size: enough for png_size and for a browser."""
    raw = b"".join(b"\x00" + b"\xff" * (width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def finding(rule: str, persona: str, journey: str, step: str, *, target: str = "sup-b", page: str = "start",
            blocker: bool = False, criteria: tuple[str, ...] = ("2.1.1",), impact: str = "critical",
            selector: str = "#start", snippet: str = "<span>Start</span>", message: str = KEY_BLOCK,
            source: str = "harness", council: bool = False) -> Finding:
    base = BASE.replace("sup-b", target)
    return Finding(outcome=Outcome.VIOLATION, impact=Impact(impact), rule_id=rule, source=source,
                   message=message, help="Use a button.", help_url="", criteria=criteria,
                   page_url=f"{base}{journey}/{page}", selector=selector, snippet=snippet, target=target,
                   persona=persona, journey=journey, step=step, blocker=blocker,
                   extra={"council_check": True} if council else {})


def step(index: int, name: str, status: str = "completed", findings: list[Finding] | None = None,
         states: list[PageState] | None = None) -> StepResult:
    return StepResult(name=name, index=index, status=status, states=states or [], findings=findings or [])


GARDEN = ["Start", "Check eligibility", "Enter the address", "Choose bins", "Pay"]


def walk(target: str, persona: str, journey: str, steps: list[StepResult], ending: str = "completed",
         blocker: str = "") -> WalkResult:
    return WalkResult(test_id=f"{journey}[{target}-{persona}]", target=target, persona=persona,
                      journey=journey, steps=steps, ending=ending, blocker=blocker)


def meta() -> dict[str, Any]:
    return {
        "run_id": "2026-11-26T10-00-00Z-1", "started": "2026-11-26T10:00:00+00:00", "axe_version": "4.12.1",
        "browser": "/usr/bin/chromium (system Chromium)", "playwright_version": "1.65.2",
        "journeys": {"bin-day": "Find your bin collection day",
                     "garden-waste": "Subscribe to garden waste collection",
                     "pay-an-amount": "Pay the council an amount you type"},
        "personas": {
            "keyboard-only": {"id": "keyboard-only", "name": "Ash", "title": "Keyboard-only user",
                              "description": "Ash cannot use a mouse.", "checks": ["keyboard-reachable"],
                              "context": {}},
            "low-digital-skill": {"id": "low-digital-skill", "name": "Margaret",
                                  "title": "Older resident with low digital skills",
                                  "description": "Margaret is 78.", "checks": ["offline-alternative"]},
            "low-vision-zoom": {"id": "low-vision-zoom", "name": "Claudia", "title": "Low vision, zooms to 400%",
                                "description": "Claudia zooms.", "checks": []},
            "mobile-only": {"id": "mobile-only", "name": "Jordan", "title": "Smartphone only",
                            "description": "Jordan taps.", "checks": [],
                            "context": {"device_scale_factor": 2}},
        },
        "targets": {
            "sup-a": {"id": "sup-a", "name": "Waste services (Supplier A)", "supplier": "Supplier A",
                      "base_url": "{demo}/sup-a/", "version": "1.0", "organisation": "Millbrook District Council",
                      "contact": "Phone 01632 960 000", "test_environment": True,
                      "journeys": {"bin-day": "bin-day", "garden-waste": "garden-waste/start"}},
            "sup-b": {"id": "sup-b", "name": "Waste services (Supplier B)", "supplier": "Supplier B",
                      "base_url": "{demo}/sup-b/", "version": "4.2", "organisation": "", "contact": "",
                      "journeys": {"bin-day": "bin-day", "garden-waste": "garden-waste/start",
                                   "pay-an-amount": "pay/start"}},
        },
        "checks": {
            "keyboard-reachable": {"criteria": ["2.1.1"], "impact": "critical", "council_check": False,
                                   "summary": "Every control the journey needs can be reached with Tab."},
            "offline-alternative": {"criteria": [], "impact": "serious", "council_check": True,
                                    "summary": "A service start page must name a route that does not need the "
                                               "internet."},
            "extra-zero": {"criteria": ["3.3.4"], "impact": "critical", "council_check": True,
                           "summary": "An amount typed with an extra zero is shown back."},
        },
    }


def stuck_state(shot: str, boxes: dict[str, tuple[float, float, float, float]]) -> PageState:
    return PageState(label="where the persona got stuck", url=f"{BASE}garden-waste/address", title="Garden Waste",
                     screenshot=shot, boxes=boxes)


def demo_run(run_dir: Path) -> RunView:
    """Supplier A lets everyone through; Supplier B's 'Start' control, on two journeys, stops Ash."""
    png(run_dir / "screenshots" / "ash-gw-03.png", 200, 100)
    done = [step(i, name) for i, name in enumerate(GARDEN, start=1)]
    logo = {"criteria": ("1.1.1",), "impact": "critical", "selector": "img", "snippet": "<img src=logo.png>",
            "message": "Images must have alternative text", "source": "axe"}
    ash_bin = walk("sup-b", "keyboard-only", "bin-day", [
        step(1, "Search for the address", "blocked", [
            finding("keyboard-reachable", "keyboard-only", "bin-day", "Search for the address", blocker=True,
                    page="bin-day"),
            finding("image-alt", "keyboard-only", "bin-day", "Search for the address", page="bin-day", **logo)],
            states=[PageState(label="before", url=f"{BASE}bin-day", title="Bins")])],
        "blocked", KEY_BLOCK)
    ash_garden = walk("sup-b", "keyboard-only", "garden-waste", [
        step(1, "Start", findings=[finding("image-alt", "keyboard-only", "garden-waste", "Start", **logo)]),
        step(2, "Check eligibility", findings=[
            finding("image-alt", "keyboard-only", "garden-waste", "Check eligibility", page="eligibility",
                    **logo)]),
        step(3, "Enter the address", "blocked", [
            finding("keyboard-reachable", "keyboard-only", "garden-waste", "Enter the address", blocker=True,
                    page="address")],
            states=[stuck_state("screenshots/ash-gw-03.png", {"#start": (20, 10, 40, 20)})])],
        "blocked", KEY_BLOCK)
    return RunView(RunResult(run_dir=run_dir, record=RunRecord.from_dict(meta()), walks=[
        walk("sup-a", "low-digital-skill", "garden-waste", done),
        walk("sup-a", "keyboard-only", "garden-waste", done),
        walk("sup-a", "keyboard-only", "bin-day", [step(1, "Search for the address")]),
        walk("sup-b", "low-digital-skill", "garden-waste", done),
        walk("sup-b", "low-vision-zoom", "garden-waste", done),
        walk("sup-b", "keyboard-only", "pay-an-amount", [step(1, "Enter the amount")]),
        ash_bin, ash_garden,
    ]))


def story_of(run: RunView, target: str, journey: str, persona: str) -> Any:
    walks = [w for w in run.walks if (w.target, w.journey, w.persona) == (target, journey, persona)]
    return journey_story(run, target, journey, persona, walks[0] if walks else None)


def test_completed_walk_says_what_the_persona_did(tmp_path: Path) -> None:
    story = story_of(demo_run(tmp_path), "sup-a", "garden-waste", "low-digital-skill")
    assert story.kind == "completed"
    assert story.sentence == "Completed: Margaret subscribed to garden waste collection."


def test_walk_blocked_at_the_first_step_could_not_start(tmp_path: Path) -> None:
    story = story_of(demo_run(tmp_path), "sup-b", "bin-day", "keyboard-only")
    assert story.kind == "stopped-at-start"
    assert story.sentence == f"Could not start: {KEY_BLOCK}"


def test_walk_blocked_mid_journey_names_the_step_of_the_total(tmp_path: Path) -> None:
    story = story_of(demo_run(tmp_path), "sup-b", "garden-waste", "keyboard-only")
    assert story.kind == "stopped"
    # Five steps: the total comes from Margaret's completed walk of the same journey on Supplier B.
    assert story.sentence == f"Stopped at step 3 of 5, 'Enter the address': {KEY_BLOCK}"


def test_journey_the_target_does_not_list_is_not_offered(tmp_path: Path) -> None:
    run = demo_run(tmp_path)
    story = story_of(run, "sup-a", "pay-an-amount", "keyboard-only")
    assert story.kind == "not-offered"
    assert story.sentence == "Not offered by this supplier."
    # Offered but not walked by this persona is a different story.
    assert story_of(run, "sup-b", "bin-day", "low-digital-skill").kind == "not-walked"


def test_stuck_screenshot_is_outlined_where_the_blocking_element_was(tmp_path: Path) -> None:
    shot = story_of(demo_run(tmp_path), "sup-b", "garden-waste", "keyboard-only").shot
    assert shot is not None and shot.src == "screenshots/ash-gw-03.png"
    # Box [20, 10, 40, 20] on a 200 x 100 screenshot, with 4 px of room on each side.
    assert shot.outline is not None
    assert (shot.outline.left, shot.outline.top, shot.outline.width, shot.outline.height) == (8.0, 6.0, 24.0, 28.0)
    assert "Ash got stuck" in shot.alt and "box outlines" in shot.alt


def test_outline_turns_device_pixels_back_into_css_pixels() -> None:
    # A 3x phone screenshot of a 390-pixel-wide page is 1170 pixels wide.
    outline = outline_of([195, 100, 10, 10], (1170, 2400), scale=3)
    assert outline is not None and outline.left == round(100 * 191 / 390, 2)
    assert outline_of([500, 10, 10, 10], (1170, 2400), scale=3) is None


def test_screenshot_scale_is_as_recorded_or_the_personas_for_older_results() -> None:
    phone = PersonaRecord(id="mobile-only", context={"device_scale_factor": 3})
    assert screenshot_scale(PageState(screenshot_scale=1), phone) == 1.0  # taken in CSS pixels
    assert screenshot_scale(PageState(), phone) == 3.0  # stored before the harness said: the persona's factor
    assert screenshot_scale(PageState(), PersonaRecord(id="default")) == 1.0
    assert screenshot_scale(PageState.from_dict({"screenshot_scale": "odd"}), phone) == 3.0


def test_png_size_reads_the_header_and_refuses_other_files(tmp_path: Path) -> None:
    png(tmp_path / "a.png", 31, 17)
    (tmp_path / "b.png").write_bytes(b"GIF89a" + b"\x00" * 30)
    assert png_size(tmp_path / "a.png") == (31, 17)
    assert png_size(tmp_path / "b.png") is None
    assert png_size(tmp_path / "missing.png") is None


def test_fix_that_stopped_the_persona_counts_the_journeys_it_unlocks(tmp_path: Path) -> None:
    fixes = fixes_for(demo_run(tmp_path), "sup-b", "keyboard-only")
    first = fixes[0]
    assert first.rule_id == "keyboard-reachable"
    assert first.unblocks == ["Find your bin collection day", "Subscribe to garden waste collection"]
    assert first.unlock.startswith("Fixing this would let Ash go on in 2 journeys on Waste services (Supplier B)")


def test_fix_that_did_not_stop_anyone_counts_the_pages(tmp_path: Path) -> None:
    fixes = {f.rule_id: f for f in fixes_for(demo_run(tmp_path), "sup-b", "keyboard-only")}
    logo = fixes["image-alt"]
    assert logo.unblocks == []
    assert logo.pages == 3
    assert logo.unlock == "Fixing this would remove a problem Ash met on 3 pages of Waste services (Supplier B)."
    assert "screen reader" in logo.everyday


def test_persona_report_counts_and_lists_targets_walked(tmp_path: Path) -> None:
    report = persona_report(demo_run(tmp_path), "keyboard-only")
    assert [t.target for t in report.targets] == ["sup-a", "sup-b"]
    assert (report.completed, report.walked, report.stopped) == (3, 5, 2)
    assert report.one_line == "Completed 3 of 5 journeys; stopped in 2 (Waste services (Supplier B): 2)."
    assert report.adds == [("keyboard-reachable", "Every control the journey needs can be reached with Tab.")]


def test_render_gives_an_index_and_a_page_per_persona_walked(tmp_path: Path) -> None:
    pages = render_personas(demo_run(tmp_path))
    assert sorted(pages) == ["persona-keyboard-only.html", "persona-low-digital-skill.html",
                             "persona-low-vision-zoom.html", "personas.html"]
    ash = pages["persona-keyboard-only.html"]
    assert ash.count("<h1>") == 1
    assert "Stopped at step 3 of 5, &#39;Enter the address&#39;" in ash
    assert 'src="screenshots/ash-gw-03.png"' in ash and "shot-outline" in ash
    assert 'href="persona-keyboard-only.html"' in pages["personas.html"]


def test_page_text_is_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    run = demo_run(tmp_path)
    bad = Finding(outcome=Outcome.VIOLATION, impact=Impact.SERIOUS, rule_id="control-has-role", source="harness",
                  message=evil, help=evil, help_url="", criteria=("4.1.2",), page_url=f"{BASE}x?{evil}",
                  selector=evil, snippet=evil, target="sup-b", persona="keyboard-only", journey="pay-an-amount",
                  step="Enter the amount", blocker=True)
    run.walks.append(walk("sup-b", "keyboard-only", "pay-an-amount", [
        step(1, "Enter the amount", "blocked", [bad], states=[PageState(
            label="where the persona got stuck", url=f"{BASE}x?{evil}", title=evil,
            screenshot="screenshots/ash-gw-03.png", boxes={evil: (1, 1, 5, 5)})])], "blocked", evil))
    run.walks[:] = [w for w in run.walks if not (w.journey == "pay-an-amount" and w.ending == "completed")]
    for html in render_personas(run).values():
        assert evil not in html
        assert "<script>" not in html
