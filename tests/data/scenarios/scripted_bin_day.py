"""A journey written step by step in Python (the verbs stay for teams who need them): the plugin tests' tiny
scenario, whose steps they break, kill and interrupt at known places."""

from __future__ import annotations

import pytest

from harness import Journey

pytestmark = pytest.mark.journey("bin-day")


def test_find_your_bin_collection_day(journey: Journey) -> None:
    with journey.step("Search for the address"):
        journey.open_start_page()
        journey.expect_heading("Find your bin collection day")
        journey.find_address("Postcode", postcode="MB1 4QX", place="Mill Lane, Millbrook",
                             then="Find collection days")

    with journey.step("Read the collection days"):
        journey.expect_text("Collection days for")
        journey.expect_text("Garden waste")
