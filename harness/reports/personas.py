"""Persona reports for product owners: what each persona could do, where they were stopped, what to fix first.

A QA report lists findings; a product owner needs the story: "Ash could not start the bin day journey
because the search button cannot be reached with the keyboard", the screenshot of where it happened, and
which fix lets the most people through. Everything here is built from the stored run, so it can be
re-rendered at any time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.model import plain_words
from harness.model.barriers import Barrier, page_path
from harness.model.findings import Finding, Impact, Outcome
from harness.model.results import StepResult, WalkResult
from harness.model.screenshots import Outline, outline_of, png_size, screenshot_scale
from harness.reports.render import render_page
from harness.reports.run_view import RunView

STUCK_LABEL = "where the persona got stuck"
"""The label the journey gives the state it scans when a persona is stopped."""
TOP_FIXES = 8
"""Fixes listed per target on a persona page; the rest are counted, and the QA report has them all."""

_PAST = {"find": "found", "subscribe": "subscribed", "apply": "applied", "report": "reported", "pay": "paid",
         "scan": "scanned", "book": "booked", "check": "checked", "request": "requested", "register": "registered",
         "renew": "renewed", "order": "ordered", "tell": "told", "change": "changed", "cancel": "cancelled",
         "get": "got", "claim": "claimed", "buy": "bought", "update": "updated", "view": "viewed",
         "make": "made", "send": "sent", "give": "gave", "upload": "uploaded", "sign": "signed"}
"""First verbs of journey titles ('Subscribe to garden waste collection') in the past tense."""
_PRONOUNS = {"you": "they", "your": "their", "yours": "theirs", "yourself": "themselves"}





@dataclass(frozen=True)
class Shot:
    src: str
    """Relative to the run folder: 'screenshots/x-02.png'."""
    alt: str
    caption: str
    outline: Outline | None = None


@dataclass(frozen=True)
class Story:
    """One persona's walk of one journey on one target, told in a sentence."""

    target: str
    journey: str
    journey_title: str
    kind: str
    """'completed', 'stopped-at-start', 'stopped', 'not-offered', 'not-walked', 'did-not-finish' or 'not-judged'."""
    headline: str
    """'Completed', 'Could not start', "Stopped at step 3 of 6, 'Enter the address'", ..."""
    sentence: str
    """The whole story: headline, then what happened, in everyday words."""
    shot: Shot | None = None
    test_id: str = ""

    @property
    def stopped(self) -> bool:
        return self.kind in ("stopped", "stopped-at-start")

    @property
    def detail(self) -> str:
        """The sentence after its headline, so a page can set the headline apart."""
        return self.sentence[len(self.headline):] if self.sentence.startswith(self.headline) else f": {self.sentence}"


@dataclass
class Fix:
    """One thing to fix for this persona: barriers of one rule on one element, however many pages."""

    rule_id: str
    everyday: str
    who: str
    barriers: list[Barrier]
    unblocks: list[str]
    """Titles of the journeys this fix would let the persona go on in (their walk was stopped by it)."""
    pages: int
    journeys: list[str]
    unlock: str
    """'Fixing this would let Ash go on in 2 journeys on ...' or '... a problem Ash met on 4 pages.'"""
    impact: str
    """The worst impact this persona met (another persona may have met it as a blocker, and worse)."""
    places: list[str] = field(default_factory=list)
    """'Find your bin collection day, page bin-day' for each place it was met, in order."""

    @property
    def example(self) -> Barrier:
        return self.barriers[0]


@dataclass
class TargetStories:
    target: str
    name: str
    supplier: str
    stories: list[Story]
    fixes: list[Fix]
    more_fixes: int = 0

    @property
    def walked(self) -> int:
        return sum(1 for s in self.stories if s.kind not in ("not-offered", "not-walked"))

    @property
    def completed(self) -> int:
        return sum(1 for s in self.stories if s.kind == "completed")

    @property
    def stopped(self) -> int:
        return sum(1 for s in self.stories if s.stopped)


@dataclass
class PersonaReport:
    persona: str
    name: str
    title: str
    description: str
    adds: list[tuple[str, str]]
    """(check id, what it makes sure of, in everyday words) for each check the persona adds."""
    targets: list[TargetStories] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return persona_filename(self.persona)

    @property
    def walked(self) -> int:
        return sum(t.walked for t in self.targets)

    @property
    def completed(self) -> int:
        return sum(t.completed for t in self.targets)

    @property
    def stopped(self) -> int:
        return sum(t.stopped for t in self.targets)

    @property
    def one_line(self) -> str:
        """'Completed 9 of 15 journeys; stopped in 6 (Supplier B: 5, ...).'"""
        line = f"Completed {self.completed} of {self.walked} journeys"
        where = [f"{t.name}: {t.stopped}" for t in self.targets if t.stopped]
        if where:
            line += f"; stopped in {self.stopped} ({', '.join(where)})"
        return line + "."


def persona_filename(persona_id: str) -> str:
    return f"persona-{persona_id}.html"





def did_what(title: str) -> str:
    """'Subscribe to garden waste collection' -> 'subscribed to garden waste collection'; None-safe fallback.

    Titles whose first verb is not known are quoted whole: "finished 'Title'".
    """
    words = title.split()
    if not words or words[0].lower() not in _PAST:
        return f"finished '{title}'"
    rest = [_PRONOUNS.get(word.lower(), word) for word in words[1:]]
    return " ".join([_PAST[words[0].lower()], *rest])


def offered(view: RunView, target_id: str, journey_id: str) -> bool:
    """A target lists the journeys it offers; targets stored before that field offer everything."""
    return view.target(target_id).offers(journey_id)


def step_total(view: RunView, target_id: str, journey_id: str) -> int | None:
    """How many steps the journey has: from a completed walk on this target, else on any target."""
    for same_target in (True, False):
        counts = [len(w.steps) for w in view.walks
                  if w.journey == journey_id and w.ending == "completed" and w.steps
                  and (w.target == target_id) == same_target]
        if counts:
            return max(counts)
    return None


def blocked_step(walk: WalkResult) -> StepResult | None:
    for step in walk.steps:
        if step.status == "blocked":
            return step
    return walk.steps[-1] if walk.steps else None


def blocker_findings(step: StepResult | None) -> list[Finding]:
    return [f for f in step.findings if f.blocker] if step else []


def blocker_words(walk: WalkResult, step: StepResult | None) -> str:
    """What stopped them: the walk's own blocker sentence, else the blocking finding's message."""
    if walk.blocker.strip():
        return " ".join(walk.blocker.split())
    for finding in blocker_findings(step):
        return " ".join(finding.message.split()) or plain_words.everyday(finding.rule_id)
    return "something on the page stopped them going on."


def stuck_shot(view: RunView, walk: WalkResult, step: StepResult | None) -> Shot | None:
    """The screenshot of where the persona got stuck, with the blocking element outlined when it was measured."""
    if step is None:
        return None
    states = [s for s in step.states if s.screenshot]
    if not states:
        return None
    state = next((s for s in states if s.label == STUCK_LABEL), states[-1])
    name = view.persona_name(walk.persona)
    src = state.screenshot
    outline = None
    boxes = state.boxes
    size = png_size(view.run_dir / src) if boxes else None
    if size is not None:
        scale = screenshot_scale(state, view.persona(walk.persona))
        for finding in blocker_findings(step):
            box = boxes.get(finding.selector) if finding.selector else None
            outline = outline_of(box, size, scale) if box else None
            if outline is not None:
                break
    title = " ".join(state.title.split())
    page = f"the page '{title}'" if title else "the page"
    alt = f"Screenshot of {page} where {name} got stuck, at step {step.index}, '{step.name}'."
    if outline is not None:
        alt += f" A thick box outlines the part of the page that stopped {name}."
    caption = f"Where {name} got stuck: {page}, {state.url}".rstrip(", ")
    return Shot(src=src, alt=alt, caption=caption, outline=outline)


def journey_story(view: RunView, target_id: str, journey_id: str, persona_id: str,
                  walk: WalkResult | None) -> Story:
    """The story of one walk, or of a journey the persona did not walk on this target."""
    title = view.journey_title(journey_id)
    name = view.persona_name(persona_id)

    def story(kind: str, headline: str, sentence: str, shot: Shot | None = None) -> Story:
        return Story(target=target_id, journey=journey_id, journey_title=title, kind=kind, headline=headline,
                     sentence=sentence, shot=shot, test_id=walk.test_id if walk else "")

    if walk is None:
        if not offered(view, target_id, journey_id):
            return story("not-offered", "Not offered", "Not offered by this supplier.")
        return story("not-walked", "Not walked", f"Not walked in this run: {name} did not try this journey here.")
    if walk.ending == "completed":
        return story("completed", "Completed", f"Completed: {name} {did_what(title)}.")
    if walk.ending == "blocked":
        step = blocked_step(walk)
        words = blocker_words(walk, step)
        shot = stuck_shot(view, walk, step)
        first = min((s.index for s in walk.steps), default=1)
        if step is None or step.index == first:
            return story("stopped-at-start", "Could not start", f"Could not start: {words}", shot)
        total = step_total(view, target_id, journey_id)
        of = f" of {total}" if total and total >= step.index else ""
        headline = f"Stopped at step {step.index}{of}, '{step.name}'"
        return story("stopped", headline, f"{headline}: {words}", shot)
    if walk.ending == "error":
        return story("not-judged", "Not judged",
                     "Not judged: the harness itself failed during this walk, so it says nothing about the "
                     "service. The QA report has the details.")
    return story("did-not-finish", "Did not finish",
                 "Did not finish: the test run stopped before this walk ended, so it says nothing about the "
                 "service.")


def fixes_for(view: RunView, target_id: str, persona_id: str) -> list[Fix]:
    """The persona's barriers on a target, one per rule and element, those that stopped them first.

    A logo without a text alternative on every page is one fix, so barriers are grouped by rule, element
    and markup across pages and journeys.
    """
    name = view.persona_name(persona_id)
    where = view.target_name(target_id)
    base_url = view.target(target_id).base_url
    groups: dict[tuple[str, str, str], list[Barrier]] = {}
    for barrier in view.barriers(target_id):
        if persona_id in barrier.personas:
            groups.setdefault((barrier.rule_id, barrier.selector, barrier.snippet), []).append(barrier)
    fixes = []
    # Journey findings keep only the first sighting of a repeated element (a logo on every page), so the
    # pages are counted from every step's own findings.
    seen_on: dict[tuple[str, str, str], set[tuple[str, str]]] = {}
    for walk in view.walks:
        if walk.target == target_id and walk.persona == persona_id:
            for step in walk.steps:
                for f in step.findings:
                    if f.outcome is not Outcome.VIOLATION:
                        continue
                    seen_on.setdefault((f.rule_id, f.selector, f.snippet), set()).add(
                        (f.journey or walk.journey, page_path(f.page_url, base_url)))
    for (rule_id, selector, snippet), barriers in groups.items():
        unblocks = unique(view.journey_title(b.journey) for b in barriers if persona_id in b.blocked)
        journeys = unique(view.journey_title(b.journey) for b in barriers)
        pages = len(seen_on.get((rule_id, selector, snippet), set()) or {(b.journey, b.page) for b in barriers})
        mine = [f for b in barriers for f in b.findings if f.persona == persona_id]
        impact = max((f.impact for f in mine), key=lambda i: i.rank)
        places = unique(f"{view.journey_title(b.journey)}, page {b.page}" for b in barriers)
        if unblocks:
            count = "1 journey" if len(unblocks) == 1 else f"{len(unblocks)} journeys"
            unlock = (f"Fixing this would let {name} go on in {count} on {where} where this stopped them: "
                      f"{'; '.join(unblocks)}.")
        else:
            on = "1 page" if pages == 1 else f"{pages} pages"
            unlock = f"Fixing this would remove a problem {name} met on {on} of {where}."
        fixes.append(Fix(rule_id=rule_id, everyday=plain_words.everyday(rule_id, barriers[0].message),
                         who=plain_words.who(rule_id), barriers=barriers, unblocks=unblocks, pages=pages,
                         journeys=journeys, unlock=unlock, impact=impact.value, places=places))
    rank = {impact.value: impact.rank for impact in Impact}
    return sorted(fixes, key=lambda f: (-len(f.unblocks), -rank[f.impact], -f.pages, f.rule_id))


def unique(items: Any) -> list[str]:
    """The items in their first order, each once."""
    return list(dict.fromkeys(items))


def journeys_in_order(view: RunView) -> list[str]:
    """Every journey walked in the run, in the order the run's journey list gives."""
    walked = {w.journey for w in view.walks}
    listed = [j for j in view.record.journeys if j in walked]
    return listed + sorted(walked - set(listed))


def walked_personas(view: RunView) -> list[str]:
    """Personas with at least one walk, in the order the run lists them."""
    walked = {w.persona for w in view.walks}
    listed = [p for p in view.record.personas if p in walked]
    return listed + sorted(walked - set(listed))


def persona_report(view: RunView, persona_id: str, top: int = TOP_FIXES) -> PersonaReport:
    persona = view.persona(persona_id)
    checks = view.record.checks
    adds = [(cid, (checks[cid].summary if cid in checks else "") or plain_words.everyday(cid))
            for cid in persona.checks]
    report = PersonaReport(persona=persona_id, name=view.persona_name(persona_id),
                           title=persona.title, description=" ".join(persona.description.split()), adds=adds)
    for target_id in view.targets_in_order:
        mine = [w for w in view.walks_on(target_id) if w.persona == persona_id]
        if not mine:
            continue
        stories: list[Story] = []
        for journey_id in journeys_in_order(view):
            walks = [w for w in mine if w.journey == journey_id]
            if not walks:
                stories.append(journey_story(view, target_id, journey_id, persona_id, None))
            stories += [journey_story(view, target_id, journey_id, persona_id, w) for w in walks]
        fixes = fixes_for(view, target_id, persona_id)
        recorded = view.target(target_id)
        report.targets.append(TargetStories(
            target=target_id, name=recorded.name, supplier=recorded.supplier,
            stories=stories, fixes=fixes[:top], more_fixes=max(len(fixes) - top, 0)))
    return report


def render_personas(view: RunView) -> dict[str, str]:
    """{'personas.html': the list, 'persona-<id>.html': one page per persona walked}."""
    reports = [persona_report(view, p) for p in walked_personas(view)]
    common = {"run": view.record, "personas": view.record.personas}
    pages = {"personas.html": render_page("personas.html.jinja", "personas.html", reports=reports, **common)}
    for report in reports:
        pages[report.filename] = render_page("persona.html.jinja", "personas.html", report=report, **common)
    return pages
