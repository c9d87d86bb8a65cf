"""Pinned steps: what a target file tells the walker about a page it cannot work out alone.

A product may word a page so that no signal says what it is, or ask a question the persona's profile does not
answer. Rather than write Python, a tester pins that page in the target file: which page (by its heading or
address), what it is, what to fill, choose or press there, or that it is to be gone past without answering.
Pins are matched to pages as they come, never by position, so a walk still adapts around them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from harness.model.errors import ConfigError, did_you_mean, unknown_value_message
from harness.model.page_kinds import KINDS
from harness.model.toml_files import display, where

STEP_FIELDS = ("heading", "path", "kind", "fill", "select", "choose", "press", "skip")
EXAMPLE = ('[[journeys.garden-waste.steps]]\nheading = "How many bins"\n'
           'fill = { "Number of bins" = "2" }\npress = "Next"')


@dataclass(frozen=True)
class PinnedStep:
    """One page as the tester describes it; the walker does what it says whenever a page matches."""

    heading: str = ""
    """Words the page's main heading (or, without one, its title) contains, in any case."""
    path: str = ""
    """Words the page's address path contains, for a page whose heading is shared or missing."""
    kind: str = ""
    """What the page is, overriding the walker's guess: 'confirmation' ends the walk on it."""
    fill: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Field label -> what to type."""
    select: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """List label -> the option to pick."""
    choose: tuple[str, ...] = ()
    """Radios or checkboxes to choose, by their labels."""
    press: str = ""
    """The button or link that goes on; without it, the page's own primary action."""
    skip: bool = False
    """Go past this page without answering anything: press `press`, or the page's primary action."""

    @property
    def acts(self) -> bool:
        """True when the pin says what to do on the page, so the walker's own plan is not used there."""
        return bool(self.fill or self.select or self.choose or self.press or self.skip)

    def matches(self, heading: str, title: str, url: str) -> bool:
        if self.heading and self.heading.casefold() not in (heading or title).casefold():
            return False
        return not self.path or self.path.casefold() in urlsplit(url).path.casefold()

    def describe(self) -> str:
        said = [f"heading '{self.heading}'" if self.heading else "", f"path '{self.path}'" if self.path else ""]
        return "the page with " + " and ".join(s for s in said if s)


def pinned_for(pins: tuple[PinnedStep, ...], heading: str, title: str, url: str) -> PinnedStep | None:
    """The first pin that matches this page, in the order the target file lists them."""
    return next((pin for pin in pins if pin.matches(heading, title, url)), None)


def check_steps(path: Path, text: str, journey_id: str, value: Any) -> tuple[PinnedStep, ...]:
    """Read `[[journeys.<id>.steps]]`; every problem names the file, line and what to write instead."""
    name = f"journeys.{journey_id}.steps"
    if not isinstance(value, list) or not all(isinstance(step, dict) for step in value):
        raise ConfigError(f"{where(path, text, 'steps', f'journeys.{journey_id}')}: '{name}' must be a list of tables, one per page, "
                          f"such as:\n{EXAMPLE}")
    return tuple(_check_step(path, text, name, number, step) for number, step in enumerate(value, 1))


def check_skips(path: Path, text: str, journey_id: str, value: Any) -> tuple[PinnedStep, ...]:
    """Read a journey's `skip` list: pages gone past without answering, by heading words or '/path' words."""
    if not isinstance(value, list) or not all(isinstance(page, str) and page.strip() for page in value):
        raise ConfigError(f"{where(path, text, 'skip', f'journeys.{journey_id}')}: 'skip' must be a list of the "
                          "pages to go past without answering, each the words of its heading or, starting with "
                          "'/', of its address, such as:\n"
                          f'[journeys.{journey_id}]\nskip = ["Tell us what you think", "/survey"]')
    return tuple(PinnedStep(path=page.strip(), skip=True) if page.strip().startswith("/")
                 else PinnedStep(heading=page.strip(), skip=True) for page in value)


def _check_step(path: Path, text: str, name: str, number: int, step: dict[str, Any]) -> PinnedStep:
    place = f"{_step_where(path, text, name, number)} (step {number})"
    for key in step:
        if key not in STEP_FIELDS:
            raise ConfigError("\n".join(filter(None, [
                f"{place}: unknown field '{key}' in a pinned step.", did_you_mean(key, STEP_FIELDS),
                f"Valid fields: {', '.join(STEP_FIELDS)}"])))
    for key in ("heading", "path", "kind", "press"):
        if not isinstance(step.get(key, ""), str):
            raise ConfigError(f"{place}: '{key}' must be text in quotes, not {step[key]!r}.")
    if not str(step.get("heading", "")).strip() and not str(step.get("path", "")).strip():
        raise ConfigError(f"{place}: a pinned step needs a 'heading' (words of the page's main heading) or a "
                          f"'path' (words of its address) to know which page it is for, such as:\n{EXAMPLE}")
    kind = str(step.get("kind", "")).strip()
    if kind and kind not in KINDS:
        raise ConfigError(unknown_value_message(place, "page kind", kind, KINDS))
    skip = step.get("skip", False)
    if not isinstance(skip, bool):
        raise ConfigError(f"{place}: 'skip' must be true or false, not {skip!r}.")
    fill, select = (_labels_to_text(place, key, step.get(key, {})) for key in ("fill", "select"))
    choose = step.get("choose", [])
    if isinstance(choose, str):
        choose = [choose]
    if not isinstance(choose, list) or not all(isinstance(label, str) and label.strip() for label in choose):
        raise ConfigError(f"{place}: 'choose' must be a list of option labels, such as "
                          'choose = ["Brown bin", "Yes"].')
    if skip and (fill or select or choose):
        raise ConfigError(f"{place}: a step with skip = true goes past the page without answering, so it cannot "
                          "also fill, select or choose. Remove 'skip' or the answers.")
    return PinnedStep(heading=str(step.get("heading", "")).strip(), path=str(step.get("path", "")).strip(),
                      kind=kind, fill=fill, select=select, choose=tuple(label.strip() for label in choose),
                      press=str(step.get("press", "")).strip(), skip=skip)


def _step_where(path: Path, text: str, name: str, number: int) -> str:
    """The line of the step's own `[[...steps]]` header: every step shares the header's words."""
    headers = list(re.finditer(rf"^[ \t]*\[\[[ \t]*{re.escape(name)}[ \t]*\]\]", text, re.MULTILINE))
    if len(headers) < number:
        return where(path, text, name)
    return f"{display(path)}, line {text.count(chr(10), 0, headers[number - 1].start()) + 1}"


def _labels_to_text(place: str, key: str, table: Any) -> Mapping[str, str]:
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ConfigError(f"{place}: '{key}' must be a table of \"label\" = \"value\" in quotes, such as "
                          f'{key} = {{ "Number of bins" = "2" }}.')
    return MappingProxyType({label.strip(): value for label, value in table.items()})
