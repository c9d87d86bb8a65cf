"""Tests for harness/reports/qa.py, writers.py and harness/cli/report.py: the HTML report rendered from
tests/data/results/sample.ndjson, and every report rebuilt from the command line."""

from __future__ import annotations

import shutil
from collections import Counter
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import jinja2
import pytest

from harness.cli.report import main
from harness.model.records import PageState, RunRecord, StepRecord, WalkRecord, line_of
from harness.model.results import RESULTS_FILE, ResultsStore
from harness.reports.qa import REPORT_FILE, render_report, report_context
from harness.reports.render import TEMPLATES
from harness.reports.run_view import RunView

SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "data" / "results" / "sample.ndjson"
HOSTILE = ("<script>alert", "<img src=x", "onerror=alert(1)>")


class Page(HTMLParser):
    """Just enough of the report's structure to check it: elements, their attributes, text, tables."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self.tables: list[dict[str, list]] = []
        self._row: list[tuple[str, str]] | None = None
        self._cell: list[str] | None = None
        self._in_style = False
        self.feed(html)
        self.close()

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"
        if tag == "table":
            self.tables.append({"captions": [], "rows": [], "th": []})
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th", "caption"):
            self._cell = []
            if tag == "th":
                self.tables[-1]["th"].append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if tag in ("td", "th", "caption") and self._cell is not None:
            text = " ".join(" ".join(self._cell).split())
            if tag == "caption":
                self.tables[-1]["captions"].append(text)
            elif self._row is not None:
                self._row.append((tag, text))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        self.text_parts.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def read_run_from(folder: Path, extra: str = "") -> RunView:
    """The sample run, copied into folder with extra text appended to its results file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RESULTS_FILE).write_text(SAMPLE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return RunView.read(folder)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunView:
    return read_run_from(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def html(run: RunView) -> str:
    return render_report(run)


@pytest.fixture(scope="module")
def report(html: str) -> Page:
    return Page(html)


def table_rows(report: Page, caption_start: str) -> list[list[str]]:
    """The rows of the table whose caption starts with the words given."""
    (table,) = [t for t in report.tables if t["captions"] and t["captions"][0].startswith(caption_start)]
    return [[text for _, text in row] for row in table["rows"]]


def summary_rows(report: Page) -> list[list[str]]:
    """The findings table: each walk with its counts by impact."""
    return table_rows(report, "Each persona's journeys on each target")


def matrix_rows(report: Page) -> list[list[str]]:
    """The side-by-side matrix."""
    return table_rows(report, "Each journey and persona")


# -- the sample itself --------------------------------------------------------------------------------


def test_the_sample_is_a_realistic_run(run: RunView) -> None:
    assert run.unreadable == []
    assert run.record.format == 0 and run.record.axe_version == "4.12.1"  # written before the format had a number
    assert set(run.record.targets) == {"supplier-a-careful", "supplier-b-legacy"}
    assert set(run.record.personas) == {"default", "keyboard-only"}
    endings = Counter(w.ending for w in run.walks)
    assert endings == {"completed": 3, "blocked": 1, "interrupted": 1}
    assert any(f.blocker for f in run.findings)


# -- content ----------------------------------------------------------------------------------------


def test_the_report_is_english_and_has_one_h1(html: str, report: Page) -> None:
    assert '<html lang="en-GB">' in html
    assert len(report.all("h1")) == 1
    assert "QA report" in report.text


def test_headings_do_not_skip_a_level(report: Page) -> None:
    levels = [int(tag[1]) for tag, _ in report.tags if tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in pairwise(levels)), levels


def test_every_table_has_a_caption_and_scoped_headers(report: Page) -> None:
    assert report.tables
    for table in report.tables:
        assert len(table["captions"]) == 1 and table["captions"][0]
        assert table["th"] and all(th.get("scope") in ("col", "row") for th in table["th"])


def test_summary_shows_each_walks_ending_and_counts(report: Page) -> None:
    rows = summary_rows(report)
    assert rows[0] == ["Target", "Persona", "Journey", "Ending", "Critical", "Serious", "Moderate", "Minor",
                       "Needs review"]
    assert [row[3:] for row in rows[1:-1]] == [
        ["Completed", "0", "0", "0", "0", "1"],                         # supplier A, mouse
        ["Completed", "0", "0", "0", "0", "1"],                         # supplier A, keyboard
        ["Completed", "2", "2", "0", "0", "0"],                         # supplier B, mouse
        ["Blocked", "3", "0", "0", "0", "0"],                           # supplier B, keyboard: stuck
        ["Did not finish (run stopped)", "0", "0", "0", "0", "1"],      # supplier B, garden waste
    ]
    assert [row[0] for row in rows[1:-1]] == [
        "Millbrook waste services (Supplier A) (supplier-a-careful, version 1.0)"] * 2 + [
        "Millbrook waste services (Supplier B) (supplier-b-legacy, version 4.2)"] * 3
    assert [row[1] for row in rows[1:-1]] == [
        "Sam, default (mouse user)", "Ash, keyboard-only user"] * 2 + [
        "Ash, keyboard-only user"]
    assert [row[2] for row in rows[1:-1]] == ["Find your bin collection day"] * 4 + [
        "Subscribe to garden waste collection"]
    assert rows[-1] == ["All journeys", "5", "2", "0", "0", "3"]


def test_targets_side_by_side_per_journey_and_persona(report: Page) -> None:
    rows = matrix_rows(report)
    assert rows[0][:2] == ["Journey", "Persona"]
    assert "supplier-a-careful, version 1.0" in rows[0][2] and "supplier-b-legacy, version 4.2" in rows[0][3]
    by_row = {(row[0], row[1]): row[2:] for row in rows[1:]}
    keyboard_bins = by_row[("Find your bin collection day", "Ash, keyboard-only user")]
    assert keyboard_bins[0].startswith("Completed")
    assert keyboard_bins[1].startswith("Blocked at step 1,")
    assert "3 critical" in keyboard_bins[1]
    assert by_row[("Subscribe to garden waste collection", "Ash, keyboard-only user")][0] == "Not run"


def test_facts_about_the_run(report: Page) -> None:
    assert "run 2026-11-26T06-01-02Z-4242" in report.text
    assert "Journeys 3 of 5 completed" in report.text
    assert "axe-core 4.12.1 (tags: wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22a, wcag22aa)" in report.text


def test_the_blocker_is_shown_in_plain_words(report: Page) -> None:
    blocker = ("'Find collection days' cannot be reached with the keyboard: 40 presses of Tab never moved "
               "focus to it, so someone who cannot use a mouse cannot go on.")
    assert f"Blocked – {blocker}" in report.text
    assert f"Blocker: Critical violation – {blocker}" in report.text


def test_a_finding_seen_at_two_steps_is_shown_once_per_journey(report: Page) -> None:
    # Supplier B's logo: twice in the mouse user's journey (shown once), once in the keyboard user's.
    assert report.text.count("violation – Images must have alternative text") == 2
    contrast = "needs review – Elements must meet minimum color contrast ratio thresholds"
    assert report.text.count(contrast) == 2


def test_findings_show_rule_criteria_and_how_to_fix(report: Page) -> None:
    assert "Rule: image-alt (axe-core) · WCAG: 1.1.1 Non-text Content" in report.text
    assert "Rule: keyboard-reachable (harness check) · WCAG: 2.1.1 Keyboard" in report.text
    assert "How to fix: Fix any of the following: Element does not have an alt attribute" in report.text
    assert {a["href"] for a in report.all("a")} >= {
        "https://dequeuniversity.com/rules/axe/4.12/image-alt?application=axeAPI",
        "https://www.w3.org/WAI/WCAG22/Understanding/keyboard.html"}


CLEAN_WALK = SAMPLE.with_name("clean-walk.ndjson")
"""A walk that completed and found nothing, to add to the sample."""


def test_a_walk_that_found_nothing_folds_its_steps_away_and_the_others_stay_open(tmp_path: Path) -> None:
    html = render_report(read_run_from(tmp_path, CLEAN_WALK.read_text()))
    walks = html.split('<section class="journey"')[1:]
    (clean,) = [w for w in walks if "test_clean[" in w]
    assert '<details class="quiet-walk">' in clean  # closed: no open attribute
    folded = clean.split("<summary>")[1]
    assert folded.startswith("No findings: show the 1 step and 2 page states walked</summary>")
    assert "Search for the address" in folded.split("</details>")[0]
    others = [w for w in walks if "test_clean[" not in w]
    assert len(others) == 5 and not any("quiet-walk" in w for w in others)
    assert "id=\"j-scenarios-test-bin-collection-py--test-clean-supplier-a-careful-default-\"" in clean


def test_an_interrupted_journey_says_so(report: Page) -> None:
    heading = ("Subscribe to garden waste collection: Millbrook waste services (Supplier B), "
               "Ash, keyboard-only user")
    assert f"{heading} Did not finish (run stopped)" in report.text


# -- escaping and structure -------------------------------------------------------------------------


def test_page_derived_markup_is_only_ever_shown_escaped(html: str, report: Page) -> None:
    for hostile in HOSTILE:
        assert hostile not in html
    assert "<script" not in html  # the report needs no JavaScript at all
    # ...and the hostile text is still there for the reader, as text.
    assert "Find collection days<script>alert(1)</script></div>" in report.text  # the snippet
    assert "'\"><img src=x onerror=alert(1)>' looks like a control" in report.text  # the message
    assert "Bin day <script>alert(1)</script> - Millbrook" in report.text  # the page title
    hrefs = [a["href"] for a in report.all("a")]
    assert 'http://127.0.0.1:41827/supplier-b/bin-day?q="><img src=x onerror=alert(1)>' in hrefs


def test_the_only_images_are_screenshots_with_text_alternatives(report: Page) -> None:
    images = report.all("img")
    assert len(images) == 8  # one per stored page state
    for image in images:
        assert (image["src"] or "").startswith("screenshots/")
        assert (image["alt"] or "").startswith("Screenshot of ")
    assert any(i["alt"] == "Screenshot of 'Bin day <script>alert(1)</script> - Millbrook', before pressing "
                           "'Find collection days'" for i in images)


def test_ids_are_unique_and_every_internal_link_has_a_target(report: Page) -> None:
    ids = [attrs["id"] for _, attrs in report.tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    for href in (a["href"] for a in report.all("a")):
        if href and href.startswith("#"):
            assert href[1:] in ids, href
    for section in report.all("section"):
        assert section["aria-labelledby"] in ids


def test_the_stylesheet_is_inlined_verbatim(html: str) -> None:
    """Autoescaping our own CSS would break the rules that hold quotes or '>'."""
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    assert css.rstrip("\n") in html  # jinja drops one trailing newline
    assert 'font-family: system-ui, -apple-system, "Segoe UI"' in html
    assert "details > summary" in html


def test_unreadable_records_are_reported(tmp_path: Path) -> None:
    torn = read_run_from(tmp_path, extra='{"kind": "step", "test_id": "scenarios/test_bin')
    assert len(torn.unreadable) == 1
    text = Page(render_report(torn)).text
    assert ("1 line of results.ndjson could not be read and is left out of every report: cut short when the run "
            "stopped, or not in the shape the harness writes") in text
    assert "line 14: not a whole JSON record (cut short when the run stopped, or damaged)" in text


def test_context_is_plain_data(run: RunView) -> None:
    context = report_context(run)
    assert context["journeys_completed"] == 3 and context["journeys_total"] == 5
    assert context["totals"] == {"critical": 5, "serious": 2, "moderate": 0, "minor": 0}
    assert context["needs_review_total"] == 3
    assert context["persona_order"] == ["default", "keyboard-only"]
    assert list(context["grid"]) == ["supplier-a-careful", "supplier-b-legacy"]


def test_a_template_folder_put_first_overrides_ours(run: RunView, tmp_path: Path) -> None:
    (tmp_path / "report.html.jinja").write_text("{{ journeys_total }} journeys, {{ run.run_id }}",
                                                encoding="utf-8")
    assert render_report(run, (tmp_path, TEMPLATES)) == "5 journeys, 2026-11-26T06-01-02Z-4242"


def test_a_template_typo_fails_loudly(run: RunView, tmp_path: Path) -> None:
    (tmp_path / "report.html.jinja").write_text("{{ journey_total }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render_report(run, (tmp_path,))


def test_an_empty_run_still_renders(tmp_path: Path) -> None:
    (tmp_path / RESULTS_FILE).write_text("", encoding="utf-8")
    text = Page(render_report(RunView.read(tmp_path))).text
    assert "Journeys 0 of 0 completed" in text


# -- python -m harness.cli.report ------------------------------------------------------------------------


def test_main_writes_the_report_beside_the_results(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(SAMPLE, tmp_path / RESULTS_FILE)
    assert main([str(tmp_path)]) == 0
    written = (tmp_path / REPORT_FILE).read_text(encoding="utf-8")
    assert written == render_report(RunView.read(tmp_path))
    out = capsys.readouterr().out.splitlines()
    # Every audience's report and every export, rebuilt from the stored results alone.
    expected = {"index.html", "report.html", "findings.json", "findings.csv", "comparison.html", "personas.html",
                "persona-default.html", "persona-keyboard-only.html", "statements.html",
                "statement-supplier-a-careful.html", "statement-supplier-a-careful.md",
                "statement-supplier-b-legacy.html", "statement-supplier-b-legacy.md", "history.html",
                "acr-supplier-a-careful.yaml", "acr-supplier-b-legacy.yaml", "earl.jsonld"}
    assert {line.removeprefix(f"written: {tmp_path}/") for line in out[:-1]} == expected
    assert out[-1] == f"Start here: {tmp_path / 'index.html'}"
    assert all((tmp_path / name).is_file() for name in expected)


def test_one_report_that_fails_costs_none_of_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import harness.reports.procurement

    def broken(view: RunView) -> dict[str, object]:
        raise ValueError("comparison broke")

    monkeypatch.setattr(harness.reports.procurement, "comparison_context", broken)
    shutil.copy(SAMPLE, tmp_path / RESULTS_FILE)
    assert main([str(tmp_path)]) == 1
    assert not (tmp_path / "comparison.html").exists()
    assert (tmp_path / "report.html").is_file() and (tmp_path / "personas.html").is_file()
    assert "could not write supplier comparison: ValueError: comparison broke" in capsys.readouterr().err
    assert "Some reports could not be made" in (tmp_path / "index.html").read_text()


def test_main_without_results_says_what_to_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert not (tmp_path / REPORT_FILE).exists()
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"error: {tmp_path / RESULTS_FILE}: no results file here. "
                            f"Pass the run folder that holds {RESULTS_FILE}.\n")


def test_scan_mode_gets_one_row_per_page(tmp_path: Path) -> None:
    store = ResultsStore(tmp_path).open()
    store.start(RunRecord.from_dict({
        "run_id": "scan", "personas": {"default": {"title": "Default (mouse user)"}},
        "journeys": {"site-scan": "Scan a page"},
        "targets": {"scan-site": {"name": "Site scan of https://council.example", "version": "today"}}}))
    for path in ("/", "/bins"):
        who = {"test_id": f"scenarios/test_site_scan.py::test_scan_page[{path}-default]", "target": "scan-site",
               "persona": "default", "journey": "site-scan"}
        store.append(StepRecord(**who, step="Open the page and check it", index=1, status="completed",
                                duration_s=0.1, states=(PageState(label="page as loaded", title="Bins",
                                                                  url=f"https://council.example{path}"),)))
        store.append(WalkRecord(**who, ending="completed", duration_s=0.1))
    report = Page(render_report(RunView.read(tmp_path)))
    rows = matrix_rows(report)[1:]
    assert [row[0] for row in rows] == ["Scan a page: https://council.example/",
                                        "Scan a page: https://council.example/bins"]
    assert all(row[2].startswith("Scanned") for row in rows)
    assert report.text.count("(no findings, so no screenshot was kept)") == 2  # scan mode keeps none of clean pages


# -- outlines over screenshots --------------------------------------------------------------------------


def write_png(path: Path, width: int, height: int) -> None:
    """A real PNG of the given size (blank), so png_size reads a real header."""
    from PIL import Image

    Image.new("RGB", (width, height), "white").save(path)


def test_outlines_are_placed_in_percentages_of_the_screenshot(tmp_path: Path) -> None:
    from harness.model.findings import Finding, Impact, Outcome
    from harness.reports.qa import outlines, png_size

    (tmp_path / "screenshots").mkdir()
    write_png(tmp_path / "screenshots" / "a.png", 1000, 2000)
    assert png_size(tmp_path / "screenshots" / "a.png") == (1000, 2000)
    assert png_size(tmp_path / "missing.png") is None
    base = Finding(outcome=Outcome.VIOLATION, impact=Impact.CRITICAL, rule_id="keyboard-reachable",
                   source="harness", message="m", help="", help_url="", selector="#find", blocker=True)
    other = Finding(outcome=Outcome.VIOLATION, impact=Impact.SERIOUS, rule_id="image-alt", source="axe",
                    message="m", help="", help_url="", selector="img.logo")
    below = Finding(outcome=Outcome.VIOLATION, impact=Impact.MINOR, rule_id="region", source="axe",
                    message="m", help="", help_url="", selector="footer")
    page = Finding(outcome=Outcome.VIOLATION, impact=Impact.MODERATE, rule_id="bypass", source="axe",
                   message="m", help="", help_url="", selector="body")
    same_button = Finding(outcome=Outcome.VIOLATION, impact=Impact.CRITICAL, rule_id="clickable-elements-focusable",
                          source="harness", message="m", help="", help_url="", selector="#find")
    state = PageState(screenshot="screenshots/a.png", boxes={
        "#find": (100, 500, 200, 40), "footer": (0, 2500, 1000, 100), "body": (0, 0, 1000, 2000)})
    marks = outlines(tmp_path, state, [other, base, below, page, same_button])
    # Only the element inside the image is drawn (the page-wide body is not), once, labelled with the numbers
    # of both its findings; 4 CSS pixels of room round it: [96, 496, 208, 48] of 1000 x 2000.
    assert marks == [{"numbers": [2, 5], "blocker": True, "left": 9.6, "top": 24.8, "width": 20.8, "height": 2.4}]


def test_a_state_without_boxes_or_screenshot_gets_no_outlines(tmp_path: Path) -> None:
    from harness.reports.qa import outlines

    assert outlines(tmp_path, PageState(screenshot="", boxes={"#x": (1, 2, 3, 4)}), []) == []
    assert outlines(tmp_path, PageState(screenshot="screenshots/none.png"), []) == []


def test_each_step_says_what_the_walker_took_its_page_for(tmp_path: Path) -> None:
    """A wrong guess by the walker must be visible: the QA report names the kind each page was taken for."""
    record = StepRecord(test_id="walked", target="supplier-a-careful", persona="default", journey="bin-day",
                        step="Find the address: Where is the bin?", index=1, status="completed",
                        page_kind="address-lookup: address lookup: 'Postcode <b>'")
    stored = line_of(record).decode("utf-8")
    page = Page(render_report(read_run_from(tmp_path, stored)))
    assert "Taken for: address-lookup: address lookup: 'Postcode <b>'" in page.text
    assert "<b>" not in [tag for tag, _ in page.tags]
