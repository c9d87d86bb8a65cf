"""Page-kind signals one at a time, on snapshots built as the walker's reading would give them.

The corpus (tests/browser/test_page_kinds.py) shows the signals together on whole pages; here each is shown
alone, so a page with several signals cannot hide one that stopped working.
"""

from __future__ import annotations

from typing import Any

from harness.model.page_kinds import lookup_button, recognise
from harness.model.page_snapshot import PageSnapshot, snapshot_from
from harness.model.walk_plan import Profile, WalkData, plan, primary_action

DATA = WalkData(postcode="MB1 4QX", address="14 Mill Lane, Millbrook", amount="10.00",
                card={"number": "4444333322221111", "expiry": "12/30", "security_code": "123"})
NEXT = {"role": "button", "label": "Next", "submits": True}


def _page(*controls: dict[str, Any], h1: str = "", lead: str = "") -> PageSnapshot:
    return snapshot_from({"title": "Online forms", "h1": h1, "lead": lead or h1, "controls": list(controls)})


def test_a_checklist_of_statements_is_eligibility_and_every_box_is_ticked() -> None:
    boxes = [{"role": "checkbox", "label": label} for label in ("I live in the district", "I am 18 or over")]
    page = _page(*boxes, NEXT, lead="Single Person Discount")
    assert recognise(page).kind == "eligibility"
    assert [a.describe() for a in plan(page, Profile(), DATA)] == [
        "choose 'I live in the district'", "choose 'I am 18 or over'", "press 'Next'"]


def test_boxes_of_things_to_choose_are_no_checklist() -> None:
    page = _page({"role": "checkbox", "label": "Green bin"}, {"role": "checkbox", "label": "Blue bin"}, NEXT,
                 h1="Which bins were missed?")
    assert recognise(page).kind == "question"


def test_an_applicant_type_select_is_who_for_and_the_persona_picks_self() -> None:
    select = {"role": "select", "label": "Applicant type", "value": "Please choose",
              "options": ["Please choose", "Self", "Relative", "Carer", "Appointee"]}
    page = _page(select, NEXT)
    assert recognise(page).kind == "who-for"
    assert plan(page, Profile(), DATA)[0].describe() == "select 'Applicant type' 'Self'"
    assert plan(page, Profile(), DATA, on_behalf_first=True)[0].describe() == "select 'Applicant type' 'Relative'"


def test_a_select_is_options_only_with_prices_or_numbers() -> None:
    words = {"role": "select", "label": "Type of problem", "options": ["-- Please choose --", "Light flashing"]}
    prices = {"role": "select", "label": "Bin size", "options": ["Please choose", "240 litres (£32)"]}
    assert recognise(_page(words, NEXT)).kind == "question"
    assert recognise(_page(prices, NEXT)).kind == "options"


def test_a_wh_question_about_where_you_live_is_no_eligibility_question() -> None:
    radios = [{"role": "radio", "label": label, "group": ""} for label in ("House", "Flat")]
    assert recognise(_page(*radios, NEXT, h1="What type of property do you live in?")).kind == "question"
    yes_no = [{"role": "radio", "label": label, "name": "live"} for label in ("Yes", "No")]
    assert recognise(_page(*yes_no, NEXT, h1="Do you live in Millbrook?")).kind == "eligibility"


def test_a_postcode_among_details_with_nothing_to_look_it_up_is_an_answer() -> None:
    fields = [{"role": "textbox", "label": "Your name"}, {"role": "textbox", "label": "Postcode"}]
    assert recognise(_page(*fields, {"role": "button", "label": "Continue", "submits": True})).kind == "details"
    found = recognise(_page(*fields, {"role": "button", "label": "Find address", "submits": True}))
    assert found.kind == "address-lookup"


def test_a_link_back_to_the_search_is_no_lookup_button() -> None:
    page = _page({"role": "link", "label": "Back to search"}, {"role": "button", "label": "Search again"},
                 {"role": "button", "label": "Go back"})
    found = lookup_button(page)
    assert found is not None and found.label == "Search again"


def test_a_box_in_a_quantity_column_asks_how_many_and_nought_means_none_yet() -> None:
    page = _page({"role": "textbox", "label": "Sofa", "group": "Qty", "value": "0"},
                 {"role": "textbox", "label": "Armchair", "group": "Qty", "value": "0"}, NEXT)
    assert recognise(page).kind == "options"
    assert [a.describe() for a in plan(page, Profile(), DATA)] == ["fill 'Sofa' '1'", "press 'Next'"]


def test_controls_inside_a_frame_are_recognised_but_never_acted_on() -> None:
    framed = [{"role": "textbox", "label": "Card number", "autocomplete": "cc-number", "in_frame": True},
              {"role": "button", "label": "Pay now", "submits": True, "in_frame": True}]
    page = _page({"role": "textbox", "label": "Cardholder name", "autocomplete": "cc-name"}, *framed)
    assert recognise(page).kind == "card-payment"
    assert [a.describe() for a in plan(page, Profile(), DATA)] == ["fill 'Cardholder name' 'Sam Taylor'"]
    assert primary_action(page) is None


def test_a_page_with_no_h1_is_read_by_its_lead_text() -> None:
    page = _page({"role": "link", "label": "Return to home page"}, lead="You are not eligible to apply online.")
    assert recognise(page).kind == "exit"
