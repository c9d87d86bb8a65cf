"""Where a run's files go: one folder per run inside the report folder, and a `latest` link to the last one.

    reports/out/                 the report folder (--a11y-report-dir)
      2026-11-26T06-01-02Z-1234/ one run: results.ndjson, screenshots/, claims/, report.html, ...
      latest -> 2026-11-26T...   the run that ended last
      history.sqlite             every run, for the trend view (--a11y-history)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from harness.model.errors import ConfigError
from harness.model.targets import Target

DEFAULT_REPORT_DIR = "reports/out"
"""The report folder, from the rootdir (pytest) or the folder the scan command was started in."""
LATEST = "latest"
CLAIMS_DIR = "claims"
"""Inside a run folder: a copy of each supplier's own conformance claim, so reports rebuilt later check it."""


def run_folder(report_dir: Path, run_id: str) -> Path:
    return report_dir / run_id


def keep_claims(run_dir: Path, targets: Iterable[Target]) -> None:
    """A copy of each supplier's own conformance claim stays with the run, so reports rebuilt later check it."""
    for target in targets:
        if target.conformance_claim:
            claims = run_dir / CLAIMS_DIR
            claims.mkdir(exist_ok=True)
            shutil.copyfile(target.conformance_claim, claims / f"{target.id}.yaml")


def point_latest(report_dir: Path, run_id: str) -> None:
    """Move `latest` to this run; a convenience only, so a file system without links costs nothing."""
    latest = report_dir / LATEST
    try:
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        os.symlink(run_id, latest)
    except OSError:
        pass


def check_report_dir(report_dir: Path) -> None:
    """The report folder must be a folder we can write in (or be creatable), or every journey would fail.

    Nothing is left behind: a unit-test run that never walks a journey makes no report folder.
    """
    fix = "Pass --a11y-report-dir with a folder you can write to, such as --a11y-report-dir=reports/out."
    existing = report_dir
    while not existing.exists() and not existing.is_symlink() and existing != existing.parent:
        existing = existing.parent
    if existing.is_symlink() and not existing.exists():
        raise ConfigError(f"--a11y-report-dir: {report_dir} cannot be made: {existing} is a link to "
                          f"{os.readlink(existing)}, which does not exist. {fix}")
    if not existing.is_dir():
        what = "is a file, not a folder" if existing == report_dir else f"cannot be made: {existing} is a file"
        raise ConfigError(f"--a11y-report-dir: {report_dir} {what}. {fix}")
    try:
        # A real attempt, not os.access: root passes os.access everywhere, even where writing fails (/proc).
        os.rmdir(tempfile.mkdtemp(prefix=".a11y-write-check-", dir=existing))
    except OSError as exc:
        where = "" if existing == report_dir else f" (it would be made inside {existing})"
        raise ConfigError(f"--a11y-report-dir: {report_dir} is not writable by this user{where}: "
                          f"{exc.strerror}. {fix}") from None
