"""Pages that hold the browser, loop or answer with an error end with a clear finding, and the run goes on.

Issue 16, "time limits that hold when the page does not": each page below hung a run for many minutes, or was
recorded as a walk that completed, before the watchdog (harness/browser/watchdog.py), the size caps and the HTTP status
check. One inner run walks the bin-day scenario on one target per page, with a step limit of STEP_LIMIT_S; the
test asserts that it ends (within the subprocess timeout, never a timing assertion), that every journey is
recorded, and what each one records.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.faults_server import RESULTS, SERVICE
from tests.pages_server import HtmlHandler
from tests.plugin.test_plugin_run import SCENARIO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
STEP_LIMIT_S = 30
"""Long enough for a healthy step on a busy machine, short enough to keep the run to a few minutes."""
NOTE = "<p>" + "Collection notes for every street in the borough, updated weekly. " * 15 + "</p>\n"
DOCUMENT_BYTES = 50_000_000


def service(body_extra: str = "", button_extra: str = "", action: str = "/results") -> str:
    return SERVICE.format(title="Find your bin collection day", head_extra="", button_extra=button_extra,
                          body_extra=body_extra, action=action)


# page -> (what the start page is, or how it is served; how the walk ends; the finding it must record)
PAGES: dict[str, tuple[str, str, str]] = {
    # A script that never lets go, as the page loads, and when the button is pressed.
    "spin-on-load": (service("<script>while (true) {}</script>"), "blocked", "page-unresponsive"),
    "spin-on-press": (service(button_extra='onclick="while (true) {}"'), "blocked", "page-unresponsive"),
    # Stopped once, it starts again from a timer: the page is closed.
    "spin-again": (service("<script>setInterval(() => { while (true) {} }, 200)</script>"), "blocked",
                   "page-unresponsive"),
    "alert-storm": (service("<script>for (;;) alert('Cookies are used on this site.')</script>"), "blocked",
                    "page-unresponsive"),
    "huge-dom": (service("<script>const many = document.createDocumentFragment();"
                         "for (let i = 0; i < 200000; i++) many.appendChild(document.createElement('i'));"
                         "document.body.appendChild(many);</script>"), "completed", "page-too-large"),
    "huge-document": ("(streamed: the service, then 50 MB of notes)", "blocked", "document-too-large"),
    "declared-document": ("(the same, its 50 MB declared in Content-Length)", "blocked", "document-too-large"),
    "refresh-loop": ('<meta http-equiv="refresh" content="0; url=/refresh-loop-back"><title>Wait</title>',
                     "blocked", "redirect-loop"),
    "refresh-loop-back": ('<meta http-equiv="refresh" content="0; url=/refresh-loop"><title>Wait</title>', "", ""),
    "script-loop": ("<title>Wait</title><script>location.replace('/script-loop-back')</script>", "blocked",
                    "redirect-loop"),
    "script-loop-back": ("<title>Wait</title><script>location.replace('/script-loop')</script>", "", ""),
    "server-error": (service(action="/results-500"), "blocked", "http-error"),
    "not-found": ("(404 with the service's own page)", "blocked", "http-error"),
    "healthy": (service(), "completed", ""),
}
ENTRIES = {name: expected for name, (_, *expected) in PAGES.items() if expected[0]}


class Handler(HtmlHandler):
    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].strip("/")
        if path == "results":
            return self._send(RESULTS)
        if path == "results-500":
            return self._send(RESULTS, status=500)  # the results, with an error status: it used to "complete"
        if path == "not-found":
            return self._send(service(), status=404)
        if path in ("huge-document", "declared-document"):
            return self._stream_huge_document(declared=path == "declared-document")
        if path in PAGES:
            return self._send(PAGES[path][0])
        return self._send("<!DOCTYPE html><title>Not found</title><h1>Not found</h1>", status=404)

    def _stream_huge_document(self, declared: bool) -> None:
        """The service, then notes until DOCUMENT_BYTES, sent as they are made (held once, never whole)."""
        head, tail = service("{notes}").split("{notes}")
        chunk = (NOTE * (65_536 // len(NOTE) + 1)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declared:
            length = len(head.encode()) + DOCUMENT_BYTES // len(chunk) * len(chunk) + len(tail.encode())
            self.send_header("Content-Length", str(length))
        self.end_headers()
        try:
            self.wfile.write(head.encode())
            for _ in range(DOCUMENT_BYTES // len(chunk)):
                self.wfile.write(chunk)
            self.wfile.write(tail.encode())
        except OSError:
            pass  # the browser stopped loading it: what the cap is for


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One inner run of the bin-day scenario, one target per page."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    project = tmp_path_factory.mktemp("unresponsive")
    make_project(project, url)
    result = subprocess.run(inner_command(), cwd=project, capture_output=True, text=True, timeout=900,
                            check=False)
    (run_dir,) = [p for p in (project / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    records = [json.loads(line) for line in (run_dir / "results.ndjson").read_text().splitlines()]
    yield {"result": result, "run_dir": run_dir, "records": records}
    server.shutdown()


def make_project(project: Path, url: str) -> None:
    (project / "conftest.py").write_text('pytest_plugins = ("harness.plugin",)\n')
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    (project / "personas").mkdir()
    (project / "personas" / "default.toml").write_text((REPO / "personas" / "default.toml").read_text())
    targets = project / "scenarios" / "targets"
    targets.mkdir(parents=True)
    for page in ENTRIES:
        (targets / f"{page}.toml").write_text(
            f'name = "{page}"\nsupplier = "Hostile Ltd"\nversion = "1"\nbase_url = "{url}/"\n'
            f'test_environment = true\n\n[journeys.bin-day]\nentry = "{page}"\n')
    (project / "scenarios" / "test_bins.py").write_text(SCENARIO)


def inner_command() -> list[str]:
    return [sys.executable, "-m", "pytest", "scenarios", "--a11y-report-dir", "out", "--a11y-fail-on", "none",
            "--a11y-page-timeout", "2", "--a11y-step-timeout", str(STEP_LIMIT_S), "-q"]


def page_of(record: dict[str, Any]) -> str:
    return str(record["test_id"]).rsplit("[", 1)[1].removesuffix("-default]")


def findings_of(run: dict[str, Any], page: str) -> list[dict[str, Any]]:
    return [f for r in run["records"] if r["kind"] == "step" and page_of(r) == page for f in r["findings"]]


def test_the_run_ends_and_every_journey_is_recorded(hostile_run: dict[str, Any]) -> None:
    result = hostile_run["result"]
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]  # blocked journeys fail
    ends = {page_of(r): r["ending"] for r in hostile_run["records"] if r["kind"] == "walk"}
    assert ends == {page: ending for page, (ending, _) in ENTRIES.items()}
    assert (hostile_run["run_dir"] / "report.html").is_file()


@pytest.mark.parametrize("page", [p for p, (_, rule) in ENTRIES.items() if rule])
def test_each_page_becomes_a_clear_finding(hostile_run: dict[str, Any], page: str) -> None:
    ending, rule = ENTRIES[page]
    findings = findings_of(hostile_run, page)
    matching = [f for f in findings if f["rule_id"] == rule]
    assert matching, f"{page}: expected a '{rule}' finding, got {sorted({f['rule_id'] for f in findings})}"
    assert all(f["message"] and f["help"] for f in matching)
    assert bool([f for f in matching if f["blocker"]]) == (ending == "blocked")


def blocker_of(run: dict[str, Any], page: str) -> str:
    return next(str(r["blocker"]) for r in run["records"] if r["kind"] == "walk" and page_of(r) == page)


def test_blockers_say_what_happened(hostile_run: dict[str, Any]) -> None:
    assert "The page stopped responding: its script ran for more than" in blocker_of(hostile_run, "spin-on-load")
    assert "The page stopped responding" in blocker_of(hostile_run, "spin-on-press")
    assert "opened 20 browser dialogs" in blocker_of(hostile_run, "alert-storm")
    for page in ("refresh-loop", "script-loop"):
        assert blocker_of(hostile_run, page).startswith(f"The page redirects in a loop: /{page}")
        assert f" → /{page}-back → /{page} → " in blocker_of(hostile_run, page)
    assert "/results-500?q=MB1+4QX with HTTP 500 Internal Server Error" in blocker_of(hostile_run, "server-error")
    assert "/not-found with HTTP 404 Not Found" in blocker_of(hostile_run, "not-found")


def test_a_dialog_storm_is_one_finding(hostile_run: dict[str, Any]) -> None:
    dialogs = [f for f in findings_of(hostile_run, "alert-storm") if f["rule_id"] == "unexpected-dialog"]
    assert len(dialogs) == 1


def test_a_page_too_large_is_not_scanned_and_says_so(hostile_run: dict[str, Any]) -> None:
    (large,) = [f for f in findings_of(hostile_run, "huge-dom") if f["rule_id"] == "page-too-large"]
    assert "The page is too large to scan (200," in large["message"]
    states = [s for r in hostile_run["records"] if r["kind"] == "step" and page_of(r) == "huge-dom"
              for s in r["states"] if s["url"].endswith("/huge-dom")]
    assert states and states[0]["axe_checked"] == [] and states[0]["checks"] == []


SCAN_PAGES = ("healthy", "spin-on-load", "healthy?again", "alert-storm", "huge-document", "not-found",
              "healthy?last")


@pytest.fixture(scope="module")
def scan_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Scan mode, one shared page per persona: after a page was closed the next gets a new one."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    out = tmp_path_factory.mktemp("scan")
    (out / "pages.txt").write_text("".join(f"{url}/{page}\n" for page in SCAN_PAGES))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(REPO / "scenarios" / "test_site_scan.py"), "-q", "-p", "no:cacheprovider",
         "--a11y-scan-urls", str(out / "pages.txt"), "--a11y-scan-context", "shared", "--a11y-report-dir",
         str(out / "out"), "--a11y-page-timeout", "2", "--a11y-step-timeout", str(STEP_LIMIT_S)],
        cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    (run_dir,) = [p for p in (out / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    records = [json.loads(line) for line in (run_dir / "results.ndjson").read_text().splitlines()]
    yield {"result": result, "records": records}
    server.shutdown()


def test_scan_mode_replaces_a_page_it_had_to_stop_and_scans_the_next(scan_run: dict[str, Any]) -> None:
    ends = {page_of(r): r["ending"]
            for r in scan_run["records"] if r["kind"] == "walk"}
    assert ends == {"healthy": "completed", "spin-on-load": "blocked", "healthy?again": "completed",
                    "alert-storm": "blocked", "huge-document": "blocked", "not-found": "blocked",
                    "healthy?last": "completed"}, scan_run["result"].stdout[-3000:]
