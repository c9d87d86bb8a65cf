"""The check registry: each check is a small function registered with its metadata by a decorator."""

from __future__ import annotations

import inspect
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from playwright.sync_api import Page

from harness.findings import Finding, Impact, Outcome


@dataclass(frozen=True)
class Hit:
    """What a check saw: the registry turns it into a Finding with the check's metadata."""

    message: str
    selector: str = ""
    snippet: str = ""
    outcome: Outcome = Outcome.VIOLATION


@dataclass(frozen=True)
class CheckSpec:
    id: str
    run: Callable[[Page], Iterator[Hit]]
    criteria: tuple[str, ...]
    impact: Impact
    help: str
    help_url: str
    council_check: bool
    """A council service check: drawn from council research rather than one WCAG criterion."""
    summary: str


CHECKS: dict[str, CheckSpec] = {}


def persona_check(*, criteria: Iterable[str] = (), impact: Impact, help: str, help_url: str = "",
                  council_check: bool = False) -> Callable[[Callable[[Page], Iterator[Hit]]],
                                                           Callable[[Page], Iterator[Hit]]]:
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

    def register(func: Callable[[Page], Iterator[Hit]]) -> Callable[[Page], Iterator[Hit]]:
        check_id = func.__name__.replace("_", "-")
        if check_id in CHECKS:
            raise ValueError(f"A check named '{check_id}' is already registered; check ids must be unique.")
        parameters = list(inspect.signature(func).parameters)
        if parameters[:1] != ["page"]:
            raise TypeError(f"Check '{check_id}' must take the page as its first argument, "
                            f"not {parameters[:1] or 'nothing'}.")
        for criterion in criteria:
            if not re.fullmatch(r"\d\.\d\.\d{1,2}", criterion):
                raise ValueError(f"Check '{check_id}': {criterion!r} is not a WCAG criterion like '2.4.7'.")
        summary = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else check_id
        CHECKS[check_id] = CheckSpec(id=check_id, run=func, criteria=tuple(criteria), impact=impact, help=help,
                                     help_url=help_url, council_check=council_check, summary=summary)
        return func

    return register


def run_checks(page: Page, check_ids: Iterable[str]) -> list[Finding]:
    """Run checks on the page as it is now; a check that crashes becomes an error finding, the rest still run."""
    findings: list[Finding] = []
    for check_id in check_ids:
        spec = CHECKS[check_id]
        try:
            hits = list(spec.run(page))
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
