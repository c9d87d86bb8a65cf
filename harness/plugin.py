"""All pytest wiring for the harness: options, markers, parametrisation, fixtures and hooks.

Installed, the harness registers this module through its `pytest11` entry point, named `harness.plugin`; a
conftest's `pytest_plugins = ("harness.plugin",)` then finds it registered under that name and does nothing,
and loads it in a checkout that is not installed.

The fixtures form a graph, as playwright-pytest's do: `journey_args` -> `journey` for a scenario, and
`page_scan_args` -> `page_scan` for scan mode. A team's conftest.py overrides `journey_args` or
`page_scan_args` (a JourneyArgs: target, persona, entry address, browser context options, limits) to change
what every walk gets, and playwright-pytest's own `browser_context_args` and `browser_type_launch_args`
still apply underneath. What is not wiring lives in the layers: options and run folders in harness.model,
the run's opening record in harness.browser.run_record, the reports in harness.reports.
"""

from __future__ import annotations

import base64
import os
import types
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from harness.browser.axe_scan import AXE_VERSION, DEFAULT_TAGS
from harness.browser.behaviours import BEHAVIOURS
from harness.browser.checks import CHECKS, PAGE_CHECKS, SCAN_CHECKS
from harness.browser.run_record import opening_record, scan_record
from harness.browser.session import ENV_VAR, WS_ENV_VAR, BrowserChoice, choose_browser, package_version
from harness.browser.shared_pages import SharedPages
from harness.model.errors import ConfigError, unknown_value_message
from harness.model.findings import AccessibilityFindings, Outcome, at_or_above, count_by_impact, dedupe
from harness.model.journey_args import JourneyArgs
from harness.model.options import (
    SHARED_OPTIONS,
    HarnessOptions,
    keep_in_shard,
    parse_axe_tags,
    parse_fail_on,
    parse_history,
    parse_scan_checks,
    parse_scan_context,
    parse_seconds,
    parse_shard,
)
from harness.model.personas import PERSONAS_DIR, Persona, bundled_personas_dir, load_personas, select_personas
from harness.model.records import RunRecord, TargetRecord, WalkRecord
from harness.model.results import ResultsStore, new_run_id
from harness.model.run_folders import (
    DEFAULT_REPORT_DIR,
    check_report_dir,
    keep_claims,
    point_latest,
    run_folder,
)
from harness.model.scan_sources import (
    CrawledPage,
    CrawlResult,
    ScanSource,
    left_out,
    left_out_from,
    left_out_lines,
    page_id,
    page_limit,
    parse_scan_options,
    resolve_pages,
)
from harness.model.targets import (
    DEMO_PLACEHOLDER,
    SCAN_JOURNEY,
    Target,
    known_journeys,
    origin_of,
    scan_target,
    select_targets,
)
from harness.reports.qa import never_walked
from harness.reports.render import environment
from harness.reports.run_view import RunView
from harness.reports.writers import write_reports

if TYPE_CHECKING:
    from harness.browser.journey import Journey

STATE = pytest.StashKey["HarnessState"]()
REPORTS_PLUGIN = "a11y-run-reports"
PLAYWRIGHT_OVERRIDES = "a11y-playwright-overrides"
BASE_URL_WARNING = "ignore:Session-scoped fixtures defined as instance methods:DeprecationWarning"
JOURNEY = pytest.StashKey["Journey"]()
CALL_FAILURE = pytest.StashKey[BaseException]()
CALL_ENDED = pytest.StashKey[bool]()


@dataclass
class HarnessState:
    """Per-process state, kept in the config stash as pytest-html does; every xdist worker has its own."""

    options: HarnessOptions
    personas: list[Persona] | None = None
    all_personas: dict[str, Persona] = field(default_factory=dict)
    targets: list[Target] | None = None
    browser: BrowserChoice | None = None
    browser_error: str = ""
    store: ResultsStore | None = None
    run_id: str = ""
    scan_source: ScanSource | None = None
    scan_pages: CrawlResult | None = None
    demo_server: Any = None
    shared_demo_url: str = ""
    """An xdist worker uses the controller's demo council, so page addresses (and a scan target's id, named
    by host and port) are the same in every worker."""
    scan_targets_recorded: set[str] = field(default_factory=set)
    planned: list[str] = field(default_factory=list)
    """The test ids of the journeys and scan pages this process collected to run, for the run record: a
    run killed part-way can then say which were never walked."""

    def demo_url(self) -> str:
        """The bundled demo council, started on first use and stopped when the run ends."""
        if self.shared_demo_url:
            return self.shared_demo_url
        if self.demo_server is None:
            from harness.demo.server import start_demo_server

            self.demo_server = start_demo_server()
        return str(self.demo_server.url)

    def ensure_browser(self) -> BrowserChoice:
        if self.browser is None and not self.browser_error:
            try:
                self.browser = choose_browser(self.options.chromium, self.options.browser_ws)
            except ConfigError as exc:
                self.browser_error = str(exc)
        if self.browser is None:
            raise pytest.UsageError(self.browser_error)
        return self.browser


class RunReports:
    """The run's reports, as pytest-html's report object: registered on the controller only, never on an xdist
    worker. At session end it records the run in the history, writes every report from the stored results,
    moves `latest` and prints the summary."""

    def __init__(self, state: HarnessState) -> None:
        self.state = state
        self.run_dir: Path | None = None
        self.index: Path | None = None
        self.view: RunView | None = None
        """The run as the reports read it at session end, once, for the terminal summary too."""
        self.problems: list[str] = []

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        state = self.state
        store = state.store
        if store is None and state.run_id:
            # xdist: the workers wrote the results; the controller only chose the folder.
            store = ResultsStore(run_folder(state.options.report_dir, state.run_id))
        if store is None or not store.path.is_file():
            return
        self.run_dir = store.run_dir
        self.index = self.write(store.run_dir)
        point_latest(state.options.report_dir, state.run_id)

    def write(self, run_dir: Path) -> Path | None:
        """Read the run once; add it to the history, then write every report; a failure in either is named,
        never fatal."""
        view = self.view = RunView.read(run_dir, self.state.options.history)
        if view.history is not None:
            from harness.reports.history import HistoryDB  # history is SQLite: imported only when a run ends

            try:
                with HistoryDB(view.history) as db:
                    db.record_run(view)
            except Exception as exc:  # noqa: BLE001 - the run's own reports matter more than its history
                self.problems.append(f"history database {view.history} (not updated): {exc}")
                view.history = None  # the history page then shows this run alone, rather than waiting on it again
        written = write_reports(view)
        self.problems.extend(written.problems)
        return written.index

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        view = self.view
        if view is None or self.index is None:
            return
        counts = count_by_impact(f for f in view.findings if f.outcome is not Outcome.NEEDS_REVIEW)
        review = sum(1 for f in view.findings if f.outcome is Outcome.NEEDS_REVIEW)
        completed = sum(1 for w in view.walks if w.ending == "completed")
        terminalreporter.section("accessibility")
        terminalreporter.write_line(f"journeys completed: {completed} of {len(view.walks)}")
        missed = never_walked(view)
        if missed:
            terminalreporter.write_line(f"never walked: {len(missed)} planned journey(s) did not start (listed "
                                        "in the report)", yellow=True)
        terminalreporter.write_line("findings: " + ", ".join(f"{n} {impact}" for impact, n in counts.items())
                                    + f"; {review} need review")
        terminalreporter.write_line(f"reports: {self.index}")
        for problem in self.problems:
            terminalreporter.write_line(f"could not write {problem.splitlines()[0]}", red=True)


# -- options and configuration -----------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("a11y", "Accessibility harness")
    scan = parser.getgroup("a11y-scan", "Accessibility harness: scan mode (python -m harness.cli.scan, or "
                                        "harness.cli.scan_scenario in a scenarios folder)")
    group.addoption("--a11y-target", action="append", default=[], metavar="ID_OR_FILE",
                    help="target to test: an id from the targets folder or a path to a target TOML file; "
                         "repeat for several (default: every target in the folder, the bundled demo)")
    for spec in SHARED_OPTIONS:  # also the scan command's options: declared once, in harness.model.options
        (group if spec.group == "a11y" else scan).addoption(spec.flag, **spec.parser_kwargs())
    group.addoption("--a11y-history", default=None, metavar="DB",
                    help="SQLite database that keeps every run, for the trend view and run-to-run diffs "
                         "(default: history.sqlite in the report folder; 'none' to keep no history)")
    group.addoption("--a11y-axe-tags", default=",".join(DEFAULT_TAGS), metavar="TAGS",
                    help="comma-separated axe-core tags to run (default: WCAG 2.0, 2.1, 2.2 A and AA)")
    group.addoption("--a11y-chromium", default=None, metavar="PATH",
                    help=f"Chromium binary to use, or 'playwright' or 'system' (also ${ENV_VAR}); "
                         "default: Playwright's own Chromium if installed, else the system one (its "
                         "chromium-headless-shell for headless runs, where installed)")
    group.addoption("--a11y-browser-ws", default=None, metavar="URL",
                    help=f"connect to a Playwright browser server (python -m playwright run-server) at this "
                         f"ws:// address instead of launching Chromium here (also ${WS_ENV_VAR})")
    group.addoption("--a11y-shard", default=None, metavar="I/N",
                    help="run only the I-th of N equal shares of the tests (e.g. 2/4), so N machines split "
                         "one run; join their run folders with python -m harness.cli.merge")
    group.addoption("--a11y-personas-dir", default=None, metavar="DIR",
                    help="folder of persona TOML files (default: personas/ in the rootdir, else the "
                         "personas bundled with the harness)")
    group.addoption("--a11y-targets-dir", default=None, metavar="DIR",
                    help="folder of target TOML files (default: scenarios/targets/ in the rootdir)")
    group.addoption("--a11y-page-timeout", default=30.0, type=float, metavar="SECONDS",
                    help="how long a page may take to load before the journey goes on with what has "
                         "arrived (default: 30)")
    group.addoption("--a11y-step-timeout", default=120.0, type=float, metavar="SECONDS",
                    help="how long one step may take in all before it is stopped as stuck (default: 120)")
    parser.addini("a11y_personas_dir", f"folder of persona TOML files (default: {PERSONAS_DIR}, else the "
                                       "personas bundled with the harness)", default=None)
    parser.addini("a11y_targets_dir", "folder of target TOML files", default="scenarios/targets")
    parser.addini("a11y_report_dir", "folder for run results and HTML reports", default=DEFAULT_REPORT_DIR)
    parser.addini("a11y_history", "SQLite history database ('none' for no history)", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "journey(id): the council journey this scenario walks, "
                                       "e.g. @pytest.mark.journey(\"garden-waste\")")
    config.addinivalue_line("markers", "persona(*ids): walk this scenario only as these personas")
    # pytest-base-url, which pytest-playwright brings, defines a session fixture as a method: not ours to
    # fix, and a warning on every run of a team's scenarios otherwise.
    config.addinivalue_line("filterwarnings", BASE_URL_WARNING)
    try:
        options = _read_options(config)
        check_report_dir(options.report_dir)
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None
    state = HarnessState(options=options)
    config.stash[STATE] = state
    config.pluginmanager.register(playwright_overrides(), PLAYWRIGHT_OVERRIDES)
    if not _is_worker(config):
        config.pluginmanager.register(RunReports(state), REPORTS_PLUGIN)
    _take_worker_input(config, state)
    _load_data(config, state)
    try:
        state.scan_source = parse_scan_options(
            urls_file=config.getoption("--a11y-scan-urls"),
            sitemap=_with_demo(state, config.getoption("--a11y-sitemap")),
            crawl_url=_with_demo(state, config.getoption("--a11y-crawl")),
            max_pages=config.getoption("--a11y-crawl-max-pages"),
            max_depth=config.getoption("--a11y-crawl-depth"), include=config.getoption("--a11y-crawl-include"),
            exclude=config.getoption("--a11y-crawl-exclude"))
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None


def _with_demo(state: HarnessState, address: str | None) -> str | None:
    """'{demo}/supplier-a/' scans the bundled demo council, started now so pages can be found."""
    if address is None or not address.startswith(DEMO_PLACEHOLDER):
        return address
    return state.demo_url().rstrip("/") + address[len(DEMO_PLACEHOLDER):]


def pytest_unconfigure(config: pytest.Config) -> None:
    for name in (REPORTS_PLUGIN, PLAYWRIGHT_OVERRIDES):
        registered = config.pluginmanager.get_plugin(name)
        if registered is not None:
            config.pluginmanager.unregister(registered)
    state = config.stash.get(STATE, None)
    if state is not None and state.demo_server is not None:
        state.demo_server.stop()


def _read_options(config: pytest.Config) -> HarnessOptions:
    root = config.rootpath

    def folder(option: str, ini: str) -> Path:
        given = config.getoption(option)
        return Path(given) if given else root / str(config.getini(ini))

    personas_dir, bundled = root / PERSONAS_DIR, False
    if config.getoption("--a11y-personas-dir") or config.getini("a11y_personas_dir") is not None:
        personas_dir = folder("--a11y-personas-dir", "a11y_personas_dir")
    elif not personas_dir.is_dir():
        personas_dir, bundled = bundled_personas_dir(), True  # a repository without personas walks with ours
    return HarnessOptions(
        personas_dir=personas_dir,
        bundled_personas=bundled,
        targets_dir=folder("--a11y-targets-dir", "a11y_targets_dir"),
        report_dir=(report_dir := folder("--a11y-report-dir", "a11y_report_dir")),
        persona_ids=tuple(config.getoption("--a11y-persona")),
        target_ids=tuple(config.getoption("--a11y-target")),
        fail_on=parse_fail_on(config.getoption("--a11y-fail-on")),
        axe_tags=parse_axe_tags(config.getoption("--a11y-axe-tags")),
        chromium=config.getoption("--a11y-chromium"),
        page_timeout_s=parse_seconds("--a11y-page-timeout", config.getoption("--a11y-page-timeout")),
        step_timeout_s=parse_seconds("--a11y-step-timeout", config.getoption("--a11y-step-timeout")),
        history=parse_history(config.getoption("--a11y-history") or str(config.getini("a11y_history")), report_dir),
        browser_ws=config.getoption("--a11y-browser-ws") or os.environ.get(WS_ENV_VAR) or None,
        shard=parse_shard(config.getoption("--a11y-shard")),
        scan_checks=parse_scan_checks(config.getoption("--a11y-scan-checks"), SCAN_CHECKS),
        scan_context=parse_scan_context(config.getoption("--a11y-scan-context")),
    )


def _load_data(config: pytest.Config, state: HarnessState) -> None:
    """Validate personas and targets before any browser starts; stay quiet where there are none to load."""
    options = state.options
    explicit = bool(config.getoption("--a11y-personas-dir") or options.persona_ids)
    try:
        if options.personas_dir.is_dir() or explicit:
            state.all_personas = load_personas(options.personas_dir, BEHAVIOURS, CHECKS)
            state.personas = select_personas(state.all_personas, list(options.persona_ids))
        explicit = bool(config.getoption("--a11y-targets-dir") or options.target_ids)
        if options.targets_dir.is_dir() or explicit:
            state.targets = select_targets(options.targets_dir, list(options.target_ids))
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_report_header(config: pytest.Config) -> list[str]:
    state = config.stash[STATE]
    lines = [(f"a11y: playwright {package_version('playwright')}, axe-core {AXE_VERSION}, "
              f"axe tags {','.join(state.options.axe_tags)}, fail on {config.getoption('--a11y-fail-on')}")]
    if state.personas is not None:
        bundled = " (bundled with the harness)" if state.options.bundled_personas else ""
        lines.append(f"a11y personas: {', '.join(p.id for p in state.personas)}{bundled}")
    if state.targets is not None:
        lines.append(f"a11y targets: {', '.join(t.id for t in state.targets)}")
    if state.options.shard is not None:
        lines.append("a11y shard: {} of {} (python -m harness.cli.merge joins the shards' run folders)".format(
            *state.options.shard))
    lines.extend(_recording_warning(config, state.targets or []))
    try:
        lines.append(f"a11y browser: {state.ensure_browser().describe()}")
    except pytest.UsageError:
        lines.append("a11y browser: none found (journeys cannot run; see the error below if any are collected)")
    return lines


def _recording_warning(config: pytest.Config, targets: list[Target]) -> list[str]:
    """Playwright's traces, videos and screenshots record pages as they are: our masking cannot reach them."""
    with_secrets = [t.id for t in targets if t.credentials]
    options = {name: str(config.getoption(name, "off") or "off") for name in ("--tracing", "--video", "--screenshot")}
    recording = [f"{name} {value}" for name, value in options.items() if value != "off"]
    if not with_secrets or not recording:
        return []
    what = (f"each trace.zip holds every value typed, the usernames and passwords of {', '.join(with_secrets)} "
            "included, in plain text" if options["--tracing"] != "off" else
            "videos and screenshots show what is typed into visible fields, usernames included")
    folder = config.getoption("--output", "test-results")
    warning = (f"a11y WARNING: {', '.join(recording)}: Playwright records pages as they are, which the harness "
               f"cannot mask: {what}. Keep {folder}/ out of shared CI artefacts, or run without these options.")
    return [warning]


# -- xdist: one run folder and one report, whatever the number of workers ------------------------------


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist's controller, before each worker starts: hand it the run id, and in scan mode the pages.

    The controller chooses these once, so every worker writes to the same run folder and scans the same
    pages; the workers then never disagree about which tests exist.
    """
    state = node.config.stash[STATE]
    if not state.run_id:
        state.run_id = new_run_id()
        if state.scan_source is not None or (state.targets and _asks_for_scenarios(node.config, state)):
            # Journeys are likely: a missing browser stops the run here, said plainly, rather than
            # crashing every worker later (xdist shows a worker's usage error as an internal error).
            state.ensure_browser()
    node.workerinput["a11y_run_id"] = state.run_id
    if state.scan_source is not None:
        _resolve_scan_pages(node.config)
        if state.scan_pages is not None:
            node.workerinput["a11y_scan_pages"] = list(state.scan_pages.pages)
            node.workerinput["a11y_scan_left_out"] = left_out(state.scan_pages)
    if state.demo_server is not None or any(target.uses_demo for target in state.targets or ()):
        # One demo council for the whole run: with one per worker, the same page would have a different
        # address in each worker's results, and reports grouping by page would list it twice.
        node.workerinput["a11y_demo_url"] = state.demo_url()


def _asks_for_scenarios(config: pytest.Config, state: HarnessState) -> bool:
    """Whether the paths to test reach the scenarios folder (the targets folder's parent), or lie in it.

    The controller collects nothing, so this is its only clue that journeys will run: `pytest tests/unit
    -n 2` on a machine without Chromium should run its unit tests, not stop for want of a browser.
    """
    scenarios = state.options.targets_dir.parent.resolve()
    for arg in config.args or [str(config.rootpath)]:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path == scenarios or scenarios in path.parents or path in scenarios.parents:
            return True
    return False


def _take_worker_input(config: pytest.Config, state: HarnessState) -> None:
    given: dict[str, Any] = getattr(config, "workerinput", {})
    state.run_id = str(given.get("a11y_run_id", ""))
    state.shared_demo_url = str(given.get("a11y_demo_url", ""))
    if "a11y_scan_pages" in given:
        found = left_out_from(given.get("a11y_scan_left_out", {}))
        state.scan_pages = CrawlResult(pages=tuple(given["a11y_scan_pages"]), skipped=found.skipped,
                                       errors=found.errors)


# -- collection: one test per (target, persona), or per (page, persona) in scan mode ---------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise every scenario that uses `journey` by (target, persona): ids read 'supplier-a-keyboard-only'."""
    if "_a11y_scan_case" in metafunc.fixturenames:
        _parametrise_scan(metafunc)
    if "_a11y_case" not in metafunc.fixturenames:
        return
    state = metafunc.config.stash[STATE]
    marker = metafunc.definition.get_closest_marker("journey")
    journeys = known_journeys()
    where = f"{metafunc.definition.nodeid}"
    if marker is None or len(marker.args) != 1:
        raise pytest.UsageError(f"{where}: a scenario that uses the 'journey' fixture needs exactly one "
                                "journey marker, such as @pytest.mark.journey(\"garden-waste\").")
    journey_id = marker.args[0]
    if journey_id not in journeys:
        raise pytest.UsageError(unknown_value_message(f"{where}: @pytest.mark.journey", "journey",
                                                      journey_id, journeys))
    if state.personas is None or state.targets is None:
        missing = "personas" if state.personas is None else "targets"
        folder = state.options.personas_dir if missing == "personas" else state.options.targets_dir
        raise pytest.UsageError(f"{where}: no {missing} to walk the journey with: {folder} does not exist. "
                                f"Pass --a11y-{missing}-dir.")
    personas = state.personas
    persona_marker = metafunc.definition.get_closest_marker("persona")
    if persona_marker:
        for persona_id in persona_marker.args:
            if persona_id not in state.all_personas:
                raise pytest.UsageError(unknown_value_message(f"{where}: @pytest.mark.persona", "persona",
                                                              persona_id, state.all_personas))
        personas = [p for p in personas if p.id in persona_marker.args]
    cases = [(target, persona, journey_id) for target in state.targets if target.offers(journey_id)
             for persona in personas]
    metafunc.parametrize("_a11y_case", cases, ids=[f"{t.id}-{p.id}" for t, p, _ in cases])


def _parametrise_scan(metafunc: pytest.Metafunc) -> None:
    """Scan mode: one test per page and persona; the pages are found (crawled) before any browser starts."""
    state = metafunc.config.stash[STATE]
    if state.scan_source is None:
        metafunc.parametrize("_a11y_scan_case", [pytest.param(None, marks=pytest.mark.skip(
            reason="scan mode is off: pass --a11y-crawl URL, --a11y-sitemap URL_OR_FILE or "
                   "--a11y-scan-urls FILE"))], ids=["no-pages"])
        return
    if state.scan_pages is None:
        return
    personas = state.personas or []
    if not state.options.persona_ids:
        personas = [p for p in personas if p.id == "default"] or personas[:1]
    cases = [(url, persona) for url in state.scan_pages.pages for persona in personas]
    one_site = len({origin_of(url) for url in state.scan_pages.pages}) == 1
    metafunc.parametrize("_a11y_scan_case", cases,
                         ids=[f"{page_id(url, with_host=not one_site)}-{p.id}" for url, p in cases])


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """Find scan mode's pages (crawl, sitemap or list) before collecting; a bad source stops the run here."""
    _resolve_scan_pages(session.config)


def _resolve_scan_pages(config: pytest.Config) -> None:
    state = config.stash[STATE]
    if state.scan_source is None or state.scan_pages is not None:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    found: list[str] = []

    def progress(page: CrawledPage) -> None:
        found.append(page.url)
        if reporter is not None and reporter.isatty:
            reporter.write(f"\ra11y scan: {len(found)} page(s) found, latest {page.url}"[:150].ljust(150))

    try:
        state.scan_pages = resolve_pages(state.scan_source, on_page=progress)
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None
    if reporter is not None:
        reporter.write_line(f"\ra11y scan: {len(state.scan_pages.pages)} page(s) to scan, "
                            f"{len(state.scan_pages.skipped)} skipped, {len(state.scan_pages.errors)} could "
                            "not be fetched".ljust(100))
        for line in left_out_lines(state.scan_pages, page_limit(state.scan_source)):
            reporter.write_line(line)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Remember which journeys this process will walk (after -k, deselection and sharding), for the run record."""
    state = session.config.stash[STATE]
    state.planned = [item.nodeid for item in session.items
                     if {"_a11y_case", "_a11y_scan_case"} & set(getattr(item, "fixturenames", ()))
                     and item.get_closest_marker("skip") is None]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep this shard's share of the tests; stop before any test runs if there is no browser for them."""
    shard = config.stash[STATE].options.shard
    if shard is not None:
        keep = keep_in_shard([item.nodeid for item in items], shard)
        deselected = [item for item, kept in zip(items, keep, strict=True) if not kept]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item, kept in zip(items, keep, strict=True) if kept]
    if any({"_a11y_case", "_a11y_scan_case"} & set(getattr(item, "fixturenames", ())) for item in items):
        config.stash[STATE].ensure_browser()


# -- fixtures: the browser (playwright-pytest's, with our Chromium) -----------------------------------------


def playwright_overrides() -> types.ModuleType:
    """playwright-pytest's launch and connect fixtures, overridden to use our Chromium, as a plugin of their own.

    An override only takes when it is parsed after the fixture it overrides. Entry points load in no set order,
    and `-p harness.plugin` loads this module before any entry point, so these two are not defined at module
    level: pytest_configure registers them, once every plugin of the command line and of entry points is in.
    A conftest.py still overrides them, as it overrides any plugin's fixture.
    """

    @pytest.fixture(scope="session")
    def browser_type_launch_args(browser_type_launch_args: dict[str, Any], pytestconfig: pytest.Config
                                 ) -> dict[str, Any]:
        """playwright-pytest's launch arguments, plus the chosen Chromium binary and the quiet-network flags."""
        return pytestconfig.stash[STATE].ensure_browser().launch_args(browser_type_launch_args)

    @pytest.fixture(scope="session")
    def connect_options(browser_type_launch_args: dict[str, Any], pytestconfig: pytest.Config
                        ) -> dict[str, Any] | None:
        """playwright-pytest connects to this browser server instead of launching (--a11y-browser-ws)."""
        return pytestconfig.stash[STATE].ensure_browser().connect_options(browser_type_launch_args)

    module = types.ModuleType(f"{__name__}.playwright_overrides")
    module.browser_type_launch_args = browser_type_launch_args  # type: ignore[attr-defined]
    module.connect_options = connect_options  # type: ignore[attr-defined]
    return module


@pytest.fixture(scope="session")
def a11y_demo_url(pytestconfig: pytest.Config) -> Iterator[str]:
    """Address of the bundled demo council, started once per run on a free port on 127.0.0.1.

    Example: `def test_x(a11y_demo_url): assert a11y_demo_url.startswith("http://127.0.0.1:")`
    """
    yield pytestconfig.stash[STATE].demo_url()


@pytest.fixture(scope="session")
def a11y_results(pytestconfig: pytest.Config) -> ResultsStore:
    """The run's results store; each step is appended to <run>/results.ndjson as it ends.

    Example: `def test_x(a11y_results): print(a11y_results.run_dir)`
    """
    return _ensure_store(pytestconfig)


def _ensure_store(config: pytest.Config) -> ResultsStore:
    """The run folder, made when the first journey starts; xdist workers share the controller's."""
    state = config.stash[STATE]
    if state.store is None:
        state.run_id = state.run_id or new_run_id()
        store = ResultsStore(run_folder(state.options.report_dir, state.run_id))
        first = store.start(opening_record(
            run_id=state.run_id, browser=state.ensure_browser(),
            headless=not config.getoption("--headed", default=False), axe_tags=state.options.axe_tags,
            fail_on=config.getoption("--a11y-fail-on"), targets=state.targets or [],
            personas=state.all_personas.values(), planned=state.planned,
            scan=scan_record(state.scan_source, state.scan_pages)))
        if first:
            keep_claims(store.run_dir, state.targets or [])
        state.store = store
    return state.store


# -- fixtures: the override points, and the walks made from them ---------------------------------------------


@pytest.fixture
def journey_args(request: pytest.FixtureRequest, _a11y_case: tuple[Target, Persona, str]) -> JourneyArgs:
    """What the `journey` fixture walks with; override it in a conftest.py to change every journey.

    Example (a conftest.py that walks every journey in Welsh):
        @pytest.fixture
        def journey_args(journey_args):
            return dataclasses.replace(journey_args, context={**journey_args.context, "locale": "cy-GB"})
    """
    target, persona, journey_id = _a11y_case
    options = request.config.stash[STATE].options
    demo_url = request.getfixturevalue("a11y_demo_url") if target.uses_demo else None
    return JourneyArgs(target=target, persona=persona, journey_id=journey_id,
                       entry_url=target.entry_url(journey_id, demo_url), allowed_origins=target.origins(demo_url),
                       context=persona.context, axe_tags=options.axe_tags, page_timeout_s=options.page_timeout_s,
                       step_timeout_s=options.step_timeout_s)


@pytest.fixture
def page_scan_args(request: pytest.FixtureRequest, _a11y_scan_case: tuple[str, Persona]) -> JourneyArgs:
    """What the `page_scan` fixture scans one page with; override it in a conftest.py as `journey_args`."""
    url, persona = _a11y_scan_case
    state = request.config.stash[STATE]
    options = state.options
    pages = state.scan_pages.pages if state.scan_pages else (url,)
    return JourneyArgs(target=scan_target(url), persona=persona, journey_id=SCAN_JOURNEY, entry_url=url,
                       allowed_origins=frozenset(origin_of(page) for page in pages), context=persona.context,
                       axe_tags=options.axe_tags, page_timeout_s=options.page_timeout_s,
                       step_timeout_s=options.step_timeout_s, checks=options.scan_checks,
                       screenshot_clean_states=False)


@pytest.fixture
def persona(journey_args: JourneyArgs) -> Persona:
    """The persona walking this scenario. Example: `if persona.behaviour == "keyboard-only": ...`"""
    return journey_args.persona


@pytest.fixture
def target(journey_args: JourneyArgs) -> Target:
    """The product under test in this scenario. Example: `assert target.offers("garden-waste")`"""
    return journey_args.target


@pytest.fixture
def journey(request: pytest.FixtureRequest, journey_args: JourneyArgs) -> Iterator[Journey]:
    """A persona walking this scenario's journey on one target, in a fresh browser context.

    Example:
        @pytest.mark.journey("bin-day")
        def test_find_your_bin_collection_day(journey):
            with journey.step("Search for the address"):
                journey.open_start_page()
                journey.fill("Postcode", "MB1 4QX")
    """
    with _walking(request, journey_args, _new_page(request, journey_args)) as walk:
        yield walk


@pytest.fixture
def page_scan(request: pytest.FixtureRequest, page_scan_args: JourneyArgs) -> Iterator[Journey]:
    """Scan mode: one page of a site, opened as a one-step journey so results and reports are the same.

    Example:
        def test_scan_page(page_scan, a11y_scan_checks):
            with page_scan.step("Open the page and check it"):
                page_scan.open_start_page()
                page_scan.check_page(a11y_scan_checks)
    """
    args = page_scan_args
    shared: SharedPages | None = (request.getfixturevalue("_a11y_shared_scan_pages")
                                  if _shares_scan_context(request.config) else None)
    page = shared.page_for(args.persona, args.context) if shared else _new_page(request, args)
    with _walking(request, args, page) as walk:
        _register_target(request.config, args.target)
        yield walk
        walk.events.detach()
        if shared:
            shared.clear(page, args.allowed_origins)


@contextmanager
def _walking(request: pytest.FixtureRequest, args: JourneyArgs, page: Any) -> Iterator[Journey]:
    """The one factory of walks, for `journey` and `page_scan` alike: a Journey on the page, its end recorded."""
    from harness.browser.journey import Journey

    walk = Journey(page, target=args.target, persona=args.persona, journey_id=args.journey_id,
                   entry_url=args.entry_url, store=_ensure_store(request.config), test_id=request.node.nodeid,
                   axe_tags=args.axe_tags, allowed_origins=args.allowed_origins,
                   page_timeout_s=args.page_timeout_s, step_timeout_s=args.step_timeout_s, checks=args.checks,
                   screenshot_clean_states=args.screenshot_clean_states)
    request.node.stash[JOURNEY] = walk
    yield walk
    _record_journey_end(request, walk)


def _new_page(request: pytest.FixtureRequest, args: JourneyArgs) -> Any:
    """A page in a fresh context with the walk's context options, made through playwright-pytest's new_context.

    Through its per-test marker and its new_context fixture, so --tracing, --video and --screenshot keep
    working. Requesting new_context here, not in a signature, keeps '[chromium]' out of the test ids.
    """
    request.node.add_marker(pytest.mark.browser_context_args(**dict(args.context)))
    return request.getfixturevalue("new_context")().new_page()


def _record_journey_end(request: pytest.FixtureRequest, walk: Journey) -> None:
    """The walk's end line: completed, blocked, an error in the scenario, or interrupted."""
    ending, blocker = walk.ending, walk.blocker
    failure = request.node.stash.get(CALL_FAILURE, None)
    if not request.node.stash.get(CALL_ENDED, False) or ending not in ("completed", "blocked"):
        ending = "interrupted"
    elif ending == "completed" and failure is not None and not _is_accessibility_result(failure):
        # The scenario itself failed between steps: say so rather than report a completed walk.
        ending = "error"
        blocker = f"The scenario failed outside a step: {type(failure).__name__}: {failure}"
    # The journey masks its credential values in its own blocker; a failure outside a step is masked here.
    walk.store.append(WalkRecord(test_id=request.node.nodeid, target=walk.target.id, persona=walk.persona.id,
                                 journey=walk.journey_id, ending=ending, blocker=walk.mask(blocker),
                                 duration_s=walk.duration_s))


def _register_target(config: pytest.Config, target: Target) -> None:
    """Scan targets are made during the run: record each once so reports can name it."""
    state = config.stash[STATE]
    known = {t.id for t in state.targets or []} | state.scan_targets_recorded
    if target.id in known or state.store is None:
        return
    state.scan_targets_recorded.add(target.id)
    state.store.append(RunRecord(targets={target.id: TargetRecord.of(target)}))


@pytest.fixture
def a11y_scan_checks(pytestconfig: pytest.Config) -> tuple[str, ...]:
    """The page checks scan mode runs on each page (--a11y-scan-checks); empty for axe alone.

    Example: `page_scan.check_page(a11y_scan_checks)`
    """
    chosen = pytestconfig.stash[STATE].options.scan_checks
    return PAGE_CHECKS if chosen is None else chosen


def _shares_scan_context(config: pytest.Config) -> bool:
    """Scan pages share a context unless asked not to, or unless each page needs its own trace or video."""
    recording = any(str(config.getoption(name, "off") or "off") != "off"
                    for name in ("--tracing", "--video", "--screenshot"))
    return config.stash[STATE].options.scan_context == "shared" and not recording


@pytest.fixture(scope="session")
def _a11y_shared_scan_pages(browser: Any, browser_context_args: dict[str, Any]) -> Iterator[SharedPages]:
    """Scan mode's reused pages, one per persona, closed before the browser."""
    pages = SharedPages(browser, browser_context_args)
    yield pages
    pages.close()


def _is_accessibility_result(exc: BaseException) -> bool:
    from harness.model.findings import JourneyBlocked

    if isinstance(exc, AccessibilityFindings):
        return True
    return isinstance(exc, JourneyBlocked) and exc.finding.outcome is not Outcome.ERROR


# -- hooks: soft assertions and pytest-html extras -------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Soft assertions: the whole journey is scanned first, then the test fails on findings at the threshold."""
    try:
        result = yield
    except Exception:
        item.stash[CALL_ENDED] = True
        raise
    # Not reached on Ctrl+C (KeyboardInterrupt is no Exception): the journey is then 'interrupted'.
    item.stash[CALL_ENDED] = True
    walk = item.stash.get(JOURNEY, None)
    threshold = item.config.stash[STATE].options.fail_on
    if walk is not None and threshold is not None:
        failing = at_or_above(dedupe(walk.findings), threshold)
        if failing:
            raise AccessibilityFindings(failing, threshold)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Show the journey's findings and last screenshot in the pytest-html report as extras."""
    report = yield
    walk = item.stash.get(JOURNEY, None)
    if walk is None or report.when != "call":
        return report
    if report.failed and call.excinfo is not None:
        item.stash[CALL_FAILURE] = call.excinfo.value
    if report.failed and call.excinfo is not None and _is_accessibility_result(call.excinfo.value):
        # A barrier is a result, not a crash: show the findings, not our hook's traceback.
        report.longrepr = f"{type(call.excinfo.value).__name__}: {call.excinfo.value}"
    if not item.config.pluginmanager.hasplugin("html") or not item.config.getoption("htmlpath", None):
        return report  # no pytest-html report asked for: keep no screenshot in memory for it
    from pytest_html import extras

    html = environment().get_template("pytest_html_extra.html.jinja").render(
        findings=sorted(dedupe(walk.findings), key=lambda f: (not f.blocker, -f.impact.rank, f.rule_id)),
        ending=walk.ending, blocker=walk.blocker)
    report_extras = [*getattr(report, "extras", []), extras.html(html)]
    if walk.screenshots:
        image = base64.b64encode(walk.screenshots[-1].read_bytes()).decode("ascii")
        report_extras.append(extras.png(image, name="Last step screenshot"))
    report.extras = report_extras
    return report
