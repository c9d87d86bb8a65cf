"""The scripted walk this journey had before journeys became goals: the baseline the walker is timed against."""

from __future__ import annotations

import pytest

from harness import Journey

pytestmark = pytest.mark.journey("pay-an-amount")


def test_pay_an_amount(journey: Journey) -> None:
    with journey.step("Read about paying and start"):
        journey.open_start_page()
        journey.expect_heading("Pay your council tax")
        journey.press("Start now")

    with journey.step("Enter the account number and amount"):
        journey.expect_heading("council tax account")
        journey.fill("Account number", "60012345")
        # The low-digital-skill persona types an extra zero here, and must be able to see and change it.
        journey.enter_amount("Amount", "125.50", then="Continue")

    with journey.step("Confirm the payment"):
        journey.expect_heading("payment")
        journey.press("Continue to payment")

    with journey.step("Pay by card"):
        journey.expect_heading("Pay")
        card = journey.test_card
        journey.fill("Card number", card["number"])
        journey.fill("Expiry date", card["expiry"])
        journey.fill("Name on card", "Arthur Hughes")
        journey.fill("Security code", card["security_code"])
        journey.press("Pay")

    with journey.step("Read the receipt"):
        journey.expect_heading("Payment complete")
        journey.expect_text("reference")
