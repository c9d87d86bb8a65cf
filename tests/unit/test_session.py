"""Browser choice: an override first, then Playwright's Chromium, then a system one, else what to run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness.browser import session
from harness.browser.session import QUIET_ARGS, BrowserChoice, choose_browser
from harness.model.errors import ConfigError


@pytest.fixture
def fake_chrome(tmp_path: Path) -> str:
    path = tmp_path / "chrome"
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture(autouse=True)
def no_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(session.ENV_VAR, raising=False)
    monkeypatch.delenv(session.WS_ENV_VAR, raising=False)
    # Tests that want one say so: this machine's own headless shell must not leak into the others.
    monkeypatch.setattr(session, "system_headless_shell", lambda: None)


def test_playwrights_own_chromium_comes_first(monkeypatch: pytest.MonkeyPatch, fake_chrome: str) -> None:
    monkeypatch.setattr(session, "playwright_chromium", lambda: fake_chrome)
    monkeypatch.setattr(session, "system_chromium", lambda: "/usr/bin/chromium")
    assert choose_browser() == BrowserChoice(fake_chrome, "playwright")


def test_a_system_chromium_when_playwright_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "playwright_chromium", lambda: None)
    monkeypatch.setattr(session, "system_chromium", lambda: "/usr/bin/chromium")
    assert choose_browser() == BrowserChoice("/usr/bin/chromium", "system")


def test_headless_runs_use_the_system_headless_shell_and_headed_runs_the_full_browser(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "playwright_chromium", lambda: None)
    monkeypatch.setattr(session, "system_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(session, "system_headless_shell", lambda: "/usr/bin/chromium-headless-shell")
    for choice in (choose_browser(), choose_browser("system")):
        assert choice.launch_args({})["executable_path"] == "/usr/bin/chromium-headless-shell"
        assert choice.launch_args({"headless": True})["executable_path"] == "/usr/bin/chromium-headless-shell"
        # --headed: a window needs the full browser.
        assert choice.launch_args({"headless": False})["executable_path"] == "/usr/bin/chromium"
        assert choice.describe() == ("/usr/bin/chromium (system Chromium; headless runs use "
                                     "/usr/bin/chromium-headless-shell)")
        # A run's own record names the one binary it launched.
        assert choice.describe(headless=True) == "/usr/bin/chromium-headless-shell (system Chromium's headless shell)"
        assert choice.describe(headless=False) == "/usr/bin/chromium (system Chromium)"


def test_a_headless_shell_alone_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "playwright_chromium", lambda: None)
    monkeypatch.setattr(session, "system_chromium", lambda: None)
    monkeypatch.setattr(session, "system_headless_shell", lambda: "/usr/bin/chromium-headless-shell")
    choice = choose_browser()
    assert choice.launch_args({})["executable_path"] == "/usr/bin/chromium-headless-shell"
    assert choice.describe() == "/usr/bin/chromium-headless-shell (system Chromium; headless only)"


def test_an_override_or_playwrights_build_never_swaps_in_the_system_shell(monkeypatch: pytest.MonkeyPatch,
                                                                         fake_chrome: str) -> None:
    monkeypatch.setattr(session, "system_headless_shell", lambda: "/usr/bin/chromium-headless-shell")
    assert choose_browser(fake_chrome).launch_args({})["executable_path"] == str(Path(fake_chrome).resolve())
    monkeypatch.setattr(session, "playwright_chromium", lambda: fake_chrome)
    # Playwright picks its own headless shell: no executable_path.
    assert "executable_path" not in choose_browser().launch_args({})


def test_no_browser_at_all_says_exactly_what_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "playwright_chromium", lambda: None)
    monkeypatch.setattr(session, "system_chromium", lambda: None)
    with pytest.raises(ConfigError) as caught:
        choose_browser()
    message = str(caught.value)
    assert message.startswith("No Chromium browser was found.")
    for command in ("./run setup", "sudo apt-get install chromium chromium-headless-shell", "python -m playwright install chromium",
                    "A11Y_CHROMIUM=/path/to/chrome", "--a11y-chromium=/path/to/chrome"):
        assert command in message


def test_the_environment_variable_overrides(monkeypatch: pytest.MonkeyPatch, fake_chrome: str) -> None:
    monkeypatch.setattr(session, "playwright_chromium", lambda: "/elsewhere/chrome")
    monkeypatch.setenv(session.ENV_VAR, fake_chrome)
    assert choose_browser() == BrowserChoice(str(Path(fake_chrome).resolve()), "override")


def test_the_option_wins_over_the_environment_variable(monkeypatch: pytest.MonkeyPatch,
                                                       fake_chrome: str) -> None:
    monkeypatch.setenv(session.ENV_VAR, "/no/such/chrome")
    assert choose_browser(fake_chrome).kind == "override"


def test_named_choices(monkeypatch: pytest.MonkeyPatch, fake_chrome: str) -> None:
    monkeypatch.setattr(session, "playwright_chromium", lambda: None)
    monkeypatch.setattr(session, "system_chromium", lambda: fake_chrome)
    assert choose_browser("system") == BrowserChoice(fake_chrome, "system")
    with pytest.raises(ConfigError, match="Playwright's Chromium is not installed"):
        choose_browser("playwright")


def test_an_override_that_is_not_executable_is_refused(tmp_path: Path) -> None:
    not_executable = tmp_path / "chrome"
    not_executable.write_text("")
    with pytest.raises(ConfigError) as caught:
        choose_browser(str(not_executable))
    assert str(caught.value) == (
        f"--a11y-chromium / A11Y_CHROMIUM: '{not_executable}' is not an executable file.\n"
        "Give the full path to a Chromium or Chrome binary, or 'playwright' or 'system'.")


def test_launch_args_add_the_binary_and_quiet_flags_once() -> None:
    base = {"headless": True, "args": ["--no-first-run", "--lang=en-GB"]}
    args = BrowserChoice("/usr/bin/chromium", "system").launch_args(base)
    assert args["executable_path"] == "/usr/bin/chromium" and args["headless"] is True
    assert args["args"][:2] == ["--no-first-run", "--lang=en-GB"]
    assert sorted(args["args"]) == sorted({*QUIET_ARGS, "--lang=en-GB"})
    # Playwright's own build is found by Playwright: no executable_path.
    assert "executable_path" not in BrowserChoice("/x/chrome", "playwright").launch_args({})
    assert os.path.basename(BrowserChoice("/usr/bin/chromium", "system").describe().split()[0]) == "chromium"


# -- a remote browser (--a11y-browser-ws / A11Y_BROWSER_WS) -------------------------------------------


def test_a_browser_server_address_means_no_local_browser_is_looked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lookup() -> str:
        raise AssertionError("a remote run must not look for a local Chromium")

    monkeypatch.setattr(session, "playwright_chromium", no_lookup)
    monkeypatch.setattr(session, "system_chromium", no_lookup)
    choice = choose_browser(ws_endpoint="ws://browsers.internal:3000/")
    assert choice == BrowserChoice("", "remote", "ws://browsers.internal:3000/")
    assert choice.describe() == "remote: ws://browsers.internal:3000/"
    monkeypatch.setenv(session.WS_ENV_VAR, "wss://grid.example/pw")
    assert choose_browser().describe() == "remote: wss://grid.example/pw"


def test_with_a_browser_server_the_chromium_option_names_a_binary_on_the_server() -> None:
    # Not checked here: the path is on the server's machine.
    choice = choose_browser("/opt/server-only/chrome", "ws://127.0.0.1:3000/")
    assert choice.executable == "/opt/server-only/chrome"
    assert choice.describe() == "remote: ws://127.0.0.1:3000/ (launching /opt/server-only/chrome on the server)"
    assert choose_browser("playwright", "ws://127.0.0.1:3000/").executable == ""
    with pytest.raises(ConfigError, match="'system' cannot be found on a remote browser server"):
        choose_browser("system", "ws://127.0.0.1:3000/")


def test_a_browser_server_address_must_be_a_websocket() -> None:
    with pytest.raises(ConfigError) as caught:
        choose_browser(ws_endpoint="http://127.0.0.1:3000/")
    assert str(caught.value).startswith("--a11y-browser-ws / A11Y_BROWSER_WS: 'http://127.0.0.1:3000/' is not a "
                                        "ws:// or wss:// address.")
    assert "python -m playwright run-server --port 3000" in str(caught.value)


def test_the_server_gets_the_launch_options_under_the_names_it_reads() -> None:
    """Playwright's run-server reads JSON launch options in JavaScript's names from one header."""
    remote = BrowserChoice("/usr/bin/chromium", "remote", "ws://127.0.0.1:3000/")
    launch = remote.launch_args({"headless": True, "slow_mo": 50})
    options = remote.connect_options(launch)
    # The address goes under the name this Playwright's BrowserType.connect takes.
    assert options is not None and options.pop(session._endpoint_parameter()) == "ws://127.0.0.1:3000/"
    assert list(options) == ["headers"]
    sent = json.loads(options["headers"]["x-playwright-launch-options"])
    assert sent == {"headless": True, "slowMo": 50, "executablePath": "/usr/bin/chromium",
                    "args": list(QUIET_ARGS)}
    no_binary = BrowserChoice("", "remote", "ws://127.0.0.1:3000/")
    assert "executablePath" not in json.loads(
        no_binary.connect_options(no_binary.launch_args({}))["headers"]["x-playwright-launch-options"])  # type: ignore[index]
    # A local browser is launched, not connected to.
    assert BrowserChoice("/usr/bin/chromium", "system").connect_options({}) is None
