"""HarnessOptions: every --a11y-* option and ini key, read and validated once per run.

The options that `python -m harness.cli.scan` also takes are declared once, in SHARED_OPTIONS, and both the
plugin and the command build their parsers from that table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from harness.model.errors import ConfigError, unknown_value_message
from harness.model.findings import Impact
from harness.model.scan_sources import (
    CRAWL_OPTION,
    DEFAULT_MAX_PAGES,
    DEPTH_OPTION,
    EXCLUDE_OPTION,
    INCLUDE_OPTION,
    MAX_PAGES_OPTION,
    SITEMAP_OPTION,
    URLS_OPTION,
)
from harness.model.targets import DEMO_PLACEHOLDER

FAIL_ON_CHOICES = ("critical", "serious", "moderate", "minor", "none")
# Tags axe-core 4.x understands for WCAG levels and best practice; anything else is almost surely a typo.
KNOWN_AXE_TAGS = ("wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
                  "best-practice", "section508", "EN-301-549", "experimental", "ACT", "TTv5", "RGAAv4")


@dataclass(frozen=True)
class HarnessOptions:
    personas_dir: Path
    targets_dir: Path
    report_dir: Path
    bundled_personas: bool = False
    """True when personas_dir is the harness's own, because the repository has no personas/ folder."""
    persona_ids: tuple[str, ...] = ()
    target_ids: tuple[str, ...] = ()
    fail_on: Impact | None = Impact.SERIOUS
    axe_tags: tuple[str, ...] = field(default_factory=tuple)
    chromium: str | None = None
    page_timeout_s: float = 30.0
    step_timeout_s: float = 120.0
    history: Path | None = None
    """The SQLite history database every run is added to; None keeps no history."""
    browser_ws: str | None = None
    """A Playwright browser server to connect to instead of launching Chromium here."""
    shard: tuple[int, int] | None = None
    """(I, N): run only the I-th of N shares of the tests (1-based), so N machines split one run."""
    scan_checks: tuple[str, ...] | None = None
    """Scan mode's page checks: None for all of them (and the persona's own), () for axe alone."""
    scan_context: str = "shared"
    """Scan mode: 'shared', one browser context per persona reused from page to page with its cookies and
    storage cleared; 'fresh', a new context for every page, as journeys have."""


def parse_fail_on(value: str) -> Impact | None:
    if value not in FAIL_ON_CHOICES:
        raise ConfigError(unknown_value_message("--a11y-fail-on", "threshold", value, FAIL_ON_CHOICES))
    return None if value == "none" else Impact(value)


def parse_axe_tags(value: str) -> tuple[str, ...]:
    """A comma-separated list such as 'wcag2a,wcag2aa'; wcag criterion tags like 'wcag143' are allowed."""
    tags = tuple(tag.strip() for tag in value.split(",") if tag.strip())
    if not tags:
        raise ConfigError("--a11y-axe-tags: give at least one axe-core tag, such as wcag2a,wcag2aa.")
    for tag in tags:
        if tag not in KNOWN_AXE_TAGS and not (tag.startswith("wcag") and tag[4:].isdigit()):
            raise ConfigError(unknown_value_message("--a11y-axe-tags", "axe tag", tag, KNOWN_AXE_TAGS))
    return tags


def parse_seconds(option: str, value: float) -> float:
    """A time limit must be positive; zero or less would stop every journey at once."""
    if value <= 0:
        raise ConfigError(f"{option}: {value:g} is not a time limit. Give a number of seconds above 0, "
                          f"such as {option}=30.")
    return float(value)


def parse_history(value: str | None, report_dir: Path) -> Path | None:
    """'none' turns history off; a path is used as given; the default sits in the report folder."""
    if value is None or value == "":
        return report_dir / "history.sqlite"
    if value.lower() == "none":
        return None
    path = Path(value)
    if path.is_dir():
        raise ConfigError(f"--a11y-history: {value} is a folder. Give a database file, such as "
                          f"{path / 'history.sqlite'}, or 'none' to keep no history.")
    return path


SCAN_CONTEXT_CHOICES = ("shared", "fresh")


def parse_scan_checks(value: str, known: Sequence[str]) -> tuple[str, ...] | None:
    """'all' (every page check and the persona's own), 'none' (axe alone) or a comma-separated list of ids."""
    value = value.strip()
    if value == "all":
        return None
    if value == "none":
        return ()
    ids = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if not ids:
        raise ConfigError("--a11y-scan-checks: give 'all', 'none' or check ids separated by commas, such as "
                          "focus-visible,reflow.")
    for check_id in ids:
        if check_id not in known:
            raise ConfigError(unknown_value_message("--a11y-scan-checks", "page check", check_id,
                                                    ("all", "none", *known)))
    return ids


def parse_scan_context(value: str) -> str:
    if value not in SCAN_CONTEXT_CHOICES:
        raise ConfigError(unknown_value_message("--a11y-scan-context", "choice", value, SCAN_CONTEXT_CHOICES))
    return value


SHARD_HELP = "give I/N with 1 <= I <= N, e.g. 2/4"


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """'2/4' is the second of four shards; shards on different machines pick the same tests."""
    if value is None or value == "":
        return None
    index, sep, count = value.partition("/")
    try:
        shard = (int(index), int(count))
    except ValueError:
        shard = (0, 0)
    if not sep or not 1 <= shard[0] <= shard[1]:
        raise ConfigError(f"--a11y-shard: {value!r} is not a shard; {SHARD_HELP}.")
    return shard


def keep_in_shard(node_ids: list[str], shard: tuple[int, int]) -> list[bool]:
    """Which tests the shard keeps: round robin over the sorted test ids.

    Sorted ids, not collection order or a hash, so every machine given the same I/N agrees on its share
    and the shares differ in size by one test at most.
    """
    index, count = shard
    position = {node_id: n for n, node_id in enumerate(sorted(set(node_ids)))}
    return [position[node_id] % count == index - 1 for node_id in node_ids]


SAME: Final[Any] = object()
"""OptionSpec.command_default when the command's default is the plugin's."""


@dataclass(frozen=True)
class OptionSpec:
    """One option that the pytest plugin (`--a11y-crawl`) and the scan command (`--crawl`) both take."""

    flag: str
    command_flag: str
    help: str
    """Shared by both; '{default}' is replaced by the default of the place showing it."""
    metavar: str | None = None
    default: Any = None
    command_default: Any = SAME
    type: type | None = None
    choices: tuple[str, ...] | None = None
    repeat: bool = False
    """Given once per value (--a11y-crawl-include A --a11y-crawl-include B)."""
    local_path: bool = False
    """A file or folder: the command makes it absolute, because its pytest may run from another folder."""
    group: str = "a11y-scan"
    """The pytest option group: 'a11y' or 'a11y-scan'."""
    source: bool = False
    """One of the ways to choose the pages to scan; the command takes exactly one."""

    @property
    def command_dest(self) -> str:
        """The attribute argparse gives the command's value."""
        return self.command_flag.removeprefix("--").replace("-", "_")

    def parser_kwargs(self, *, command: bool = False) -> dict[str, Any]:
        """Keyword arguments for pytest's `addoption` or argparse's `add_argument`, which take the same."""
        default = self.command_default if command and self.command_default is not SAME else self.default
        kwargs: dict[str, Any] = {"help": self.help.replace("{default}", str(default)), "metavar": self.metavar}
        if self.repeat:
            kwargs.update(action="append", default=[])
        else:
            kwargs["default"] = default
        if self.type is not None:
            kwargs["type"] = self.type
        if self.choices is not None:
            kwargs["choices"] = self.choices
        return kwargs

    def as_argument(self, value: str) -> str:
        """The value as the command hands it to pytest: local paths made absolute, addresses as given."""
        if not self.local_path or "://" in value or value.startswith(DEMO_PLACEHOLDER):
            return value
        return str(Path(value).resolve())


SCAN_CONTEXT_HELP = ("'shared': one browser context per persona, its cookies and storage cleared between pages; "
                     "'fresh': a new context for every page, slower (always fresh with playwright's --tracing, "
                     "--video or --screenshot) (default: {default})")

SHARED_OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(CRAWL_OPTION, "--crawl", metavar="URL", source=True,
               help="scan every page found by following links from URL, on the same site ('{demo}/...' for "
                    "the bundled demo council)"),
    OptionSpec(SITEMAP_OPTION, "--sitemap", metavar="URL_OR_FILE", local_path=True, source=True,
               help="scan the pages listed in a sitemap.xml, given by its address or as a file"),
    OptionSpec(URLS_OPTION, "--urls", metavar="FILE", local_path=True, source=True,
               help="scan the pages listed in FILE, one URL per line"),
    OptionSpec(MAX_PAGES_OPTION, "--max-pages", metavar="N", type=int,
               help=f"scan at most N pages (default: {DEFAULT_MAX_PAGES} for a crawl or a sitemap; a list of "
                    "addresses is scanned whole)"),
    OptionSpec(DEPTH_OPTION, "--depth", metavar="N", type=int, default=3,
               help="follow links at most N steps from the start page (default: {default})"),
    OptionSpec(INCLUDE_OPTION, "--include", metavar="REGEX", repeat=True,
               help="only scan pages whose address matches; repeat for several"),
    OptionSpec(EXCLUDE_OPTION, "--exclude", metavar="REGEX", repeat=True,
               help="never scan pages whose address matches; repeat for several"),
    OptionSpec("--a11y-scan-checks", "--checks", metavar="all|none|IDS", default="all",
               help="page checks to run with axe on each page: 'all' (default; with the persona's own), 'none' "
                    "for axe alone (the fastest scan), or check ids separated by commas"),
    OptionSpec("--a11y-scan-context", "--context", choices=SCAN_CONTEXT_CHOICES, default="shared",
               help=SCAN_CONTEXT_HELP),
    OptionSpec("--a11y-persona", "--persona", metavar="ID", repeat=True, group="a11y",
               help="persona to walk the journeys as, or to scan as; repeat for several (default: every "
                    "persona for journeys, the default persona for a scan)"),
    OptionSpec("--a11y-fail-on", "--fail-on", choices=FAIL_ON_CHOICES, group="a11y",
               default="serious", command_default="none",  # a scan for monitoring reports, failing only if asked
               help="fail when a finding reaches this impact: a journey's test fails, the scan command exits "
                    "with status 1 (default: {default})"),
    OptionSpec("--a11y-report-dir", "--report-dir", metavar="DIR", local_path=True, group="a11y",
               help="folder for run results and HTML reports (default: reports/out)"),
)
"""Every option the scan command takes, declared once: the plugin adds them with `addoption`, the command
with argparse, and the command hands each one on to its pytest run under the plugin's name."""
