"""The check registry: each check is a small function registered by a decorator, its metadata the rule of the
same id in harness/model/rules.toml."""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

from playwright.sync_api import Locator, Page

from harness.browser.page_facts import describe_element
from harness.model.findings import Finding, Outcome
from harness.model.rules import RULES, RULES_FILE, Rule, RuleKind


@dataclass(frozen=True)
class Hit:
    """What a check saw: the registry turns it into a Finding with the check's metadata."""

    message: str
    selector: str = ""
    snippet: str = ""
    outcome: Outcome = Outcome.VIOLATION

    @classmethod
    def on(cls, element: Locator, message: str, outcome: Outcome = Outcome.VIOLATION) -> Hit:
        """A hit on this element: its selector, and its HTML as the page sent it."""
        info = describe_element(element)
        return cls(message=message, selector=info["selector"], snippet=info["html"], outcome=outcome)


@dataclass(frozen=True)
class PageContext:
    """What the journey knows about this page state that the page alone does not say."""

    on_behalf: bool = False
    """The persona said the application is for someone else: fields about the applicant are not theirs."""
    after_error: bool = False
    """This state came back from a submission that the service rejected (an error state)."""
    typed: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Label to value, for what the persona typed into the form whose submission led here."""
    persona: str = ""
    in_service: bool = False
    """The page was reached walking one of a service's journeys, so it is a page of a service whatever its
    markup says; in scan mode a page must show that itself (a form, a start button, the site's links)."""


CheckFunction = Callable[..., Iterator[Hit]]
"""check(page) or check(page, context): yields a Hit for each thing it finds."""


@dataclass(frozen=True)
class CheckSpec(Rule):
    """A check or probe: its rule (harness/model/rules.toml) and, for a check, the function that runs it."""

    run: CheckFunction | None = None
    """None for a journey probe: the journey makes its findings while walking."""
    takes_context: bool = False

    @classmethod
    def of(cls, rule: Rule, run: CheckFunction | None = None, takes_context: bool = False) -> CheckSpec:
        return cls(**{f.name: getattr(rule, f.name) for f in fields(rule)}, run=run, takes_context=takes_context)

    @property
    def is_probe(self) -> bool:
        return self.kind is RuleKind.PROBE


CHECKS: dict[str, CheckSpec] = {}
"""Every check by id: page checks (run on a page state) and journey probes (made while walking)."""


def persona_check(func: CheckFunction) -> CheckFunction:
    """Register a check: its id is the function's name in kebab-case, its metadata that rule's in rules.toml.

    Example:
        @persona_check
        def reflow(page: Page) -> Iterator[Hit]:
            ...
    """
    check_id = func.__name__.replace("_", "-")
    parameters = list(inspect.signature(func).parameters)
    if parameters[:1] != ["page"] or len(parameters) > 2:
        raise TypeError(f"Check '{check_id}' must take the page as its first argument and, optionally, "
                        f"the context as its second, not {parameters or 'nothing'}.")
    _register(CheckSpec.of(_rule(check_id, RuleKind.CHECK), func, takes_context=len(parameters) == 2))
    return func


def register_probes() -> None:
    """Register every journey probe of rules.toml: the journey and the behaviours make their findings."""
    for rule in RULES.values():
        if rule.kind is RuleKind.PROBE:
            _register(CheckSpec.of(rule))


def _rule(check_id: str, kind: RuleKind) -> Rule:
    rule = RULES.get(check_id)
    if rule is None or rule.kind is not kind:
        found = f"is a {rule.kind.value} rule" if rule else "has no entry"
        raise ValueError(f"Check '{check_id}' {found} in {RULES_FILE.name}; add [{check_id}] with "
                         f"kind = \"{kind.value}\" and its criteria, impact and help there.")
    return rule


def _register(spec: CheckSpec) -> None:
    if spec.id in CHECKS:
        raise ValueError(f"A check named '{spec.id}' is already registered; check ids must be unique.")
    CHECKS[spec.id] = spec


def run_checks(page: Page, check_ids: Iterable[str], context: PageContext | None = None) -> list[Finding]:
    """Run checks on the page as it is now; a check that crashes becomes an error finding, the rest still run.

    Journey probes among check_ids are skipped: the journey makes those findings itself.
    """
    context = context or PageContext()
    findings: list[Finding] = []
    for check_id in check_ids:
        spec = CHECKS[check_id]
        if spec.run is None:
            continue
        try:
            hits = list(spec.run(page, context) if spec.takes_context else spec.run(page))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others' findings
            findings.append(spec.failed_to_run(
                f"The check '{spec.id}' failed to run: {type(exc).__name__}: {exc}".splitlines()[0],
                page_url=_url(page), traceback=traceback.format_exc(limit=3)))
            continue
        findings.extend(spec.finding(hit.message, page_url=_url(page), outcome=hit.outcome, selector=hit.selector,
                                     snippet=hit.snippet) for hit in hits)
    return findings


def _url(page: Page) -> str:
    try:
        return page.url
    except Exception:  # noqa: BLE001
        return ""
