"""Credential values never leave the browser: a real run on pages that reflect them everywhere writes none of them."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from playwright.sync_api import Page

from harness.browser.behaviours import BEHAVIOURS
from harness.browser.journey import Journey
from harness.model.findings import JourneyBlocked
from harness.model.personas import load_personas
from harness.model.results import ResultsStore
from harness.model.targets import load_target

pytest_plugins = ("pytester", "tests.pages_server")
pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
USERNAME = "ada.lovelace-7731"
PASSWORD = "Tr0ub4dor&3 horse"  # an ampersand and a space: escaped one way in HTML, others in an address
SCENARIO = '''
import pytest

pytestmark = pytest.mark.journey("bin-day")


def test_sign_in_and_see_the_account(journey):
    with journey.step("Sign in"):
        journey.open_start_page()
        journey.fill_credential("Username", "username")
        journey.fill_credential("Password", "password")
        journey.press("Sign in")
    with journey.step("See the account"):
        # The page says "Welcome back, <username>" instead: the blocker lists the headings it saw.
        journey.expect_heading("Your account")
'''


def forms(secret: str) -> set[str]:
    """Every way a secret could be written out: as typed, in capitals (the page shouts it), in an address."""
    return {secret, secret.upper(), secret.lower(), quote(secret, safe=""), quote_plus(secret),
            secret.replace("&", "&amp;"), secret.replace("&", "\\u0026")}


def make_leaky_project(pytester: pytest.Pytester, pages_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project whose one target signs in with credentials from the environment, on pages that leak them."""
    monkeypatch.setenv("LEAKY_USER", USERNAME)
    monkeypatch.setenv("LEAKY_PASSWORD", PASSWORD)
    pytester.makeconftest('pytest_plugins = ("harness.plugin",)')
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    (pytester.path / "personas").mkdir()
    shutil.copy(REPO / "personas" / "default.toml", pytester.path / "personas")
    scenarios = pytester.mkpydir("scenarios")
    (scenarios / "targets").mkdir()
    (scenarios / "targets" / "leaky.toml").write_text(
        f'name = "Leaky Council"\nsupplier = "Leaky Ltd"\nversion = "1"\nbase_url = "{pages_url}/secrets/"\n'
        'test_environment = true\norganisation = "Leaky Council"\n\n[credentials]\nusername = "LEAKY_USER"\n'
        'password = "LEAKY_PASSWORD"\n\n[journeys.bin-day]\nentry = "sign-in.html"\n')
    (scenarios / "test_account.py").write_text(SCENARIO)


def test_no_credential_value_reaches_any_output_of_a_run(pytester: pytest.Pytester, pages_url: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    make_leaky_project(pytester, pages_url, monkeypatch)
    result = pytester.runpytest_subprocess("scenarios", "-v", "--a11y-report-dir", "out", "--a11y-fail-on", "none",
                                           "--a11y-history", "history.sqlite", "--html", "pytest-report.html",
                                           "--self-contained-html")
    # The walk really met the secrets: it signed in, and the blocker shows the page's (masked) headings.
    assert "could not finish 'See the account': " in result.stdout.str()
    assert "Headings on the page: ['Welcome back, [masked]']" in result.stdout.str()
    (run_dir,) = [p for p in (pytester.path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    written = {p.name for p in run_dir.iterdir()}
    assert {"results.ndjson", "report.html", "findings.json", "findings.csv", "history.html", "comparison.html",
            "statements.html", "statement-leaky.md", "acr-leaky.yaml", "earl.jsonld"} <= written, written
    records = (run_dir / "results.ndjson").read_text()
    assert "aria-valid-attr-value" in records and "color-contrast" in records  # the snippets that held them
    outputs = [p for p in pytester.path.rglob("*") if p.is_file() and "scenarios" not in p.parts
               and "personas" not in p.parts]
    assert {"history.sqlite", "pytest-report.html"} <= {p.name for p in outputs}
    leaks = [(p.relative_to(pytester.path), form) for p in outputs for form in forms(USERNAME) | forms(PASSWORD)
             if form.encode() in p.read_bytes()]
    assert leaks == []
    console = result.stdout.str() + result.stderr.str()
    assert [form for form in forms(USERNAME) | forms(PASSWORD) if form in console] == []


def test_pytest_is_not_shown_a_cause_that_holds_a_secret(page: Page, tmp_path: Path, pages_url: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The exception pytest prints (and pytest-html keeps) is masked, and so is any exception chained to it."""
    monkeypatch.setenv("LEAKY_USER", USERNAME)
    (tmp_path / "leaky.toml").write_text(
        f'name = "Leaky"\nsupplier = "Leaky Ltd"\nversion = "1"\nbase_url = "{pages_url}/secrets/"\n'
        '[credentials]\nusername = "LEAKY_USER"\n[journeys.bin-day]\nentry = "sign-in.html"\n')
    target = load_target(tmp_path / "leaky.toml")
    journey = Journey(page, target=target, persona=load_personas(REPO / "personas", BEHAVIOURS)["default"],
                      journey_id="bin-day", entry_url=f"{pages_url}/secrets/sign-in.html",
                      store=ResultsStore(tmp_path / "run").open(), test_id="test_x[leaky-default]", checks=())
    with pytest.raises(JourneyBlocked) as caught, journey.step("Sign in"):
        journey.open_start_page()
        raise RuntimeError(f"the page said hello to {USERNAME}")  # as a scenario's own check might
    assert USERNAME not in str(caught.value) and USERNAME not in journey.blocker
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert "the page said hello to [masked]" in str(caught.value)
    assert USERNAME not in (tmp_path / "run" / "results.ndjson").read_text()


@pytest.mark.slow  # a run with Playwright's tracing on
def test_the_run_header_says_a_trace_holds_the_credentials(pytester: pytest.Pytester, pages_url: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Playwright's trace records every value typed: the harness cannot mask it, so it says so up front."""
    make_leaky_project(pytester, pages_url, monkeypatch)
    result = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "out", "--a11y-fail-on", "none",
                                           "--tracing", "on")
    result.stdout.fnmatch_lines([("a11y WARNING: --tracing on: Playwright records pages as they are, which the "
                                 "harness cannot mask: each trace.zip holds every value typed, the usernames and "
                                 "passwords of leaky included, in plain text. Keep test-results/ out of shared CI "
                                 "artefacts, or run without these options.")])
    (trace,) = (pytester.path / "test-results").rglob("trace.zip")
    with zipfile.ZipFile(trace) as archive:
        contents = b"".join(archive.read(name) for name in archive.namelist())
    assert PASSWORD.encode() in contents  # the warning is true: which is why it is there
    quiet = pytester.runpytest_subprocess("scenarios", "--a11y-report-dir", "out", "--a11y-fail-on", "none",
                                          "--collect-only")
    assert "WARNING" not in quiet.stdout.str()
