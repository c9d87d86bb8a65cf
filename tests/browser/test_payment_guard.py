"""The payment guard on hostile payment pages: on a target that is not a test environment, no card digit ever
reaches a page, whatever the persona and however the card fields are built, labelled or framed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from harness.browser.behaviours import BEHAVIOURS
from harness.browser.journey import Journey
from harness.browser.payment_guard import card_data
from harness.model.findings import JourneyBlocked
from harness.model.personas import Persona, load_personas
from harness.model.results import ResultsStore
from harness.model.targets import DEFAULT_TEST_CARD, load_target
from tests.payment_server import VARIANTS, PaymentServer, start_payment_server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PERSONAS = load_personas(REPO / "personas", BEHAVIOURS)
# One persona for each way of typing: mouse, keyboard only, screen reader, touch.
TYPISTS = ("default", "keyboard-only", "screen-reader", "mobile-only")
NEUTRAL_WORDS = '"Card number" = "Number"\n"Expiry date" = "Date"\n"Security code" = "Code"\n'
WORDING = {"long-number-cvc": '"Card number" = "Long number"\n"Expiry date" = "Valid until"\n"Security code" = "CVC"\n',
           "autocomplete-only": NEUTRAL_WORDS, "placeholders-only": NEUTRAL_WORDS}
FRAMED = ("same-origin-frame", "cross-origin-frame", "hosted-page-address", "frame-title", "late-fields")
# Where the guard must see card fields, in words its message uses.
SIGN = {"aria-labelledby": "'Card number'", "shadow-dom": "'Card number'", "long-number-cvc": "'Long number'",
        "same-origin-frame": "in a frame from http://127.0.0.1:", "cross-origin-frame": "in a frame from http://localhost:",
        "autocomplete-only": "found by its autocomplete, name or id", "hosted-page-address": "an address like a payment provider's, in a frame from http://localhost:",
        "frame-title": "a frame titled 'Card details'",
        "placeholders-only": "'Number'", "nearby-text": "beside the words 'Card number'",
        "tampered-dom": "'Card number'", "reference-field": "the target's test card number",
        "saved-card": "press 'Pay' on 'Live shop', a button that pays", "late-fields": "type in 'Email address'"}


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[PaymentServer, str]]:
    payment_server, url = start_payment_server()
    yield payment_server, url
    payment_server.shutdown()


def walk(browser: Browser, tmp_path: Path, url: str, variant: str, persona: Persona, *, test_environment: bool,
         card_number: str = DEFAULT_TEST_CARD["number"]) -> Journey:
    """The card step of the pay-an-amount scenario, on one hostile page; returns the journey when it ends."""
    wording = f"[wording]\n{WORDING[variant]}" if variant in WORDING else ""
    (tmp_path / "shop.toml").write_text(
        f'name = "Live shop"\nsupplier = "Shop Ltd"\nversion = "1"\nbase_url = "{url}/"\n'
        f'test_environment = {str(test_environment).lower()}\n{wording}\n[journeys.pay-an-amount]\n'
        f'entry = "{variant}"\n')
    target = load_target(tmp_path / "shop.toml")
    context = browser.new_context(**dict(persona.context))
    try:
        journey = Journey(context.new_page(), target=target, persona=persona, journey_id="pay-an-amount",
                          entry_url=f"{url}/{variant}", store=ResultsStore(tmp_path / "run").open(),
                          test_id=f"test_pay[{variant}-{persona.id}]", allowed_origins=target.origins(),
                          checks=())
        try:
            with journey.step("Pay by card"):
                journey.open_start_page()
                card = journey.test_card
                if variant in FRAMED:
                    journey.fill("Email address", "resident@example.com")
                if variant == "reference-field":
                    journey.fill("Reference", card_number)
                if variant != "saved-card":
                    journey.fill("Card number", card_number)
                    journey.fill("Expiry date", card["expiry"])
                    journey.fill("Security code", card["security_code"])
                journey.press("Pay")
        except JourneyBlocked:
            pass
        journey.page.wait_for_timeout(300)  # let any keystroke the page caught reach the server
    finally:
        context.close()
    return journey


@pytest.mark.parametrize("persona_id", TYPISTS)
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_no_card_digit_reaches_a_hostile_page_on_a_live_service(
        browser: Browser, tmp_path: Path, server: tuple[PaymentServer, str], variant: str, persona_id: str) -> None:
    payment_server, url = server
    payment_server.collected.clear()
    payment_server.requests.clear()
    journey = walk(browser, tmp_path, url, variant, PERSONAS[persona_id], test_environment=False)
    assert journey.ending == "blocked"
    (blocker,) = [f for f in journey.findings if f.blocker]
    assert blocker.rule_id == "payment-refused", blocker.message
    assert SIGN[variant] in blocker.message
    assert "not marked as a test environment" in blocker.message
    assert "set test_environment = true in" in blocker.help
    # Nothing was typed on the page at all: no key, no value, no submitted form.
    assert payment_server.collected == []
    assert not [r for r in payment_server.requests if r.startswith("/paid")]
    assert "4444" not in " ".join(payment_server.requests)


@pytest.mark.parametrize("variant", ["aria-labelledby", "shadow-dom", "long-number-cvc", "autocomplete-only",
                                     "placeholders-only", "nearby-text", "tampered-dom", "reference-field"])
def test_the_same_pages_do_send_what_is_typed_on_a_test_environment(
        browser: Browser, tmp_path: Path, server: tuple[PaymentServer, str], variant: str) -> None:
    """The pages really are hostile: where paying is allowed, the card number reaches the server as it is typed."""
    payment_server, url = server
    payment_server.collected.clear()
    walk(browser, tmp_path, url, variant, PERSONAS["default"], test_environment=True)
    assert ("input", DEFAULT_TEST_CARD["number"]) in payment_server.collected


def test_any_card_number_is_refused_in_any_field(browser: Browser, tmp_path: Path,
                                                 server: tuple[PaymentServer, str]) -> None:
    payment_server, url = server
    payment_server.collected.clear()
    journey = walk(browser, tmp_path, url, "reference-field", PERSONAS["keyboard-only"], test_environment=False,
                   card_number="4111 1111 1111 1111")
    (blocker,) = [f for f in journey.findings if f.blocker]
    assert blocker.message == ("The harness will not type a number that passes the Luhn check of card numbers "
                               "into 'Reference' on 'Live shop', because the target is not marked as a test "
                               "environment.")
    assert payment_server.collected == []


@pytest.mark.parametrize(("value", "why"), [
    ("4444333322221111", "the target's test card number"),
    ("4444 3333 2222 1111", "the target's test card number"),
    ("4111-1111-1111-1111", "a number that passes the Luhn check of card numbers"),
    ("4111111111111112", None),  # fails the Luhn check
    ("01632 960001", None),  # a phone number: no card number starts with 0
    ("+44 1632 960001", None),
    ("60012345", None),  # an account number: too short
    ("125.50", None),
    ("MB1 4QX", None),
])
def test_card_data_is_told_from_other_numbers(value: str, why: str | None) -> None:
    assert card_data(value, DEFAULT_TEST_CARD) == why


def test_a_saved_card_is_not_charged_on_a_live_service_but_is_on_a_test_one(
        browser: Browser, tmp_path: Path, server: tuple[PaymentServer, str]) -> None:
    payment_server, url = server
    payment_server.requests.clear()
    walk(browser, tmp_path, url, "saved-card", PERSONAS["default"], test_environment=False)
    assert not [r for r in payment_server.requests if r.startswith("/paid")]
    journey = walk(browser, tmp_path, url, "saved-card", PERSONAS["default"], test_environment=True)
    assert journey.ending == "completed"
    assert [r for r in payment_server.requests if r.startswith("/paid")]
