"""The history of runs: one SQLite file keyed by target, version and time, so a buyer can see a trend.

Each run adds, per target it walked, one row of totals (walks completed and blocked, barriers by impact)
and every barrier and blocked walk. Barriers are stored with their keys, so two releases can be compared
long after their run folders are gone. The file is opened in WAL mode with a busy timeout because several
pytest-xdist workers or parallel runs may record into one database at the same moment.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from harness.model.barriers import Barrier, BarrierKey
from harness.model.errors import HarnessError
from harness.model.findings import IMPACTS_WORST_FIRST, Impact, Outcome
from harness.model.plain_words import plural
from harness.model.run_diff import BarrierDiff, diff_barriers
from harness.reports.render import render_page, sentence_case
from harness.reports.run_view import RunView

DB_FILE = "history.sqlite"
"""The history database's default name, in the report folder beside the run folders."""
DEFAULT_PATH = Path("reports") / "out" / DB_FILE
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0
IMPACT_COLUMNS = tuple(impact.value for impact in IMPACTS_WORST_FIRST)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS points (
    run_id TEXT NOT NULL, target TEXT NOT NULL, started TEXT NOT NULL, product TEXT NOT NULL,
    supplier TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
    walks_total INTEGER NOT NULL, walks_completed INTEGER NOT NULL, walks_blocked INTEGER NOT NULL,
    {", ".join(f"{column} INTEGER NOT NULL" for column in IMPACT_COLUMNS)},
    needs_review INTEGER NOT NULL,
    PRIMARY KEY (run_id, target)
);
CREATE INDEX IF NOT EXISTS points_by_product ON points (product);
CREATE TABLE IF NOT EXISTS barriers (
    run_id TEXT NOT NULL, target TEXT NOT NULL, position INTEGER NOT NULL,
    journey TEXT NOT NULL, page TEXT NOT NULL, rule_id TEXT NOT NULL, selector TEXT NOT NULL,
    impact TEXT NOT NULL, criteria TEXT NOT NULL, message TEXT NOT NULL, help TEXT NOT NULL,
    help_url TEXT NOT NULL, page_url TEXT NOT NULL, personas TEXT NOT NULL, blocked TEXT NOT NULL,
    PRIMARY KEY (run_id, target, journey, page, rule_id, selector)
);
CREATE TABLE IF NOT EXISTS blocked_walks (
    run_id TEXT NOT NULL, target TEXT NOT NULL, journey TEXT NOT NULL, persona TEXT NOT NULL,
    blocker TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS blocked_walks_by_point ON blocked_walks (run_id, target);
"""


class HistoryError(HarnessError):
    """The history database cannot be opened or read; the message names the file and what to do."""


@dataclass(frozen=True)
class BlockedWalk:
    """One persona stopped on one journey, and the message that said why."""

    journey: str
    persona: str
    blocker: str


@dataclass(frozen=True)
class BarrierRecord:
    """A barrier as the history database records it: enough to diff and describe it without the run folder."""

    journey: str
    page: str
    rule_id: str
    selector: str
    impact: Impact
    criteria: tuple[str, ...]
    message: str
    help: str = ""
    help_url: str = ""
    page_url: str = ""
    personas: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()

    @property
    def key(self) -> BarrierKey:
        return (self.journey, self.page, self.rule_id, self.selector)

    @property
    def is_blocker(self) -> bool:
        return bool(self.blocked)

    @classmethod
    def of(cls, barrier: Barrier) -> BarrierRecord:
        return cls(journey=barrier.journey, page=barrier.page, rule_id=barrier.rule_id,
                   selector=barrier.selector, impact=barrier.impact, criteria=tuple(barrier.criteria),
                   message=barrier.message, help=barrier.help, help_url=barrier.help_url,
                   page_url=barrier.page_url, personas=tuple(barrier.personas), blocked=tuple(barrier.blocked))


@dataclass(frozen=True)
class TrendPoint:
    """One target in one run: a point on its product's trend line."""

    run_id: str
    target: str
    started: str
    """ISO time the run started; '' when the run did not say."""
    product: str
    supplier: str
    name: str
    version: str
    walks_total: int
    walks_completed: int
    walks_blocked: int
    barriers_by_impact: dict[str, int] = field(default_factory=dict)
    """Violation barriers (not sightings) per impact, worst first."""
    needs_review: int = 0
    """Barriers a person must judge."""
    blocked_walks: tuple[BlockedWalk, ...] = ()

    @property
    def barriers_total(self) -> int:
        return sum(self.barriers_by_impact.values())

    @property
    def id(self) -> tuple[str, str]:
        return (self.run_id, self.target)


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order: '1.9' < '1.10' < '2.0' < 'v2.1'; numbers compare as numbers, other parts as text after them."""
    bare = re.sub(r"^(v|version|release)\s*(?=\d)", "", version.strip().lower())
    parts = re.findall(r"\d+|[^\d.\-_+ ]+", bare)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts)


def trend_order(point: TrendPoint) -> tuple[tuple[tuple[int, int, str], ...], str, str]:
    """Releases by version, then runs of one release by time."""
    return (version_key(point.version), point.started, point.target)


def run_id_of(view: RunView) -> str:
    return view.record.run_id or view.run_dir.name


def trend_point(view: RunView, target: str) -> TrendPoint:
    """The target's totals in this run, computed from the run alone."""
    info = view.target(target)
    walks = view.walks_on(target)
    counts = {impact: 0 for impact in IMPACT_COLUMNS}
    for barrier in view.barriers(target):
        counts[barrier.impact.value] += 1
    return TrendPoint(
        run_id=run_id_of(view), target=target, started=view.record.started or "", product=info.product,
        supplier=info.supplier, name=info.name, version=info.version,
        walks_total=len(walks), walks_completed=sum(1 for w in walks if w.ending == "completed"),
        walks_blocked=sum(1 for w in walks if w.ending == "blocked"), barriers_by_impact=counts,
        needs_review=len(view.barriers(target, Outcome.NEEDS_REVIEW)),
        blocked_walks=tuple(BlockedWalk(w.journey, w.persona, w.blocker) for w in walks if w.ending == "blocked"))


def run_points(view: RunView) -> list[tuple[TrendPoint, list[BarrierRecord]]]:
    """Every walked target of the run as a trend point with its barriers, exactly as record_run stores them."""
    return [(trend_point(view, target), [BarrierRecord.of(b) for b in view.barriers(target)])
            for target in view.targets_walked]


class HistoryDB:
    """The SQLite history file. Open it, record runs, read trends; safe to share between processes."""

    def __init__(self, path: Path | str = DEFAULT_PATH) -> None:
        self.path = Path(path)
        self._connection = self._open()

    def _open(self) -> sqlite3.Connection:
        advice = ("Pass a file path in a folder you can write to (the default is "
                  f"{DEFAULT_PATH}), or move this file aside if it is not a harness history database.")
        if self.path.is_dir():
            raise HistoryError(f"{self.path}: this is a folder, not a history database file. {advice}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"{self.path}: cannot create its folder ({exc.strerror}). {advice}") from exc
        # isolation_level=None: no hidden transactions; record_run takes the write lock itself (BEGIN IMMEDIATE).
        try:
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: cannot open the history database ({exc}). {advice}") from exc
        try:
            _retry_while_locked(lambda: self._prepare(connection))
        except sqlite3.DatabaseError as exc:
            connection.close()
            if _is_locked(exc):
                raise HistoryError(self._locked_message()) from exc
            raise HistoryError(f"{self.path}: cannot use this file as the history database ({exc}). "
                               f"{advice}") from exc
        except HistoryError:
            connection.close()
            raise
        return connection

    def _prepare(self, connection: sqlite3.Connection) -> None:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # WAL lets readers carry on while one writer records; each writer waits its turn (busy timeout).
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("BEGIN IMMEDIATE")
        try:
            found = connection.execute("PRAGMA user_version").fetchone()[0]
            if found not in (0, SCHEMA_VERSION):
                raise HistoryError(
                    f"{self.path}: history schema version {found}, but this harness reads version "
                    f"{SCHEMA_VERSION}. Use a newer harness, or pass a new file path to start a fresh history.")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def _locked_message(self) -> str:
        return (f"{self.path}: the history database is locked by another program (another run or merge "
                f"recording into it, or a database browser holding it open); waited {BUSY_TIMEOUT_S:g} s. "
                "Close that program, or wait for it to finish, and try again.")

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def record_run(self, view: RunView) -> None:
        """Store every walked target of the run; recording the same run again replaces what it stored."""
        points = run_points(view)
        try:
            _retry_while_locked(lambda: self._write(points))
        except sqlite3.OperationalError as exc:
            if _is_locked(exc):
                raise HistoryError(self._locked_message()) from exc
            raise

    def _write(self, points: list[tuple[TrendPoint, list[BarrierRecord]]]) -> None:
        db = self._connection
        db.execute("BEGIN IMMEDIATE")
        try:
            for point, barriers in points:
                for table in ("points", "barriers", "blocked_walks"):
                    db.execute(f"DELETE FROM {table} WHERE run_id = ? AND target = ?", point.id)
                db.execute(
                    f"INSERT INTO points VALUES ({', '.join('?' * (11 + len(IMPACT_COLUMNS)))})",
                    (point.run_id, point.target, point.started, point.product, point.supplier, point.name,
                     point.version, point.walks_total, point.walks_completed, point.walks_blocked,
                     *(point.barriers_by_impact.get(column, 0) for column in IMPACT_COLUMNS),
                     point.needs_review))
                db.executemany(
                    f"INSERT INTO barriers VALUES ({', '.join('?' * 15)})",
                    [(point.run_id, point.target, position, b.journey, b.page, b.rule_id, b.selector,
                      b.impact.value, json.dumps(list(b.criteria)), b.message, b.help, b.help_url, b.page_url,
                      json.dumps(list(b.personas)), json.dumps(list(b.blocked)))
                     for position, b in enumerate(barriers)])
                db.executemany("INSERT INTO blocked_walks VALUES (?, ?, ?, ?, ?)",
                               [(*point.id, walk.journey, walk.persona, walk.blocker)
                                for walk in point.blocked_walks])
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def products(self) -> list[str]:
        return [row[0] for row in self._connection.execute(
            "SELECT DISTINCT product FROM points ORDER BY product")]

    def trend(self, product: str) -> list[TrendPoint]:
        """Every recorded point of the product: by version (natural order), then by time."""
        rows = self._connection.execute("SELECT * FROM points WHERE product = ?", (product,)).fetchall()
        return sorted((self._point(row) for row in rows), key=trend_order)

    def point(self, run_id: str, target: str) -> TrendPoint | None:
        row = self._connection.execute(
            "SELECT * FROM points WHERE run_id = ? AND target = ?", (run_id, target)).fetchone()
        return None if row is None else self._point(row)

    def _point(self, row: tuple[object, ...]) -> TrendPoint:
        run_id, target, started, product, supplier, name, version = (str(value) for value in row[:7])
        walks_total, walks_completed, walks_blocked = (int(str(value)) for value in row[7:10])
        impacts = row[10:10 + len(IMPACT_COLUMNS)]
        return TrendPoint(
            run_id=run_id, target=target, started=started, product=product, supplier=supplier, name=name,
            version=version, walks_total=walks_total, walks_completed=walks_completed,
            walks_blocked=walks_blocked,
            barriers_by_impact={column: int(str(n)) for column, n in zip(IMPACT_COLUMNS, impacts, strict=True)},
            needs_review=int(str(row[10 + len(IMPACT_COLUMNS)])),
            blocked_walks=tuple(self.blocked_walks(run_id, target)))

    def blocked_walks(self, run_id: str, target: str) -> list[BlockedWalk]:
        return [BlockedWalk(*row) for row in self._connection.execute(
            "SELECT journey, persona, blocker FROM blocked_walks WHERE run_id = ? AND target = ? "
            "ORDER BY rowid", (run_id, target))]

    def barriers(self, run_id: str, target: str) -> list[BarrierRecord]:
        """The target's violation barriers in that run, in the order the run listed them (blockers first)."""
        rows = self._connection.execute(
            "SELECT journey, page, rule_id, selector, impact, criteria, message, help, help_url, page_url, "
            "personas, blocked FROM barriers WHERE run_id = ? AND target = ? ORDER BY position",
            (run_id, target))
        return [BarrierRecord(journey=journey, page=page, rule_id=rule_id, selector=selector,
                              impact=Impact(impact), criteria=tuple(json.loads(criteria)), message=message,
                              help=help_text, help_url=help_url, page_url=page_url,
                              personas=tuple(json.loads(personas)), blocked=tuple(json.loads(blocked)))
                for (journey, page, rule_id, selector, impact, criteria, message, help_text, help_url, page_url,
                     personas, blocked) in rows]


def _retry_while_locked(action: Callable[[], None], deadline_s: float | None = None) -> None:
    """SQLite's busy handler covers most waits, but switching to WAL can still report 'locked' at once."""
    stop = time.monotonic() + (BUSY_TIMEOUT_S if deadline_s is None else deadline_s)
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc) or time.monotonic() > stop:
                raise
            time.sleep(0.05)


def _is_locked(exc: BaseException) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock, the file itself is fine."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def points_by_product(points: Iterable[TrendPoint]) -> Iterator[tuple[str, list[TrendPoint]]]:
    """Group points into products, each product's points in trend order, products by name."""
    grouped: dict[str, list[TrendPoint]] = {}
    for point in points:
        grouped.setdefault(point.product, []).append(point)
    for product in sorted(grouped):
        yield product, sorted(grouped[product], key=trend_order)


# The history page: a trend table per product and what changed between each release and the next.

HISTORY_FILE = "history.html"
HISTORY_TEMPLATE = "history.html.jinja"


@dataclass(frozen=True)
class PointView:
    """A trend point with its barriers and the words the page names it by."""

    point: TrendPoint
    barriers: list[BarrierRecord]
    label: str
    """'release 2.0', or 'release 2.0, 26 November 2026 11:18 UTC' when one release was run more than once."""
    date: str
    in_this_run: bool = False


@dataclass(frozen=True)
class PairView:
    """One step along a product's trend: a point, the one before it, and what changed."""

    old: PointView
    new: PointView
    diff: BarrierDiff[BarrierRecord]

    @property
    def summary(self) -> str:
        """'Release 2.0 fixed 4 barriers, kept 1 and added 1 new one; 8 of 8 walks completed (was 6 of 8).'"""
        fixed, new, kept = self.diff.counts
        old, now = self.old.point, self.new.point
        added = "added no new ones" if new == 0 else f"added {new} new {'one' if new == 1 else 'ones'}"
        mended = plural(fixed, "barrier") if fixed else "no barriers"
        return (f"{sentence_case(self.new.label)} fixed {mended}, kept {kept or 'none'} "
                f"and {added}; {now.walks_completed} of {now.walks_total} walks completed "
                f"(was {old.walks_completed} of {old.walks_total}).")


@dataclass(frozen=True)
class ProductView:
    product: str
    points: list[PointView]
    pairs: list[PairView]

    @property
    def supplier(self) -> str:
        return self.points[-1].point.supplier

    @property
    def summary(self) -> str:
        if self.pairs:
            return self.pairs[-1].summary
        only = self.points[-1]
        return (f"{sentence_case(only.label)}: {only.point.walks_completed} of {only.point.walks_total} walks "
                f"completed, {plural(only.point.barriers_total, 'barrier')}. Only one run of this product is "
                f"recorded, so there is nothing to compare it with yet.")


PAGE_WIDE_SELECTORS = ("", "html", "body")
"""Selectors of page-level checks: two rules failing on 'body' are two problems, not one element."""


@dataclass(frozen=True)
class SharedElement:
    """One element more than one rule failed on: one fix may clear several barriers."""

    journey: str
    page: str
    selector: str
    rules: tuple[str, ...]


def shared_elements(barriers: Iterable[BarrierRecord | tuple[BarrierRecord, BarrierRecord]]) -> list[SharedElement]:
    """Elements of a diff list that more than one barrier names, so readers can tell rules from problems."""
    rules: dict[tuple[str, str, str], list[str]] = {}
    for item in barriers:
        barrier = item[1] if isinstance(item, tuple) else item
        if barrier.selector.strip().lower() not in PAGE_WIDE_SELECTORS:
            rules.setdefault((barrier.journey, barrier.page, barrier.selector), []).append(barrier.rule_id)
    return [SharedElement(*where, rules=tuple(found)) for where, found in rules.items() if len(found) > 1]


def date_words(started: str) -> str:
    """'26 November 2026 11:18 UTC' from an ISO time; the text as given when it is not one."""
    try:
        moment = datetime.fromisoformat(started)
    except ValueError:
        return started or "unknown date"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
        return f"{moment.day} {moment:%B %Y %H:%M} UTC"
    return f"{moment.day} {moment:%B %Y %H:%M}"


def product_views(points: Iterable[tuple[TrendPoint, list[BarrierRecord]]], in_this_run: set[tuple[str, str]]
                  ) -> list[ProductView]:
    """Group points into products, label them, and diff each point with the one before it."""
    barriers_of_point = {}
    for point, barriers in points:
        barriers_of_point[point.id] = (point, barriers)
    views = []
    for product, ordered in points_by_product(p for p, _ in barriers_of_point.values()):
        versions = [p.version for p in ordered]
        labelled = []
        for p in ordered:
            date = date_words(p.started)
            label = f"release {p.version}" if p.version else f"the run of {date}"
            if p.version and versions.count(p.version) > 1:
                label += f", {date}"
            labelled.append(PointView(point=p, barriers=barriers_of_point[p.id][1], label=label, date=date,
                                      in_this_run=p.id in in_this_run))
        pairs = [PairView(old, new, diff_barriers(old.barriers, new.barriers))
                 for old, new in pairwise(labelled)]
        views.append(ProductView(product, labelled, pairs))
    # Products with releases to compare come first (the trend is what this page is for), then the ones this
    # run walked; the sort is stable, so each group stays in name order.
    return sorted(views, key=lambda v: (not v.pairs, not any(p.in_this_run for p in v.points)))


def history_points(view: RunView, history: HistoryDB | None
                   ) -> tuple[list[tuple[TrendPoint, list[BarrierRecord]]], set[tuple[str, str]]]:
    """This run's points, plus every point the history holds (this run's own, if recorded, read from the run)."""
    own = run_points(view)
    ids = {point.id for point, _ in own}
    points = list(own)
    if history is not None:
        for product in history.products():
            points += [(p, history.barriers(*p.id)) for p in history.trend(product) if p.id not in ids]
    return points, ids


def history_context(view: RunView, history: HistoryDB | None) -> dict[str, Any]:
    """Everything history.html needs, as plain data."""
    points, ids = history_points(view, history)
    return {
        "run": view.record,
        "personas": view.record.personas,
        "journey_titles": view.record.journeys,
        "impacts": list(IMPACT_COLUMNS),
        "shared_elements": shared_elements,
        "products": product_views(points, ids),
        "from_database": history is not None,
    }


def history_page(view: RunView, history: HistoryDB | None) -> str:
    """history.html: the trend from the history database given, or from this run alone without one."""
    return render_page(HISTORY_TEMPLATE, HISTORY_FILE, **history_context(view, history))


def render_history(view: RunView) -> dict[str, str]:
    """{'history.html': html}, drawn from the view's history database when it has one."""
    if view.history is None or not view.history.exists():
        return {HISTORY_FILE: history_page(view, None)}
    with HistoryDB(view.history) as db:
        return {HISTORY_FILE: history_page(view, db)}
