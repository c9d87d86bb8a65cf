"""The scripted walk this journey had before journeys became goals: the baseline the walker is timed against."""

from __future__ import annotations

import pytest

from harness import Journey

pytestmark = pytest.mark.journey("blue-badge")


def test_apply_for_a_blue_badge(journey: Journey) -> None:
    with journey.step("Read about blue badges and start"):
        journey.open_start_page()
        journey.expect_heading("Apply for a blue badge")
        journey.press("Start now")

    with journey.step("Say who the badge is for"):
        journey.expect_heading("Who is the blue badge for")
        journey.choose_who(myself="Myself", someone_else="Someone else")
        journey.press("Continue")

    with journey.step("Give the badge holder's details"):
        journey.expect_heading("details")
        journey.fill("Full name", "Arthur Hughes")
        journey.fill("Day", "12")
        journey.fill("Month", "3")
        journey.fill("Year", "1941")
        # A missing final letter: the service must say what is wrong and keep what was typed.
        journey.fill("National Insurance number", "QQ 12 34 56 C", mistake="QQ 12 34 56")
        journey.press("Continue")

    with journey.step("Find the badge holder's address"):
        journey.expect_heading("address")
        journey.find_address("Postcode", postcode="MB1 4QX", place="Mill Lane, Millbrook", then="Find address")

    with journey.step("Choose the address"):
        journey.expect_heading("Select the address")
        journey.choose("14 Mill Lane")
        journey.press("Continue")

    with journey.step("Answer the eligibility question"):
        journey.expect_heading("mobility")
        journey.choose("Yes")
        journey.press("Continue")

    with journey.step("Provide a photo"):
        journey.expect_heading("photo")
        journey.upload("Upload a photo", without="I cannot upload a photo")
        journey.press("Continue")

    with journey.step("Check the answers and send"):
        journey.expect_heading("Check your answers")
        journey.press("Send application")

    with journey.step("Read the confirmation"):
        journey.expect_heading("Application sent")
        journey.expect_text("reference")
