"""Journey probes on local pages: each persona tries what that person would, and the journey reports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from harness.browser.behaviours import BEHAVIOURS
from harness.browser.checks import CHECKS
from harness.browser.journey import Journey
from harness.model.findings import Finding, JourneyBlocked, Outcome
from harness.model.personas import load_personas
from harness.model.results import ResultsStore
from harness.model.targets import load_target

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PERSONAS = load_personas(REPO / "personas", BEHAVIOURS, CHECKS)


def walk(page: Page, tmp_path: Path, pages_url: str, persona: str, entry: str) -> Journey:
    (tmp_path / "acme.toml").write_text(
        f'name = "Acme"\nsupplier = "Acme Ltd"\nversion = "1"\nbase_url = "{pages_url}/"\n'
        f'test_environment = true\n[journeys.bin-day]\nentry = "{entry}"\n')
    target = load_target(tmp_path / "acme.toml")
    store = ResultsStore(tmp_path / "run").open()
    return Journey(page, target=target, persona=PERSONAS[persona], journey_id="bin-day",
                   entry_url=f"{pages_url}/{entry}", store=store, test_id=f"test_x[acme-{persona}]",
                   allowed_origins=target.origins())


def probe_findings(journey: Journey, rule_id: str) -> list[Finding]:
    return [f for f in journey.findings if f.rule_id == rule_id]


# -- place-name lookup (on-behalf) ----------------------------------------------------------------------

def find_bin(journey: Journey) -> None:
    with journey.step("Find the address"):
        journey.open_start_page()
        journey.find_address("Postcode", postcode="MB1 4QX", place="Mill Lane, Millbrook", then="Find address")
        journey.expect_heading("Select the address")


def test_a_lookup_that_takes_a_street_and_town_lets_priya_through(page: Page, tmp_path: Path,
                                                                 pages_url: str) -> None:
    journey = walk(page, tmp_path, pages_url, "on-behalf", "probes/lookup.html?mode=any")
    find_bin(journey)
    assert "query=Mill+Lane%2C+Millbrook" in page.url
    assert probe_findings(journey, "place-name-lookup") == []


def test_a_postcode_only_lookup_with_no_way_on_blocks_priya(page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = walk(page, tmp_path, pages_url, "on-behalf", "probes/lookup.html?mode=postcode-only")
    with pytest.raises(JourneyBlocked) as blocked:
        find_bin(journey)
    finding = blocked.value.finding
    assert (finding.rule_id, finding.outcome, finding.blocker) == ("place-name-lookup", Outcome.VIOLATION, True)
    assert "'Mill Lane, Millbrook'" in finding.message and finding.selector == "#query"
    assert finding.extra == {"council_check": True}


def test_a_lookup_with_a_no_postcode_route_is_for_review_and_the_persona_goes_on(
        page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = walk(page, tmp_path, pages_url, "on-behalf", "probes/lookup.html?mode=route")
    find_bin(journey)
    (finding,) = probe_findings(journey, "place-name-lookup")
    assert finding.outcome is Outcome.NEEDS_REVIEW and "'I do not know the postcode'" in finding.message
    assert "query=MB1+4QX" in page.url


def test_other_personas_type_the_postcode(page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = walk(page, tmp_path, pages_url, "default", "probes/lookup.html?mode=postcode-only")
    find_bin(journey)
    assert "query=MB1+4QX" in page.url and probe_findings(journey, "place-name-lookup") == []


# -- who the application is for (on-behalf) --------------------------------------------------------------

@pytest.mark.parametrize(("mode", "on_behalf", "findings"), [("both", True, 0), ("self-only", False, 1)])
def test_priya_says_she_applies_for_someone_else_where_she_can(
        page: Page, tmp_path: Path, pages_url: str, mode: str, on_behalf: bool, findings: int) -> None:
    journey = walk(page, tmp_path, pages_url, "on-behalf", f"probes/who.html?mode={mode}")
    with journey.step("Say who it is for"):
        journey.open_start_page()
        journey.choose_who(myself="Myself", someone_else="Someone else")
        journey.press("Continue")
    assert journey.on_behalf is on_behalf
    assert ("who=other" if on_behalf else "who=me") in page.url
    assert len(probe_findings(journey, "on-behalf-route")) == findings


# -- the extra zero (low digital skill) -------------------------------------------------------------------

def pay(journey: Journey) -> None:
    with journey.step("Enter the amount"):
        journey.open_start_page()
        journey.enter_amount("Amount", "125.50", then="Continue")
        journey.expect_heading("Check your payment")


def test_an_extra_zero_shown_back_with_a_change_link_is_corrected(page: Page, tmp_path: Path,
                                                                 pages_url: str) -> None:
    journey = walk(page, tmp_path, pages_url, "low-digital-skill", "probes/amount.html")
    pay(journey)
    assert page.get_by_text("£125.50").is_visible()
    assert probe_findings(journey, "extra-zero") == []


def test_an_extra_zero_that_is_never_shown_back_stops_the_payment(page: Page, tmp_path: Path,
                                                                  pages_url: str) -> None:
    journey = walk(page, tmp_path, pages_url, "low-digital-skill", "probes/amount.html?mode=hidden")
    with pytest.raises(JourneyBlocked) as blocked:
        pay(journey)
    finding = blocked.value.finding
    assert (finding.rule_id, finding.blocker, finding.criteria) == ("extra-zero", True, ("3.3.4",))
    assert "£1,255.00 instead of £125.50" in finding.message


# -- typing mistakes (low digital skill) -------------------------------------------------------------------

@pytest.mark.parametrize(("mode", "kept"), [("keep", True), ("clear", False)])
def test_a_typing_mistake_must_be_explained_and_kept(page: Page, tmp_path: Path, pages_url: str,
                                                     mode: str, kept: bool) -> None:
    journey = walk(page, tmp_path, pages_url, "low-digital-skill", f"probes/mistake.html?mode={mode}")
    with journey.step("Give contact details"):
        journey.open_start_page()
        journey.fill("Full name", "Margaret Hughes")
        journey.fill("Phone number", "01632 960001", mistake="01632 96000")
        journey.press("Continue")
        journey.expect_heading("Select the address")
    # After correcting the mistake (and retyping what was lost), the form went through.
    assert "phone=01632+960001" in page.url and "name=Margaret+Hughes" in page.url
    findings = probe_findings(journey, "error-recovery")
    assert [f.selector for f in findings] == ([] if kept else ["#phone"])


def test_personas_who_do_not_make_mistakes_type_it_right_first_time(page: Page, tmp_path: Path,
                                                                   pages_url: str) -> None:
    journey = walk(page, tmp_path, pages_url, "default", "probes/mistake.html?mode=clear")
    with journey.step("Give contact details"):
        journey.open_start_page()
        journey.fill("Phone number", "01632 960001", mistake="01632 96000")
        journey.press("Continue")
    assert "phone=01632+960001" in page.url


# -- results that appear without a page load (screen reader) -----------------------------------------------

@pytest.mark.parametrize(("mode", "found"), [("live", False), ("plain", True)])
def test_results_written_into_the_page_must_be_announced(page: Page, tmp_path: Path, pages_url: str,
                                                         mode: str, found: bool) -> None:
    journey = walk(page, tmp_path, pages_url, "screen-reader", f"probes/results-in-page.html?mode={mode}")
    with journey.step("Find the bin day"):
        journey.open_start_page()
        journey.fill("Postcode", "MB1 4QX")
        journey.press("Find collection days")
        journey.expect_text("Collection days for Mill Lane")
    findings = probe_findings(journey, "status-message")
    assert [f.selector for f in findings] == (["#days"] if found else [])


# -- uploads (no camera) -------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["default", "no-camera"])
def test_an_upload_page_with_another_way(page: Page, tmp_path: Path, pages_url: str, persona: str) -> None:
    journey = walk(page, tmp_path, pages_url, persona, "probes/upload.html")
    with journey.step("Provide a photo"):
        journey.open_start_page()
        journey.upload("Upload a photo", without="I cannot upload a photo")
        journey.press("Continue")
    assert ("post=on" in page.url) is (persona == "no-camera")
    assert ("photo=photo.png" in page.url) is (persona == "default")


def test_an_upload_with_no_other_way_stops_pat(page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = walk(page, tmp_path, pages_url, "no-camera", "probes/upload.html?mode=upload-only")
    with pytest.raises(JourneyBlocked) as blocked, journey.step("Provide a photo"):
        journey.open_start_page()
        journey.upload("Upload a photo", without="I cannot upload a photo")
    finding = blocked.value.finding
    assert (finding.rule_id, finding.blocker, finding.selector) == ("upload-alternative", True, "#photo")


# -- page titles (every persona) -------------------------------------------------------------------------------

def test_two_steps_with_one_title_are_reported_once(page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = walk(page, tmp_path, pages_url, "default", "probes/lookup.html")
    with journey.step("First page"):
        journey.open_start_page()
    with journey.step("Second page, same title"):
        page.goto(f"{pages_url}/probes/same-title.html")
        journey.expect_heading("Check your answers")
    with journey.step("Third page, its own title"):
        page.goto(f"{pages_url}/probes/lookup-results.html")
        journey.expect_heading("Select the address")
    (finding,) = probe_findings(journey, "page-title-distinct")
    assert finding.step == "Second page, same title" and "'Where is the bin? – Probe fixtures'" in finding.message
