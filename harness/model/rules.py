"""Every rule id the harness makes findings for, with its metadata: the one registry.

The metadata is data, in `rules.toml` beside this module: criteria, impact, help, and what kind of rule it is
(a page check, a journey probe, or one of the harness's own). Findings are made through their rule
(`RULES["page-unresponsive"].finding(message, page_url=...)`), so what a report says about a rule comes from one
place, and reports may read the registry without a browser. axe-core's rules are not here: their metadata comes
with axe-core's results.
"""

from __future__ import annotations

import enum
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from harness.model.errors import ConfigError, unknown_value_message
from harness.model.findings import Finding, Impact, Outcome
from harness.model.toml_files import read_toml, where
from harness.model.wcag import CRITERIA

RULES_FILE = Path(__file__).with_name("rules.toml")
CHECK_FAILED_HELP = ("This is a fault in the harness, not necessarily in the page; please report it with the page "
                     "address.")
"""The help of the error finding a check that crashed leaves in place of its own findings."""


class RuleKind(str, enum.Enum):
    """Who makes a rule's findings."""

    CHECK = "check"
    """A function in harness/browser/checks that inspects one page state."""
    PROBE = "probe"
    """The journey tries what a person would (someone else's application, a typing slip) and reports what it meets."""
    HARNESS = "harness"
    """The harness's own: a blocker, a control found only by its look, a page that cannot be tested as it stands."""


@dataclass(frozen=True)
class Rule:
    """One rule id and what every finding of it says: criteria, impact, help."""

    id: str
    kind: RuleKind
    summary: str
    impact: Impact
    help: str
    help_url: str = ""
    criteria: tuple[str, ...] = ()
    outcome: Outcome = Outcome.VIOLATION
    """What its findings are unless their maker says otherwise."""
    help_when: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Other help for named cases (axe-core's results were malformed, the page crashed, ...)."""
    council_check: bool = False
    """A council service check: drawn from council research rather than one WCAG criterion."""
    every_persona: bool = False
    """Every persona makes this check or probe; otherwise only the personas whose file lists it."""

    @property
    def selectable(self) -> bool:
        """A check or probe: a persona file may list it. The harness's own rules are made for everyone."""
        return self.kind is not RuleKind.HARNESS

    def finding(self, message: str, *, page_url: str = "", outcome: Outcome | None = None, selector: str = "",
                snippet: str = "", blocker: bool = False, criteria: Iterable[str] | None = None, when: str = "",
                help_values: Mapping[str, str] | None = None) -> Finding:
        """A finding of this rule, with the rule's impact, criteria and help.

        Args:
            outcome: when this finding is not the rule's usual outcome (a probe's needs-review, say).
            criteria: for a rule about another rule's results (axe-results-cut), that rule's criteria.
            when: the name of one of the rule's `help_when` cases, for its help instead of the usual.
            help_values: the words for the {names} in the rule's help.
        """
        if when and when not in self.help_when:
            raise KeyError(unknown_value_message(f"Rule '{self.id}'", "help case", when, self.help_when))
        help_text = self.help_when[when] if when else self.help
        values = dict(help_values or {})
        if placeholders(help_text) != set(values):
            raise KeyError(f"Rule '{self.id}': its help needs values for {sorted(placeholders(help_text))}, "
                           f"not {sorted(values)}.")
        return Finding(outcome=outcome or self.outcome, impact=self.impact, rule_id=self.id, source="harness",
                       message=message, help=help_text.format_map(values), help_url=self.help_url,
                       criteria=self.criteria if criteria is None else tuple(criteria), page_url=page_url,
                       selector=selector, snippet=snippet, blocker=blocker,
                       extra={"council_check": True} if self.council_check else {})

    def failed_to_run(self, message: str, *, page_url: str, traceback: str) -> Finding:
        """The error finding of a check that crashed: a fault of the harness, so minor, with the check's criteria."""
        return Finding(outcome=Outcome.ERROR, impact=Impact.MINOR, rule_id=self.id, source="harness",
                       message=message, help=CHECK_FAILED_HELP, help_url="", criteria=self.criteria,
                       page_url=page_url, extra={"traceback": traceback})


RULE_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_FIELDS: dict[str, type] = {
    "kind": str, "summary": str, "impact": str, "help": str, "help_url": str, "criteria": list, "outcome": str,
    "help_when": dict, "council_check": bool, "every_persona": bool}
_REQUIRED = ("kind", "summary", "impact", "help")
_TYPE_WORDS = {str: "a string", list: "a list", dict: "a table", bool: "true or false"}


def load_rules(path: Path = RULES_FILE) -> dict[str, Rule]:
    """Read and check the rules file; every problem names the file, the line, the rule and the field."""
    data, text = read_toml(path)
    return {rule_id: _rule(path, text, rule_id, entry) for rule_id, entry in data.items()}


def _rule(path: Path, text: str, rule_id: str, entry: Any) -> Rule:
    at = where(path, text, rule_id)
    if not RULE_ID.fullmatch(rule_id):
        raise ConfigError(f"{at}: the rule id '{rule_id}' is not in kebab-case (lower-case words joined by "
                          "'-', such as 'focus-visible').")
    if not isinstance(entry, dict):
        raise ConfigError(f"{at}: [{rule_id}] must be a table with {', '.join(_REQUIRED)}, "
                          f"not {type(entry).__name__}.")

    def field_at(name: str) -> str:
        return f"{where(path, text, name, table=rule_id)}: [{rule_id}]"

    for name in entry:
        if name not in _FIELDS:
            raise ConfigError(unknown_value_message(field_at(name), "field", name, _FIELDS))
    for name in _REQUIRED:
        if name not in entry:
            raise ConfigError(f"{at}: [{rule_id}] needs '{name}'.")
    for name, value in entry.items():
        if not isinstance(value, _FIELDS[name]):
            raise ConfigError(f"{field_at(name)} '{name}' must be {_TYPE_WORDS[_FIELDS[name]]}, not {value!r}.")
    for name in ("summary", "help"):
        if not entry[name].strip():
            raise ConfigError(f"{field_at(name)} '{name}' must not be empty.")
    for criterion in entry.get("criteria", []):
        if criterion not in CRITERIA:
            raise ConfigError(f"{field_at('criteria')} criterion {criterion!r} is not a WCAG 2.2 A or AA success "
                              "criterion written like '2.4.7'.")
    help_url = entry.get("help_url", "")
    if help_url and not help_url.startswith("https://"):
        raise ConfigError(f"{field_at('help_url')} help_url {help_url!r} must be an https:// address.")
    help_when = entry.get("help_when", {})
    for case, words in help_when.items():
        if not isinstance(words, str):
            raise ConfigError(f"{where(path, text, case, table=rule_id)}: [{rule_id}.help_when] '{case}' must be "
                              f"a string, not {words!r}.")
    for name, words in (("help", entry["help"]), *((case, words) for case, words in help_when.items())):
        if not _only_names(words):
            raise ConfigError(f"{field_at(name)} {name!r} has a brace that is not a {{name}} to fill in; write a "
                              "brace of the text itself twice: '{{' or '}}'.")
    kind = _member(field_at("kind"), "kind", entry["kind"], RuleKind)
    if entry.get("every_persona") and kind is RuleKind.HARNESS:
        raise ConfigError(f"{field_at('every_persona')} every_persona is for checks and probes; the harness's own "
                          "rules are made for every persona already.")
    return Rule(id=rule_id, kind=kind, summary=" ".join(entry["summary"].split()),
                impact=_member(field_at("impact"), "impact", entry["impact"], Impact), help=entry["help"].strip(),
                help_url=help_url, criteria=tuple(entry.get("criteria", [])),
                outcome=_member(field_at("outcome"), "outcome", entry.get("outcome", "violation"), Outcome),
                help_when=MappingProxyType({case: words.strip() for case, words in help_when.items()}),
                council_check=entry.get("council_check", False), every_persona=entry.get("every_persona", False))


E = TypeVar("E", bound=enum.Enum)


def _member(where: str, name: str, value: str, scale: type[E]) -> E:
    try:
        return scale(value)
    except ValueError:
        raise ConfigError(unknown_value_message(where, name, value, [str(member.value) for member in scale])) from None


def placeholders(text: str) -> set[str]:
    """The {names} in a rule's help that its maker fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _only_names(text: str) -> bool:
    """Every brace in the text is a plain {name} to fill in, or a doubled brace of the text itself."""
    try:
        return all(name is None or (name.isidentifier() and not spec and not conversion)
                   for _, name, spec, conversion in string.Formatter().parse(text))
    except ValueError:  # a lone brace
        return False


RULES: Mapping[str, Rule] = MappingProxyType(load_rules())
"""Every rule by id, in the file's order."""

EVERY_PERSONA = tuple(rule_id for rule_id, rule in RULES.items() if rule.every_persona)
"""Checks and probes every persona makes on top of axe-core, the default persona included (personas.md)."""
