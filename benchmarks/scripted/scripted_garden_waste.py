"""The scripted walk this journey had before journeys became goals: the baseline the walker is timed against."""

from __future__ import annotations

import pytest

from harness import Journey

pytestmark = pytest.mark.journey("garden-waste")


def test_subscribe_to_garden_waste(journey: Journey) -> None:
    with journey.step("Read about the service and start"):
        journey.open_start_page()
        journey.expect_heading("Subscribe to garden waste collection")
        journey.press("Start now")

    with journey.step("Enter where the bin is"):
        journey.expect_heading("Where is the bin")
        journey.find_address("Postcode", postcode="MB1 4QX", place="Mill Lane, Millbrook", then="Find address")

    with journey.step("Choose the address"):
        journey.expect_heading("Select the address")
        journey.choose("14 Mill Lane")
        journey.press("Continue")

    with journey.step("Say who the subscription is for"):
        journey.expect_heading("Who is the subscription for")
        journey.choose_who(myself="Myself", someone_else="Someone else")
        journey.press("Continue")

    with journey.step("Give contact details"):
        journey.expect_heading("contact details")
        # People often press Continue before filling everything in: the error state is scanned too.
        journey.press("Continue")
        journey.fill("Full name", "Margaret Hughes")
        journey.fill("Phone number", "01632 960001", mistake="01632 960")
        journey.fill("Email", "margaret@example.com")
        journey.press("Continue")

    with journey.step("Choose how many bins"):
        journey.expect_heading("How many garden waste bins")
        journey.choose("1 bin")
        journey.press("Continue")

    with journey.step("Check your answers"):
        journey.expect_heading("Check your answers")
        journey.press("Continue to payment")

    with journey.step("Pay for the subscription"):
        journey.expect_heading("Pay")
        card = journey.test_card  # the target's payment test card: journeys only pay test environments
        journey.fill("Card number", card["number"])
        journey.fill("Expiry date", card["expiry"])
        journey.fill("Name on card", "Margaret Hughes")
        journey.fill("Security code", card["security_code"])
        journey.press("Pay")

    with journey.step("Read the confirmation"):
        journey.expect_heading("Subscription complete")
        journey.expect_text("reference")
