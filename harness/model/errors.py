"""Errors the harness raises, worded so the reader knows what to change."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class HarnessError(Exception):
    """Base class for every error the harness raises on purpose."""


class ConfigError(HarnessError):
    """A persona, target or option is invalid; raised before any browser starts."""


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """Return a 'Did you mean ...?' sentence for the closest choice, or an empty string."""
    choices = sorted(choices)
    # A value that starts only one choice is a shortened id: difflib alone suggests 'supplier-b-legacy'
    # for 'supplier-a' when 'supplier-a-careful' exists, because 'legacy' happens to hold an 'a'.
    prefixed = [choice for choice in choices if choice.startswith(value)]
    close = prefixed if len(prefixed) == 1 else difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'?" if close else ""


def unknown_value_message(where: str, what: str, value: object, choices: Iterable[str]) -> str:
    """Build the house-style message: where, what, the bad value, a suggestion, the valid choices."""
    choices = sorted(choices)
    lines = [f"{where}: unknown {what} {value!r}."]
    hint = did_you_mean(str(value), choices)
    if hint:
        lines.append(hint)
    lines.append(f"Known {what}s: {', '.join(choices)}")
    return "\n".join(lines)
