"""Journey features on local pages: product wording, credentials that never leak, time limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page

from harness.browser.axe_scan import AxeTimeout, run_axe, scan_page
from harness.browser.behaviours import BEHAVIOURS
from harness.browser.journey import Journey
from harness.browser.page_facts import screenshot_facts
from harness.model.findings import JourneyBlocked
from harness.model.personas import load_personas
from harness.model.results import ResultsStore
from harness.model.targets import load_target

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SECRET = "correct-horse-battery-staple"


def make_journey(page: Page, tmp_path: Path, pages_url: str, entry: str, extra: str = "",
                 **options: float) -> Journey:
    (tmp_path / "acme.toml").write_text(
        f'name = "Acme"\nsupplier = "Acme Ltd"\nversion = "1"\nbase_url = "{pages_url}/"\n'
        f'test_environment = true\n{extra}\n[journeys.bin-day]\nentry = "{entry}"\n')
    target = load_target(tmp_path / "acme.toml")
    persona = load_personas(REPO / "personas", BEHAVIOURS)["default"]
    store = ResultsStore(tmp_path / "run").open()
    return Journey(page, target=target, persona=persona, journey_id="bin-day", entry_url=f"{pages_url}/{entry}",
                   store=store, test_id="test_x[acme-default]", allowed_origins=target.origins(), **options)


def test_the_products_own_wording_is_used(page: Page, tmp_path: Path, pages_url: str) -> None:
    wording = ('[wording]\n"Email" = "Your email address"\n"Password" = "Your password"\n'
               '"Sign in" = "Log in"\n')
    journey = make_journey(page, tmp_path, pages_url, "sign-in.html", wording)
    with journey.step("Sign in"):
        journey.open_start_page()
        journey.expect_heading("Sign in to your account")
        journey.fill("Email", "resident@example.com")
        journey.fill("Password", "not-a-secret")
        journey.press("Sign in")
    assert page.url.endswith("tiny-results.html?user=resident%40example.com&secret=not-a-secret")


def test_credentials_come_from_the_environment_and_never_leak(page: Page, tmp_path: Path, pages_url: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_TEST_PASSWORD", SECRET)
    extra = '[credentials]\npassword = "ACME_TEST_PASSWORD"\n'
    journey = make_journey(page, tmp_path, pages_url, "sign-in.html", extra)
    with journey.step("Sign in"):
        journey.open_start_page()
        journey.fill("Your email address", "resident@example.com")
        journey.fill_credential("Your password", "password")
        journey._scan_state("signed-in form, before pressing")  # a screenshot with the secret typed in
    assert page.get_by_label("Your password").input_value() == SECRET
    stored = (tmp_path / "run" / "results.ndjson").read_text()
    assert SECRET not in stored
    # The field holding the secret is painted over in the screenshot (Playwright's mask colour).
    from PIL import Image

    state = json.loads(stored.splitlines()[-1])["states"][-1]
    box = page.get_by_label("Your password").bounding_box()
    assert box is not None
    image = Image.open(tmp_path / "run" / state["screenshot"]).convert("RGB")
    centre = image.getpixel((int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2)))
    assert centre == (255, 0, 255)


ADD_PASSWORD_FIELD_JS = """shadow => {
  const field = Object.assign(document.createElement('input'), {type: 'password', value: 'typed-not-declared'});
  field.style.cssText = 'display: block; width: 300px; height: 60px; font-size: 30px';
  const host = document.createElement('div');
  document.querySelector('main').prepend(host);
  (shadow ? host.attachShadow({mode: 'open'}) : host).append(field);
}"""


@pytest.mark.parametrize("in_shadow_root", [False, True], ids=["in the page", "in a shadow root"])
def test_a_password_field_is_masked_even_when_no_credential_filled_it(page: Page, tmp_path: Path, pages_url: str,
                                                                       in_shadow_root: bool) -> None:
    from PIL import Image

    journey = make_journey(page, tmp_path, pages_url, "tiny-service.html")
    with journey.step("Open the service"):
        journey.open_start_page()
        page.evaluate(ADD_PASSWORD_FIELD_JS, in_shadow_root)
        journey._scan_state("with a password field", force_screenshot=True)
    box = page.locator("input[type=password]").bounding_box()
    assert box is not None
    state = json.loads((tmp_path / "run" / "results.ndjson").read_text().splitlines()[-1])["states"][-1]
    image = Image.open(tmp_path / "run" / state["screenshot"]).convert("RGB")
    assert image.getpixel((int(box["x"] + 20), int(box["y"] + box["height"] / 2))) == (255, 0, 255)


def test_screenshots_are_in_css_pixels_on_a_high_density_phone(browser: Browser, tmp_path: Path,
                                                                 pages_url: str) -> None:
    """A full-page screenshot at the phone's 3x holds nine times the pixels for nothing a report shows."""
    from PIL import Image

    phone = load_personas(REPO / "personas", BEHAVIOURS)["mobile-only"]
    assert phone.context["device_scale_factor"] == 3
    context = browser.new_context(**dict(phone.context))
    try:
        page = context.new_page()
        journey = make_journey(page, tmp_path, pages_url, "tiny-service.html")
        with journey.step("Open the service"):
            journey.open_start_page()
            journey._scan_state("start page", force_screenshot=True)
        css_size = screenshot_facts(page)[:2]
    finally:
        context.close()
    state = json.loads((tmp_path / "run" / "results.ndjson").read_text().splitlines()[-1])["states"][-1]
    assert state["screenshot_scale"] == 1
    assert Image.open(tmp_path / "run" / state["screenshot"]).size == tuple(css_size)


def test_an_svg_document_gets_a_screenshot_of_what_the_window_shows(page: Page, tmp_path: Path,
                                                                    pages_url: str) -> None:
    """An SVG document has no body: a full-page shot of it waits out the timeout and there is no picture."""
    journey = make_journey(page, tmp_path, pages_url, "act/image.svg")
    with journey.step("Open the image"):
        journey.open_start_page()
        journey._scan_state("the image", force_screenshot=True)
    state = json.loads((tmp_path / "run" / "results.ndjson").read_text().splitlines()[-1])["states"][-1]
    assert state["screenshot"] and (tmp_path / "run" / state["screenshot"]).stat().st_size > 0


def test_a_missing_credential_blocks_with_what_to_set(page: Page, tmp_path: Path, pages_url: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACME_TEST_PASSWORD", raising=False)
    journey = make_journey(page, tmp_path, pages_url, "sign-in.html",
                           '[credentials]\npassword = "ACME_TEST_PASSWORD"\n')
    with pytest.raises(JourneyBlocked) as caught, journey.step("Sign in"):
        journey.open_start_page()
        journey.fill_credential("Your password", "password")
    assert "environment variable ACME_TEST_PASSWORD, which is not set" in str(caught.value)


def test_a_step_past_its_time_limit_is_stopped(page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = make_journey(page, tmp_path, pages_url, "sign-in.html", step_timeout_s=0.5)
    with pytest.raises(JourneyBlocked) as caught, journey.step("Sign in slowly"):
        journey.open_start_page()
        page.wait_for_timeout(600)
        journey.fill("Your email address", "resident@example.com")
    assert "took longer than 0 s" not in str(caught.value)
    assert "The step took longer than 0.5 s in all and was stopped." in str(caught.value)
    assert caught.value.finding.rule_id == "harness-error"


def test_an_axe_scan_past_its_time_limit_becomes_an_error_finding(page: Page, pages_url: str) -> None:
    page.goto(f"{pages_url}/sign-in.html")
    with pytest.raises(AxeTimeout):
        run_axe(page, time_limit_s=0.001)
    (finding,) = scan_page(page, time_limit_s=0.001)
    assert (finding.rule_id, finding.outcome.value) == ("axe-scan-failed", "error")
    assert "did not finish within 0.001 s" in finding.message


def test_a_page_state_met_again_in_another_walk_is_not_scanned_again(
        page: Page, tmp_path: Path, pages_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same address, same DOM, same persona settings: axe's answer is reused, and the findings are the same."""
    import harness.browser.page_state

    calls: list[str] = []
    real = harness.browser.page_state.scan_page_with_evidence

    def counting(page: Page, *args: object) -> object:
        calls.append(page.url)
        return real(page, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(harness.browser.page_state, "scan_page_with_evidence", counting)
    harness.browser.page_state.AXE_CACHE.clear()
    seen = []
    for walk in ("one", "two"):
        (tmp_path / walk).mkdir()
        journey = make_journey(page, tmp_path / walk, pages_url, "sign-in.html")
        with journey.step("Open the sign-in page"):
            journey.open_start_page()
        seen.append(sorted((f.rule_id, f.selector) for f in journey.findings))
    assert len(calls) == 1
    assert seen[0] == seen[1] and seen[0]  # the page has findings, and both walks report them
    # A different page state is scanned.
    (tmp_path / "three").mkdir()
    journey = make_journey(page, tmp_path / "three", pages_url, "sign-in.html")
    with journey.step("Open the sign-in page"):
        journey.open_start_page()
        page.evaluate("document.body.append(document.createElement('p'))")
        journey.check_page([])
    assert len(calls) == 2


def test_a_form_drawn_during_a_search_is_found_by_its_label(page: Page, tmp_path: Path, pages_url: str) -> None:
    """The label-tied field appears between the try by label and the try by nearby text of one pass: the field
    is still found by its label, so a late form is not reported as unlabelled (seen on a card form drawn late)."""
    journey = make_journey(page, tmp_path, pages_url, "sign-in.html")
    page.set_content('<div id="later"></div>')
    draw = ("() => document.getElementById('later').innerHTML = "
            "'<label for=\"e\">Email address</label><input id=\"e\">'")
    tries = {"label": 0}

    def by_label() -> Locator:
        tries["label"] += 1
        return page.get_by_label("Email address")

    def by_text_after_drawing() -> Locator:
        page.evaluate(draw)  # the page draws its form now, after the try by label failed
        return page.get_by_text("Email address").locator("xpath=following::input[1]")

    how, field = journey.locating.first_found([("label", by_label), ("text", by_text_after_drawing)]) or ("", None)
    assert (how, tries["label"]) == ("label", 2)
    assert field is not None and field.get_attribute("id") == "e"


def test_a_field_not_found_names_the_pages_fields_and_the_wording_line_to_add(
        page: Page, tmp_path: Path, pages_url: str) -> None:
    """The page says 'Post code' where the scenario says 'Postcode': the message names the page's field and the
    line that maps one to the other, and with that line added the same step goes through."""
    journey = make_journey(page, tmp_path, pages_url, "post-code.html")
    with pytest.raises(JourneyBlocked) as caught, journey.step("Enter the postcode"):
        journey.open_start_page()
        journey.fill("Postcode", "MB1 4QX")
    message = caught.value.finding.message
    assert "No field labelled 'Postcode' on 'Where is the bin? – Tiny Council'" in message
    assert "The page had fields 'Post code'; buttons and links 'Find address'; headings 'Where is the bin?'." \
        in message
    assert '[data] postcode = "..."' in message
    line = 'Add to the target file: [journeys.bin-day.wording] "Postcode" = "Post code"'
    assert message.endswith(line)
    # The suggested line, added to the target file, finds the field.
    (tmp_path / "again").mkdir()
    table, _, mapping = line.removeprefix("Add to the target file: ").partition(" ")
    journey = make_journey(page, tmp_path / "again", pages_url, "post-code.html", f"{table}\n{mapping}\n")
    with journey.step("Enter the postcode"):
        journey.open_start_page()
        journey.fill("Postcode", "MB1 4QX")
        journey.press("Find address")
    assert page.url.endswith("tiny-results.html?pc=MB1+4QX")


def test_a_button_not_found_names_the_pages_buttons_and_links(page: Page, tmp_path: Path, pages_url: str) -> None:
    journey = make_journey(page, tmp_path, pages_url, "post-code.html")
    with pytest.raises(JourneyBlocked) as caught, journey.step("Search"):
        journey.open_start_page()
        journey.press("Find an address")
    message = caught.value.finding.message
    assert "No button or link named 'Find an address' on " in message
    assert "buttons and links 'Find address'" in message and "[data]" not in message
    assert message.endswith('Add to the target file: [journeys.bin-day.wording] "Find an address" = "Find address"')
