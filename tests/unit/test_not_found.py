"""The message for a field or control not found: what the page had instead, and the target-file line to add."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType

from harness.model.not_found import MAX_LISTED, closest_label, not_found_message
from harness.model.page_snapshot import PageSnapshot, snapshot_from
from harness.model.targets import load_target

WHERE = "'Find your bin day' (http://127.0.0.1/bins)"
NO_WORDS: MappingProxyType[str, str] = MappingProxyType({})


def page(fields: Sequence[str], buttons: Sequence[str] = (), headings: Sequence[str] = ()) -> PageSnapshot:
    controls = [{"role": "textbox", "label": label} for label in fields]
    controls += [{"role": "button", "label": label} for label in buttons]
    return snapshot_from({"controls": controls, "headings": list(headings)}, url="http://127.0.0.1/bins")


def test_a_missing_field_names_what_the_page_had_and_the_wording_to_add() -> None:
    message = not_found_message("field", "Postcode", WHERE, page(["House number", "Post code"], ["Find address"],
                                                                  ["Find your bin day"]),
                                journey_id="garden-waste", words=NO_WORDS)
    assert message == (
        "No field labelled 'Postcode' on 'Find your bin day' (http://127.0.0.1/bins). The page had fields "
        "'House number', 'Post code'; buttons and links 'Find address'; headings 'Find your bin day'. "
        'The walker types it from the target\'s test data ([data] postcode = "..."). '
        'Add to the target file: [journeys.garden-waste.wording] "Postcode" = "Post code"')
    assert "\n" not in message  # a blocker keeps only the first line


def test_a_missing_button_is_matched_among_buttons_and_links_only() -> None:
    message = not_found_message("control", "Continue", WHERE, page(["Continue with"], ["Back", "Save and continue"]),
                                journey_id="bin-day", words=NO_WORDS)
    assert message.startswith("No button or link named 'Continue' on ")
    assert message.endswith('[journeys.bin-day.wording] "Continue" = "Save and continue"')
    assert "[data]" not in message


def test_wording_already_applied_is_named_by_the_scenarios_words() -> None:
    words = MappingProxyType({"Postcode": "Enter your postcode"})
    message = not_found_message("field", "Enter your postcode", WHERE, page(["Your postcode", "Email"]),
                                journey_id="bin-day", words=words)
    assert 'Change in the target file: [journeys.bin-day.wording] "Postcode" = "Your postcode"' in message


def test_nothing_alike_gives_the_line_to_fill_in() -> None:
    message = not_found_message("control", "Continue", WHERE, page([], ["Back", "Sign out"]),
                                journey_id="bin-day", words=NO_WORDS)
    assert message.endswith('add to the target file: [journeys.bin-day.wording] "Continue" = "<the page\'s words>"')
    assert "no fields; buttons and links 'Back', 'Sign out'; no headings." in message


def test_lists_are_short_and_items_cut_to_size() -> None:
    fields = [f"Field {n} " + "x" * 200 for n in range(20)]
    message = not_found_message("field", "Postcode", WHERE, page(fields), journey_id="bin-day", words=NO_WORDS)
    listed = re.search(r"The page had fields (.*?) and (\d+) more;", message)
    assert listed is not None and listed.group(2) == str(20 - MAX_LISTED)
    assert listed.group(1).count("'Field ") == MAX_LISTED
    assert max(len(item) for item in re.findall(r"'([^']*)'", listed.group(1))) <= 80
    assert len(message) < 2_000


def test_the_data_table_is_named_for_fields_the_walker_fills_from_test_data() -> None:
    hints = {label: re.search(r"\[data\] (\w+)", not_found_message("field", label, WHERE, page([]),
                                                                    journey_id="j", words=NO_WORDS))
             for label in ("Post code", "Town or city", "Street address", "Your reference", "Email")}
    assert {label: found.group(1) if found else None for label, found in hints.items()} == {
        "Post code": "postcode", "Town or city": "place", "Street address": "address",
        "Your reference": "reference", "Email": None}


def test_the_closest_label_prefers_likeness_then_the_only_one() -> None:
    assert closest_label("Postcode", ["Email", "POST CODE", "Post code"]) == "POST CODE"
    assert closest_label("Postcode", ["Your email"]) == "Your email"  # the only field: the likely one
    assert closest_label("Postcode", ["Email", "Phone"]) is None
    assert closest_label("Postcode", []) is None


def test_the_suggested_line_is_a_target_file_line_that_loads(tmp_path: Path) -> None:
    """Quotes and backslashes in a page's label still give a line the target loader accepts."""
    label = 'Post "code" \\ here'
    message = not_found_message("field", "Postcode", WHERE, page([label]), journey_id="bin-day", words=NO_WORDS)
    found = re.search(r"Add to the target file: (\[[^\]]+\]) (.*)$", message)
    assert found is not None
    table, line = found.groups()
    (tmp_path / "acme.toml").write_text(
        'name = "Acme"\nsupplier = "Acme Ltd"\nversion = "1"\nbase_url = "https://acme.example/"\n'
        f'[journeys.bin-day]\nentry = "bins"\n{table}\n{line}\n', encoding="utf-8")
    assert load_target(tmp_path / "acme.toml").words("bin-day") == {"Postcode": label}
