"""The walker recognises pages it was not written for: every page of the independent page-kind corpus.

The corpus (tests/data/page_kinds, see its README) was written from page-kinds.md and the GOV.UK patterns by
someone who had not seen the recogniser. Each page must be taken for its kind, and the walker's plan must press
the control a person would press to go on. The pages the walker still gets wrong are listed below with what
goes wrong: each is a strict xfail, so a fix shows up as a failure until the entry is removed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from harness.browser.walker.snapshot import take_snapshot
from harness.model.page_kinds import recognise
from harness.model.walk_plan import Profile, WalkData, plan
from tests.pages_server import serve_folder

CORPUS = Path(__file__).resolve().parents[1] / "data" / "page_kinds"
PAGES: list[dict[str, Any]] = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["page"]
DATA = WalkData(postcode="MB1 4QX", place="Mill Lane, Millbrook", address="14 Mill Lane", amount="10.00",
                card={"number": "4444333322221111", "expiry": "12/30", "security_code": "123"})

MISTAKEN_KIND: dict[str, str] = {}
"""Pages the recogniser takes for the wrong kind today, and why."""
MISSED_PRESS = {
    "card-payment/modern-hosted-iframe.html": "the Pay button is inside the payment provider's frame: the walker "
                                              "sees it but the journey's verbs act on the page, not its frames",
}
"""Pages where the plan presses the wrong control today, and why."""


@pytest.fixture(scope="module")
def corpus_url() -> Iterator[str]:
    server, url = serve_folder(CORPUS)
    yield url
    server.shutdown()


def _case(entry: dict[str, Any], known: dict[str, str]) -> Any:
    marks = [pytest.mark.xfail(reason=known[entry["file"]], strict=True)] if entry["file"] in known else []
    return pytest.param(entry, id=entry["file"].removesuffix(".html"), marks=marks)


@pytest.mark.parametrize("entry", [_case(e, MISTAKEN_KIND) for e in PAGES])
def test_each_page_is_taken_for_its_kind(entry: dict[str, Any], page: Page, corpus_url: str) -> None:
    page.goto(f"{corpus_url}/{entry['file']}")
    found = recognise(take_snapshot(page))
    kinds = (found.kind, *found.also)
    acceptable = {entry["kind"], *entry.get("also", [])}
    if entry.get("banner"):
        assert "cookie-banner" in kinds, found.describe()
        assert entry["kind"] in kinds, found.describe()
    else:
        assert found.kind in acceptable, f"taken for {found.describe()}"


@pytest.mark.parametrize("entry", [_case(e, MISSED_PRESS) for e in PAGES if e["primary"]])
def test_the_plan_goes_on_with_the_pages_own_button(entry: dict[str, Any], page: Page, corpus_url: str) -> None:
    page.goto(f"{corpus_url}/{entry['file']}")
    actions = plan(take_snapshot(page), Profile(), DATA)
    presses = [a.label for a in actions if a.verb == "press"]
    presses += [a.other for a in actions if a.verb in ("find_address", "enter_amount")]
    assert any(entry["primary"].lower() in pressed.lower() for pressed in presses), (
        f"wanted '{entry['primary']}', planned {[a.describe() for a in actions]}")


def test_the_corpus_is_mostly_recognised() -> None:
    """The known misses stay a minority: a change that breaks recognition widely fails here too."""
    assert len(MISTAKEN_KIND) <= len(PAGES) // 6
