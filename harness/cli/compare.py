"""`python -m harness.cli.compare OLD_RUN NEW_RUN [--old-target ID --new-target ID]`: what changed between two runs.

Prints the barriers fixed, new and remaining, and writes compare.html, without a browser. Targets with the
same id are paired by default; two releases walked in one run (supplier-c-v1 and supplier-c-v2) are paired
by naming both. `python -m harness.cli.compare --history DB PRODUCT` prints a product's trend from the history.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from harness.model.untrusted import shown
from harness.reports.changes import (
    COMPARE_FILE,
    CompareError,
    compare_runs,
    compare_text,
    journey_titles,
    load_run,
    nav_beside,
    render_compare,
    trend_text,
)
from harness.reports.history import HistoryDB, HistoryError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness.cli.compare",
        description="Compare two stored runs: barriers fixed, new and remaining. Writes compare.html.")
    parser.add_argument("runs", nargs="*", metavar="RUN_DIR",
                        help="OLD_RUN NEW_RUN (run folders holding results.ndjson); with --history, PRODUCT")
    parser.add_argument("--old-target", help="target id in OLD_RUN (default: every target both runs walked)")
    parser.add_argument("--new-target", help="target id in NEW_RUN (default: the same id as --old-target)")
    parser.add_argument("-o", "--output", type=Path, help=f"where to write the page (default: NEW_RUN/{COMPARE_FILE})")
    parser.add_argument("--history", type=Path, metavar="DB",
                        help="print the trend of PRODUCT from this history database instead")
    args = parser.parse_args(argv)
    try:
        if args.history is not None:
            if len(args.runs) != 1:
                parser.error("with --history, give one PRODUCT, for example: --history "
                             "reports/out/history.sqlite quickpay-council-payments")
            if not args.history.is_file():
                raise CompareError(f"{args.history}: no history database here. Record a run first, or pass the "
                                   f"file the runs were recorded in.")
            with HistoryDB(args.history) as db:
                print(shown(trend_text(db, args.runs[0])), end="")
            return 0
        if len(args.runs) != 2:
            parser.error("give two run folders: OLD_RUN NEW_RUN")
        old = load_run("OLD_RUN", Path(args.runs[0]))
        new = load_run("NEW_RUN", Path(args.runs[1]))
        pairs = compare_runs(old, new, args.old_target, args.new_target)
    except (CompareError, HistoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # shown: a page's escape sequences and bidi overrides reach the terminal as codes, not as commands.
    print(shown(compare_text(pairs, journey_titles(old, new))), end="")
    output: Path = args.output or new.run_dir / COMPARE_FILE
    html = render_compare(old, new, pairs, nav_beside(output.parent))[COMPARE_FILE]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    print(f"{COMPARE_FILE} written: {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
