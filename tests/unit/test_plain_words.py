"""Plain words: every harness check and journey finding has everyday words, and the file is checked."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from harness.model import plain_words
from harness.model.errors import ConfigError

HARNESS = Path(__file__).resolve().parents[2] / "harness"


def harness_check_ids() -> set[str]:
    """Check ids read from the source: @persona_check function names in kebab-case, and probe_spec ids.

    Parsed rather than imported: the check modules import Playwright, and unit tests stay browser-free.
    """
    ids = set()
    for path in (HARNESS / "browser" / "checks").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", "") == "persona_check"
                    for d in node.decorator_list):
                ids.add(node.name.replace("_", "-"))
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "probe_spec" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                ids.add(str(node.args[0].value))
    return ids


def journey_finding_ids() -> set[str]:
    """Rule ids of the violations and needs-review findings the harness makes outside the checks."""
    ids = set()
    for path in HARNESS.rglob("*.py"):
        if "checks" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            words = {k.arg: k.value for k in node.keywords}
            rule, outcome = words.get("rule_id"), words.get("outcome")
            if (isinstance(rule, ast.Constant) and isinstance(outcome, ast.Attribute)
                    and outcome.attr != "ERROR"):
                ids.add(str(rule.value))
    return ids


def test_the_source_parse_finds_the_checks() -> None:
    ids = harness_check_ids()
    assert len(ids) >= 30 and {"keyboard-reachable", "extra-zero", "focus-visible"} <= ids
    assert {"control-has-role", "journey-blocked"} <= journey_finding_ids()


def test_every_harness_check_has_an_entry() -> None:
    missing = sorted(cid for cid in harness_check_ids() | journey_finding_ids() if plain_words.entry(cid) is None)
    assert not missing, f"Add these to harness/plain_words.toml: {missing}"


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
