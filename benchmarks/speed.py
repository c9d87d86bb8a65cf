"""How much the harness costs over the browser and axe-core themselves: prints figures, never asserts.

    .venv/bin/python benchmarks/speed.py [--quick] [--matrix] [--pa11y] [--walks] [--json FILE]

(a) raw: each page of a fixed set (the demo council's linked pages and a few fixture pages), navigated and
scanned once by axe-core with the harness's options, straight through Playwright in one browser;
(b) the harness scanning the same pages in scan mode, as an inner pytest run, in the same run;
(c) --matrix: the whole demo matrix (`pytest scenarios/`) at -n 0, and at -n 2 where pytest-xdist is
installed, with pages per second, the speed-up and whether the findings agree;
(d) peak memory of each pytest process tree, per worker;
(e) --pa11y: pa11y-ci (installed from npm into benchmarks/.node) on the same pages and browser;
(f) --walks: every journey on suppliers A-C by the default persona, walked by the walker and by the script it
had before journeys became goals (benchmarks/scripted/), with each walk's time and steps.
Timings on a shared machine are noisy: compare figures from one run, not across runs.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: `python benchmarks/speed.py`
    sys.path.insert(0, str(REPO))

from benchmarks import figures
from benchmarks.memory import TreeMemory

NODE_DIR = REPO / "benchmarks" / ".node"
PA11Y_CI = NODE_DIR / "node_modules" / ".bin" / "pa11y-ci"
PYTHON = sys.executable

DEMO_PAGES = (
    # Every page a crawl of the demo finds (tests/plugin/test_demo.py, LINKED_PAGES), in a fixed order.
    "/", "/supplier-a/", "/supplier-a/accessibility", "/supplier-a/bin-day", "/supplier-a/garden-waste/start",
    "/supplier-a/garden-waste/where", "/supplier-b/bin-day", "/supplier-b/garden-waste/start",
    "/supplier-b/garden-waste/where",
    *(f"/supplier-{s}/{page}" for s in "ab" for page in (
        "blue-badge/start", "blue-badge/who", "council-tax-reduction/start", "council-tax-reduction/who",
        "pay/start", "pay/account")),
    *(f"/supplier-c/{release}/{page}" for release in ("v1", "v2") for page in ("pay/start", "pay/account")),
    "/supplier-c/v2/accessibility",
)
FIXTURE_PAGES = ("tiny-service.html", "tiny-legacy.html", "sign-in.html", "keyboard-clickable-div.html")
"""Small pages from tests/data/pages, served as static files: no server-side work at all."""
QUICK_DEMO_PAGES = 6
QUICK_FIXTURE_PAGES = 2
SCAN_TIMEOUT_S = 900
MATRIX_TIMEOUT_S = 3600
PROC_STAT = Path("/proc/stat")


# -- servers ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"speed.py: {url} did not answer within {timeout_s:g} s.") from None
            time.sleep(0.1)


@contextmanager
def page_servers() -> Iterator[tuple[str, str]]:
    """The demo council and the fixture pages, each in its own process so neither shares our GIL."""
    demo_port, pages_port = free_port(), free_port()
    demo = subprocess.Popen([PYTHON, "-m", "harness.demo", "--port", str(demo_port)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pages = subprocess.Popen([PYTHON, "-m", "http.server", str(pages_port), "--bind", "127.0.0.1",
                              "--directory", str(REPO / "tests" / "data" / "pages")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        demo_url, pages_url = f"http://127.0.0.1:{demo_port}", f"http://127.0.0.1:{pages_port}"
        wait_for(demo_url + "/")
        wait_for(pages_url + "/" + FIXTURE_PAGES[0])
        yield demo_url, pages_url
    finally:
        for proc in (demo, pages):
            proc.terminate()
            proc.wait(timeout=10)


def page_set(demo_url: str, pages_url: str, quick: bool) -> list[str]:
    demo = DEMO_PAGES[:QUICK_DEMO_PAGES] if quick else DEMO_PAGES
    fixtures = FIXTURE_PAGES[:QUICK_FIXTURE_PAGES] if quick else FIXTURE_PAGES
    return [demo_url + path for path in demo] + [f"{pages_url}/{name}" for name in fixtures]


# -- (a) raw Playwright + axe-core, and what each part of the harness's own work costs ----------------


@functools.cache
def launch_args() -> dict[str, Any]:
    """The harness's own browser choice and flags; asked before Playwright starts (choosing may start it)."""
    from harness.browser.session import choose_browser

    return choose_browser().launch_args({"headless": True})


@dataclass
class RawPass:
    """One raw pass over the page set: seconds per page three ways, and the whole pass with its launch."""

    per_page: dict[str, float]
    """navigate + send axe-core with page.evaluate + axe.run, as axe-playwright-python does it: the baseline."""
    total_s: float
    fresh: dict[str, float]
    """The same in a fresh browser context per page, as the harness isolates each journey."""
    init_script: dict[str, float]
    """navigate + axe.run, axe-core put in by an init script as the harness does: the browser's floor."""


def raw_cost(urls: Sequence[str]) -> RawPass:
    """Raw Playwright + axe-core on each page, with nothing of the harness."""
    from axe_playwright_python.base import AXE_SCRIPT
    from playwright.sync_api import Page, sync_playwright

    from harness.browser.axe_scan import DEFAULT_TAGS, axe_options

    options = axe_options(DEFAULT_TAGS)
    launch = launch_args()
    per_page: dict[str, float] = {}
    fresh: dict[str, float] = {}
    init_script: dict[str, float] = {}

    def scan(page: Page, url: str, send_axe: bool = True) -> None:
        page.goto(url)
        if send_axe:
            page.evaluate(AXE_SCRIPT)
        page.evaluate("options => axe.run(document, options)", options)

    started = time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch)
        page = browser.new_context().new_page()
        scan(page, urls[0])  # warm-up, not counted: the harness's first test (the browser launch) is left out too
        for url in urls:
            began = time.perf_counter()
            scan(page, url)
            per_page[url] = time.perf_counter() - began
        total = time.perf_counter() - started
        for url in urls:
            began = time.perf_counter()
            context = browser.new_context()
            scan(context.new_page(), url)
            context.close()
            fresh[url] = time.perf_counter() - began
        context = browser.new_context()
        context.add_init_script(AXE_SCRIPT)
        page = context.new_page()
        scan(page, urls[0], send_axe=False)
        for url in urls:
            began = time.perf_counter()
            scan(page, url, send_axe=False)
            init_script[url] = time.perf_counter() - began
        browser.close()
    return RawPass(per_page, total, fresh, init_script)


def harness_parts(urls: Sequence[str]) -> dict[str, list[float]]:
    """The scan step's work done piece by piece with the harness's own functions, to see where time goes.

    This is a model of scan mode (a shared context per persona, wiped between pages) and of
    PageStates.scan, not the harness itself: the scan-mode runs in (b) are the real figures; this says
    which part of them dominates.
    """
    from playwright.sync_api import sync_playwright

    from harness.browser.axe_scan import DEFAULT_TAGS, prepare_context, scan_page_with_evidence
    from harness.browser.behaviours import BEHAVIOURS
    from harness.browser.checks import PAGE_CHECKS, PageContext, run_checks
    from harness.browser.checks.timing import TIMER_RECORDER_JS
    from harness.browser.page_facts import fingerprint
    from harness.browser.page_state import element_boxes
    from harness.browser.shared_pages import SharedPages
    from harness.browser.walker.snapshot import take_snapshot
    from harness.model.page_kinds import recognise
    from harness.model.personas import load_personas
    from harness.model.screenshots import SCREENSHOT_SCALE
    from harness.model.targets import origin_of

    persona = load_personas(REPO / "personas", BEHAVIOURS)["default"]
    recording: set[Any] = set()
    parts: dict[str, list[float]] = {}
    launch = launch_args()

    def timed(part: str, began: float) -> float:
        now = time.perf_counter()
        parts.setdefault(part, []).append(now - began)
        return now

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as shots:
        browser = playwright.chromium.launch(**launch)
        pages = SharedPages(browser, {})
        for index, url in enumerate([urls[0], *urls]):
            began = time.perf_counter()
            page = pages.page_for(persona)
            if page.context not in recording:  # as the journey does, once per context, for the time-limit check
                page.context.add_init_script(TIMER_RECORDER_JS)
                recording.add(page.context)
            prepare_context(page.context)  # axe-core in every new document, as the journey has it
            page.goto(url)
            began = timed("navigate (load)", began)
            fingerprint(page)
            began = timed("state fingerprint", began)
            recognise(take_snapshot(page))  # what the walker adds to each page it walks
            began = timed("walker: read the page and recognise its kind", began)
            found, _ = scan_page_with_evidence(page, DEFAULT_TAGS)
            began = timed("axe (run + convert; in the page from the init script)", began)
            for check_id in PAGE_CHECKS:
                found += run_checks(page, [check_id], PageContext(persona="default"))
                began = timed(f"check {check_id}", began)
            if found:  # scan mode photographs only pages with findings
                element_boxes(page, [f.selector for f in found])
                page.screenshot(path=f"{shots}/{index}.png", full_page=True, scale=SCREENSHOT_SCALE)
            began = timed("element boxes + screenshot (pages with findings)", began)
            pages.clear(page, {origin_of(url)})
            timed("wipe for the next page", began)
            if index == 0:  # the warm-up page, as in raw_cost
                parts = {}
        pages.close()
        browser.close()
    return parts


# -- (b) and (c): the harness as an inner pytest run ---------------------------------------------------


@dataclass
class PytestRun:
    """One inner pytest run: wall time, what it recorded, and its memory."""

    command: list[str]
    wall_s: float
    cpu_s: float
    """CPU seconds the whole process tree used: divided by wall_s, how many cores it kept busy on average."""
    exit_code: int
    run_folders: int
    page_states: int
    cpu_s_by_kind: dict[str, float] = field(default_factory=dict)
    machine_cores: dict[str, float] = field(default_factory=dict)
    """The whole machine meanwhile (/proc/stat): cores busy (anyone's processes), idle, and taken by the host."""
    sampler_cpu_s: float = 0.0
    """CPU the benchmark's own sampling of the tree used meanwhile: part of the machine's busy cores."""
    tests: list[tuple[str, float]] = field(default_factory=list)
    steps: dict[str, tuple[str, float]] = field(default_factory=dict)
    findings: list[figures.FindingKey] = field(default_factory=list)
    peak_total_kib: int = 0
    peak_kib: dict[str, int] = field(default_factory=dict)
    peak_pss_kib: dict[str, int] = field(default_factory=dict)
    peak_parts_kib: dict[str, dict[str, int]] = field(default_factory=dict)
    tail: str = ""


def run_pytest(args: Sequence[str], out: Path, timeout_s: float) -> PytestRun:
    """Run pytest in a subprocess, sampling its process tree's memory, and read its run folders."""
    junit = out / "junit.xml"
    command = [PYTHON, "-m", "pytest", *args, "--a11y-report-dir", str(out), "--a11y-history", "none",
               "-p", "no:cacheprovider", "-q", "--junitxml", str(junit)]
    log = out / "pytest.log"
    began = time.perf_counter()
    machine_before = figures.machine_cpu(PROC_STAT.read_text())
    with log.open("w") as sink:
        proc = subprocess.Popen(command, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)
        with TreeMemory(proc.pid) as memory:
            try:
                proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    wall = time.perf_counter() - began
    machine = figures.machine_cores(machine_before, figures.machine_cpu(PROC_STAT.read_text()), os.cpu_count() or 1)
    folders = [p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and (p / "results.ndjson").exists()]
    records = [r for folder in folders for r in figures.read_records(folder / "results.ndjson")]
    tests = figures.junit_test_seconds(junit.read_text()) if junit.exists() else []
    return PytestRun(command=command, wall_s=wall, cpu_s=memory.cpu_s, cpu_s_by_kind=memory.cpu_s_by_kind,
                     machine_cores=machine, sampler_cpu_s=memory.own_cpu_s,
                     exit_code=proc.returncode, run_folders=len(folders),
                     page_states=figures.page_state_count(records), tests=tests,
                     steps=figures.step_seconds_by_url(records), findings=figures.finding_keys(records),
                     peak_total_kib=memory.peak_total_kib, peak_kib=dict(memory.peak_kib),
                     peak_pss_kib=dict(memory.peak_pss_kib), peak_parts_kib=dict(memory.peak_parts_kib),
                     tail="\n".join(log.read_text(errors="replace").splitlines()[-3:]))


SCAN_VARIANTS = {
    "axe only": ["--a11y-scan-checks", "none"],
    "with page checks": [],
    "with page checks, fresh context": ["--a11y-scan-context", "fresh"],
}
"""Scan mode as run by the benchmark: like for like with raw (axe alone), then as it runs by default (every
page check, a shared context), then with a fresh context per page as journeys have. The first is the one the
1.3x target is read against: the others do more work than raw, by design."""


def scan_mode(urls: Sequence[str], work: Path, variant: str) -> PytestRun:
    url_file = work / "pages.txt"
    url_file.write_text("\n".join(urls) + "\n")
    out = work / f"scan-{variant.replace(' ', '-').replace(',', '')}"
    out.mkdir()
    return run_pytest(["scenarios/test_site_scan.py", "--a11y-scan-urls", str(url_file),
                       "--a11y-persona", "default", *SCAN_VARIANTS[variant]], out, SCAN_TIMEOUT_S)


def scan_figures(scan: PytestRun, raw_mean: float | None, raw_total: float, fresh_mean: float | None,
                 init_mean: float | None = None) -> dict[str, Any]:
    test_values = [seconds for _, seconds in scan.tests[1:]]
    step_values = [seconds for _, seconds in scan.steps.values()]
    return {"wall_s": scan.wall_s, "exit_code": scan.exit_code, "page_states": scan.page_states,
            "tests": scan.tests, "test_mean_s": figures.mean(test_values),
            "step_mean_s": figures.mean(step_values),
            "ratio_test": figures.ratio(figures.mean(test_values), raw_mean),
            "ratio_step": figures.ratio(figures.mean(step_values), raw_mean),
            "ratio_fresh": figures.ratio(figures.mean(test_values), fresh_mean),
            "ratio_init_script": figures.ratio(figures.mean(test_values), init_mean),
            "ratio_wall": figures.ratio(scan.wall_s, raw_total),
            "peak_total_kib": scan.peak_total_kib, "peak_kib": scan.peak_kib, "peak_pss_kib": scan.peak_pss_kib}


def xdist_available() -> bool:
    return importlib.util.find_spec("xdist") is not None


def matrix(workers: int | None, work: Path) -> PytestRun:
    out = work / f"matrix-n{workers if workers is not None else 'none'}"
    out.mkdir()
    return run_pytest(["scenarios/", *(["-n", str(workers)] if workers is not None else [])], out,
                      MATRIX_TIMEOUT_S)


# -- (f) walks: the walker against the scripted walk --------------------------------------------------------


WALK_TARGETS = ("supplier-a-careful", "supplier-b-legacy", "supplier-c-v2")
WALK_WAYS = {
    "scripted": [*sorted(str(p.relative_to(REPO)) for p in (REPO / "benchmarks" / "scripted").glob("scripted_*.py")),
                 "tests/data/scenarios/scripted_bin_day.py"],
    "walker": sorted(str(p.relative_to(REPO)) for p in (REPO / "scenarios").glob("test_*.py")
                     if p.name != "test_site_scan.py"),
}
"""Each journey as it was written step by step before journeys became goals, and as the walker walks it now."""


def walks(work: Path) -> dict[str, dict[tuple[str, str], tuple[str, float, int]]]:
    """Every journey on suppliers A-C by the default persona, scripted then walked; one at a time (-n 0)."""
    found = {}
    for way, files in WALK_WAYS.items():
        out = work / f"walks-{way}"
        out.mkdir()
        run_pytest([*files, *(arg for t in WALK_TARGETS for arg in ("--a11y-target", t)),
                    "--a11y-persona", "default", "--a11y-fail-on", "none"], out, MATRIX_TIMEOUT_S)
        records = [r for folder in out.iterdir() if (folder / "results.ndjson").is_file() and not folder.is_symlink()
                   for r in figures.read_records(folder / "results.ndjson")]
        found[way] = figures.walk_times(records)
    return found


def walk_table(found: dict[str, dict[tuple[str, str], tuple[str, float, int]]]) -> str:
    rows = [("target", "journey", "scripted", "walker", "walker/scripted")]
    for key in sorted(set(found["scripted"]) | set(found["walker"])):
        scripted, walker = found["scripted"].get(key), found["walker"].get(key)
        rows.append((*key, _walk_cell(scripted), _walk_cell(walker),
                     figures.show(figures.ratio(walker[1], scripted[1]) if walker and scripted else None, "x")))
    return figures.table(rows)


def _walk_cell(walk: tuple[str, float, int] | None) -> str:
    return f"{walk[1]:.1f} s, {walk[2]} steps, {walk[0]}" if walk else "not walked"


def walk_ratio(found: dict[str, dict[tuple[str, str], tuple[str, float, int]]]) -> float | None:
    """Walker time over scripted time, summed over the walks both ways completed."""
    both = [key for key, walk in found["walker"].items()
            if walk[0] == "completed" and found["scripted"].get(key, ("",))[0] == "completed"]
    return figures.ratio(sum(found["walker"][k][1] for k in both), sum(found["scripted"][k][1] for k in both))


# -- (e) pa11y-ci ---------------------------------------------------------------------------------------


@dataclass
class Pa11yRun:
    wall_s: float | None = None
    pages_tested: int = 0
    why_not: str = ""
    version: str = ""


def install_pa11y() -> str:
    """pa11y-ci into benchmarks/.node, without Puppeteer's own browser; '' when ready, else why not."""
    if PA11Y_CI.exists():
        return ""
    if not shutil.which("npm"):
        return "npm is not installed (sudo apt-get install npm)."
    NODE_DIR.mkdir(exist_ok=True)
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "pa11y-ci"],
                          cwd=NODE_DIR, env=env, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0 or not PA11Y_CI.exists():
        return f"npm install pa11y-ci failed: {(done.stderr or done.stdout).strip()[-300:]}"
    return ""


def pa11y(urls: Sequence[str], work: Path) -> Pa11yRun:
    """pa11y-ci with its axe runner, one page at a time (as the harness at -n 0), on our Chromium."""
    why = install_pa11y()
    if why:
        return Pa11yRun(why_not=why)
    from harness.browser.session import QUIET_ARGS, choose_browser

    args = list(QUIET_ARGS)
    if os.geteuid() == 0:  # Puppeteer, unlike Playwright, does not turn the sandbox off for root itself
        args.append("--no-sandbox")
    config = {"defaults": {"runners": ["axe"], "standard": "WCAG2AA", "concurrency": 1, "timeout": 60000,
                           "chromeLaunchConfig": {"executablePath": choose_browser().binary(headless=True), "args": args}},
              "urls": list(urls)}
    config_file = work / "pa11yci.json"
    config_file.write_text(json.dumps(config, indent=2))
    version = subprocess.run([str(PA11Y_CI), "--version"], capture_output=True, text=True, check=False)
    began = time.perf_counter()
    done = subprocess.run([str(PA11Y_CI), "--config", str(config_file), "--json"], cwd=work,
                          capture_output=True, text=True, timeout=SCAN_TIMEOUT_S, check=False)
    wall = time.perf_counter() - began
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return Pa11yRun(why_not=f"pa11y-ci did not report (exit {done.returncode}): "
                                f"{(done.stderr or done.stdout).strip()[-300:]}")
    failed = [url for url, issues in report.get("results", {}).items()
              if any(isinstance(i, dict) and "message" in i and "code" not in i for i in issues)]
    return Pa11yRun(wall_s=wall, pages_tested=int(report.get("total", 0)) - len(failed),
                    version=version.stdout.strip())


# -- printing -------------------------------------------------------------------------------------------


def per_page_table(urls: Sequence[str], raw: dict[str, float], scans: dict[str, PytestRun]) -> str:
    rows = [("page", "raw s", *(f"{variant} s" for variant in scans))]
    for index, url in enumerate(urls):
        cells = []
        for scan in scans.values():
            test_s = scan.tests[index][1] if index < len(scan.tests) else None
            cells.append(figures.show(test_s, places=3) + ("  (launch)" if index == 0 else ""))
        rows.append((url.split("//", 1)[-1].split("/", 1)[-1] or "/", figures.show(raw.get(url), places=3), *cells))
    return figures.table(rows)


def summarise(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The closing table: every headline figure, with its target where the issue sets one."""
    rows: list[tuple[str, str, str]] = []
    raw, scan = result["raw"], result["scan"]
    rows += [
        ("pages in the set", str(raw["pages"]), "demo council pages + fixture pages"),
        ("raw: navigate + axe, mean per page", figures.show(raw["mean_s"], " s", 3),
         (f"median {figures.show(raw['median_s'], ' s', 3)}; one browser, one context, warm; mean of "
         f"{figures.show(raw.get('before_mean_s'), ' s', 3)} before and "
         f"{figures.show(raw.get('after_mean_s'), ' s', 3)} after the axe-only scan")),
        ("raw: whole pass incl. launch", figures.show(raw["total_s"], " s", 1), ""),
        ("raw, fresh context per page: mean", figures.show(raw["fresh_context_mean_s"], " s", 3),
         "new context + page + navigate + axe + close, as the harness isolates each test"),
        ("raw, axe from an init script: mean", figures.show(raw.get("init_script_mean_s"), " s", 3),
         "navigate + axe.run, axe-core put in as the harness does; not the target's baseline"),
    ]
    for variant, scan in result["scan"].items():
        target = "target <= 1.3: " + figures.verdict(scan["ratio_test"], 1.3, at_most=True) \
            if variant == "axe only" else "more work than raw, by design"
        rows += [
            (f"scan, {variant}: test mean", figures.show(scan["test_mean_s"], " s", 3),
             (f"step {figures.show(scan['step_mean_s'], ' s', 3)}; wall {figures.show(scan['wall_s'], ' s', 1)}, "
              f"exit code {scan['exit_code']}, {scan['page_states']} page states")),
            (f"scan, {variant}: harness/raw", figures.show(scan["ratio_test"], "x"), target),
            (f"scan, {variant}: peak memory", figures.mib(scan["peak_total_kib"]),
             f"RSS sum (an upper bound); PSS {figures.mib(sum(scan['peak_pss_kib'].values()) or None)}"),
        ]
    rows += [
        ("harness/raw-fresh-context, fresh variant",
         figures.show(result["scan"].get("with page checks, fresh context", {}).get("ratio_fresh"), "x"),
         "test mean / fresh-context raw mean"),
        ("harness/raw-init-script, axe only",
         figures.show(result["scan"].get("axe only", {}).get("ratio_init_script"), "x"),
         "what the harness adds beyond the browser and axe, its own way of putting axe in taken out"),
        ("harness/raw end to end, axe only", figures.show(result["scan"].get("axe only", {}).get("ratio_wall"), "x"),
         "pytest wall / raw pass incl. launch"),
    ]
    parts = result.get("parts") or {}
    for name, seconds in sorted(parts.items(), key=lambda item: -item[1])[:6]:
        rows.append((f"  part: {name}", figures.show(seconds, " s", 3), "mean per page (model of a scan step)"))
    for label, run in (result.get("matrix") or {}).items():
        rows += [
            (f"matrix {label}: wall", figures.show(run["wall_s"], " s", 1),
             f"exit code {run['exit_code']}; {run['run_folders']} run folder(s)"),
            (f"matrix {label}: page states, pages/s", (f"{run['page_states']}, "
             f"{figures.show(run['pages_per_s'])}"), ""),
            (f"matrix {label}: CPU, cores busy", (f"{figures.show(run.get('cpu_s'), ' s', 0)}, "
             f"{figures.show(figures.ratio(run.get('cpu_s'), run['wall_s']))}"),
             "CPU time of the whole tree (per process, from /proc) / wall time"),
        ]
        for kind, seconds in sorted((run.get("cpu_s_by_kind") or {}).items(), key=lambda item: -item[1]):
            rows.append((f"    {kind}", figures.show(seconds, " s", 0), "CPU time"))
        rows.append((f"matrix {label}: the whole machine", _machine_text(run.get("machine_cores") or {}),
                     "cores on average, from /proc/stat: busy counts anyone's processes; steal is the host's"))
        if run.get("sampler_cpu_s") is not None:
            rows.append((f"matrix {label}: this benchmark's sampling", (
                f"{figures.show(run['sampler_cpu_s'], ' s', 0)}, "
                f"{figures.show(figures.ratio(run['sampler_cpu_s'], run['wall_s']), '', 2)} cores"),
                "CPU the /proc sampling took meanwhile: on a busy machine, taken from the run measured"))
        for group, kib in sorted(run["peak_kib"].items()):
            pss = run.get("peak_pss_kib", {}).get(group) or None
            basis, figure = ("PSS", pss) if pss else ("RSS", kib)
            verdict = figures.verdict(figure / 1024 / 1024, 1.0, at_most=True)
            rows.append((f"matrix {label}: peak memory {group}", f"{figures.mib(kib)} RSS, {figures.mib(pss)} PSS",
                         f"target < 1 GiB per worker: {verdict} (by {basis})"))
            parts = run.get("peak_parts_kib", {}).get(group, {})
            for kind, part_kib in sorted(parts.items(), key=lambda item: -item[1]):
                rows.append((f"    {kind}", figures.mib(part_kib), "PSS at the peak"))
    if result.get("speedup") is not None or "matrix_identical" in result:
        serial = (result.get("matrix") or {}).get("-n 0", {})
        busy = figures.ratio(serial.get("cpu_s"), serial.get("wall_s"))
        ceiling = figures.ratio(float(result["machine"]["cpus"] or 1), busy)
        rounds = result.get("speedups") or []
        each = (f"; median of {len(rounds)} rounds: " + ", ".join(figures.show(r, "x") for r in rounds)
                if len(rounds) > 1 else "")
        rows += [("matrix speed-up -n 0 / -n 2", figures.show(result.get("speedup"), "x"),
                  f"target >= 1.6: {figures.verdict(result.get('speedup'), 1.6, at_most=False)}{each}"),
                 ("speed-up ceiling on this machine", figures.show(ceiling, "x"),
                  (f"{result['machine']['cpus']} cores / cores the -n 0 run kept busy: more workers cannot "
                   "use more cores than there are"))]
        cores = int(result["machine"]["cpus"] or 1)
        first = " (first round)" if len(rounds) > 1 else ""
        for label, run in (result.get("matrix") or {}).items():
            if label != "-n 0":
                rows.append((f"speed-up bound from the {label} run's CPU{first}",
                             figures.show(figures.speedup_bound(serial.get("wall_s"), run.get("cpu_s"), cores), "x"),
                             "-n 0 wall / (its CPU time / cores): no faster even with no core ever idle"))
        rows += [("matrix findings identical", str(result.get("matrix_identical", "n/a")), "")]
    if "walks" in result:
        done = {way: sum(1 for walk in by.values() if walk[0] == "completed") for way, by in result["walks"].items()}
        rows.append(("walks: walker time / scripted time", figures.show(result.get("walk_ratio"), "x"),
                     (f"summed over the walks both completed; completed: walker {done.get('walker', 0)}, scripted "
                      f"{done.get('scripted', 0)} of {len(result['walks'].get('scripted', {}))}")))
    if "pa11y" in result:
        pa = result["pa11y"]
        if pa["wall_s"] is None:
            rows.append(("pa11y-ci", "not run", pa["why_not"]))
        else:
            rows += [("pa11y-ci wall (axe runner, concurrency 1)", figures.show(pa["wall_s"], " s", 1),
                      f"{pa['pages_tested']} pages tested; pa11y-ci {pa['version']}"),
                     ("harness/pa11y-ci end to end", figures.show(pa["ratio"], "x"), "pytest wall / pa11y-ci wall")]
    return rows


def _machine_text(cores: dict[str, float]) -> str:
    if not cores:
        return "n/a"
    return f"busy {cores['busy']:.2f}, idle {cores['idle']:.2f}, steal {cores['steal']:.2f}"


def phase(result: dict[str, Any], name: str) -> None:
    """Say what runs next, with the machine's load: on a shared machine it explains odd timings."""
    load = os.getloadavg()[0]
    result["machine"].setdefault("load_at", {})[name.strip()] = load
    print(f"{name} ... (load average {load:.2f})", flush=True)


# -- main ------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/speed.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"raw vs scan mode on {QUICK_DEMO_PAGES} demo pages and {QUICK_FIXTURE_PAGES} fixture "
                             "pages (about 2 minutes on a quiet 2-core machine)")
    parser.add_argument("--matrix", action="store_true", help="also the whole demo matrix, -n 0 and -n 2 (slow)")
    parser.add_argument("--workers", default=None,
                        help="with --matrix: xdist worker counts to run, comma-separated (default: 0,2, or 0 "
                             "alone without pytest-xdist); 0 means no xdist")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="with --matrix: run the worker counts N times in turn (0, 2, 0, 2, ...) and read the "
                             "speed-up as the median of the rounds' (the -n 0 time alone moves by about a tenth "
                             "from run to run on a shared machine); details are printed for the first round")
    parser.add_argument("--pa11y", action="store_true", help="also pa11y-ci from npm on the same pages")
    parser.add_argument("--walks", action="store_true",
                        help="also each journey on suppliers A-C walked by the walker and by its old script")
    parser.add_argument("--no-parts", action="store_true", help="skip the per-part breakdown of a scan step")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat {args.repeat}: give how many rounds of the matrix to run, 1 or more")
    workers = [int(w) for w in args.workers.split(",")] if args.workers else \
        ([0, 2] if xdist_available() else [0])

    result: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()}}
    with tempfile.TemporaryDirectory(prefix="a11y-bench-") as tmp, page_servers() as (demo_url, pages_url):
        work = Path(tmp)
        urls = page_set(demo_url, pages_url, args.quick)
        print(f"Pages: {len(urls)} ({demo_url}, {pages_url}); load average {os.getloadavg()[0]:.2f}", flush=True)

        # Raw is measured before and after the like-for-like scan (axe alone) and the two are averaged, so a
        # change in the machine's load during the run weighs on both sides of the ratio alike.
        phase(result, "(a) raw: Playwright + axe-core")
        before = raw_cost(urls)
        scans: dict[str, PytestRun] = {}
        for variant in SCAN_VARIANTS:
            phase(result, f"(b) harness scan mode, {variant} (inner pytest)")
            scan = scans[variant] = scan_mode(urls, work, variant)
            if scan.exit_code not in (0, 1):
                print(f"    the scan run ended with exit code {scan.exit_code}:\n{scan.tail}", flush=True)
            if variant == "axe only":
                phase(result, "(a) raw again, after the axe-only scan")
                after = raw_cost(urls)
        raw = {url: (before.per_page[url] + after.per_page[url]) / 2 for url in urls}
        raw_total = (before.total_s + after.total_s) / 2
        raw_values = list(raw.values())
        raw_mean = figures.mean(raw_values)
        fresh_mean = figures.mean(list(before.fresh.values()))
        init_mean = figures.mean([*before.init_script.values(), *after.init_script.values()])
        result["raw"] = {"pages": len(urls), "per_page_s": raw, "mean_s": raw_mean,
                         "median_s": figures.median(raw_values), "total_s": raw_total,
                         "before_mean_s": figures.mean(list(before.per_page.values())),
                         "after_mean_s": figures.mean(list(after.per_page.values())),
                         "fresh_context_mean_s": fresh_mean, "init_script_mean_s": init_mean}
        result["scan"] = {variant: scan_figures(scan, raw_mean, raw_total, fresh_mean, init_mean)
                          for variant, scan in scans.items()}
        print(per_page_table(urls, raw, scans), flush=True)

        if not args.no_parts:
            phase(result, "    parts of a scan step, piece by piece")
            parts = harness_parts(urls)
            result["parts"] = {name: figures.mean(values) for name, values in parts.items()}

        if args.pa11y:
            phase(result, "(e) pa11y-ci")
            pa = pa11y(urls, work)
            result["pa11y"] = {**asdict(pa), "ratio": figures.ratio(scans["with page checks"].wall_s, pa.wall_s)}

    if args.walks:
        phase(result, "(f) walks: the walker against the scripted walk")
        with tempfile.TemporaryDirectory(prefix="a11y-bench-walks-") as tmp:
            found = walks(Path(tmp))
        print(walk_table(found), flush=True)
        result["walks"] = {way: {f"{t} {j}": walk for (t, j), walk in by.items()} for way, by in found.items()}
        result["walk_ratio"] = walk_ratio(found)

    if args.matrix:
        result["matrix"] = {}
        runs: dict[int, PytestRun] = {}
        rounds: list[dict[int, float]] = []
        identical = True
        for round_number in range(1, args.repeat + 1):
            rounds.append({})
            for count in workers:
                in_round = f", round {round_number} of {args.repeat}" if args.repeat > 1 else ""
                phase(result, f"(c) demo matrix at -n {count}{in_round}")
                with tempfile.TemporaryDirectory(prefix="a11y-bench-matrix-") as tmp:
                    run = matrix(count if xdist_available() else None, Path(tmp))
                rounds[-1][count] = run.wall_s
                if count in runs:  # a later round: its time, and whether it found the same
                    identical = identical and run.findings == runs[count].findings
                    continue
                runs[count] = run
                result["matrix"][f"-n {count}"] = {
                    "wall_s": run.wall_s, "cpu_s": run.cpu_s, "cpu_s_by_kind": run.cpu_s_by_kind,
                    "machine_cores": run.machine_cores, "sampler_cpu_s": run.sampler_cpu_s,
                    "exit_code": run.exit_code,
                    "run_folders": run.run_folders,
                    "page_states": run.page_states, "pages_per_s": figures.ratio(run.page_states, run.wall_s),
                    "findings": len(run.findings), "peak_total_kib": run.peak_total_kib, "peak_kib": run.peak_kib,
                    "peak_pss_kib": run.peak_pss_kib, "peak_parts_kib": run.peak_parts_kib}
        result["matrix_rounds"] = [{f"-n {count}": wall for count, wall in r.items()} for r in rounds]
        if 0 in runs and len(runs) > 1:
            other = max(runs)
            result["speedups"] = figures.speedups(rounds, other)
            result["speedup"] = figures.median(result["speedups"])
            result["matrix_identical"] = identical and runs[0].findings == runs[other].findings
    result["machine"]["load_after"] = os.getloadavg()

    print("\nFigures (one run on a shared machine: timings are noisy)")
    print(figures.table(summarise(result)))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
        print(f"\nAll figures: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
