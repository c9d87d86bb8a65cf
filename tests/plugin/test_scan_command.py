"""`python -m harness.cli.scan`: scan mode for people who do not write tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.model.results import read_run

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


def run_scan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli.scan", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600, check=False)


def test_scans_a_list_of_pages_and_writes_the_report(tmp_path: Path, pages_url: str) -> None:
    urls = tmp_path / "pages.txt"
    urls.write_text(f"# pages to monitor\n{pages_url}/tiny-service.html\n\n{pages_url}/tiny-legacy.html\n")
    result = run_scan("--urls", str(urls), "--report-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    for page in ("tiny-service.html-default] PASSED", "tiny-legacy.html-default] PASSED"):
        assert page in result.stdout  # one line of progress per page
    (run_dir,) = [p for p in (tmp_path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    run = read_run(run_dir)
    assert {w.journey for w in run.walks} == {"site-scan"}
    legacy = next(w for w in run.walks if "tiny-legacy" in w.test_id)
    assert "clickable-elements-focusable" in {f.rule_id for f in legacy.findings}
    assert run.record.targets[legacy.target].name == f"Site scan of {pages_url}"
    assert "Site scan of" in (run_dir / "report.html").read_text()


def test_fail_on_sets_the_exit_status(tmp_path: Path, pages_url: str) -> None:
    urls = tmp_path / "pages.txt"
    urls.write_text(f"{pages_url}/tiny-legacy.html\n")
    result = run_scan("--urls", str(urls), "--report-dir", str(tmp_path / "out"), "--fail-on", "critical")
    assert result.returncode == 1


def test_a_bad_list_stops_before_any_browser_with_the_line_and_the_fix(tmp_path: Path) -> None:
    urls = tmp_path / "pages.txt"
    urls.write_text("https://www.example.gov.uk/\nwww.example.gov.uk/bins\n")
    result = run_scan("--urls", str(urls), "--report-dir", str(tmp_path / "out"))
    assert result.returncode == 4
    assert (f"ERROR: {urls}, line 2: 'www.example.gov.uk/bins' is not an absolute http:// or https:// "
            "address. Write it in full, such as https://www.example.gov.uk/bins") in result.stderr
    assert not (tmp_path / "out").exists()


def test_scan_mode_is_skipped_unless_asked_for() -> None:
    result = subprocess.run([sys.executable, "-m", "pytest", "scenarios/test_site_scan.py", "-p", "no:cacheprovider",
                             "-rs", "-q"], cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0
    assert "scan mode is off: pass --a11y-crawl URL, --a11y-sitemap URL_OR_FILE or --a11y-scan-urls FILE" \
        in result.stdout


def scan_findings(out: Path) -> dict[str, set[tuple[str, str]]]:
    """(source, rule) of each page's findings, by page file name."""
    (run_dir,) = [p for p in out.iterdir() if p.is_dir() and not p.is_symlink()]
    run = read_run(run_dir)
    return {j.test_id.split("[")[1].split("-default")[0].rsplit("/", 1)[-1]:
            {(f.source, f.rule_id) for f in j.findings} for j in run.walks}


@pytest.mark.slow  # two scans
@pytest.mark.parametrize(("checks", "harness_rules"), [
    ("none", set()),
    ("clickable-elements-focusable", {"clickable-elements-focusable"}),
])
def test_checks_choose_the_page_checks_and_none_leaves_axe_alone(tmp_path: Path, pages_url: str, checks: str,
                                                                  harness_rules: set[str]) -> None:
    urls = tmp_path / "pages.txt"
    urls.write_text(f"{pages_url}/tiny-legacy.html\n")
    result = run_scan("--urls", str(urls), "--report-dir", str(tmp_path / "out"), "--checks", checks)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    found = scan_findings(tmp_path / "out")["tiny-legacy.html"]
    assert {rule for source, rule in found if source == "harness"} == harness_rules
    (run_dir,) = [p for p in (tmp_path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    (state,) = read_run(run_dir).walks[0].steps[0].states
    assert "3.3.2" in (state.axe_checked or ())  # axe still scanned the page: its label rule applied and passed
    assert list(state.checks or ()) == sorted(harness_rules)


def test_an_unknown_check_stops_the_scan_with_the_known_ones(tmp_path: Path, pages_url: str) -> None:
    urls = tmp_path / "pages.txt"
    urls.write_text(f"{pages_url}/tiny-legacy.html\n")
    result = run_scan("--urls", str(urls), "--report-dir", str(tmp_path / "out"), "--checks", "focus-visibel")
    assert result.returncode == 4
    assert "ERROR: --a11y-scan-checks: unknown page check 'focus-visibel'." in result.stderr
    assert "Did you mean 'focus-visible'?" in result.stderr


@pytest.mark.slow  # two scans of three pages
@pytest.mark.parametrize("context", ["shared", "fresh"])
def test_only_pages_with_findings_are_photographed_and_both_contexts_agree(tmp_path: Path, pages_url: str,
                                                                            context: str) -> None:
    urls = tmp_path / "pages.txt"
    urls.write_text(f"{pages_url}/remembers.html?a\n{pages_url}/tiny-legacy.html\n{pages_url}/remembers.html?b\n")
    result = run_scan("--urls", str(urls), "--report-dir", str(tmp_path / "out"), "--context", context)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    (run_dir,) = [p for p in (tmp_path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    run = read_run(run_dir)
    shots = {j.test_id: [s.screenshot for step in j.steps for s in step.states] for j in run.walks}
    for test_id, pictures in shots.items():
        if "tiny-legacy" in test_id:
            assert pictures[0] and (run_dir / pictures[0]).is_file()
        else:  # the page that remembers visitors is clean every time: nothing leaked, nothing to show
            assert pictures == [""]
            assert not next(j for j in run.walks if j.test_id == test_id).findings
