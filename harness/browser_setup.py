"""Make sure a Chromium is available: Playwright's, a system one, or install Debian's when we are root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from harness.errors import ConfigError
from harness.session import INSTALL_HELP, choose_browser


def install_debian_chromium() -> bool:
    """apt-get install chromium, when running as root on Debian or Ubuntu."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    print("==> Installing Debian's chromium package (apt-get)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    update = subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
    install = subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=env, check=False)
    return update.returncode == 0 and install.returncode == 0


def main() -> int:
    try:
        print(f"Browser: {choose_browser().describe()}")
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
