"""Make sure a Chromium is available: Playwright's, a system one, or install Debian's when we are root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from harness.browser.session import INSTALL_HELP, BrowserChoice, choose_browser
from harness.model.errors import ConfigError

FULL_PACKAGE = "chromium"
SHELL_PACKAGE = "chromium-headless-shell"


def can_apt_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_get(*args: str) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(["apt-get", *args], env=env, check=False).returncode == 0


def apt_knows(package: str) -> bool:
    """Whether the package lists offer the package (Ubuntu, for one, has no chromium-headless-shell)."""
    if not shutil.which("apt-cache"):
        return False
    shown = subprocess.run(["apt-cache", "policy", package], capture_output=True, text=True, check=False)
    return "Candidate:" in shown.stdout and "Candidate: (none)" not in shown.stdout


def install_debian_chromium() -> bool:
    """apt-get install chromium (and its headless shell where offered), when root on Debian or Ubuntu."""
    if not can_apt_install():
        return False
    print(f"==> Installing Debian's {FULL_PACKAGE} package (apt-get)", flush=True)
    if not (apt_get("update", "-q") and apt_get("install", "-y", "-q", FULL_PACKAGE)):
        return False
    add_headless_shell()
    return True


def add_headless_shell() -> None:
    """The headless shell is optional: headless runs use about 40 % less CPU with it; without it the full
    browser runs headless."""
    if can_apt_install() and apt_knows(SHELL_PACKAGE):
        print(f"==> Installing Debian's {SHELL_PACKAGE} package (apt-get), for lighter headless runs", flush=True)
        if not apt_get("install", "-y", "-q", SHELL_PACKAGE):
            print(f"    {SHELL_PACKAGE} did not install; headless runs use the full browser.", flush=True)


def wants_headless_shell(choice: BrowserChoice) -> bool:
    return choice.kind == "system" and not choice.headless_shell


def main() -> int:
    try:
        choice = choose_browser()
        if wants_headless_shell(choice):
            add_headless_shell()
            choice = choose_browser()
        print(f"Browser: {choice.describe()}")
        return 0
    except ConfigError:
        pass
    if install_debian_chromium():
        try:
            print(f"Browser: {choose_browser().describe()}")
            return 0
        except ConfigError:
            pass
    print(INSTALL_HELP, file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
