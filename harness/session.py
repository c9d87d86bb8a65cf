"""Browser choice (Playwright's own Chromium or a system one) and the launch and context arguments."""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

ENV_VAR = "A11Y_CHROMIUM"
# Without these, Chromium keeps trying to reach Google's services; on a closed network that is a flood
# of refused connections and slow starts.
QUIET_ARGS = ("--disable-background-networking", "--disable-component-update", "--no-first-run",
              "--disable-sync")
SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HELP = (
    "No Chromium browser was found. Do one of these, then run again:\n"
    "  - ./run setup                      (installs everything, including Debian's chromium when run as root)\n"
    "  - sudo apt-get install chromium    (Debian or Ubuntu)\n"
    "  - python -m playwright install chromium   (Playwright's own build; needs internet access)\n"
    f"  - set {ENV_VAR}=/path/to/chrome or pass --a11y-chromium=/path/to/chrome"
)


@dataclass(frozen=True)
class BrowserChoice:
    """Which Chromium binary the run uses, and why."""

    executable: str
    kind: str
    """'playwright' (Playwright's own build), 'system', or 'override' (--a11y-chromium / A11Y_CHROMIUM)."""

    def launch_args(self, base: dict[str, Any]) -> dict[str, Any]:
        """Playwright launch arguments: the caller's, plus our binary and quiet flags."""
        args = [*base.get("args", []), *(a for a in QUIET_ARGS if a not in base.get("args", []))]
        launch = {**base, "args": args}
        if self.kind != "playwright":
            launch["executable_path"] = self.executable
        return launch

    def describe(self) -> str:
        labels = {"playwright": "Playwright's Chromium", "system": "system Chromium",
                  "override": f"Chromium chosen by --a11y-chromium or {ENV_VAR}"}
        return f"{self.executable} ({labels[self.kind]})"


@functools.cache
def playwright_chromium() -> str | None:
    """Playwright's own Chromium, if `playwright install chromium` has put it on this machine."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if path and Path(path).is_file() else None


def system_chromium() -> str | None:
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def choose_browser(override: str | None = None) -> BrowserChoice:
    """Override first, then Playwright's Chromium, then a system one; otherwise say what to install."""
    override = override or os.environ.get(ENV_VAR) or None
    if override == "playwright":
        path = playwright_chromium()
        if not path:
            raise ConfigError(f"--a11y-chromium / {ENV_VAR}: 'playwright' was asked for, but Playwright's "
                              "Chromium is not installed.\nRun: python -m playwright install chromium")
        return BrowserChoice(path, "playwright")
    if override == "system":
        path = system_chromium()
        if not path:
            raise ConfigError(f"--a11y-chromium / {ENV_VAR}: 'system' was asked for, but no chromium is on "
                              "PATH.\nRun: sudo apt-get install chromium")
        return BrowserChoice(path, "system")
    if override:
        path = shutil.which(override) or override
        if not Path(path).is_file() or not os.access(path, os.X_OK):
            raise ConfigError(f"--a11y-chromium / {ENV_VAR}: {override!r} is not an executable file.\n"
                              "Give the full path to a Chromium or Chrome binary, or 'playwright' or 'system'.")
        return BrowserChoice(str(Path(path).resolve()), "override")
    path = playwright_chromium()
    if path:
        return BrowserChoice(path, "playwright")
    path = system_chromium()
    if path:
        return BrowserChoice(path, "system")
    raise ConfigError(INSTALL_HELP)


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"
