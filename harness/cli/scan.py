"""`python -m harness.cli.scan`: scan a site's pages with axe and the page-level checks, without writing tests.

It runs the scan scenario shipped in the package (harness/cli/scan_scenario.py) through pytest with the
harness plugin, so the results, reports and options are the same as for `pytest scenarios/`; the folder it
is started in gives the personas (./personas, or the bundled ones) and the report folder (./reports/out).
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

from harness.cli import scan_scenario
from harness.model.options import SHARED_OPTIONS
from harness.model.personas import PERSONAS_DIR
from harness.model.run_folders import DEFAULT_REPORT_DIR

SCENARIO = Path(scan_scenario.__file__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m harness.cli.scan",
        description="Scan every page of a site with axe-core and the harness's page checks (keyboard focus, "
                    "reflow at 320 px, clickable elements, offline alternative, plain language), then write "
                    "the HTML report.",
        epilog="Example: python -m harness.cli.scan --crawl https://www.example.gov.uk/bins --max-pages 100")
    source = parser.add_mutually_exclusive_group(required=True)
    for spec in SHARED_OPTIONS:
        (source if spec.source else parser).add_argument(spec.command_flag, **spec.parser_kwargs(command=True))
    return parser


def pytest_arguments(args: argparse.Namespace) -> list[str]:
    """The pytest command line that does what the scan options ask, each option under the plugin's name.

    -p loads the plugin even where it is not installed (a checkout on PYTHONPATH); where its entry point has
    loaded it already, under the same name, it does nothing. The scenario's own folder is the rootdir, so test
    ids read the same installed or not; the folder the command was started in gives the personas (its
    personas/, else the bundled ones) and the report folder (its reports/out, unless --report-dir says).
    """
    here = Path.cwd()
    command = [str(SCENARIO), "-p", "harness.plugin", "--rootdir", str(SCENARIO.parent), "-v",
               "-p", "no:cacheprovider"]
    if (here / PERSONAS_DIR).is_dir():
        command += ["--a11y-personas-dir", str(here / PERSONAS_DIR)]
    if args.report_dir is None:
        command += ["--a11y-report-dir", str(here / DEFAULT_REPORT_DIR)]
    for spec in SHARED_OPTIONS:
        value = getattr(args, spec.command_dest)
        for given in (value if spec.repeat else [] if value is None else [value]):
            command += [spec.flag, spec.as_argument(str(given))]
    return command


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_forwarding_signals([sys.executable, "-m", "pytest", *pytest_arguments(args)], cwd=Path.cwd())


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
