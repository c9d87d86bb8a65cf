"""The walker's reading of a page is untrusted data: every shape a page can answer with is checked and cut."""

from __future__ import annotations

from typing import Any

import pytest

from harness.model.page_kinds import recognise
from harness.model.page_snapshot import MAX_CONTROLS, MAX_TEXT, snapshot_from
from harness.model.walk_plan import Profile, WalkData, plan


@pytest.mark.parametrize("raw", [None, 42, "page", [], {"controls": "many"}, {"controls": [1, None, "x"]},
                                 {"headings": {"a": 1}, "summary_rows": True, "panel": ["x"]},
                                 {"controls": [{"role": "script", "label": "x"}]}])
def test_any_answer_reads_as_a_page_never_an_error(raw: Any) -> None:
    page = snapshot_from(raw, url="http://127.0.0.1/x")
    assert page.controls == ()
    assert page.summary_rows == 0
    assert recognise(page).kind == "form"
    assert plan(page, Profile(), WalkData()) == []


def test_sizes_are_cut_and_text_is_made_storable() -> None:
    raw = {"title": "T\x00itle", "h1": "A" * 10_000, "text": "x" * 100_000,
           "controls": [{"role": "textbox", "label": "Name\u202e", "options": "no"}] * (MAX_CONTROLS + 50)}
    page = snapshot_from(raw)
    assert len(page.controls) == MAX_CONTROLS
    assert len(page.text) == MAX_TEXT
    assert len(page.h1) <= 300
    assert "\x00" not in page.title
    assert page.controls[0].options == ()


def test_a_flag_must_be_true_not_truthy() -> None:
    page = snapshot_from({"controls": [{"role": "textbox", "label": "Email", "required": "yes",
                                        "in_banner": 1, "submits": "true"}]})
    control = page.controls[0]
    assert (control.required, control.in_banner, control.submits) == (False, False, False)
