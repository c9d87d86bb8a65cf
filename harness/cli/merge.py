"""Join the run folders of a sharded run into one run: `python -m harness.cli.merge OUT_DIR RUN_DIR [RUN_DIR ...]`.

Each machine ran `--a11y-shard I/N` and made its own run folder. Results are per test, so the records of
all shards, put in one results file, are the whole run; every report is then rebuilt from it as
`python -m harness.cli.report` would, without a browser.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.cli.report import announce
from harness.model.errors import HarnessError
from harness.model.records import FORMAT, ResultsFormatError, RunRecord, StepRecord, TargetRecord, WalkRecord
from harness.model.results import RESULTS_FILE, SCREENSHOTS_DIR, ResultsStore, new_run_id, read_records
from harness.model.run_folders import CLAIMS_DIR
from harness.model.targets import SCAN_SUPPLIER
from harness.reports.history import DB_FILE, HistoryDB, HistoryError
from harness.reports.run_view import RunView
from harness.reports.writers import write_reports

TARGET_FIELDS = ("base_url", "version", "name", "supplier")
"""What must agree between shards that walked the same target id: else they tested different products."""


class MergeError(HarnessError):
    """The run folders cannot be joined; the message says which folder and what to do."""


@dataclass
class ShardRun:
    """One shard's run folder: its description (all 'run' lines joined) and its other records, as read."""

    run_dir: Path
    run: RunRecord
    records: list[StepRecord | WalkRecord]
    skipped_lines: int = 0


@dataclass
class MergeResult:
    run_dir: Path
    walks: int
    """Walks that ended in the shards (their walk records), counted for the command's last line."""
    warnings: list[str] = field(default_factory=list)


def read_shard(run_dir: Path) -> ShardRun:
    path = run_dir / RESULTS_FILE
    if not run_dir.is_dir():
        raise MergeError(f"{run_dir}: no such folder. Give the run folders the shards made (each holds "
                         f"{RESULTS_FILE}), e.g. reports/out/2026-11-26T06-01-02Z-1234.")
    if not path.is_file():
        raise MergeError(f"{run_dir}: no {RESULTS_FILE} here, so it is not a run folder. Give the folder "
                         f"inside the report folder that holds {RESULTS_FILE}.")
    try:
        records, problems = read_records(path)
    except ResultsFormatError as exc:
        raise MergeError(str(exc)) from None
    run: RunRecord | None = None
    others: list[StepRecord | WalkRecord] = []
    for record in records:
        if isinstance(record, RunRecord):
            run = record if run is None else run.joined(record)
        else:
            others.append(record)
    # Torn lines are left out, as read_run leaves them out.
    return ShardRun(run_dir=run_dir, run=run or RunRecord(format=0), records=others, skipped_lines=len(problems))


def merged_run_record(shards: Sequence[ShardRun], run_id: str) -> tuple[RunRecord, list[str]]:
    """One run record for all shards: targets and personas joined, started at the earliest shard."""
    warnings: list[str] = []
    for key, what in (("axe_version", "axe-core versions"), ("harness_version", "harness versions")):
        versions = {str(getattr(s.run, key)): s.run_dir for s in shards}
        if len(versions) > 1:
            named = ", ".join(f"{version} ({folder})" for version, folder in versions.items())
            warnings.append(f"the shards ran different {what}: {named}. Their findings may not agree; "
                            "run every shard with the same harness version.")
    _check_targets_agree(shards)
    run = shards[0].run
    for shard in shards[1:]:
        run = run.joined(shard.run)
    # Each shard planned its own share: the merged run planned them all, so a shard killed part-way shows.
    planned = [test_id for s in shards if s.run.planned is not None for test_id in s.run.planned]
    starts = [s.run.started for s in shards if s.run.started]
    run = replace(run, format=FORMAT, run_id=run_id, merged_from=tuple(s.run_dir.resolve().name for s in shards),
                  planned=tuple(dict.fromkeys(planned)) if planned else run.planned,
                  started=min(starts) if starts else run.started)
    return run, warnings


def _check_targets_agree(shards: Sequence[ShardRun]) -> None:
    """Refuse shards whose targets share an id but not an address or version: they walked different things."""
    seen: dict[str, tuple[TargetRecord, Path]] = {}
    for shard in shards:
        for target_id, target in shard.run.targets.items():
            if target_id not in seen:
                seen[target_id] = (target, shard.run_dir)
                continue
            first, first_dir = seen[target_id]
            # A site scan's stand-in target is versioned by the day it ran: shards either side of midnight
            # scanned the same site, so only its address must agree.
            fields = ("base_url",) if target.supplier == SCAN_SUPPLIER else TARGET_FIELDS
            for key in fields:
                if getattr(first, key) != getattr(target, key):
                    raise MergeError(
                        f"target '{target_id}' has {key} {getattr(first, key)!r} in {first_dir} but "
                        f"{getattr(target, key)!r} in {shard.run_dir}: these are not shards of one run. Merge only "
                        "the folders of one sharded run, made from the same target files.")


def _check_given_once(run_dirs: Sequence[Path]) -> None:
    """The same folder twice would double every step of its walks."""
    given: dict[Path, Path] = {}
    for run_dir in run_dirs:
        resolved = run_dir.resolve()
        if resolved in given:
            same = "" if given[resolved] == run_dir else f" (also given as {given[resolved]})"
            raise MergeError(f"{run_dir}: given twice{same}. Give each shard's run folder once.")
        given[resolved] = run_dir


def merge_runs(out_dir: Path, run_dirs: Sequence[Path]) -> MergeResult:
    """Write OUT_DIR/results.ndjson with every shard's records and copy their screenshots and claims."""
    if not run_dirs:
        raise MergeError("give at least one run folder to merge after OUT_DIR.")
    if (out_dir / RESULTS_FILE).exists():
        raise MergeError(f"{out_dir}: already holds a run ({RESULTS_FILE}). Give a new folder for the merged "
                         "run, e.g. reports/out/merged.")
    if out_dir.resolve() in {d.resolve() for d in run_dirs}:
        raise MergeError(f"{out_dir}: is one of the run folders to merge. Give a new folder for the merged run.")
    _check_given_once(run_dirs)
    shards = [read_shard(d) for d in run_dirs]
    owner: dict[str, Path] = {}
    for shard in shards:
        for test_id in dict.fromkeys(r.test_id for r in shard.records):
            if test_id in owner and owner[test_id] != shard.run_dir:
                raise MergeError(f"{test_id} was walked in both {owner[test_id]} and {shard.run_dir}. Merge "
                                 "the folders of one sharded run (each test in one shard), or leave one out.")
            owner[test_id] = shard.run_dir
    run, warnings = merged_run_record(shards, run_id=out_dir.name or new_run_id())
    warnings += [f"{s.run_dir}: {s.skipped_lines} unreadable line(s) left out (a record cut short)"
                 for s in shards if s.skipped_lines]
    store = ResultsStore(out_dir)
    store.start(run)
    for shard in shards:
        _copy_files(shard.run_dir / SCREENSHOTS_DIR, out_dir / SCREENSHOTS_DIR, warnings)
        _copy_files(shard.run_dir / CLAIMS_DIR, out_dir / CLAIMS_DIR, warnings)
        for record in shard.records:
            store.append(record)
    walks = sum(1 for s in shards for r in s.records if isinstance(r, WalkRecord))
    return MergeResult(run_dir=out_dir, walks=walks, warnings=warnings)


def _copy_files(source: Path, destination: Path, warnings: list[str]) -> None:
    """Screenshots are named by test and state, so shards never share a name; a claim is the same file."""
    if not source.is_dir():
        return
    destination.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        target = destination / path.name
        if target.exists():
            if target.read_bytes() != path.read_bytes():
                warnings.append(f"{path}: a different file of this name came from an earlier shard; kept that one")
            continue
        shutil.copy2(path, target)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness.cli.merge",
        description="Join the run folders of a sharded run (--a11y-shard I/N on several machines) into one run "
                    "folder and build every report from it.")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="the new run folder to make")
    parser.add_argument("run_dirs", type=Path, nargs="+", metavar="RUN_DIR", help="a shard's run folder")
    parser.add_argument("--history", type=Path, default=None, metavar="DB",
                        help="add the merged run to this history database and use it for the trend view "
                             f"(default: only read {DB_FILE} beside OUT_DIR, if there is one)")
    args = parser.parse_args(argv)
    try:
        merged = merge_runs(args.out_dir, args.run_dirs)
    except MergeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in merged.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    view = RunView.read(args.out_dir, args.history or args.out_dir.resolve().parent / DB_FILE)
    if args.history is not None and not _record_history(args.history, view):
        view.history = None  # the trend is then drawn from this run alone, not from a database we could not use
    written = write_reports(view)
    print(f"merged {len(args.run_dirs)} run folder(s), {merged.walks} walk(s), into {args.out_dir}")
    return announce(written)


def _record_history(path: Path, view: RunView) -> bool:
    """Add the merged run to the history database; a database that cannot be used costs no report."""
    try:
        with HistoryDB(path) as db:
            db.record_run(view)
    except HistoryError as exc:
        print(f"warning: the history was not updated: {exc}\nThe merged run's reports are written all the "
              "same; its History page shows this run without the earlier ones.", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
