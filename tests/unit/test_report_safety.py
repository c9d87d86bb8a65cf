"""Untrusted page text in the reports: nothing runs, nothing becomes a link or markup, nothing is lost.

Issue 16. A page (or a page that replaced axe-core) chooses every string in a finding, a page state's title and
address, and a rule's help address. These tests put hostile strings through the real writer, reader and every
report writer, and read the files back as a browser, a Markdown renderer, a spreadsheet and a JSON reader would.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import escape

from harness.model.findings import Finding, Impact, Outcome
from harness.model.records import PageState, StepRecord, WalkRecord
from harness.model.results import RESULTS_FILE, ResultsStore, read_records, read_run
from harness.model.untrusted import json_text, safe_href, shown, storable
from harness.reports.render import TEMPLATES, environment
from harness.reports.run_view import RunView
from harness.reports.statements import markdown_text
from harness.reports.writers import WrittenReports
from harness.reports.writers import write_reports as write_view_reports
from tests.unit.test_report import Page

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "results"
SAMPLE = DATA / "sample.ndjson"
TARGET = "supplier-a-careful"
TEST_ID = "scenarios/test_bins.py::test_bin_day[supplier-a-careful-hostile]"
WHO = {"test_id": TEST_ID, "target": TARGET, "persona": "default", "journey": "bin-day"}

SCRIPT_ADDRESSES = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "\x01javascript:alert(1)", "\u202ejavascript:alert(1)", "javascript&#58;alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x",
    "\\\\evil.example\\x", "/\\evil.example", "/etc/passwd", "../../../etc/passwd", "screenshots/../../x.png",
    "http://bank.example@evil.example/", "http:evil.example", "https:/evil.example", "mailto:a@evil.example",
    "blob:http://evil.example/1", "c:/windows/x", "http://a.example\\@evil.example",
]
LINKABLE = ["https://dequeuniversity.com/rules/axe/4.12/image-alt", "HTTP://EXAMPLE.COM/x",
            'http://127.0.0.1:8000/a?q="><img src=x onerror=alert(1)>', "screenshots/a-01.png", "report.html#j-1",
            "#main"]
HIDDEN = "\x00\x07\x1b\x7f\x85\x9b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Controls (C0, DEL, C1) and every bidi embedding, override and isolate: none may reach a reader raw."""


@pytest.mark.parametrize("address", SCRIPT_ADDRESSES)
def test_no_address_but_the_web_and_our_own_files_is_ever_linked(address: str) -> None:
    assert safe_href(address) == ""


@pytest.mark.parametrize("address", LINKABLE)
def test_web_addresses_and_our_own_relative_files_are_linked(address: str) -> None:
    assert safe_href(address) == address


def test_relative_links_can_be_refused_where_only_web_addresses_make_sense() -> None:
    assert safe_href("screenshots/a-01.png", relative=False) == ""
    assert safe_href("https://example.org/", relative=False) == "https://example.org/"


def test_controls_and_bidi_overrides_are_shown_as_codes_and_white_space_kept() -> None:
    assert shown("Bins\u202e)1(trela") == "Bins[U+202E])1(trela"
    assert shown("a\x00b\x9bc") == "a[U+0000]b[U+009B]c"
    assert shown("one\ttwo\nthree\r\n") == "one\ttwo\nthree\r\n"
    assert shown("Bins \ud800") == "Bins \ufffd"
    assert shown("right-to-left mark \u200f stays, and £ and 日本") == "right-to-left mark \u200f stays, and £ and 日本"
    assert not re.search(f"[{HIDDEN}]", shown(HIDDEN))


def test_storable_mends_unpaired_surrogates_in_values_and_keys_and_keeps_the_rest() -> None:
    record = {"title": "Bins \ud800", "boxes": {"#a\udfff": [1, 2, 3, 4]}, "list": ["\ud83d\ude00", 1, None],
              "snippet": "\u202e\x00 kept for the record"}
    assert storable(record) == {"title": "Bins \ufffd", "boxes": {"#a\ufffd": [1, 2, 3, 4]},
                                "list": ["\U0001f600", 1, None], "snippet": "\u202e\x00 kept for the record"}


def test_json_text_escapes_what_an_editor_would_act_on_and_keeps_every_value() -> None:
    document = {"snippet": f"<p>{HIDDEN}</p>", "title": "Bins \ud800"}
    text = json_text(document)
    assert not re.search(f"[{HIDDEN}]", text)
    assert json.loads(text) == {"snippet": f"<p>{HIDDEN}</p>", "title": "Bins \ufffd"}


# -- the results writer -----------------------------------------------------------------------------------


def a_finding(**changes: Any) -> Finding:
    values: dict[str, Any] = {
        "outcome": Outcome.VIOLATION, "impact": Impact.SERIOUS, "rule_id": "image-alt", "source": "axe",
        "message": "Images must have alternative text", "help": "Add an alt attribute.",
        "help_url": "https://dequeuniversity.com/rules/axe/4.12/image-alt", "criteria": ("1.1.1",),
        "page_url": "http://127.0.0.1:8000/bins", "selector": "#logo", "snippet": '<img id="logo">',
        "target": TARGET, "persona": "default", "journey": "bin-day", "step": "Search"}
    values.update(changes)
    return Finding(**values)


def step_record(findings: list[Finding], index: int = 1, step: str = "Search", **state: Any) -> StepRecord:
    return StepRecord(**WHO, step=step, index=index, status="completed",
                      states=(PageState(**{"label": "end of step", "url": "http://127.0.0.1:8000/bins",
                                           "title": "Bins", **state}),),
                      findings=tuple(findings), duration_s=0.5)


def write_reports(run_dir: Path) -> WrittenReports:
    """Every report of the run folder, read once, as the report command writes them."""
    return write_view_reports(RunView.read(run_dir))


def test_the_writer_stores_a_record_whatever_text_a_page_put_in_it(tmp_path: Path) -> None:
    """Before issue 16 a lone surrogate in a title raised UnicodeEncodeError and the walk's steps were lost."""
    store = ResultsStore(tmp_path).open()
    lone = "Bins \ud800 and \udfff"
    store.append(step_record([a_finding(message=f"The page '{lone}' has no heading", selector="#\ud800")],
                             title=lone, boxes={"#\ud800": (0, 0, 10, 10)}))
    store.append(WalkRecord(**WHO, ending="completed", blocker=lone, duration_s=1.0))
    run = read_run(tmp_path)
    assert run.skipped_lines == 0
    (walk,) = run.walks
    assert walk.ending == "completed" and walk.blocker == "Bins \ufffd and \ufffd"
    (step,) = walk.steps
    assert step.states[0].title == "Bins \ufffd and \ufffd"
    assert step.states[0].boxes == {"#\ufffd": (0, 0, 10, 10)}
    assert step.findings[0].message == "The page 'Bins \ufffd and \ufffd' has no heading"
    (tmp_path / RESULTS_FILE).read_text(encoding="utf-8", errors="strict")  # valid UTF-8 throughout


def test_an_escaped_lone_surrogate_in_a_stored_line_is_mended_when_read(tmp_path: Path) -> None:
    """JSON may hold '\\ud800' as an escape; read as is, it would make every report's write fail."""
    line = json.dumps(step_record([a_finding(message="Bins \ud800")], title="Bins \ud800").to_dict())  # escaped
    assert "\\ud800" in line
    (tmp_path / RESULTS_FILE).write_text(SAMPLE.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    written = write_reports(tmp_path)
    assert written.problems == []
    assert "Bins \ufffd" in (tmp_path / "report.html").read_text(encoding="utf-8")


# -- every report, with a hostile walk in it -----------------------------------------------------------------


def hostile_run(folder: Path, help_url: str, page_url: str, text: str, more_addresses: list[str] | None = None
                ) -> Path:
    """The sample run plus one walk whose every page-derived string is hostile, written by the real store.

    Each of `more_addresses` is the help address, page address and screenshot of a step of its own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RESULTS_FILE).write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    store = ResultsStore(folder).open()
    found = [a_finding(help_url=help_url, page_url=page_url, message=text, help=text, snippet=text, selector=text),
             a_finding(rule_id="color-contrast", criteria=("1.4.3",), help_url=help_url, message=text,
                       blocker=True, outcome=Outcome.VIOLATION, impact=Impact.CRITICAL),
             # A rule the harness has no everyday words for, and a check of our own: their messages are page
             # text that the statement drafts and persona reports quote.
             a_finding(rule_id="rule-a-page-made-up", criteria=("4.1.2",), help_url=help_url, message=text),
             a_finding(rule_id="focus-visible", source="harness", criteria=("2.4.7",), message=text)]
    store.append(step_record(found, url=page_url, title=text, screenshot=help_url))
    for index, address in enumerate(more_addresses or [], start=2):
        finding = a_finding(help_url=address, page_url=address, selector=f"#a{index}", step=f"Step {index}")
        store.append(step_record([finding], index, f"Step {index}", url=address, title=f"Page {index}",
                                 screenshot=address))
    store.append(WalkRecord(**WHO, ending="blocked", blocker=text, duration_s=1.0))
    return folder


def links_of(html: str) -> list[str]:
    page = Page(html)
    return [str(attrs.get(name) or "") for tag, attrs in page.tags for name in ("href", "src")
            if name in attrs and tag in ("a", "img", "link", "script", "iframe", "area", "form")]


def test_no_report_links_to_an_address_that_is_not_the_web_or_our_own_files(tmp_path: Path) -> None:
    run_dir = hostile_run(tmp_path / "run", SCRIPT_ADDRESSES[0], SCRIPT_ADDRESSES[0], "Find your bin day",
                          more_addresses=SCRIPT_ADDRESSES[1:])
    written = write_reports(run_dir)
    assert written.problems == []
    for html in sorted(run_dir.glob("*.html")):
        links = links_of(html.read_text(encoding="utf-8"))
        assert all(safe_href(link) == link for link in links), (html.name, [x for x in links if not safe_href(x)])
        assert not set(SCRIPT_ADDRESSES) & set(links), html.name
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    for index, address in enumerate(SCRIPT_ADDRESSES, start=1):
        # Shown as text, saying why it is not a link: the help address, and the page state's address.
        shown_as_text = (f'<span class="url">{escape(shown(address))}</span>: not linked, as reports link only '
                         "to web addresses and to files of this run")
        assert f"More about image-alt <span class=\"unlinked\">({shown_as_text})" in report, address
        title = "Find your bin day" if index == 1 else f"Page {index}"
        assert f"{title} <span class=\"unlinked\">({shown_as_text})" in report, address


def test_web_help_addresses_and_page_addresses_stay_links(tmp_path: Path) -> None:
    help_url, page_url = "https://dequeuniversity.com/rules/axe/4.12/image-alt", "http://127.0.0.1:8000/bins?q=1"
    run_dir = hostile_run(tmp_path / "run", help_url, page_url, "Bins")
    write_reports(run_dir)
    links = links_of((run_dir / "report.html").read_text(encoding="utf-8"))
    assert help_url in links and page_url in links


def test_controls_and_bidi_overrides_reach_no_report_export_or_draft_raw(tmp_path: Path) -> None:
    text = f"Bins{HIDDEN} \ud800<b>end</b>"
    run_dir = hostile_run(tmp_path / "run", "https://example.org/help", "http://127.0.0.1:8000/bins", text)
    written = write_reports(run_dir)
    assert written.problems == []
    outputs = [p for p in run_dir.iterdir() if p.is_file() and p.name != RESULTS_FILE]
    assert {p.suffix for p in outputs} >= {".html", ".md", ".csv", ".json", ".yaml", ".jsonld"}
    for path in outputs:
        content = path.read_text(encoding="utf-8", errors="strict")
        assert not re.search(f"[{HIDDEN}\ud800-\udfff]", content), path.name
    codes = "".join(f"[U+{ord(c):04X}]" for c in HIDDEN)
    assert f"Bins{codes} \ufffd<b>end</b>" in Page((run_dir / "report.html").read_text(encoding="utf-8")).text
    rows = list(csv.DictReader(io.StringIO((run_dir / "findings.csv").read_text(encoding="utf-8"))))
    assert f"Bins{codes} \ufffd<b>end</b>" in [row["message"] for row in rows]
    findings = json.loads((run_dir / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert f"Bins{HIDDEN} \ufffd<b>end</b>" in [f["message"] for f in findings]  # the exact text, escaped


def test_exports_leave_out_a_help_address_that_is_not_a_web_address(tmp_path: Path) -> None:
    run_dir = hostile_run(tmp_path / "run", "javascript:alert(1)", "http://127.0.0.1:8000/bins", "Bins")
    write_reports(run_dir)
    findings = json.loads((run_dir / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert "javascript:alert(1)" not in {f["help_url"] for f in findings}
    assert "javascript:" not in (run_dir / "findings.csv").read_text(encoding="utf-8")


def test_page_text_cannot_change_the_structure_of_the_acr_yaml(tmp_path: Path) -> None:
    text = "Bins\n- criteria: {num: 1.4.3}\nnotes: 'supports' # \x00 &anchor *alias !!python/object:os.system"
    run_dir = hostile_run(tmp_path / "run", "https://example.org/help", "http://127.0.0.1:8000/bins", text)
    assert write_reports(run_dir).problems == []
    document = yaml.safe_load((run_dir / f"acr-{TARGET}.yaml").read_text(encoding="utf-8"))
    rows = {row["num"]: row for row in document["chapters"]["success_criteria_level_a"]["criteria"]}
    assert set(rows["1.1.1"]) == {"num", "components"}  # the page's "criteria:" and "notes:" added nothing
    notes = rows["1.1.1"]["components"][0]["adherence"]["notes"]
    assert shown(text) in notes  # the page text is one value, shown as it is, its NUL as a code
    assert json.loads((run_dir / "earl.jsonld").read_text(encoding="utf-8"))["@context"]  # valid JSON-LD


# -- Markdown statement drafts ------------------------------------------------------------------------------

MARKDOWN_ATTACKS = [
    "[Pay here](javascript:alert(1))", "![tracker](http://evil.example/x.png)", "<http://evil.example>",
    "<javascript:alert(1)>", "https://evil.example/phish", "www.evil.example", "someone@evil.example",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "&#x6a;avascript:alert(1)", "`code` and ``more``",
    "[ref]: http://evil.example", "- a list item", "# A heading", "1. numbered", "> a quote", "| a | table |",
    "*emphasis* _and_ ~~strike~~", "trailing backslash \\", "Bins \u202e)1(trela\x00",
]
MARKDOWN_ACTIVE = set("\\`*_{}[]()<>#+!|~&@")


def unescaped(markdown: str) -> str:
    """What a CommonMark renderer shows for text in which every active character is backslash-escaped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("text", MARKDOWN_ATTACKS)
def test_markdown_text_escapes_every_character_markdown_would_act_on(text: str) -> None:
    escaped = markdown_text(text)
    # Every active character has its backslash, so the renderer shows it and makes no link, image or HTML.
    for match in re.finditer(r"\\.|.", escaped):
        assert match.group() not in MARKDOWN_ACTIVE, (text, escaped)
    assert not re.search(r"(?<!\\):/|(?i:www)\.", escaped)  # no bare address a renderer would link
    assert not re.match(r"[-=.>]|\d+[.)]", escaped)  # never a list item, heading or quote
    assert unescaped(escaped) == " ".join(shown(text).split())  # and the reader sees the text itself


def test_the_markdown_draft_shows_page_text_and_help_text_but_no_link_image_or_html(tmp_path: Path) -> None:
    attack = "[Pay](javascript:alert(1)) ![x](http://evil.example/x.png) <img src=x onerror=alert(1)> www.evil.example"
    run_dir = hostile_run(tmp_path / "run", "javascript:alert(1)", "http://127.0.0.1:8000/bins", attack)
    written = write_reports(run_dir)
    assert written.problems == []
    draft = (run_dir / f"statement-{TARGET}.md").read_text(encoding="utf-8")
    assert "\\[Pay\\]\\(javascript:alert\\(1\\)\\)" in draft
    ours = {"https://mcmw.abilitynet.org.uk/", "https://www.equalityadvisoryservice.com/",
            "https://www.equalityni.org/Home", "https://www.w3.org/TR/WCAG22/"}
    for link in re.findall(r"(?<!\\)\]\(([^)]*)\)", draft):
        assert link in ours
    assert not re.search(r"(?<!\\)<[a-zA-Z/]", draft)  # no raw HTML tag or autolink
    assert not re.search(r"(?<!\\)!\[", draft)  # no image


# -- malformed lines in results.ndjson ----------------------------------------------------------------------

MALFORMED = DATA / "malformed.ndjson"


def test_each_malformed_line_is_skipped_and_named_with_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / RESULTS_FILE).write_text(MALFORMED.read_text(encoding="utf-8"), encoding="utf-8")
    expected = json.loads((DATA / "malformed.expected.json").read_text(encoding="utf-8"))
    run = read_run(tmp_path)
    assert run.record.run_id == "2026-11-26T06-01-02Z-4242"  # the first line keeps its run record after a BOM
    assert run.unreadable == expected["unreadable"]
    assert run.skipped_lines == len(expected["unreadable"])
    assert sorted((w.test_id, len(w.steps), w.ending) for w in run.walks) == [
        tuple(walk) for walk in expected["walks"]]
    assert read_records(tmp_path / RESULTS_FILE)[1] == run.unreadable


def test_the_report_command_rebuilds_every_report_despite_malformed_lines(tmp_path: Path) -> None:
    (tmp_path / RESULTS_FILE).write_text(MALFORMED.read_text(encoding="utf-8"), encoding="utf-8")
    expected = json.loads((DATA / "malformed.expected.json").read_text(encoding="utf-8"))
    result = subprocess.run([sys.executable, "-m", "harness.cli.report", str(tmp_path)], cwd=REPO, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    count = len(expected["unreadable"])
    assert f"warning: {count} line(s) of results.ndjson could not be read" in result.stderr
    for reason in expected["unreadable"]:
        assert f"  {reason}\n" in result.stderr
    for name in ("index.html", "report.html", "personas.html", "comparison.html", "history.html",
                 "statements.html", "findings.json", "findings.csv", "earl.jsonld"):
        assert (tmp_path / name).is_file(), name
    for name in ("index.html", "report.html"):
        text = Page((tmp_path / name).read_text(encoding="utf-8")).text
        assert f"{count} lines of results.ndjson could not be read and are left out of every report" in text
        assert "walk those journeys again for a full result" in text
        assert expected["unreadable"][0] in text


def wrong_values(value: Any) -> list[Any]:
    """Values of every other JSON type than the one given."""
    return [v for v in (None, True, 7, 2.5, "x", [], {}, [1], {"a": 1}) if type(v) is not type(value)]


def mutations(record: dict[str, Any], depth: int) -> list[dict[str, Any]]:
    """The record with one field at a time (down to depth) given a value of another type, or removed."""
    found: list[dict[str, Any]] = []
    for key, value in record.items():
        if key == "kind":
            continue
        found.append({k: v for k, v in record.items() if k != key})
        found += [{**record, key: wrong} for wrong in wrong_values(value)]
        if depth > 1 and isinstance(value, dict):
            found += [{**record, key: inner} for inner in mutations(value, depth - 1)]
        if depth > 1 and isinstance(value, list) and value:
            if isinstance(value[0], dict):
                found += [{**record, key: [inner, *value[1:]]} for inner in mutations(value[0], depth - 1)]
            found += [{**record, key: [wrong, *value[1:]]} for wrong in wrong_values(value[0])]
    return found


def test_no_field_of_the_wrong_type_in_any_record_stops_a_report(tmp_path: Path) -> None:
    """Every field of every kind of record, one at a time, of every wrong type: each line is either read or
    skipped and named, and every report is still written."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    findings_step = next(r for r in records if r["kind"] == "step" and r["findings"])
    # Every field a page state can have, so each is mutated too.
    findings_step["states"][0].update(axe_checked=["1.1.1"], axe_inapplicable=["1.2.1"], checks=["focus-visible"],
                                      boxes={"#logo": [1, 2, 3, 4]}, screenshot_scale=1)
    # The run record as this format writes it, and a walk record in both formats' shapes.
    run_record = {**records[0], "format": 1}
    old_walk = next(r for r in records if r["kind"] == "journey")
    walk = {**{k: v for k, v in old_walk.items() if k != "outcome"}, "kind": "walk", "ending": old_walk["outcome"]}
    bad: list[dict[str, Any]] = []
    for record in (run_record, findings_step, old_walk, walk):
        bad += mutations(record, depth=4)
    # Mutated step and journey lines belong to a walk of their own, after the sample's whole walks.
    mutated = [json.dumps({**r, "test_id": f"mutant-{n}"} if r["kind"] != "run" and isinstance(r.get("test_id"), str)
                          else r) for n, r in enumerate(bad)]
    (tmp_path / RESULTS_FILE).write_text("\n".join([*lines, *mutated]) + "\n", encoding="utf-8")
    written = write_reports(tmp_path)
    assert written.problems == []
    run = read_run(tmp_path)
    assert run.skipped_lines == len(run.unreadable) > 100
    whole_walks = {record["test_id"] for record in records if "test_id" in record}
    assert whole_walks <= {w.test_id for w in run.walks}


def test_report_templates_link_only_through_safe_href() -> None:
    """One rule for every template: an address written into href or src passes `safe_href` (or is a fragment
    of our own page), so no template can forget it."""
    offenders = []
    for template in sorted(TEMPLATES.glob("*.jinja")):
        for match in re.finditer(r'\b(href|src)="([^"]*\{\{[^"]*)"', template.read_text(encoding="utf-8")):
            value = match.group(2)
            if not (value.startswith("#") or re.fullmatch(r"\{\{ .* \| safe_href \}\}", value)):
                offenders.append(f"{template.name}: {match.group()}")
    assert offenders == []
    assert environment().filters["safe_href"] is safe_href


# -- text for the terminal ------------------------------------------------------------------------------------

TERMINAL_TRICKS = "\x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\u202e"
"""Clear the screen, a hidden terminal hyperlink, and a right-to-left override."""


def test_a_failed_journeys_message_shows_terminal_escapes_as_codes() -> None:
    from harness.model.findings import AccessibilityFindings

    failure = AccessibilityFindings([a_finding(message=f"Bins {TERMINAL_TRICKS}")], Impact.SERIOUS)
    assert not re.search(f"[{HIDDEN}]", str(failure))
    assert "Bins [U+001B][2J[U+001B]]8;;https://evil.example[U+0007]click" in str(failure)


def test_the_compare_command_prints_page_text_with_terminal_escapes_as_codes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli.compare import main

    old = hostile_run(tmp_path / "old", "https://example.org/", "http://127.0.0.1:8000/bins", "Bins")
    new = hostile_run(tmp_path / "new", "https://example.org/", "http://127.0.0.1:8000/bins",
                      f"Bins {TERMINAL_TRICKS}")
    assert main([str(old), str(new), "-o", str(tmp_path / "compare.html")]) == 0
    printed = capsys.readouterr().out
    assert "[U+001B][2J" in printed
    assert not re.search(f"[{HIDDEN}]", printed)


def test_earl_names_only_web_addresses_as_pages(tmp_path: Path) -> None:
    run_dir = hostile_run(tmp_path / "run", "https://example.org/help", SCRIPT_ADDRESSES[0], "Bins",
                          more_addresses=SCRIPT_ADDRESSES[1:])
    assert write_reports(run_dir).problems == []
    ids: list[str] = []

    def collect(node: dict[str, Any]) -> dict[str, Any]:
        ids.extend([node["@id"]] if "@id" in node else [])
        return node

    json.loads((run_dir / "earl.jsonld").read_text(encoding="utf-8"), object_hook=collect)
    pages = [i for i in ids if not i.startswith(("_:", "earl:", "WCAG22:", "https://www.w3.org/"))]
    assert pages and all(safe_href(i, relative=False) for i in pages), pages


def test_the_pytest_html_extra_shows_page_text_as_text() -> None:
    text = f"<script>window.__pwned=1</script>{HIDDEN}"
    html = environment().get_template("pytest_html_extra.html.jinja").render(
        findings=[a_finding(message=text, selector=text, step=text)], ending="blocked", blocker=text)
    assert "<script>" not in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert not re.search(f"[{HIDDEN}]", html)
    assert links_of(html) == []


def test_an_id_in_the_results_never_makes_a_report_file_outside_the_run_folder(tmp_path: Path) -> None:
    run_dir = tmp_path / "deep" / "run"
    run_dir.mkdir(parents=True)
    escape = {**WHO, "target": "../../escaped", "persona": "../../escaped"}
    lines = [SAMPLE.read_text(encoding="utf-8"),
             json.dumps({**step_record([a_finding(target="../../escaped", persona="../../escaped")]).to_dict(),
                         **escape}),
             json.dumps({"kind": "journey", **escape, "outcome": "completed"})]
    (run_dir / RESULTS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    written = write_reports(run_dir)
    assert sorted(p.name for p in tmp_path.rglob("*escaped*")) == []
    assert any("'statement-../../escaped.html' is not a plain file name" in p for p in written.problems)
    assert any("'persona-../../escaped.html' is not a plain file name" in p for p in written.problems)
    assert {"index.html", "report.html", "comparison.html"} <= {p.name for p in written.files}
