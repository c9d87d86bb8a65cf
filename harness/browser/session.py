"""Browser choice (Playwright's own Chromium or a system one) and the launch and context arguments."""

from __future__ import annotations

import functools
import inspect
import json
import os
import shutil
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from harness.model.errors import ConfigError

ENV_VAR = "A11Y_CHROMIUM"
WS_ENV_VAR = "A11Y_BROWSER_WS"
LAUNCH_OPTIONS_HEADER = "x-playwright-launch-options"
"""Playwright's browser server (`playwright run-server`) reads the launch options from this header, as JSON."""
# Without these, Chromium keeps trying to reach Google's services; on a closed network that is a flood
# of refused connections and slow starts.
QUIET_ARGS = ("--disable-background-networking", "--disable-component-update", "--no-first-run",
              "--disable-sync")
SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HEADLESS_SHELL_CANDIDATES = ("chromium-headless-shell", "chrome-headless-shell")
"""Chromium's headless-only build (Debian: chromium-headless-shell), which Playwright itself uses for headless
runs. It has no browser window machinery to drive: on the demo matrix it used about 40 % less CPU than the full
browser running headless, and took half the time to open a fresh context."""
INSTALL_HELP = (
    "No Chromium browser was found. Do one of these, then run again:\n"
    "  - ./run setup                      (installs everything, including Debian's chromium when run as root)\n"
    "  - sudo apt-get install chromium chromium-headless-shell   (Debian or Ubuntu)\n"
    "  - python -m playwright install chromium   (Playwright's own build; needs internet access)\n"
    f"  - set {ENV_VAR}=/path/to/chrome or pass --a11y-chromium=/path/to/chrome"
)


@dataclass(frozen=True)
class BrowserChoice:
    """Which Chromium binary the run uses, and why."""

    executable: str
    """The binary; for a remote browser, a path on the server's machine, or empty for the server's own."""
    kind: str
    """'playwright' (Playwright's own build), 'system', 'override' (--a11y-chromium / A11Y_CHROMIUM), or
    'remote' (--a11y-browser-ws / A11Y_BROWSER_WS: a Playwright browser server launches it)."""
    ws_endpoint: str = ""
    headless_shell: str = ""
    """A system headless shell used instead of `executable` when the run is headless (not --headed)."""

    def binary(self, headless: bool = True) -> str:
        """The binary a run launches: the headless shell for headless runs where there is one."""
        return self.headless_shell if headless and self.headless_shell else self.executable

    def launch_args(self, base: dict[str, Any]) -> dict[str, Any]:
        """Playwright launch arguments: the caller's, plus our binary and quiet flags."""
        args = [*base.get("args", []), *(a for a in QUIET_ARGS if a not in base.get("args", []))]
        launch = {**base, "args": args}
        binary = self.binary(bool(base.get("headless", True)))
        if self.kind != "playwright" and binary:
            launch["executable_path"] = binary
        return launch

    def connect_options(self, launch_args: dict[str, Any]) -> dict[str, Any] | None:
        """playwright-pytest's connect options for a remote browser (None: launch one here).

        playwright-pytest sends the launch options as JSON with Python's snake_case names, which the
        server ignores; ours, sent under the same header, replace them with the names the server reads.
        """
        if self.kind != "remote":
            return None
        options = {_camel_case(key): value for key, value in launch_args.items()}
        return {_endpoint_parameter(): self.ws_endpoint, "headers": {LAUNCH_OPTIONS_HEADER: json.dumps(options)}}

    def describe(self, headless: bool | None = None) -> str:
        """Which browser, for the pytest header; with `headless` given, the one binary such a run launches,
        for the run's own record."""
        if headless is not None and self.headless_shell and self.kind == "system":
            binary = self.binary(headless)
            label = "system Chromium's headless shell" if binary == self.headless_shell else "system Chromium"
            return f"{binary} ({label})"
        if self.kind == "remote":
            on_server = f" (launching {self.executable} on the server)" if self.executable else ""
            return f"remote: {self.ws_endpoint}{on_server}"
        labels = {"playwright": "Playwright's Chromium", "system": "system Chromium",
                  "override": f"Chromium chosen by --a11y-chromium or {ENV_VAR}"}
        shell = ""
        if self.headless_shell and self.headless_shell != self.executable:
            shell = f"; headless runs use {self.headless_shell}"
        elif self.headless_shell:
            shell = "; headless only"
        return f"{self.executable} ({labels[self.kind]}{shell})"


@functools.cache
def _endpoint_parameter() -> str:
    """BrowserType.connect's address parameter: older Playwright calls it 'ws_endpoint', newer 'endpoint'."""
    from playwright.sync_api import BrowserType

    return "endpoint" if "endpoint" in inspect.signature(BrowserType.connect).parameters else "ws_endpoint"


def _camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def remote_browser(ws_endpoint: str, override: str | None = None) -> BrowserChoice:
    """A browser on a Playwright browser server; --a11y-chromium then names a binary on the server's machine."""
    if not ws_endpoint.startswith(("ws://", "wss://")):
        raise ConfigError(f"--a11y-browser-ws / {WS_ENV_VAR}: {ws_endpoint!r} is not a ws:// or wss:// address. "
                          "Give the address a Playwright browser server listens on, such as ws://127.0.0.1:3000/ "
                          "(start one with: python -m playwright run-server --port 3000).")
    override = override or os.environ.get(ENV_VAR) or None
    if override == "system":
        raise ConfigError(f"--a11y-chromium / {ENV_VAR}: 'system' cannot be found on a remote browser server. "
                          "Give the full path of the Chromium binary on the server's machine, or leave the "
                          "option out to use the server's own Playwright Chromium.")
    return BrowserChoice("" if override in (None, "playwright") else str(override), "remote", ws_endpoint)


@functools.cache
def playwright_chromium() -> str | None:
    """Playwright's own Chromium, if `playwright install chromium` has put it on this machine."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if path and Path(path).is_file() else None


def system_chromium() -> str | None:
    return _first_on_path(SYSTEM_CANDIDATES)


def system_headless_shell() -> str | None:
    return _first_on_path(HEADLESS_SHELL_CANDIDATES)


def _first_on_path(names: tuple[str, ...]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _system_choice() -> BrowserChoice | None:
    """The system Chromium, with the system headless shell for headless runs (either alone will do)."""
    full, shell = system_chromium(), system_headless_shell()
    if not full and not shell:
        return None
    return BrowserChoice(full or str(shell), "system", headless_shell=shell or "")


def choose_browser(override: str | None = None, ws_endpoint: str | None = None) -> BrowserChoice:
    """A remote browser server if given; else override, Playwright's Chromium, a system one, or what to install."""
    ws_endpoint = ws_endpoint or os.environ.get(WS_ENV_VAR) or None
    if ws_endpoint:
        return remote_browser(ws_endpoint, override)
    override = override or os.environ.get(ENV_VAR) or None
    if override == "playwright":
        path = playwright_chromium()
        if not path:
            raise ConfigError(f"--a11y-chromium / {ENV_VAR}: 'playwright' was asked for, but Playwright's "
                              "Chromium is not installed.\nRun: python -m playwright install chromium")
        return BrowserChoice(path, "playwright")
    if override == "system":
        choice = _system_choice()
        if not choice:
            raise ConfigError(f"--a11y-chromium / {ENV_VAR}: 'system' was asked for, but no chromium is on "
                              "PATH.\nRun: sudo apt-get install chromium chromium-headless-shell")
        return choice
    if override:
        path = shutil.which(override) or override
        if not Path(path).is_file() or not os.access(path, os.X_OK):
            raise ConfigError(f"--a11y-chromium / {ENV_VAR}: {override!r} is not an executable file.\n"
                              "Give the full path to a Chromium or Chrome binary, or 'playwright' or 'system'.")
        return BrowserChoice(str(Path(path).resolve()), "override")
    path = playwright_chromium()
    if path:
        return BrowserChoice(path, "playwright")
    choice = _system_choice()
    if choice:
        return choice
    raise ConfigError(INSTALL_HELP)


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"
