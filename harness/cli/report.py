"""`python -m harness.cli.report RUN_DIR`: rebuild every report of a stored run, without a browser.

QA, persona, comparison, history and statement pages, and the machine outputs, are all made from
results.ndjson (and the history database), so a crashed run or an old run can be re-rendered.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from harness.model.records import ResultsFormatError
from harness.reports.history import DB_FILE
from harness.reports.run_view import RunView
from harness.reports.writers import WrittenReports, write_reports

SHOWN_UNREADABLE = 20
"""Unreadable lines named on the terminal; the summary page and the QA report list every one."""


def announce(written: WrittenReports) -> int:
    """Tell a command-line user what could not be made and where to start; the command's exit status."""
    for problem in written.problems:
        print(f"could not write {problem}", file=sys.stderr)
    if written.unreadable:
        print(f"warning: {len(written.unreadable)} line(s) of results.ndjson could not be read and are left out of "
              "every report (the summary and the QA report say so too):", file=sys.stderr)
        for reason in written.unreadable[:SHOWN_UNREADABLE]:
            print(f"  {reason}", file=sys.stderr)
        if len(written.unreadable) > SHOWN_UNREADABLE:
            print(f"  ... and {len(written.unreadable) - SHOWN_UNREADABLE} more", file=sys.stderr)
    print(f"Start here: {written.index}")
    return 1 if written.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness.cli.report",
        description="Rebuild every report of a stored run (QA, personas, comparison, history, statement drafts, "
                    "JSON, CSV, OpenACR, EARL) without a browser.")
    parser.add_argument("run_dir", type=Path, help="the run folder that holds results.ndjson")
    parser.add_argument("--history", type=Path, default=None, metavar="DB",
                        help=f"history database for the trend view (default: {DB_FILE} beside the run "
                             "folder, if there is one)")
    args = parser.parse_args(argv)
    history = args.history or args.run_dir.resolve().parent / DB_FILE
    if args.history and not args.history.is_file():
        print(f"error: {args.history}: no history database there. Leave out --history to build the trend "
              "from this run alone.", file=sys.stderr)
        return 2
    try:
        view = RunView.read(args.run_dir, history)
    except (FileNotFoundError, ResultsFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    written = write_reports(view)
    for path in written.files:
        print(f"written: {path}")
    return announce(written)


if __name__ == "__main__":
    raise SystemExit(main())
