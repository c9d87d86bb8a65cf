"""Masking credential values: every way a page or the harness can write one out."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.model.findings import Finding, Impact, Outcome
from harness.model.masking import MASK, SecretMask
from harness.model.targets import load_target

SECRET = "Tr0ub4dor&3 horse"


@pytest.mark.parametrize("text", [
    "Signed in with Tr0ub4dor&3 horse today",
    'value="Tr0ub4dor&amp;3 horse"',  # an attribute in an HTML snippet
    "account.html?pw=Tr0ub4dor%263+horse",  # a form sent with GET
    "account.html?pw=Tr0ub4dor%263%20horse",
    "SIGNED IN WITH TR0UB4DOR&3 HORSE",  # the page shouts it
    "Signed in with Tr0ub4dor&3\n   horse",  # page text laid out over two lines
    '{"pw": "Tr0ub4dor\\u00263 horse"}',
])
def test_a_secret_is_masked_however_it_is_written(text: str) -> None:
    masked = SecretMask([SECRET]).text(text)
    assert "Tr0ub4dor" not in masked and "TR0UB4DOR" not in masked
    assert MASK in masked


def test_a_text_cut_short_inside_a_secret_masks_what_is_left() -> None:
    assert SecretMask([SECRET]).text('<input value="Tr0ub4d') == f'<input value="{MASK}'
    assert SecretMask([SECRET]).text("ends with Tr0") == "ends with Tr0"  # too short to say


def test_a_password_fields_value_is_masked_even_when_no_credential_filled_it() -> None:
    mask = SecretMask()
    assert mask.text('<input type="password" id="pw" value="hunter2">') == \
        f'<input type="password" id="pw" value="{MASK}">'
    assert mask.text("<INPUT value='hunter2' TYPE=password class=x") == f'<INPUT value="{MASK}" TYPE=password class=x'
    assert mask.text('<input type="text" value="MB1 4QX">') == '<input type="text" value="MB1 4QX">'


def test_a_record_keeps_its_structure_whatever_the_secret() -> None:
    mask = SecretMask(["step", "color-contrast"])  # absurd secrets that equal the harness's own words
    record = {"kind": "step", "status": "completed", "states": [{"title": "One step at a time", "boxes": {
        "#step": [1, 2, 3, 4]}}], "findings": [{"rule_id": "color-contrast", "message": "step: color-contrast"}]}
    masked = mask.record(record)
    assert masked["kind"] == "step" and masked["findings"][0]["rule_id"] == "color-contrast"
    assert masked["states"][0]["title"] == f"One {MASK} at a time"
    assert masked["states"][0]["boxes"] == {f"#{MASK}": [1, 2, 3, 4]}
    assert masked["findings"][0]["message"] == f"{MASK}: {MASK}"


def test_a_finding_is_masked_in_every_text_field() -> None:
    finding = Finding(outcome=Outcome.VIOLATION, impact=Impact.SERIOUS, rule_id="label", source="axe",
                      message="ada is here", help="", help_url="", page_url="/a?user=ada", selector="#ada",
                      snippet='<p data-user="ada">', extra={"why": ["ada"]})
    masked = SecretMask(["ada"]).finding(finding)
    assert "ada" not in repr(masked).replace("'ada'", "")  # only the help text, which is ours, could hold it
    assert masked.rule_id == "label" and masked.selector == f"#{MASK}"


def test_every_credential_the_target_names_is_masked_before_it_is_typed(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "acme.toml").write_text(
        'name = "Acme"\nsupplier = "Acme Ltd"\nversion = "1"\nbase_url = "https://acme.example/"\n'
        '[credentials]\nusername = "ACME_USER"\npassword = "ACME_UNSET"\n[journeys.bin-day]\nentry = "bins"\n')
    monkeypatch.setenv("ACME_USER", "remembered-user")
    monkeypatch.delenv("ACME_UNSET", raising=False)
    mask = SecretMask.for_target(load_target(tmp_path / "acme.toml"))
    assert mask.text("Hello remembered-user") == f"Hello {MASK}"
    assert mask.leaks("Hello remembered-user") and not mask.leaks("Hello")
