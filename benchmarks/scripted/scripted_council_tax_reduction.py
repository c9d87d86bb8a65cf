"""The scripted walk this journey had before journeys became goals: the baseline the walker is timed against."""

from __future__ import annotations

import pytest

from harness import Journey

pytestmark = pytest.mark.journey("council-tax-reduction")


def test_apply_for_council_tax_reduction(journey: Journey) -> None:
    with journey.step("Read about council tax reduction and start"):
        journey.open_start_page()
        journey.expect_heading("Apply for council tax reduction")
        journey.press("Start now")

    with journey.step("Say who the application is for"):
        journey.expect_heading("Who are you applying for")
        journey.choose_who(myself="Myself", someone_else="Someone else")
        journey.press("Continue")

    with journey.step("Give contact details"):
        journey.expect_heading("details")
        journey.press("Continue")  # people often press Continue first: the error state is checked too
        journey.fill("Full name", "Arthur Hughes")
        journey.fill("Phone number", "01632 960001")
        journey.fill("Email", "arthur@example.com", mistake="arthur.example.com")
        journey.press("Continue")

    with journey.step("Say who lives in the home"):
        journey.expect_heading("Who lives with")
        journey.choose("Nobody else")
        journey.press("Continue")

    with journey.step("Give income and savings"):
        journey.expect_heading("income")
        journey.fill("Monthly income", "850")
        journey.fill("Savings", "1200")
        journey.press("Continue")

    with journey.step("Provide proof of income"):
        journey.expect_heading("proof of income")
        journey.upload("Upload proof of income", without="I cannot upload proof of income")
        journey.press("Continue")

    with journey.step("Check the answers and send"):
        journey.expect_heading("Check your answers")
        journey.choose("I confirm the information is correct")
        journey.press("Send application")

    with journey.step("Read the confirmation"):
        journey.expect_heading("Application sent")
        journey.expect_text("reference")
