"""Subscribe to garden waste collection, walked by every persona on every target that offers it.

The journey is a goal: the walker reads each page, takes it for a kind (start page, address lookup, check your
answers, ...), answers as the persona would from their profile and the target's [data], and presses on. No
page order or wording is written here, so the same scenario walks any supplier's product.
"""

from __future__ import annotations

import pytest

from harness import Journey

pytestmark = pytest.mark.journey("garden-waste")


def test_subscribe_to_garden_waste(journey: Journey) -> None:
    journey.walk_to("confirmation")
