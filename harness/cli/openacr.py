"""`python -m harness.cli.openacr`: a run's conformance table as OpenACR YAML, and a supplier's claims checked.

    python -m harness.cli.openacr export RUN_DIR --target ID [-o FILE]
    python -m harness.cli.openacr check CLAIM.yaml RUN_DIR --target ID     (exit 1 when a claim conflicts)

The export and the check are in harness/reports/openacr.py; this module reads the arguments and the run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from harness.model.errors import HarnessError
from harness.reports.conformance import ConformanceTable, conformance_table
from harness.reports.openacr import cross_check, dump_openacr, load_claims, openacr_document
from harness.reports.run_view import RunView

DESCRIPTION = ("OpenACR (GSA's machine-readable ACR, YAML): export our conformance table, and check a supplier's "
               "claims.")


def _table(run_dir: Path, target: str) -> tuple[RunView, ConformanceTable]:
    view = RunView.read(run_dir)
    try:
        return view, conformance_table(view, target)
    except KeyError as exc:
        raise HarnessError(f"{run_dir}: {exc.args[0]}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.cli.openacr", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write the run's conformance table for a target as OpenACR YAML")
    export.add_argument("run_dir", type=Path)
    export.add_argument("--target", required=True)
    export.add_argument("-o", "--output", type=Path, help="file to write (default: print to the terminal)")
    check = commands.add_parser("check", help="list a supplier's claims that this run's violations contradict")
    check.add_argument("claim", type=Path)
    check.add_argument("run_dir", type=Path)
    check.add_argument("--target", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            view, table = _table(args.run_dir, args.target)
            text = dump_openacr(openacr_document(table, view))
            if args.output:
                args.output.write_text(text, encoding="utf-8")
                print(f"Wrote {args.output}")
            else:
                print(text, end="")
            return 0
        claims = load_claims(args.claim)
        view, table = _table(args.run_dir, args.target)
    except (HarnessError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    conflicts = cross_check(claims, table)
    if not conflicts:
        print(f"No conflicts: none of the {len(claims)} claims in {args.claim} is contradicted by a violation "
              f"recorded for {args.target}.")
        return 0
    print(f"{len(conflicts)} claim(s) in {args.claim} conflict with violations recorded for {args.target}:")
    for conflict in conflicts:
        print(f"\n{conflict.title}: supplier claims '{conflict.claimed}', this run found {conflict.ours} "
              f"({len(conflict.barriers)} barrier(s))")
        for barrier in conflict.barriers[:5]:
            print(f"  - {barrier.journey} / {barrier.page}: {barrier.message}")
        if len(conflict.barriers) > 5:
            print(f"  ... and {len(conflict.barriers) - 5} more")
    return 1


if __name__ == "__main__":
    sys.exit(main())
