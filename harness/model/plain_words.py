"""Everyday words for barriers: what goes wrong and for whom, without rule names or WCAG jargon.

Product owners and the residents who read an accessibility statement do not know what 'region' or
'aria-valid-attr' mean. The words live in plain_words.toml beside this module, so they can be edited
without touching code; rule ids with no entry fall back to the finding's own message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from harness.model.errors import ConfigError
from harness.model.toml_files import read_toml

WORDS_FILE = Path(__file__).with_name("plain_words.toml")
DEFAULT_WHO = "some disabled people"


@dataclass(frozen=True)
class PlainWords:
    everyday: str
    """What goes wrong and for whom, in a sentence or two a resident would follow."""
    who: str
    """The people it affects, as a plural noun phrase: 'screen reader users'."""


def load_words(path: Path = WORDS_FILE) -> dict[str, PlainWords]:
    """Read and check the words file; a bad entry names the file, the key and the missing field."""
    data, _ = read_toml(path)
    words: dict[str, PlainWords] = {}
    for rule_id, entry in data.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: [{rule_id}] must be a table with 'everyday' and 'who', "
                              f"not {type(entry).__name__}.")
        for name in ("everyday", "who"):
            value = entry.get(name)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{path}: [{rule_id}] needs a non-empty text '{name}'.")
        unknown = sorted(set(entry) - {"everyday", "who"})
        if unknown:
            raise ConfigError(f"{path}: [{rule_id}] has unknown field(s) {', '.join(unknown)}; "
                              "the fields are 'everyday' and 'who'.")
        words[rule_id] = PlainWords(everyday=entry["everyday"].strip(), who=entry["who"].strip())
    return words


@lru_cache(maxsize=1)
def _words() -> dict[str, PlainWords]:
    return load_words()


def entry(rule_id: str, words: dict[str, PlainWords] | None = None) -> PlainWords | None:
    """The rule's own entry, else the longest 'prefix-*' entry that covers it, else None."""
    table = _words() if words is None else words
    if rule_id in table:
        return table[rule_id]
    covering = [key for key in table if key.endswith("*") and rule_id.startswith(key[:-1])]
    return table[max(covering, key=len)] if covering else None


def everyday(rule_id: str, fallback: str = "") -> str:
    """What goes wrong, in everyday words; the fallback (the finding's message) for rules with no entry."""
    found = entry(rule_id)
    if found is not None:
        return found.everyday
    return fallback or f"An automated check ('{rule_id}') found a problem that a person should look at."


def who(rule_id: str) -> str:
    """The people the barrier affects: 'screen reader users'; 'some disabled people' when unknown."""
    found = entry(rule_id)
    return found.who if found is not None else DEFAULT_WHO


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 journey', '3 journeys', '2 people' (with many='people')."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
