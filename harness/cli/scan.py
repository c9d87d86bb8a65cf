"""`python -m harness.cli.scan`: scan a site's pages with axe and the page-level checks, without writing tests.

It runs the bundled scan scenario (scenarios/test_site_scan.py) through pytest, so the results, reports
and options are the same as for `pytest scenarios/`.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from types import FrameType

from harness.model.options import SCAN_CONTEXT_CHOICES
from harness.model.targets import DEMO_PLACEHOLDER

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "scenarios" / "test_site_scan.py"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m harness.cli.scan",
        description="Scan every page of a site with axe-core and the harness's page checks (keyboard focus, "
                    "reflow at 320 px, clickable elements, offline alternative, plain language), then write "
                    "the HTML report.",
        epilog="Example: python -m harness.cli.scan --crawl https://www.example.gov.uk/bins --max-pages 100")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--crawl", metavar="URL", help="follow links from this page (same site only)")
    source.add_argument("--sitemap", metavar="URL_OR_FILE", help="scan the pages listed in a sitemap.xml")
    source.add_argument("--urls", metavar="FILE", help="scan the pages listed in a file, one URL per line")
    parser.add_argument("--max-pages", type=int, default=None,
                        help="scan at most this many pages (default: a crawl or sitemap stops at 50; a --urls "
                             "list is scanned whole)")
    parser.add_argument("--depth", type=int, default=3, help="follow links this many steps deep (default 3)")
    parser.add_argument("--include", action="append", default=[], metavar="REGEX",
                        help="only scan addresses matching this pattern; repeat for several")
    parser.add_argument("--exclude", action="append", default=[], metavar="REGEX",
                        help="never scan addresses matching this pattern; repeat for several")
    parser.add_argument("--persona", action="append", default=[], metavar="ID",
                        help="persona to scan as (default: the default persona)")
    parser.add_argument("--checks", default="all", metavar="all|none|IDS",
                        help="page checks to run with axe: all of them (default), none (axe alone, fastest), "
                             "or check ids separated by commas")
    parser.add_argument("--context", default="shared", choices=SCAN_CONTEXT_CHOICES,
                        help="shared (default): one browser context per persona, wiped between pages; fresh: "
                             "a new context for every page, slower")
    parser.add_argument("--report-dir", default=None, metavar="DIR", help="where results and reports go "
                        "(default: reports/out)")
    parser.add_argument("--fail-on", default="none", choices=("critical", "serious", "moderate", "minor", "none"),
                        help="exit with status 1 when a finding reaches this impact (default: none)")
    return parser


def pytest_arguments(args: argparse.Namespace) -> list[str]:
    """The pytest command line that does what the scan options ask."""
    command = [str(SCENARIO), "-v", "-p", "no:cacheprovider", "--a11y-fail-on", args.fail_on,
               "--a11y-crawl-depth", str(args.depth), "--a11y-scan-checks", args.checks,
               "--a11y-scan-context", args.context]
    if args.max_pages is not None:
        command += ["--a11y-crawl-max-pages", str(args.max_pages)]
    if args.crawl:
        command += ["--a11y-crawl", args.crawl]
    if args.sitemap:
        # pytest runs in the project folder, so a path given from here must be made absolute first.
        is_local = "://" not in args.sitemap and not args.sitemap.startswith(DEMO_PLACEHOLDER)
        command += ["--a11y-sitemap", str(Path(args.sitemap).resolve()) if is_local else args.sitemap]
    if args.urls:
        command += ["--a11y-scan-urls", str(Path(args.urls).resolve())]
    for pattern in args.include:
        command += ["--a11y-crawl-include", pattern]
    for pattern in args.exclude:
        command += ["--a11y-crawl-exclude", pattern]
    for persona in args.persona:
        command += ["--a11y-persona", persona]
    if args.report_dir:
        command += ["--a11y-report-dir", str(Path(args.report_dir).resolve())]
    return command


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # A separate process, run from the project folder so its conftest loads the harness plugin.
    return run_forwarding_signals([sys.executable, "-m", "pytest", *pytest_arguments(args)], cwd=REPO)


FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def run_forwarding_signals(command: list[str], cwd: Path) -> int:
    """Run the command and wait for it; SIGTERM, SIGINT and SIGHUP sent to us are passed on to it.

    Without this, stopping `python -m harness.cli.scan` (a CI job cancelled, a service manager's SIGTERM) left
    pytest and its browser running on. The child has its own process group, so a Ctrl+C in a terminal
    reaches it once, through us, and pytest gets the single interrupt it handles gracefully.
    Returns the child's exit status; a child ended by a signal gives 128 + the signal's number, as shells do.
    """
    pending: list[int] = []
    children: list[subprocess.Popen[bytes]] = []

    def forward(number: int, _frame: FrameType | None) -> None:
        if not children:
            pending.append(number)  # arrived before the child started: passed on as soon as it has
            return
        with suppress(ProcessLookupError):
            children[0].send_signal(number)

    previous = {number: signal.signal(number, forward) for number in FORWARDED}
    try:
        children.append(subprocess.Popen(command, cwd=cwd, process_group=0))
        for number in pending:
            children[0].send_signal(number)
        status = children[0].wait()  # retried by Python after each forwarded signal (PEP 475)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    raise SystemExit(main())
