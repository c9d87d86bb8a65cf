"""What a page had instead of the field or control a step looked for, and the target-file line that finds it.

Everything listed comes from the page, which is untrusted: the snapshot has already checked and cut it to
size, and the message shows only a few short items of each kind, on one line (a blocker keeps its first line).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from harness.model.page_snapshot import PageSnapshot

MAX_LISTED = 8
"""Items of each kind (fields, buttons and links, headings) a message lists before saying how many more."""
MAX_ITEM = 80
"""Characters of one listed item: enough to recognise a label, too few for a page to fill the message."""
CLOSE_ENOUGH = 0.5
"""How alike (difflib's ratio) the page's words must be to the scenario's to be suggested as its wording."""
DATA_MEANINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("postcode", re.compile(r"post\s*code|zip", re.IGNORECASE)),
    ("address", re.compile(r"address", re.IGNORECASE)),
    ("place", re.compile(r"\b(town|city|street|place|village)\b", re.IGNORECASE)),
    ("reference", re.compile(r"\breference\b|\baccount number\b", re.IGNORECASE)),
    ("amount", re.compile(r"\bamount\b", re.IGNORECASE)),
)
"""Fields the walker fills from the target's [data] table, by the words that name them (first match wins)."""
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

Kind = Literal["field", "control"]


def not_found_message(kind: Kind, wanted: str, where: str, page: PageSnapshot, *, journey_id: str,
                      words: Mapping[str, str]) -> str:
    """Why a field or control was not found, what the page had instead, and the line to add to the target file.

    Args:
        kind: "field" (a box to type in, a list, an option) or "control" (a button or link).
        wanted: the words looked for, after the target's wording was applied.
        where: the page, as the journey names it in messages.
        words: the target's wording for this journey (the scenario's words to the product's).
    """
    what = f"No field labelled '{wanted}'" if kind == "field" else f"No button or link named '{wanted}'"
    fields = [c.label or c.placeholder or c.name for c in page.fields]
    actions = [c.label for c in page.actions]
    had = (f"The page had {_listed('fields', fields)}; {_listed('buttons and links', actions)}; "
           f"{_listed('headings', list(page.headings))}.")
    candidates = fields if kind == "field" else actions
    # The line to add comes last, so nothing after it reads as part of it.
    return " ".join(part for part in (f"{what} on {where}.", had, data_line(wanted) if kind == "field" else "",
                                      wording_line(wanted, candidates, journey_id=journey_id, words=words))
                    if part)


def wording_line(wanted: str, candidates: Sequence[str], *, journey_id: str, words: Mapping[str, str]) -> str:
    """The [journeys.<id>.wording] line that maps the scenario's words to the page's closest label."""
    # The scenario's own words: wording may already have turned them into `wanted`.
    ours = next((key for key, theirs in words.items() if theirs == wanted), wanted)
    closest = closest_label(wanted, candidates)
    table = f"[journeys.{_toml_key(journey_id)}.wording]"
    if closest is None:
        return (f"If the product words it differently, add to the target file: {table} "
                f"{_toml_string(ours)} = \"<the page's words>\"")
    verb = "Change in" if ours in words else "Add to"
    return f"{verb} the target file: {table} {_toml_string(ours)} = {_toml_string(closest)}"


def closest_label(wanted: str, candidates: Sequence[str]) -> str | None:
    """The page's label most like the words looked for; the only one when the page has just one."""
    unique = list(dict.fromkeys(c for c in candidates if c and c != wanted))
    by_lower = {c.lower(): c for c in reversed(unique)}  # the first of labels that differ only in case
    found = difflib.get_close_matches(wanted.lower(), list(by_lower), n=1, cutoff=CLOSE_ENOUGH)
    if found:
        return by_lower[found[0]]
    return unique[0] if len(unique) == 1 else None


def data_line(wanted: str) -> str:
    """For a field the walker fills from the target's test data: where that value is given."""
    meaning = next((key for key, pattern in DATA_MEANINGS if pattern.search(wanted)), None)
    if meaning is None:
        return ""
    return f"The walker types it from the target's test data ([data] {meaning} = \"...\")."


def _listed(kind: str, items: Sequence[str]) -> str:
    unique = list(dict.fromkeys(i for i in items if i))
    if not unique:
        return f"no {kind}"
    shown = ", ".join(f"'{_short(item)}'" for item in unique[:MAX_LISTED])
    more = len(unique) - MAX_LISTED
    return f"{kind} {shown}{f' and {more} more' if more > 0 else ''}"


def _short(text: str) -> str:
    return text if len(text) <= MAX_ITEM else text[:MAX_ITEM - 1] + "…"


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's."""
    return json.dumps(text, ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)
