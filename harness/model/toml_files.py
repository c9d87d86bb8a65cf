"""Read TOML data files and point error messages at the line that holds a key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from harness.model.errors import ConfigError


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file; a syntax error names the file, line and column, as tomllib reports them."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{display(path)}: cannot read the file ({exc.strerror}).") from None
    except UnicodeDecodeError as exc:
        # A file saved as Windows-1252 or Latin-1 ('Zoë') would otherwise stop the run with a traceback.
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{display(path)}, line {line}: this is not UTF-8 text (byte "
                          f"{exc.object[exc.start]:#04x}). Save the file as UTF-8, as TOML requires."
                          ) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{display(path)}: this is not valid TOML: {exc}.\n"
            "Check the quotes and the '=' on that line; see https://toml.io for the syntax."
        ) from None


def where(path: Path, text: str, key: str, table: str = "") -> str:
    """'personas/x.toml, line 4' for the first line that sets key (in this table, if named), else just the file."""
    # [ \t]*, not \s*: \s would match the newlines of blank lines above and give an earlier line number.
    pattern = re.compile(rf"^[ \t]*(\[+[ \t]*)?[\"']?{re.escape(key)}[\"']?[ \t]*(=|\.|\])", re.MULTILINE)
    start = 0
    if table:
        header = re.search(rf"^[ \t]*\[[ \t]*[\"']?{re.escape(table)}[\"']?[ \t]*[.\]]", text, re.MULTILINE)
        start = header.end() if header else 0
    match = pattern.search(text, start)
    if not match:
        return display(path)
    line = text.count("\n", 0, match.start()) + 1
    return f"{display(path)}, line {line}"


def display(path: Path) -> str:
    """Show paths relative to the working directory when they are under it, as pytest does."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
