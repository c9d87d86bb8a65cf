"""The check registry: each check is a small function registered with its metadata by a decorator."""

from __future__ import annotations

import inspect
import re
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from playwright.sync_api import Page

from harness.model.findings import Finding, Impact, Outcome


@dataclass(frozen=True)
class Hit:
    """What a check saw: the registry turns it into a Finding with the check's metadata."""

    message: str
    selector: str = ""
    snippet: str = ""
    outcome: Outcome = Outcome.VIOLATION


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


CheckFunction = Callable[..., Iterator[Hit]]
"""check(page) or check(page, context): yields a Hit for each thing it finds."""


@dataclass(frozen=True)
class CheckSpec:
    id: str
    run: CheckFunction | None
    """None for a journey probe: the journey makes its findings while walking (see probe_spec)."""
    criteria: tuple[str, ...]
    impact: Impact
    help: str
    help_url: str
    council_check: bool
    """A council service check: drawn from council research rather than one WCAG criterion."""
    summary: str
    takes_context: bool = False

    @property
    def is_probe(self) -> bool:
        return self.run is None


CHECKS: dict[str, CheckSpec] = {}
"""Every check by id: page checks (run on a page state) and journey probes (made while walking)."""


def persona_check(*, criteria: Iterable[str] = (), impact: Impact, help: str, help_url: str = "",
                  council_check: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check; its id is the function's name in kebab-case.

    Args:
        criteria: WCAG 2.2 success criteria the check tests, as dotted strings ("2.4.7").
        impact: axe-core's impact scale, for every violation the check finds.
        help: how to fix what the check finds, in one or two sentences.
        council_check: True for council service checks with no single WCAG criterion.

    Example:
        @persona_check(criteria=("1.4.10",), impact=Impact.SERIOUS, help="...")
        def reflow(page: Page) -> Iterator[Hit]:
            ...
    """

    def register(func: CheckFunction) -> CheckFunction:
        check_id = func.__name__.replace("_", "-")
        parameters = list(inspect.signature(func).parameters)
        if parameters[:1] != ["page"] or len(parameters) > 2:
            raise TypeError(f"Check '{check_id}' must take the page as its first argument and, optionally, "
                            f"the context as its second, not {parameters or 'nothing'}.")
        summary = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else check_id
        _register(CheckSpec(id=check_id, run=func, criteria=_criteria(check_id, criteria), impact=impact,
                            help=help, help_url=help_url, council_check=council_check, summary=summary,
                            takes_context=len(parameters) == 2))
        return func

    return register


def probe_spec(check_id: str, *, summary: str, criteria: Iterable[str] = (), impact: Impact, help: str,
               help_url: str = "", council_check: bool = False) -> CheckSpec:
    """Register a journey probe: a check the journey makes while walking (the persona tries something).

    Probes have no page function; the journey builds their findings with probe_finding().
    """
    return _register(CheckSpec(id=check_id, run=None, criteria=_criteria(check_id, criteria), impact=impact,
                               help=help, help_url=help_url, council_check=council_check, summary=summary))


def probe_finding(check_id: str, page: Page, message: str, *, outcome: Outcome = Outcome.VIOLATION,
                  selector: str = "", snippet: str = "", blocker: bool = False) -> Finding:
    """A finding for a registered probe, with the probe's criteria, impact and help."""
    spec = CHECKS[check_id]
    return Finding(outcome=outcome, impact=spec.impact, rule_id=spec.id, source="harness", message=message,
                   help=spec.help, help_url=spec.help_url, criteria=spec.criteria, page_url=_url(page),
                   selector=selector, snippet=snippet, blocker=blocker,
                   extra={"council_check": True} if spec.council_check else {})


def _register(spec: CheckSpec) -> CheckSpec:
    if spec.id in CHECKS:
        raise ValueError(f"A check named '{spec.id}' is already registered; check ids must be unique.")
    CHECKS[spec.id] = spec
    return spec


def _criteria(check_id: str, criteria: Iterable[str]) -> tuple[str, ...]:
    criteria = tuple(criteria)
    for criterion in criteria:
        if not re.fullmatch(r"\d\.\d\.\d{1,2}", criterion):
            raise ValueError(f"Check '{check_id}': {criterion!r} is not a WCAG criterion like '2.4.7'.")
    return criteria


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
            findings.append(Finding(
                outcome=Outcome.ERROR, impact=Impact.MINOR, rule_id=spec.id, source="harness",
                message=f"The check '{spec.id}' failed to run: {type(exc).__name__}: {exc}".splitlines()[0],
                help="This is a fault in the harness, not necessarily in the page; please report it with "
                     "the page address.", help_url="", criteria=spec.criteria, page_url=_url(page),
                extra={"traceback": traceback.format_exc(limit=3)}))
            continue
        for hit in hits:
            findings.append(Finding(
                outcome=hit.outcome, impact=spec.impact, rule_id=spec.id, source="harness",
                message=hit.message, help=spec.help, help_url=spec.help_url, criteria=spec.criteria,
                page_url=_url(page), selector=hit.selector, snippet=hit.snippet,
                extra={"council_check": True} if spec.council_check else {}))
    return findings


def _url(page: Page) -> str:
    try:
        return page.url
    except Exception:  # noqa: BLE001
        return ""
