"""A draft accessibility statement per target, in the GOV.UK model's legal headings and wording.

The draft is for a service manager to edit, never to publish as it stands: automated testing finds only
some problems, so it never claims full compliance, and it leaves placeholders ('[fix date]') for what only
the council knows. The model: GOV.UK "Sample accessibility statement (for a fictional public sector
website)", updated 19 December 2023; the rules we add are in /work/shared/domain/reference.md section 5.2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from typing import Any

from jinja2 import Environment

from harness.model import plain_words
from harness.model.barriers import Barrier, barriers_of
from harness.model.findings import Impact
from harness.model.results import RunResult
from harness.model.targets import SCAN_JOURNEY
from harness.model.untrusted import shown
from harness.model.wcag import CRITERIA, sort_key
from harness.reports.personas import unique

WCAG = "Web Content Accessibility Guidelines version 2.2"
REGULATIONS = ("Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018")
EASS_URL = "https://www.equalityadvisoryservice.com/"
ECNI_URL = "https://www.equalityni.org/Home"
ABILITYNET_URL = "https://mcmw.abilitynet.org.uk/"
WCAG_URL = "https://www.w3.org/TR/WCAG22/"

KNOWN_LIMIT = 12
"""At most this many bullets under 'How accessible this website is', unless more stopped someone."""
PARTIAL = "partial"
UNKNOWN = "needs-audit"


@dataclass(frozen=True)
class CanDo:
    """One bullet of the model's "you should be able to" list, and whether our evidence allows it."""

    text: str
    persona: str
    """The persona whose walks are the evidence ('' when no persona can show it)."""
    included: bool
    reason: str
    """Why it is in or out, for the editor."""


# The model statement's bullets, each with the persona whose completed walks would show it.
# The screen reader bullet leaves out the model's "(including the most recent versions of JAWS, NVDA and
# VoiceOver)": our screen reader persona drives the accessibility tree, not those products.
CAN_DO_BULLETS = [
    ("change colours, contrast levels and fonts", ""),
    ("zoom in up to 300% without the text spilling off the screen", "low-vision-zoom"),
    ("navigate most of the website using just a keyboard", "keyboard-only"),
    ("navigate most of the website using speech recognition software", ""),
    ("listen to most of the website using a screen reader", "screen-reader"),
]


@dataclass
class Problem:
    """One kind of problem in a target (one rule), with every barrier and where they were met."""

    rule_id: str
    everyday: str
    who: str
    impact: Impact
    criteria: tuple[str, ...]
    council_check: bool
    barriers: list[Barrier]
    journeys: list[str]
    examples: list[str]
    """Specific messages from the harness's own checks, which name the control: page text, kept verbatim."""
    stops: list[str] = field(default_factory=list)
    """Journey titles in which this problem stopped a persona."""

    @property
    def primary(self) -> str:
        """The criterion the check names first (its main one), for grouping; others are named in 'fails'."""
        return self.barriers[0].criteria[0] if self.barriers[0].criteria else self.criteria[0]

    @property
    def places(self) -> int:
        return len({(b.journey, b.page) for b in self.barriers})

    @property
    def fails(self) -> str:
        """'This fails WCAG 2.2 success criterion 1.1.1 (Non-text Content).' (the model's wording)."""
        named = [f"{cid} ({criterion_title(cid)})" for cid in self.criteria]
        if len(named) == 1:
            return f"This fails WCAG 2.2 success criterion {named[0]}."
        return f"This fails WCAG 2.2 success criteria {', '.join(named[:-1])} and {named[-1]}."

    @property
    def where(self) -> str:
        pages = "1 page" if self.places == 1 else f"{self.places} pages"
        return f"We found this on {pages}, in: {'; '.join(self.journeys)}."


@dataclass
class CriterionGroup:
    criterion: str
    title: str
    level: str
    problems: list[Problem]


@dataclass
class StatementDraft:
    target: str
    service_name: str
    organisation: str
    contact: str
    scope: str
    supplier: str
    version: str
    compliance: str
    """PARTIAL when automated testing found WCAG failures, UNKNOWN (a manual audit must decide) otherwise."""
    compliance_sentence: str
    can_do: list[CanDo]
    known_problems: list[Problem]
    """'How accessible this website is': problems that stop people or are serious, and council-check failures."""
    more_known: int
    """Serious problems left out of that short list (they are all under Non-accessible content)."""
    non_compliance: list[CriterionGroup]
    tested_on: str
    run_id: str
    journeys: list[str]
    personas: list[str]
    method: list[str]
    test_environment: bool
    scans_failed: int = 0
    """Page states whose axe-core scan failed: failures there would not have been seen, so none is claimed."""

    @property
    def can_do_included(self) -> list[CanDo]:
        return [c for c in self.can_do if c.included]

    @property
    def can_do_left_out(self) -> list[CanDo]:
        return [c for c in self.can_do if not c.included]

    @property
    def filename(self) -> str:
        return f"statement-{self.target}.html"

    @property
    def markdown_filename(self) -> str:
        return f"statement-{self.target}.md"

    @property
    def problem_count(self) -> int:
        return sum(len(g.problems) for g in self.non_compliance)


def is_council_check(run: RunResult, barrier: Barrier) -> bool:
    """A council service check: not a WCAG failure, so it never goes under 'Non-compliance'."""
    spec = run.meta.get("checks", {}).get(barrier.rule_id, {})
    return bool(spec.get("council_check")) or any(f.extra.get("council_check") for f in barrier.findings)


def walks_completed(run: RunResult, target_id: str, persona_id: str) -> tuple[int, int]:
    """(completed, walked) for a persona on a target, leaving out scan mode's page visits."""
    walks = [j for j in run.journeys
             if j.target == target_id and j.persona == persona_id and j.journey != SCAN_JOURNEY]
    return sum(1 for j in walks if j.outcome == "completed"), len(walks)


def can_do_list(run: RunResult, target_id: str) -> list[CanDo]:
    """A bullet is included only when its persona walked here and completed every journey it walked."""
    bullets = []
    for text, persona in CAN_DO_BULLETS:
        if not persona:
            bullets.append(CanDo(text, persona, False, "no persona in this run can show this; a person must "
                                                       "check it before it goes in"))
            continue
        name = run.persona_name(persona)
        done, walked = walks_completed(run, target_id, persona)
        if walked == 0:
            bullets.append(CanDo(text, persona, False, f"{name} ({persona}) did not walk any journey here"))
        elif done < walked:
            bullets.append(CanDo(text, persona, False, f"{name} ({persona}) completed only {done} of {walked} "
                                                       "journeys here"))
        else:
            bullets.append(CanDo(text, persona, True, f"{name} ({persona}) completed all {walked} journeys here"))
    return bullets


def problems_of(run: RunResult, target_id: str) -> list[Problem]:
    """The target's violations gathered by rule, those that stopped someone first, then worst impact."""
    by_rule: dict[str, list[Barrier]] = {}
    for barrier in barriers_of(run, target_id):
        by_rule.setdefault(barrier.rule_id, []).append(barrier)
    problems = []
    for rule_id, barriers in by_rule.items():
        criteria = tuple(sorted({c for b in barriers for c in b.criteria}, key=sort_key))
        examples = unique(one_line(b.message) for b in barriers if b.source == "harness" and b.message)
        problems.append(Problem(
            rule_id=rule_id, everyday=plain_words.everyday(rule_id, one_line(barriers[0].message)),
            who=plain_words.who(rule_id), impact=max((b.impact for b in barriers), key=lambda i: i.rank),
            criteria=criteria, council_check=any(is_council_check(run, b) for b in barriers), barriers=barriers,
            journeys=unique(run.journey_title(b.journey) for b in barriers), examples=examples[:3],
            stops=unique(run.journey_title(b.journey) for b in barriers if b.blocked)))
    return sorted(problems, key=lambda p: (not p.stops, -p.impact.rank, [sort_key(c) for c in p.criteria],
                                           p.rule_id))


def group_by_criterion(problems: list[Problem]) -> list[CriterionGroup]:
    """WCAG failures under their first criterion, in WCAG order (the model groups problems by kind)."""
    groups: dict[str, CriterionGroup] = {}
    for problem in problems:
        if problem.council_check or not problem.criteria:
            continue
        first = problem.primary
        criterion = CRITERIA.get(first)
        group = groups.setdefault(first, CriterionGroup(
            criterion=first, title=criterion_title(first), level=criterion.level if criterion else "",
            problems=[]))
        group.problems.append(problem)
    return [groups[c] for c in sorted(groups, key=sort_key)]


def criterion_title(criterion_id: str) -> str:
    """'Non-text Content' for '1.1.1': the bare name, as the model statement writes it after the number."""
    criterion = CRITERIA.get(criterion_id)
    return criterion.title if criterion else criterion_id


def known_problems(problems: list[Problem], limit: int = KNOWN_LIMIT) -> tuple[list[Problem], int]:
    """'How accessible this website is': every problem that stopped a persona and every council-check
    failure, then the worst of the rest up to the limit; returns them and how many serious ones were left.

    The model asks for a short list a resident can act on; the full list is under Non-accessible content.
    """
    must = [p for p in problems if p.stops or p.council_check]
    serious = [p for p in problems if p not in must and p.impact.rank >= Impact.SERIOUS.rank]
    room = max(limit - len(must), 0)
    chosen = set(map(id, must + serious[:room]))
    return [p for p in problems if id(p) in chosen], max(len(serious) - room, 0)


def compliance_sentence(status: str, scans_failed: int = 0) -> str:
    """The model's legal wording for partial compliance, or a placeholder: never the 'fully' wording."""
    if status == PARTIAL:
        return (f"This website is partially compliant with the {WCAG} AA standard, due to the "
                "non-compliances listed below.")
    return (f"[Compliance status: {no_failures_found(scans_failed)} of the WCAG 2.2 AA standard, but it "
            "cannot show that a website meets it. Have the website audited by a person, then write one of "
            "the three compliance statements from the model accessibility statement.]")


def no_failures_found(scans_failed: int) -> str:
    """What automated testing may say when it found no WCAG failure: less when a scan could not run."""
    if not scans_failed:
        return "automated testing found no failures"
    states = f"{scans_failed} page state{'s' if scans_failed != 1 else ''}"
    return (f"automated testing found no failures, but the axe-core scan failed on {states}, where failures "
            "would not have been seen, so it found no failures only where it could look")


def statement_draft(run: RunResult, target_id: str) -> StatementDraft:
    targets = run.meta.get("targets", {})
    if target_id not in targets and not any(j.target == target_id for j in run.journeys):
        choices = ", ".join(sorted(set(targets) | {j.target for j in run.journeys})) or "none"
        raise KeyError(f"{run.run_dir}: no target '{target_id}' in this run. Targets in the run: {choices}.")
    info: dict[str, Any] = targets.get(target_id, {})
    name = run.target_name(target_id)
    problems = problems_of(run, target_id)
    groups = group_by_criterion(problems)
    status = PARTIAL if groups else UNKNOWN
    known, more_known = known_problems(problems)
    walks = [j for j in run.journeys if j.target == target_id and j.journey != SCAN_JOURNEY]
    journeys = unique(run.journey_title(j.journey) for j in walks)
    personas = unique(persona_label(run, j.persona) for j in walks)
    scans_failed = sum(1 for j in walks for f in j.findings if f.rule_id == "axe-scan-failed")
    version = str(info.get("version", ""))
    base_url = str(info.get("base_url", ""))
    address = base_url if base_url.startswith(("http://", "https://")) else "[web address of the service]"
    scope = f"{name}{f', version {version}' if version else ''}, at {address}"
    return StatementDraft(
        target=target_id, service_name=name,
        organisation=str(info.get("organisation") or "") or "[name of organisation]",
        contact=one_line(str(info.get("contact") or "")) or "[email address, phone number and opening hours]",
        scope=scope, supplier=str(info.get("supplier", "")), version=version, compliance=status,
        compliance_sentence=compliance_sentence(status, scans_failed), can_do=can_do_list(run, target_id),
        known_problems=known, more_known=more_known, non_compliance=groups, tested_on=long_date(str(run.meta.get("started", ""))),
        run_id=str(run.meta.get("run_id", "")), journeys=journeys, personas=personas,
        method=method_sentences(run, journeys, personas), test_environment=bool(info.get("test_environment")),
        scans_failed=scans_failed)


def persona_label(run: RunResult, persona_id: str) -> str:
    persona = run.meta.get("personas", {}).get(persona_id, {})
    title = str(persona.get("title", "")).lower()
    return f"{run.persona_name(persona_id)} ({title})" if title else run.persona_name(persona_id)


def harness_version(run: RunResult) -> str:
    stored = run.meta.get("harness_version")
    if stored:
        return str(stored)
    try:
        return metadata.version("council-a11y-harness")
    except metadata.PackageNotFoundError:
        return ""


def method_sentences(run: RunResult, journeys: list[str], personas: list[str]) -> list[str]:
    """How the test was done, from the run's own record: journeys, personas, tools and versions."""
    meta = run.meta
    version = harness_version(run)
    tools = f"the council accessibility harness{f' version {version}' if version else ''}"
    if meta.get("axe_version"):
        tools += f" with axe-core {meta['axe_version']}"
    browser = "Chromium" if "chromium" in str(meta.get("browser", "")).lower() else str(meta.get("browser", ""))
    if browser:
        tools += f", in {browser}"
        if meta.get("playwright_version"):
            tools += f" driven by Playwright {meta['playwright_version']}"
    sentences = ["We tested the service based on a user's ability to complete key journeys."]
    if journeys:
        sentences.append(f"The journeys were: {'; '.join(journeys)}.")
    if personas:
        sentences.append("Each journey was walked by automated personas, each imitating how a disabled or "
                         f"older person uses the web: {'; '.join(personas)}.")
    sentences.append(f"We used {tools}, which checks each page against the WCAG 2.2 A and AA success "
                     "criteria that can be tested automatically.")
    sentences.append("Automated testing finds only some accessibility problems. [Describe the manual testing "
                     "and the testing with disabled people that was done, and by whom.]")
    return sentences


def long_date(iso: str) -> str:
    """'2026-11-26T11:18:14+00:00' -> '26 November 2026'; a placeholder when the run has no date."""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return "[date]"
    return f"{when.day} {when.strftime('%B %Y')}"


def one_line(text: str) -> str:
    """Page text on one line, otherwise verbatim: whitespace runs (newlines included) become one space."""
    return " ".join(text.split())


_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]()<>#+!|~&@]|:(?=/))")
"""Characters Markdown acts on inside a line: emphasis, code, links and images, raw HTML and autolinks
(`<...>`, and GitHub's bare 'http://', 'www.' and e-mail addresses), tables, strikethrough, entities."""
_BLOCK_START = re.compile(r"^([-=.]|\d+(?=[.)](\s|$)))")
"""What makes a line a list item, heading underline or numbered item when it starts one."""


def markdown_text(text: str) -> str:
    """Page text for the Markdown draft: one line, every character shown as it is, never read as markup.

    Each character Markdown would act on is escaped with a backslash (CommonMark lets any ASCII punctuation
    be escaped, and every renderer shows the character itself), so '[Pay](javascript:...)', '<img ...>' and
    'https://evil.example' stay text, not a link, an image or HTML. Controls and bidi overrides are shown as
    codes ('[U+202E]', escaped here too).
    """
    line = _MARKDOWN_ACTIVE.sub(r"\\\1", one_line(shown(text)))
    line = re.sub(r"(?i)\b(www)\.", r"\1\\.", line)
    return _BLOCK_START.sub(lambda m: m.group() + "\\" if m.group()[0].isdigit() else "\\" + m.group(), line)


def statement_context(run: RunResult, target_id: str) -> dict[str, Any]:
    """What statement.html.jinja and statement.md.jinja need for one target."""
    return {"statement": statement_draft(run, target_id), "meta": run.meta,
            "personas": run.meta.get("personas", {}), "md": markdown_text, "eass_url": EASS_URL,
            "ecni_url": ECNI_URL, "abilitynet_url": ABILITYNET_URL, "wcag_url": WCAG_URL, "wcag": WCAG,
            "regulations": REGULATIONS, "partial": PARTIAL,
            "no_failures_found": no_failures_found}


def statement_targets(run: RunResult) -> list[str]:
    """Targets with at least one walk, in the run's order."""
    walked = {j.target for j in run.journeys}
    listed = [t for t in run.meta.get("targets", {}) if t in walked]
    return listed + sorted(walked - set(listed))


def render_statements(run: RunResult, env: Environment, nav: list[dict[str, str]]) -> dict[str, str]:
    """{'statements.html', 'statement-<target>.html', 'statement-<target>.md'} for every target walked."""
    pages: dict[str, str] = {}
    drafts = []
    html = env.get_template("statement.html.jinja")
    markdown = env.get_template("statement.md.jinja")
    for target_id in statement_targets(run):
        context = statement_context(run, target_id)
        draft: StatementDraft = context["statement"]
        drafts.append(draft)
        pages[draft.filename] = html.render(nav=nav, current="statements.html", **context)
        pages[draft.markdown_filename] = markdown.render(**context)
    pages["statements.html"] = env.get_template("statements.html.jinja").render(
        drafts=drafts, meta=run.meta, nav=nav, current="statements.html", partial=PARTIAL)
    return pages
