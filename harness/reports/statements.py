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

from harness.model import plain_words
from harness.model.barriers import Barrier
from harness.model.findings import Impact
from harness.model.targets import SCAN_JOURNEY
from harness.model.untrusted import shown
from harness.model.wcag import CRITERIA, sort_key
from harness.reports.personas import unique
from harness.reports.render import environment, render_page
from harness.reports.run_view import RunView

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
class BarrierKind:
    """One kind of barrier in a target (one rule), with every barrier of that kind and where they were met.

    The model statement lists problems by kind: 'Some images do not have a text alternative', however many.
    """

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
    barriers: list[BarrierKind]


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
    known_barriers: list[BarrierKind]
    """'How accessible this website is': barriers that stop people or are serious, and council-check failures."""
    more_known: int
    """Serious barriers left out of that short list (they are all under Non-accessible content)."""
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
        return sum(len(g.barriers) for g in self.non_compliance)


def is_council_check(view: RunView, barrier: Barrier) -> bool:
    """A council service check: not a WCAG failure, so it never goes under 'Non-compliance'."""
    check = view.record.checks.get(barrier.rule_id)
    return (check is not None and check.council_check) or any(f.extra.get("council_check") for f in barrier.findings)


def walks_completed(view: RunView, target_id: str, persona_id: str) -> tuple[int, int]:
    """(completed, walked) for a persona on a target, leaving out scan mode's page visits."""
    walks = [w for w in view.walks_on(target_id) if w.persona == persona_id and w.journey != SCAN_JOURNEY]
    return sum(1 for w in walks if w.ending == "completed"), len(walks)


def can_do_list(view: RunView, target_id: str) -> list[CanDo]:
    """A bullet is included only when its persona walked here and completed every journey it walked."""
    bullets = []
    for text, persona in CAN_DO_BULLETS:
        if not persona:
            bullets.append(CanDo(text, persona, False, "no persona in this run can show this; a person must "
                                                       "check it before it goes in"))
            continue
        name = view.persona_name(persona)
        done, walked = walks_completed(view, target_id, persona)
        if walked == 0:
            bullets.append(CanDo(text, persona, False, f"{name} ({persona}) did not walk any journey here"))
        elif done < walked:
            bullets.append(CanDo(text, persona, False, f"{name} ({persona}) completed only {done} of {walked} "
                                                       "journeys here"))
        else:
            bullets.append(CanDo(text, persona, True, f"{name} ({persona}) completed all {walked} journeys here"))
    return bullets


def barrier_kinds(view: RunView, target_id: str) -> list[BarrierKind]:
    """The target's violations gathered by rule, those that stopped someone first, then worst impact."""
    by_rule: dict[str, list[Barrier]] = {}
    for barrier in view.barriers(target_id):
        by_rule.setdefault(barrier.rule_id, []).append(barrier)
    kinds = []
    for rule_id, barriers in by_rule.items():
        criteria = tuple(sorted({c for b in barriers for c in b.criteria}, key=sort_key))
        examples = unique(one_line(b.message) for b in barriers if b.source == "harness" and b.message)
        kinds.append(BarrierKind(
            rule_id=rule_id, everyday=plain_words.everyday(rule_id, one_line(barriers[0].message)),
            who=plain_words.who(rule_id), impact=max((b.impact for b in barriers), key=lambda i: i.rank),
            criteria=criteria, council_check=any(is_council_check(view, b) for b in barriers), barriers=barriers,
            journeys=unique(view.journey_title(b.journey) for b in barriers), examples=examples[:3],
            stops=unique(view.journey_title(b.journey) for b in barriers if b.blocked)))
    return sorted(kinds, key=lambda p: (not p.stops, -p.impact.rank, [sort_key(c) for c in p.criteria],
                                           p.rule_id))


def group_by_criterion(kinds: list[BarrierKind]) -> list[CriterionGroup]:
    """WCAG failures under their first criterion, in WCAG order (the model groups problems by kind)."""
    groups: dict[str, CriterionGroup] = {}
    for kind in kinds:
        if kind.council_check or not kind.criteria:
            continue
        first = kind.primary
        criterion = CRITERIA.get(first)
        group = groups.setdefault(first, CriterionGroup(
            criterion=first, title=criterion_title(first), level=criterion.level if criterion else "",
            barriers=[]))
        group.barriers.append(kind)
    return [groups[c] for c in sorted(groups, key=sort_key)]


def criterion_title(criterion_id: str) -> str:
    """'Non-text Content' for '1.1.1': the bare name, as the model statement writes it after the number."""
    criterion = CRITERIA.get(criterion_id)
    return criterion.title if criterion else criterion_id


def known_barriers(kinds: list[BarrierKind], limit: int = KNOWN_LIMIT) -> tuple[list[BarrierKind], int]:
    """'How accessible this website is': every kind of barrier that stopped a persona and every council-check
    failure, then the worst of the rest up to the limit; returns them and how many serious ones were left.

    The model asks for a short list a resident can act on; the full list is under Non-accessible content.
    """
    must = [k for k in kinds if k.stops or k.council_check]
    serious = [k for k in kinds if k not in must and k.impact.rank >= Impact.SERIOUS.rank]
    room = max(limit - len(must), 0)
    chosen = set(map(id, must + serious[:room]))
    return [k for k in kinds if id(k) in chosen], max(len(serious) - room, 0)


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


def statement_draft(view: RunView, target_id: str) -> StatementDraft:
    targets = view.record.targets
    if target_id not in targets and target_id not in view.targets_walked:
        choices = ", ".join(sorted(set(targets) | set(view.targets_walked))) or "none"
        raise KeyError(f"{view.run_dir}: no target '{target_id}' in this run. Targets in the run: {choices}.")
    info = view.target(target_id)
    name = info.name
    kinds = barrier_kinds(view, target_id)
    groups = group_by_criterion(kinds)
    status = PARTIAL if groups else UNKNOWN
    known, more_known = known_barriers(kinds)
    walks = [w for w in view.walks_on(target_id) if w.journey != SCAN_JOURNEY]
    journeys = unique(view.journey_title(w.journey) for w in walks)
    personas = unique(persona_label(view, w.persona) for w in walks)
    scans_failed = sum(1 for w in walks for f in w.findings if f.rule_id == "axe-scan-failed")
    version = info.version
    base_url = info.base_url
    address = base_url if base_url.startswith(("http://", "https://")) else "[web address of the service]"
    scope = f"{name}{f', version {version}' if version else ''}, at {address}"
    return StatementDraft(
        target=target_id, service_name=name,
        organisation=info.organisation or "[name of organisation]",
        contact=one_line(info.contact) or "[email address, phone number and opening hours]",
        scope=scope, supplier=info.supplier, version=version, compliance=status,
        compliance_sentence=compliance_sentence(status, scans_failed), can_do=can_do_list(view, target_id),
        known_barriers=known, more_known=more_known, non_compliance=groups,
        tested_on=long_date(view.record.started or ""), run_id=view.record.run_id or "", journeys=journeys,
        personas=personas, method=method_sentences(view, journeys, personas),
        test_environment=info.test_environment,
        scans_failed=scans_failed)


def persona_label(view: RunView, persona_id: str) -> str:
    title = view.persona(persona_id).title.lower()
    return f"{view.persona_name(persona_id)} ({title})" if title else view.persona_name(persona_id)


def harness_version(view: RunView) -> str:
    stored = view.record.harness_version
    if stored:
        return stored
    try:
        return metadata.version("council-a11y-harness")
    except metadata.PackageNotFoundError:
        return ""


def method_sentences(view: RunView, journeys: list[str], personas: list[str]) -> list[str]:
    """How the test was done, from the run's own record: journeys, personas, tools and versions."""
    run = view.record
    version = harness_version(view)
    tools = f"the council accessibility harness{f' version {version}' if version else ''}"
    if run.axe_version:
        tools += f" with axe-core {run.axe_version}"
    browser = "Chromium" if "chromium" in (run.browser or "").lower() else (run.browser or "")
    if browser:
        tools += f", in {browser}"
        if run.playwright_version:
            tools += f" driven by Playwright {run.playwright_version}"
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


def statement_context(view: RunView, target_id: str) -> dict[str, Any]:
    """What statement.html.jinja and statement.md.jinja need for one target."""
    return {"statement": statement_draft(view, target_id), "run": view.record,
            "personas": view.record.personas, "md": markdown_text, "eass_url": EASS_URL,
            "ecni_url": ECNI_URL, "abilitynet_url": ABILITYNET_URL, "wcag_url": WCAG_URL, "wcag": WCAG,
            "regulations": REGULATIONS, "partial": PARTIAL,
            "no_failures_found": no_failures_found}


def render_statements(view: RunView) -> dict[str, str]:
    """{'statements.html', 'statement-<target>.html', 'statement-<target>.md'} for every target walked."""
    pages: dict[str, str] = {}
    drafts = []
    for target_id in view.targets_in_order:
        context = statement_context(view, target_id)
        draft: StatementDraft = context["statement"]
        drafts.append(draft)
        pages[draft.filename] = render_page("statement.html.jinja", "statements.html", **context)
        pages[draft.markdown_filename] = environment().get_template("statement.md.jinja").render(**context)
    pages["statements.html"] = render_page("statements.html.jinja", "statements.html", drafts=drafts,
                                           run=view.record, partial=PARTIAL)
    return pages
