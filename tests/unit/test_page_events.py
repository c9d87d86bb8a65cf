"""The outside-origin guard's pattern: matched by Playwright in the browser's driver, not in Python."""

from __future__ import annotations

import pytest

from harness.browser.page_events import outside_pattern

ALLOWED = {"http://127.0.0.1:8000", "https://pay.example.com"}


@pytest.mark.parametrize(("url", "outside"), [
    ("http://127.0.0.1:8000/bins?postcode=MB1", False),
    ("http://127.0.0.1:8000", False),
    ("https://pay.example.com?card=1", False),
    ("https://PAY.example.com/", False),  # host names are not case-sensitive
    ("https://evil.example/", True),
    ("http://127.0.0.1:80001/", True),  # another port is another origin
    ("http://127.0.0.1:8000.evil.example/", True),  # a look-alike host
    ("https://127.0.0.1:8000/", True),  # another scheme is another origin
    ("data:text/html,hello", False),  # not a web address: never stopped
    ("about:blank", False),
])
def test_outside_pattern(url: str, outside: bool) -> None:
    assert bool(outside_pattern(ALLOWED).search(url)) is outside
