"""Text and addresses from pages under test: made storable, shown as text, and linked only when safe.

Everything a page (or the axe-core it may have replaced) hands the harness is untrusted: a title can hold an
unpaired UTF-16 surrogate that no UTF-8 file can store, a snippet can hold a NUL or a right-to-left override
that reverses what a reader sees, and a "help" address can be `javascript:` that runs when clicked in a report
opened from disk. Each of those is handled here, once, and every writer (the results store, the HTML reports,
the Markdown drafts, CSV, JSON, YAML) calls in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

REPLACEMENT = "\ufffd"
"""What an unpaired surrogate becomes: the Unicode replacement character, as a UTF-8 decoder would write."""

_SURROGATES = {code: REPLACEMENT for code in range(0xD800, 0xE000)}
_HIDDEN = [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
           *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
"""C0 and C1 controls (tab, newline and carriage return are kept: every format shows them as white space),
and the bidirectional embeddings, overrides and isolates that reorder what a reader sees (the "Trojan Source"
characters, CVE-2021-42574). The marks U+200E, U+200F and U+061C stay: right-to-left text needs them."""
_SHOWN = {**_SURROGATES, **{code: f"[U+{code:04X}]" for code in _HIDDEN}}
_SHOWN_NEEDED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_JSON_ESCAPED = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What JSON leaves raw but a reader's editor would act on; JSON itself escapes the C0 controls."""

_CONTROL_OR_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ud800-\udfff]")
"""In an address: browsers drop tabs and newlines anywhere and controls at the ends before reading the scheme."""
_WEB = re.compile(r"^https?://[^/\\?#@\s]+(?:[/?#][^\\]*)?$", re.IGNORECASE)
"""http(s), a host (no user name: 'http://bank@evil' misleads), then anything but a backslash."""
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_RELATIVE = re.compile(r"^[^/\\\s:?#&][^\\\s:&]*$|^#[^\s&]*$")
"""'screenshots/x.png', 'report.html#j-1', '#main': no scheme, no leading '/', no white space, backslash or
'&' (a character reference such as '&#58;' is decoded in an attribute)."""


def storable(value: Any) -> Any:
    """The value with every unpaired surrogate, in strings and in dictionary keys, made U+FFFD.

    A page's `document.title = 'Bins \\ud800'` reaches Python as a string UTF-8 cannot encode; left in a record,
    it makes the results writer fail and the walk's steps are lost. Everything else is kept exactly.
    """
    return _each_text(value, _storable_text)


def _storable_text(text: str) -> str:
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        # Two halves of a pair that arrived apart join up; a half on its own becomes U+FFFD.
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def shown(text: str) -> str:
    """Text for a person to read: controls and bidirectional overrides become visible codes such as
    '[U+202E]', an unpaired surrogate becomes U+FFFD; nothing else changes.

    Markup (jinja's escaped HTML) stays Markup: `translate` is one of the methods it keeps safe.
    """
    if not _SHOWN_NEEDED.search(text):
        return text
    return text.translate(_SHOWN)


def shown_deep(value: Any) -> Any:
    """`shown` on every string in nested lists and dictionaries (keys too), for YAML and other documents."""
    return _each_text(value, shown)


def _each_text(value: Any, change: Callable[[str], str]) -> Any:
    """The value with every string in it changed, in nested lists and dictionaries, keys too (tuples become lists)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {_each_text(key, change): _each_text(item, change) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_each_text(item, change) for item in value]
    return value


def json_text(document: Any, *, indent: int | None = 2) -> str:
    """JSON that keeps page text exact but never shows a control or bidi override raw to whoever opens it.

    Those characters can only occur inside JSON strings, so writing them as \\uXXXX escapes keeps the
    document valid and its values unchanged for any JSON reader.
    """
    text = json.dumps(storable(document), ensure_ascii=False, indent=indent)
    return _JSON_ESCAPED.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def safe_href(address: Any, *, relative: bool = True) -> str:
    """The address if a report may link to it, else '' (show it as text instead).

    Allowed: http and https addresses with a host, and (unless `relative` is False) relative links that stay
    in the run's folder, such as 'screenshots/x.png' or '#j-1'. Refused: every other scheme (`javascript:`,
    `data:`, `vbscript:`, `file:` ...), protocol-relative '//host' and '\\\\host', absolute paths, '..', and any
    address holding controls, which browsers drop before reading the scheme ('java\\tscript:'); an address
    that does not start with its scheme (' javascript:') is not one of ours, so it is refused as well.
    """
    if not isinstance(address, str) or _CONTROL_OR_HIDDEN.search(address):
        return ""
    if _SCHEME.match(address):
        return address if _WEB.match(address) else ""
    if not relative or not _RELATIVE.match(address) or ".." in re.split(r"[?#]", address)[0].split("/"):
        return ""
    return address
