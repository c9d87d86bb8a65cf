"""Credential values never leave the browser: every text the journey records is masked first.

A page can put a secret anywhere: a React-controlled login form copies the password into the `value`
attribute (so into axe's HTML snippets), an account page echoes the username (so into headings, titles and
blocker messages), a GET form puts both into the address. Rather than chase each path, the journey masks
every string of every record at the one place it leaves for the results store, and the message of the
exception pytest prints; everything downstream (reports, exports, history, pytest-html) reads those.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable
from dataclasses import fields, replace
from typing import Any
from urllib.parse import quote, quote_plus

from harness.model.findings import Finding
from harness.model.targets import Target

MASK = "[masked]"
# Fields that name things the harness itself chose (ids, outcomes, paths to its own files): never masked, so a
# secret that happens to equal "step" or a rule id cannot break the structure of the results.
STRUCTURAL = frozenset({"kind", "format", "test_id", "target", "persona", "journey", "step", "status", "outcome",
                        "ending", "impact", "rule_id", "source", "criteria", "screenshot", "screenshot_scale", "checks",
                        "index", "duration_s", "axe_checked", "axe_inapplicable"})
# The value of a password field in an element's HTML, whatever the attributes' order or quotes (an HTML snippet
# may be cut short, so the tag need not be closed).
INPUT_TAG = re.compile(r"<input\b[^>]*(?:>|$)", re.IGNORECASE)
PASSWORD_TYPE = re.compile(r"""\btype\s*=\s*["']?password\b""", re.IGNORECASE)
VALUE_ATTRIBUTE = re.compile(r"""(\bvalue\s*=\s*)("[^"]*"?|'[^']*'?|[^\s>"']+)""", re.IGNORECASE)
SHORTEST_TAIL = 4
"""A text cut short (a snippet, a message) may end with the start of a secret: as little as this is masked."""


def _password_values_masked(text: str) -> str:
    def one_tag(match: re.Match[str]) -> str:
        tag = match.group(0)
        if not PASSWORD_TYPE.search(tag):
            return tag
        return VALUE_ATTRIBUTE.sub(lambda m: f'{m.group(1)}"{MASK}"', tag)

    return INPUT_TAG.sub(one_tag, text) if "<" in text else text


def _forms(secret: str) -> set[str]:
    """The ways a page or the harness writes a value: as typed, HTML-escaped, in an address, in JSON (also as
    jinja's tojson writes it, with <, >, & and ' as \\u escapes)."""
    as_json = json.dumps(secret)[1:-1]
    html_safe_json = "".join(f"\\u{ord(c):04x}" if c in "<>&'" else c for c in as_json)
    return {form for form in (secret, html.escape(secret), html.escape(secret, quote=False),
                              quote(secret, safe=""), quote_plus(secret), as_json, html_safe_json) if form}


def _pattern(form: str) -> str:
    """A form as a pattern: any run of white space matches any other, as page text is tidied."""
    return r"\s+".join(re.escape(part) for part in form.split()) if form.strip() else re.escape(form)


class SecretMask:
    """Masks the credential values a journey knows, in any case, and password field values in HTML."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._whole: re.Pattern[str] | None = None
        self._tails: tuple[str, ...] = ()
        for secret in secrets:
            self.add(secret)

    @classmethod
    def for_target(cls, target: Target) -> SecretMask:
        """Every credential the target names that is set now, so a page that shows one before it is typed (a
        remembered username, say) is masked too."""
        return cls(value for variable in target.credentials.values() if (value := os.environ.get(variable)))

    def add(self, secret: str) -> None:
        if not secret or secret in self._secrets:
            return
        self._secrets.add(secret)
        forms = sorted({form for s in self._secrets for form in _forms(s)}, key=len, reverse=True)
        self._whole = re.compile("|".join(_pattern(form) for form in forms), re.IGNORECASE)
        self._tails = tuple(form.lower()[:n] for form in forms
                            for n in range(len(form) - 1, SHORTEST_TAIL - 1, -1))

    def text(self, text: str) -> str:
        text = _password_values_masked(text)
        if self._whole is None:
            return text
        text = self._whole.sub(MASK, text)
        lowered = text.lower()
        for tail in self._tails:  # longest first
            if lowered.endswith(tail):
                return text[: len(text) - len(tail)] + MASK
        return text

    def leaks(self, text: str) -> bool:
        """True when the text holds a secret (or a password field's value) that masking would hide."""
        return self.text(text) != text

    def record(self, value: Any, key: str = "") -> Any:
        """A copy of a record (dicts, lists, strings) with every string masked, keys included, but the
        harness's own structural fields."""
        if isinstance(value, str):
            return value if key in STRUCTURAL else self.text(value)
        if isinstance(value, dict):
            return {(k if k in STRUCTURAL or not isinstance(k, str) else self.text(k)): self.record(v, k)
                    for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.record(item, key) for item in value]
        return value

    def finding(self, finding: Finding) -> Finding:
        changes: dict[str, Any] = {f.name: self.text(getattr(finding, f.name)) for f in fields(finding)
                                   if f.name not in STRUCTURAL and isinstance(getattr(finding, f.name), str)}
        changes["extra"] = self.record(finding.extra)
        return replace(finding, **changes)
