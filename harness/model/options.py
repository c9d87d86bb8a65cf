"""HarnessOptions: every --a11y-* option and ini key, read and validated once per run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.model.errors import ConfigError, unknown_value_message
from harness.model.findings import Impact

FAIL_ON_CHOICES = ("critical", "serious", "moderate", "minor", "none")
# Tags axe-core 4.x understands for WCAG levels and best practice; anything else is almost surely a typo.
KNOWN_AXE_TAGS = ("wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
                  "best-practice", "section508", "EN-301-549", "experimental", "ACT", "TTv5", "RGAAv4")


@dataclass(frozen=True)
class HarnessOptions:
    personas_dir: Path
    targets_dir: Path
    report_dir: Path
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
