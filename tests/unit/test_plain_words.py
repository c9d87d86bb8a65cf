"""Plain words: every harness check and journey finding has everyday words, and the file is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.model import plain_words
from harness.model.errors import ConfigError
from harness.model.findings import Outcome
from harness.model.rules import RULES


def test_every_harness_check_and_finding_has_an_entry() -> None:
    """Every check and probe, and every rule of the harness's own whose findings are not errors of testing."""
    needed = [rule_id for rule_id, rule in RULES.items() if rule.selectable or rule.outcome is not Outcome.ERROR]
    assert {"keyboard-reachable", "extra-zero", "focus-visible", "control-has-role", "journey-blocked"} <= set(needed)
    missing = sorted(rule_id for rule_id in needed if plain_words.entry(rule_id) is None)
    assert not missing, f"Add these to harness/model/plain_words.toml: {missing}"


def test_common_axe_rules_have_entries() -> None:
    for rule in ("image-alt", "label", "color-contrast", "link-name", "button-name", "html-has-lang",
                 "document-title", "region", "landmark-one-main", "heading-order", "target-size",
                 "meta-viewport", "select-name", "list", "listitem", "empty-heading", "page-has-heading-one",
                 "bypass", "frame-title", "autocomplete-valid"):
        assert plain_words.entry(rule) is not None, rule


def test_wildcards_cover_rule_families_and_exact_entries_win() -> None:
    assert plain_words.everyday("aria-valid-attr-value") == plain_words.everyday("aria-allowed-attr")
    assert plain_words.everyday("aria-hidden-focus") != plain_words.everyday("aria-allowed-attr")
    assert plain_words.who("duplicate-id-aria") == "screen reader users"
    assert plain_words.entry("landmark-no-duplicate-banner") is not None


def test_unknown_rules_fall_back() -> None:
    assert plain_words.everyday("made-up-rule", "The finding's own message.") == "The finding's own message."
    assert "made-up-rule" in plain_words.everyday("made-up-rule")
    assert plain_words.who("made-up-rule") == plain_words.DEFAULT_WHO


def test_entries_are_everyday_sentences() -> None:
    words = plain_words.load_words()
    for rule_id, entry in words.items():
        assert entry.everyday.endswith("."), rule_id
        assert "wcag" not in entry.everyday.lower(), rule_id
        assert not entry.who.endswith("."), rule_id


@pytest.mark.parametrize(("text", "message"), [
    ('[image-alt]\neveryday = "Images."\n', "[image-alt] needs a non-empty text 'who'"),
    ('[image-alt]\neveryday = "Images."\nwho = "x"\nwhen = "y"\n', "[image-alt] has unknown field(s) when"),
    ('image-alt = "Images."\n', "[image-alt] must be a table"),
    ('[image-alt\n', "not valid TOML"),
])
def test_bad_words_file_names_the_file_and_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "plain_words.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        plain_words.load_words(path)
    assert str(path) in str(error.value) and message in str(error.value)
