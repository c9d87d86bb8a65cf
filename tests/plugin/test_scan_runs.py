"""`python -m harness.cli.scan` fails loudly (issue 16): evidence names, pages left out, crawls that fetch nothing,
relative paths and signals. Real subprocesses against real local HTTP servers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.cli.scan import build_parser, pytest_arguments
from harness.model.results import read_run
from harness.model.scan_sources import SkippedPage

REPO = Path(__file__).resolve().parents[2]
LONG = "/" + "long-address-" * 15  # 196 characters: two pages that differ only after it


class _AnyPathHandler(BaseHTTPRequestHandler):
    """Every path is a small page with one image without alt text (so each is photographed), naming its path.

    /hang never answers in time, so a scan is still busy there when a test stops it.
    """

    server: _AnyPathServer

    def do_GET(self) -> None:
        self.server.requested.append(self.path)
        if self.path.startswith("/hang"):
            self.server.stop.wait(15)
            return
        body = (f"<!doctype html><html lang='en'><title>Page {len(self.path)}</title><main><h1>{self.path[:60]}</h1>"
                f"<img src='/pic.png'></main></html>").encode()
        self.send_response(200 if not self.path.endswith(".png") else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _AnyPathServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _AnyPathHandler)
        self.requested: list[str] = []
        self.stop = threading.Event()


@pytest.fixture
def site() -> Iterator[_AnyPathServer]:
    server = _AnyPathServer()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server
    server.stop.set()
    server.shutdown()
    server.server_close()


def url_of(server: _AnyPathServer, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def scan_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "harness.cli.scan", *args]


def scan_env() -> dict[str, str]:
    """Run from any folder, as a user would, and still import this checkout's harness."""
    return {**os.environ, "PYTHONPATH": str(REPO)}


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


# -- command line only: no browser ---------------------------------------------------------------------


def test_a_url_list_is_handed_over_without_a_page_limit_unless_one_is_given(tmp_path: Path) -> None:
    urls = tmp_path / "pages.txt"
    urls.write_text("https://www.example.gov.uk/\n")
    assert "--a11y-crawl-max-pages" not in pytest_arguments(build_parser().parse_args(["--urls", str(urls)]))
    given = pytest_arguments(build_parser().parse_args(["--urls", str(urls), "--max-pages", "7"]))
    assert given[given.index("--a11y-crawl-max-pages") + 1] == "7"


def test_a_relative_sitemap_path_is_resolved_before_pytest_runs_elsewhere(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    command = pytest_arguments(build_parser().parse_args(["--sitemap", "maps/sitemap.xml"]))
    assert command[command.index("--a11y-sitemap") + 1] == str(tmp_path / "maps" / "sitemap.xml")
    for address in ("https://www.example.gov.uk/sitemap.xml", "{demo}/sitemap.xml"):
        command = pytest_arguments(build_parser().parse_args(["--sitemap", address]))
        assert command[command.index("--a11y-sitemap") + 1] == address


def test_a_crawl_that_fetches_nothing_exits_non_zero_with_the_cause(tmp_path: Path) -> None:
    url = closed_port_url()
    result = subprocess.run(scan_command("--crawl", url, "--report-dir", str(tmp_path / "out")), cwd=tmp_path,
                            env=scan_env(), capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 4, result.stdout[-2000:] + result.stderr[-2000:]
    assert f"ERROR: --a11y-crawl {url}: no page to scan." in result.stderr
    assert f"{url}robots.txt: could not be fetched: cannot connect: Connection refused" in result.stderr
    assert "Traceback" not in result.stderr


# -- real scans in Chromium -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow  # a scan of four pages from a sitemap
def test_evidence_names_are_unique_per_page_and_pages_left_out_are_named(tmp_path: Path,
                                                                         site: _AnyPathServer) -> None:
    """/a/b and /a-b (and two long addresses differing at the end) each keep their own screenshot; a page cut
    by --max-pages is named in the console and the report. The sitemap is given by a relative path."""
    paths = ["/a/b", "/a-b", LONG + "1", LONG + "2", "/left-out"]
    entries = "".join(f"<url><loc>{url_of(site, path)}</loc></url>" for path in paths)
    (tmp_path / "sitemap.xml").write_text(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')
    result = subprocess.run(scan_command("--sitemap", "sitemap.xml", "--max-pages", "4", "--checks", "none",
                                         "--report-dir", "out"),
                            cwd=tmp_path, env=scan_env(), capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "a11y scan: 4 page(s) to scan, 1 skipped" in result.stdout
    assert ("a11y scan: not scanned, page limit reached (--a11y-crawl-max-pages 4; give a larger number to "
            "scan them): 1 page(s)") in result.stdout
    assert f"  {url_of(site, '/left-out')}" in result.stdout

    (run_dir,) = [p for p in (tmp_path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    run = read_run(run_dir)
    shots = {state.url: state.screenshot for w in run.walks for step in w.steps for state in step.states}
    assert set(shots) == {url_of(site, path) for path in paths[:4]}
    assert len(set(shots.values())) == 4, shots
    for shot in shots.values():
        assert shot and (run_dir / shot).is_file()
        assert Path(shot).name.startswith("scan-scenario-py-test-scan-page-"), shot  # still readable
    assert shots[url_of(site, "/a/b")] != shots[url_of(site, "/a-b")]
    assert run.record.scan is not None
    assert run.record.scan.skipped == (SkippedPage(url=url_of(site, "/left-out"), reason="page limit reached"),)
    report = (run_dir / "report.html").read_text()
    assert "1 page found but not scanned" in report and url_of(site, "/left-out") in report
    assert "The page limit was 4" in report
    assert "1 page found but not scanned" in (run_dir / "index.html").read_text()


def child_pids(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.browser
@pytest.mark.slow  # waits for a scan to reach a page that never answers
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_stopping_the_scan_command_stops_its_pytest_and_gives_its_status(tmp_path: Path, site: _AnyPathServer,
                                                                         stop: signal.Signals) -> None:
    """SIGTERM ends pytest at once; SIGINT reaches it once, as Ctrl+C, so it still writes the report."""
    urls = tmp_path / "pages.txt"
    urls.write_text(f"{url_of(site, '/hang')}\n{url_of(site, '/after')}\n")
    scan = subprocess.Popen(scan_command("--urls", str(urls), "--checks", "none", "--report-dir", "out"),
                            cwd=tmp_path, env=scan_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while "/hang" not in site.requested and time.monotonic() < deadline:
            children = child_pids(scan.pid) or children
            time.sleep(0.1)
        assert "/hang" in site.requested, "the scan never reached its first page"
        children = child_pids(scan.pid) or children
        assert children, "harness.cli.scan should run pytest as its child"
        scan.send_signal(stop)
        status = scan.wait(timeout=120)
        assert not any(is_running(pid) for pid in children), "pytest kept running after harness.cli.scan stopped"
        if stop == signal.SIGTERM:
            assert status == 128 + signal.SIGTERM  # the child's own end, as a shell reports it
        else:
            assert status == pytest.ExitCode.INTERRUPTED
            (run_dir,) = [p for p in (tmp_path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
            assert "Did not finish (run stopped)" in (run_dir / "report.html").read_text()
    finally:
        for pid in children:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
        if scan.poll() is None:
            scan.kill()
