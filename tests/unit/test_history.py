"""Tests for harness/reports/history.py: the SQLite history of runs, its trend order, and history.html."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.model.findings import Impact
from harness.reports.history import (
    BarrierRecord,
    HistoryDB,
    HistoryError,
    TrendPoint,
    history_page,
    product_views,
    trend_order,
    version_key,
)
from harness.reports.run_view import RunView

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "results" / "history"
RELEASES, LATER, HOSTILE = DATA / "releases", DATA / "later", DATA / "hostile"
RELEASES_ID, LATER_ID = "2026-11-01T09-00-00Z-1", "2026-11-20T09-00-00Z-2"


def test_a_recorded_run_reads_back_point_by_point(tmp_path: Path) -> None:
    run = RunView.read(RELEASES)
    with HistoryDB(tmp_path / "history.sqlite") as db:
        db.record_run(run)
        assert db.products() == ["quickpay"]
        v1, v2 = db.trend("quickpay")
        assert (v1.target, v1.version, v1.run_id, v1.started) == (
            "pay-v1", "1.9", RELEASES_ID, "2026-11-01T09:00:00+00:00")
        assert (v1.walks_total, v1.walks_completed, v1.walks_blocked) == (2, 1, 1)
        assert v1.barriers_by_impact == {"critical": 0, "serious": 2, "moderate": 0, "minor": 1}
        assert v1.needs_review == 1
        assert [(w.persona, w.journey, w.blocker) for w in v1.blocked_walks] == [
            ("screen-reader", "pay-an-amount", "The total is not shown before the card details are asked for.")]
        assert (v2.walks_completed, v2.walks_blocked, v2.barriers_total, v2.needs_review) == (2, 0, 2, 0)
        assert (v1.supplier, v1.name) == ("QuickPay Ltd", "QuickPay release 1.9")
        # Barriers come back whole and in the run's order (the blocker first).
        assert db.barriers(RELEASES_ID, "pay-v1") == [BarrierRecord.of(b) for b in run.barriers("pay-v1")]
        first = db.barriers(RELEASES_ID, "pay-v1")[0]
        assert (first.rule_id, first.blocked, first.criteria) == ("amount-before-payment", ("screen-reader",),
                                                                  ("3.3.4",))
        assert db.point(RELEASES_ID, "nope") is None


def test_recording_the_same_run_twice_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    run = RunView.read(RELEASES)
    with HistoryDB(path) as db:
        db.record_run(run)
        db.record_run(run)
        assert [p.id for p in db.trend("quickpay")] == [(RELEASES_ID, "pay-v1"), (RELEASES_ID, "pay-v2")]
        assert len(db.barriers(RELEASES_ID, "pay-v1")) == 3
        assert len(db.blocked_walks(RELEASES_ID, "pay-v1")) == 1
        # A re-read of the run that lost the blocked walk (say, re-rendered after a fix) replaces the old rows.
        run = RunView(replace(run.run, walks=[w for w in run.walks
                                              if not (w.target == "pay-v1" and w.persona == "screen-reader")]))
        db.record_run(run)
        point = db.point(RELEASES_ID, "pay-v1")
        assert point is not None and (point.walks_total, point.walks_blocked) == (1, 0)
        assert len(db.barriers(RELEASES_ID, "pay-v1")) == 2
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT COUNT(*) FROM points").fetchone()[0] == 2
        assert raw.execute("SELECT COUNT(*) FROM blocked_walks").fetchone()[0] == 0
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from harness.reports.history import HistoryDB
    from harness.reports.run_view import RunView
    db_path, run_dir, go = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    run = RunView.read(run_dir)
    while not go.exists():
        time.sleep(0.005)
    for _ in range(15):
        with HistoryDB(db_path) as db:  # open (and create the schema) inside the race too
            db.record_run(run)
    print("ok")
""")


def test_two_processes_record_into_one_new_database_at_once(tmp_path: Path) -> None:
    path, go = tmp_path / "shared" / "history.sqlite", tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(run_dir), str(go)], cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for run_dir in (RELEASES, LATER)]
    go.touch()
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "ok"
    with HistoryDB(path) as db:
        assert {p.id for p in db.trend("quickpay")} == {
            (RELEASES_ID, "pay-v1"), (RELEASES_ID, "pay-v2"), (LATER_ID, "pay-v1"), (LATER_ID, "pay-v2")}
        assert len(db.barriers(LATER_ID, "pay-v2")) == 1


def test_versions_sort_naturally() -> None:
    versions = ["2.0", "1.10", "1.9", "10.0", "1.9.1", "v2.1", "2.0-beta"]
    assert sorted(versions, key=version_key) == ["1.9", "1.9.1", "1.10", "2.0", "2.0-beta", "v2.1", "10.0"]


def test_trend_is_by_version_then_time(tmp_path: Path) -> None:
    with HistoryDB(tmp_path / "history.sqlite") as db:
        db.record_run(RunView.read(LATER))  # recorded first, but its 2.0 run is the later one
        db.record_run(RunView.read(RELEASES))
        trend = db.trend("quickpay")
    assert [(p.version, p.run_id) for p in trend] == [
        ("1.9", RELEASES_ID), ("1.10", LATER_ID), ("2.0", RELEASES_ID), ("2.0", LATER_ID)]
    point = trend[0]
    later, earlier = replace(point, started="2026-12-01"), replace(point, started="2026-01-01")
    assert min([later, earlier], key=trend_order) is earlier


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(HistoryError) as caught:
        HistoryDB(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: this is a folder, not a history database file.")


def test_a_file_that_is_not_sqlite_is_named(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(HistoryError) as caught:
        HistoryDB(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: cannot use this file as the history database (")
    assert "move this file aside if it is not a harness history database" in message
    assert path.read_text().startswith("these are my notes")


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    HistoryDB(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError, match="history schema version 99, but this harness reads version 1"):
        HistoryDB(path)


def test_the_default_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "out" / "history.sqlite"
    HistoryDB(path).close()
    assert path.is_file()


# history.html


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.headings: list[int] = []
        self.th_scopes: list[str | None] = []
        self.captions = 0
        self.tables = 0
        self._skip = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip = tag == "style"
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        self.th_scopes += [dict(attrs).get("scope")] if tag == "th" else []
        self.captions += tag == "caption"
        self.tables += tag == "table"

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def test_history_page_from_the_run_alone() -> None:
    html = history_page(RunView.read(RELEASES), None)
    page = Page(html)
    assert ("Release 2.0 fixed 2 barriers, kept 1 and added 1 new one; 2 of 2 walks completed (was 1 of 2)."
            in page.text)
    assert "Fixed in release 2.0 (2)" in page.text and "New in release 2.0 (1)" in page.text
    assert "Still there in release 2.0 (1)" in page.text
    assert "The card page ends the session after 15 minutes without warning." in page.text
    assert "Moderate was minor" in page.text  # the remaining barrier's impact change
    assert "Sam, screen reader user on “Pay an amount”: The total is not shown" in page.text
    assert page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), page.headings
    assert page.tables == page.captions and page.tables >= 3
    assert None not in page.th_scopes


def test_history_page_adds_earlier_runs_from_the_database(tmp_path: Path) -> None:
    run = RunView.read(RELEASES)
    with HistoryDB(tmp_path / "history.sqlite") as db:
        db.record_run(RunView.read(LATER))
        db.record_run(run)
        html = history_page(run, db)
    text = Page(html).text
    assert "Earlier runs come from the history database." in text
    assert 'aria-current="page"' in html
    # Four points: 1.9, 1.10, 2.0 twice (so those two carry their dates); the last pair is 2.0 against 2.0.
    assert text.count("(this run)") == 2
    assert "From release 1.9 to release 1.10" in text
    assert ("Release 2.0, 20 November 2026 09:00 UTC fixed 1 barrier, kept 1 and added no new ones; "
            "2 of 2 walks completed (was 2 of 2).") in text


def test_a_run_with_one_release_says_there_is_nothing_to_compare() -> None:
    run = RunView.read(RELEASES)
    run = RunView(replace(run.run, walks=[w for w in run.walks if w.target == "pay-v2"]))
    text = Page(history_page(run, None)).text
    assert ("Release 2.0: 2 of 2 walks completed, 2 barriers. Only one run of this product is recorded, "
            "so there is nothing to compare it with yet.") in text


def test_history_page_escapes_page_text(tmp_path: Path) -> None:
    run = RunView.read(HOSTILE)
    with HistoryDB(tmp_path / "history.sqlite") as db:
        db.record_run(run)
        for html in (history_page(run, None), history_page(run, db)):
            assert "<script" not in html
            text = Page(html).text
            assert "Field <script>alert(1)</script> has no label." in text  # shown, as text
            assert "Stopped by <script>alert(1)</script>" in text
            assert "New <script>alert(1)</script> problem." in text


def test_trend_points_are_plain_data() -> None:
    """TrendPoint is what the lead's pages and the CLI read: its totals add up."""
    point = TrendPoint(run_id="r", target="t", started="", product="p", supplier="", name="", version="1",
                       walks_total=3, walks_completed=2, walks_blocked=1,
                       barriers_by_impact={"critical": 1, "serious": 2, "moderate": 0, "minor": 4})
    assert point.barriers_total == 7 and point.id == ("r", "t")
    assert Impact.SERIOUS.value in point.barriers_by_impact


def test_products_with_releases_to_compare_come_first() -> None:
    def point(product: str, version: str) -> tuple[TrendPoint, list[BarrierRecord]]:
        return (TrendPoint(run_id="r", target=f"{product}-{version}", started="", product=product, supplier="",
                           name="", version=version, walks_total=1, walks_completed=1, walks_blocked=0), [])
    views = product_views([point("a-single", "1"), point("z-pair", "2"), point("z-pair", "1"),
                           point("b-other-run", "1")], in_this_run={("r", "a-single-1"), ("r", "z-pair-1")})
    assert [(v.product, [p.point.version for p in v.points]) for v in views] == [
        ("z-pair", ["1", "2"]), ("a-single", ["1"]), ("b-other-run", ["1"])]


def test_a_locked_database_is_named_as_locked_not_as_a_stranger(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.reports import history as history_module

    path = tmp_path / "history.sqlite"
    HistoryDB(path).close()
    monkeypatch.setattr(history_module, "BUSY_TIMEOUT_S", 0.5)  # the real wait is 30 s; the lock is as real
    opened_before = HistoryDB(path)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # in WAL mode: others may read, nobody else may write
        with pytest.raises(HistoryError) as caught:
            HistoryDB(path)
        with pytest.raises(HistoryError) as caught_writing:
            opened_before.record_run(RunView.read(RELEASES))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        opened_before.close()
    assert str(caught_writing.value) == str(caught.value)
    assert str(caught.value) == (
        f"{path}: the history database is locked by another program (another run or merge recording into it, or "
        "a database browser holding it open); waited 0.5 s. Close that program, or wait for it to finish, and "
        "try again.")
